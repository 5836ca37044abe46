/**
 * Typed client for the Seen'emAll HTTP API. Every function resolves to the parsed body or
 * throws {@link ApiError}; callers decide what to show. `fetch` is looked up at call time so
 * tests can stub it.
 */
import { currentApiBase } from './config';
import type {
  DebugRecommendResponse,
  FeedbackRequest,
  HistoryRequest,
  HistoryResponse,
  ImportFormat,
  ImportSummary,
  Item,
  RecommendParams,
  RecommendResponse,
  TitleSearchResponse,
} from './types';

export type * from './types';

/** A non-2xx answer (or a network / parse failure, with `status` 0). */
export class ApiError extends Error {
  /** HTTP status, 0 when no response arrived or the body was not JSON. */
  readonly status: number;
  /** The `detail` of the error body, flattened to text. */
  readonly detail: string;

  constructor(status: number, detail: string) {
    super(status ? `HTTP ${status}: ${detail}` : detail);
    this.name = 'ApiError';
    this.status = status;
    this.detail = detail;
  }
}

/**
 * Query-string order. It follows the original UI (user_id, query, switches, overrides, weights,
 * mixer) so logs compare line by line; `profile`, `limit` and `cursor` are ours.
 */
const PARAM_ORDER: readonly (keyof RecommendParams)[] = [
  'user_id',
  'profile',
  'limit',
  'query',
  'diversify',
  'use_llm_intent',
  'ann_description_override',
  'rewrite_override',
  'genre_override',
  'ann_weight_override',
  'rewrite_weight_override',
  'mixer_ann_weight',
  'mixer_collab_weight',
  'mixer_trending_weight',
  'mixer_popularity_weight',
  'mixer_novelty_weight',
  'mixer_vote_weight',
  'mixer_lexical_weight',
  'mixer_rating_weight',
  'cursor',
];

/** Builds the query string (without `?`) for `/recommend`; undefined fields are skipped. */
export function recommendQuery(params: RecommendParams): string {
  const qs = new URLSearchParams();
  for (const key of PARAM_ORDER) {
    const value = params[key];
    if (value === undefined || value === null) continue;
    // String() gives JS default number formatting (0.5, 1.2), as the original sent.
    qs.append(key, String(value));
  }
  return qs.toString();
}

/** Flattens a FastAPI-style `detail` (a string or a list of `{msg, loc}`) to one line. */
export function formatDetail(detail: unknown): string {
  if (typeof detail === 'string') return detail;
  if (Array.isArray(detail)) {
    return detail
      .map((entry) => {
        if (entry && typeof entry === 'object') {
          const { msg, loc } = entry as { msg?: unknown; loc?: unknown };
          const where = Array.isArray(loc) ? loc.join('.') : '';
          const text = typeof msg === 'string' ? msg : JSON.stringify(entry);
          return where ? `${where}: ${text}` : text;
        }
        return String(entry);
      })
      .join('; ');
  }
  if (detail === undefined || detail === null) return '';
  return JSON.stringify(detail);
}

/** Where the browser keeps the server's API token (set when `API_TOKEN` is configured). */
export const TOKEN_STORAGE_KEY = 'seenemall.apiToken';

function storedToken(): string | null {
  try {
    return globalThis.localStorage?.getItem(TOKEN_STORAGE_KEY) || null;
  } catch {
    return null;
  }
}

/** Saves (or, with `null`, forgets) the API token for later requests from this browser. */
export function setApiToken(token: string | null): void {
  try {
    if (token) globalThis.localStorage?.setItem(TOKEN_STORAGE_KEY, token);
    else globalThis.localStorage?.removeItem(TOKEN_STORAGE_KEY);
  } catch {
    // Storage can be disabled (private mode); the token then lasts for this request only.
  }
}

/** Asks the person for the token after a 401; tests replace it. `null` means "cancelled". */
export const tokenPrompt = {
  ask(): string | null {
    if (typeof globalThis.prompt !== 'function') return null;
    return globalThis.prompt('This server needs its API token (API_TOKEN) for this. Paste it here:');
  },
};

function withToken(init: RequestInit | undefined, token: string | null): RequestInit | undefined {
  if (!token) return init;
  const headers = { ...((init?.headers as Record<string, string> | undefined) ?? {}) };
  headers.Authorization = `Bearer ${token}`;
  return { ...init, headers };
}

async function send(url: string, init: RequestInit | undefined): Promise<Response> {
  try {
    return await globalThis.fetch(url, init);
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') throw err;
    throw new ApiError(0, `Network error: ${(err as Error).message ?? String(err)}`);
  }
}

async function request<T>(path: string, init?: RequestInit): Promise<T> {
  const url = `${currentApiBase()}${path}`;
  let response = await send(url, withToken(init, storedToken()));
  // A protected server: ask for the token once, keep it in the browser, and retry.
  if (response.status === 401) {
    const token = tokenPrompt.ask()?.trim();
    if (token) {
      setApiToken(token);
      response = await send(url, withToken(init, token));
    }
  }
  const text = await response.text();
  let body: unknown = undefined;
  if (text) {
    try {
      body = JSON.parse(text);
    } catch {
      if (response.ok) throw new ApiError(0, `Invalid JSON from ${path}`);
    }
  }
  if (!response.ok) {
    const detail =
      body && typeof body === 'object' && 'detail' in body
        ? formatDetail((body as { detail: unknown }).detail)
        : text || response.statusText;
    throw new ApiError(response.status, detail || `HTTP ${response.status}`);
  }
  return body as T;
}

function postJson<T>(path: string, body: unknown): Promise<T> {
  return request<T>(path, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
}

/** Accepts a bare array too, as the original UI did, and never returns a missing list. */
function normaliseRecommend<T extends RecommendResponse>(body: unknown): T {
  if (Array.isArray(body)) return { items: body as Item[] } as T;
  const obj = (body ?? {}) as T;
  return { ...obj, items: Array.isArray(obj.items) ? obj.items : [] };
}

/** `GET /recommend`. */
export async function recommend(
  params: RecommendParams,
  signal?: AbortSignal,
): Promise<RecommendResponse> {
  const body = await request<unknown>(`/recommend?${recommendQuery(params)}`, { signal });
  return normaliseRecommend<RecommendResponse>(body);
}

/** `GET /debug/recommend`: the same page plus the pipeline trace. */
export async function debugRecommend(
  params: RecommendParams,
  signal?: AbortSignal,
): Promise<DebugRecommendResponse> {
  const body = await request<unknown>(`/debug/recommend?${recommendQuery(params)}`, { signal });
  return normaliseRecommend<DebugRecommendResponse>(body);
}

/** `POST /user/history`. */
export function postHistory(body: HistoryRequest): Promise<HistoryResponse> {
  return postJson<HistoryResponse>('/user/history', body);
}

/**
 * `POST /user/import`: a Letterboxd, IMDb or Trakt export, uploaded as a multipart form.
 * The browser sets the multipart Content-Type (with its boundary) itself.
 */
export function importHistory(
  format: ImportFormat,
  userId: string,
  profile: string,
  file: Blob,
  fileName: string,
): Promise<ImportSummary> {
  const form = new FormData();
  form.append('format', format);
  form.append('user_id', userId);
  if (profile.trim()) form.append('profile', profile.trim());
  form.append('file', file, fileName);
  return request<ImportSummary>('/user/import', { method: 'POST', body: form });
}

/** `GET /titles/search?q=..&limit=..` (the title picker). */
export async function searchTitles(
  q: string,
  limit = 10,
  signal?: AbortSignal,
): Promise<TitleSearchResponse> {
  const qs = new URLSearchParams({ q, limit: String(limit) });
  const body = await request<TitleSearchResponse | null>(`/titles/search?${qs}`, { signal });
  return { items: Array.isArray(body?.items) ? body.items : [] };
}

/** `POST /feedback` (analytics only; nothing reads it back). */
export function postFeedback(body: FeedbackRequest): Promise<{ ok: boolean }> {
  return postJson<{ ok: boolean }>('/feedback', body);
}

/** Link that redirects (307) to the service's page for this title: `/watch-link/{id}?service=`. */
export function watchLinkUrl(itemId: number, service: string): string {
  const qs = new URLSearchParams({ service });
  return `${currentApiBase()}/watch-link/${encodeURIComponent(String(itemId))}?${qs}`;
}
