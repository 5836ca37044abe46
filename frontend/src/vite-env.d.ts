/// <reference types="vite/client" />

interface ImportMetaEnv {
  /** Optional API origin, e.g. `http://127.0.0.1:8000`; empty means same origin. */
  readonly VITE_API_BASE_URL?: string;
}

interface ImportMeta {
  readonly env: ImportMetaEnv;
}
