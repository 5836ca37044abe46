/**
 * Result state of the page: the first page, the pages appended by "More", and the pipeline
 * trace when debug is on. A new search supersedes any request still in flight (a generation
 * counter drops late answers, an AbortController cancels the fetch).
 */
import { useCallback, useRef, useState } from 'react';
import { debugRecommend, recommend, type ApiError } from '../api';
import type { Item, PipelineDebug, RecommendParams, RecommendResponse } from '../types';

/** What the results area renders. */
export interface RecommendationsState {
  items: Item[];
  nextCursor: string | null;
  debug: PipelineDebug | null;
  loading: boolean;
  loadingMore: boolean;
  error: string | null;
  /** True once any search has finished, so "no results" can be told from "not searched yet". */
  searched: boolean;
}

const EMPTY: RecommendationsState = {
  items: [],
  nextCursor: null,
  debug: null,
  loading: false,
  loadingMore: false,
  error: null,
  searched: false,
};

interface LastRequest {
  params: RecommendParams;
  withDebug: boolean;
}

/** The alert text, as the original showed it, plus the server's reason when there is one. */
function errorText(err: unknown): string {
  const base = 'Failed to load recommendations. Please try again.';
  const detail = (err as ApiError | undefined)?.detail ?? (err as Error | undefined)?.message;
  return detail ? `${base} (${detail})` : base;
}

function isAbort(err: unknown): boolean {
  return err instanceof DOMException && err.name === 'AbortError';
}

function fetchPage(req: LastRequest, signal: AbortSignal): Promise<RecommendResponse & { debug?: PipelineDebug }> {
  return req.withDebug ? debugRecommend(req.params, signal) : recommend(req.params, signal);
}

/** Appends `next` to `current`, skipping ids already shown (React keys must stay unique). */
function appendDistinct(current: Item[], next: Item[]): Item[] {
  const seen = new Set(current.map((item) => item.id));
  return [...current, ...next.filter((item) => !seen.has(item.id))];
}

/** Keeps the newest page's summary but remembers the per-item traces of every page. */
function mergeDebug(current: PipelineDebug | null, next: PipelineDebug | undefined): PipelineDebug | null {
  if (!next) return current;
  if (!current) return next;
  return { ...next, items: { ...current.items, ...next.items } };
}

/** Hook driving `/recommend` (or `/debug/recommend`) with pagination. */
export function useRecommendations() {
  const [state, setState] = useState<RecommendationsState>(EMPTY);
  const last = useRef<LastRequest | null>(null);
  const generation = useRef(0);
  const controller = useRef<AbortController | null>(null);

  const start = () => {
    controller.current?.abort();
    controller.current = new AbortController();
    generation.current += 1;
    return { gen: generation.current, signal: controller.current.signal };
  };

  const search = useCallback(async (params: RecommendParams, withDebug: boolean) => {
    const req = { params, withDebug };
    last.current = req;
    const { gen, signal } = start();
    setState((s) => ({ ...s, loading: true, loadingMore: false, error: null }));
    try {
      const body = await fetchPage(req, signal);
      if (gen !== generation.current) return;
      setState({
        items: body.items,
        nextCursor: body.next_cursor ?? null,
        debug: body.debug ?? null,
        loading: false,
        loadingMore: false,
        error: null,
        searched: true,
      });
    } catch (err) {
      if (isAbort(err) || gen !== generation.current) return;
      console.error('recommend failed', err);
      setState({ ...EMPTY, searched: true, error: errorText(err) });
    }
  }, []);

  const more = useCallback(async (cursor: string) => {
    if (!last.current) return;
    const req = { ...last.current, params: { ...last.current.params, cursor } };
    const { gen, signal } = start();
    setState((s) => ({ ...s, loadingMore: true, error: null }));
    try {
      const body = await fetchPage(req, signal);
      if (gen !== generation.current) return;
      setState((s) => ({
        ...s,
        items: appendDistinct(s.items, body.items),
        nextCursor: body.next_cursor ?? null,
        debug: mergeDebug(s.debug, body.debug),
        loadingMore: false,
      }));
    } catch (err) {
      if (isAbort(err) || gen !== generation.current) return;
      console.error('recommend (more) failed', err);
      setState((s) => ({ ...s, loadingMore: false, error: errorText(err) }));
    }
  }, []);

  return { state, search, more };
}
