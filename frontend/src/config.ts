/**
 * Where the API lives. The binary serves the UI and the API on one origin, so the default is
 * the empty base (relative paths). The original read `REACT_APP_API_URL`, which nothing set, and
 * requested `undefined/recommend`; here an unset value simply means "same origin".
 */

/** Strips trailing slashes so `${base}/recommend` never doubles them. */
function normalise(base: string): string {
  return base.trim().replace(/\/+$/, '');
}

/**
 * Picks the API base URL: `?api=` in the page URL wins (handy to point a served UI at another
 * server), then the build-time `VITE_API_BASE_URL`, else same origin (`''`).
 */
export function resolveApiBase(search: string, envBase: string | undefined): string {
  const fromQuery = new URLSearchParams(search).get('api');
  if (fromQuery && fromQuery.trim()) return normalise(fromQuery);
  if (envBase && envBase.trim()) return normalise(envBase);
  return '';
}

/** The base URL for this page load. */
export function currentApiBase(): string {
  const search = typeof window === 'undefined' ? '' : window.location.search;
  return resolveApiBase(search, import.meta.env.VITE_API_BASE_URL as string | undefined);
}
