/** A `fetch` stand-in that records every call and answers from a list of handlers. */
import { vi } from 'vitest';
import type { Item } from '../types';

/** One recorded request. */
export interface Call {
  url: string;
  method: string;
  body: unknown;
  headers: Record<string, string>;
}

/** What a handler answers: a status and a JSON body. */
export interface Reply {
  status?: number;
  body: unknown;
}

type Handler = (call: Call) => Reply | Promise<Reply> | undefined;

/** Installs the mock on `globalThis.fetch`; handlers are tried in order, first answer wins. */
export function mockFetch(...handlers: Handler[]) {
  const calls: Call[] = [];
  const fn = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const call: Call = {
      url: String(input),
      method: init?.method ?? 'GET',
      body: typeof init?.body === 'string' ? JSON.parse(init.body) : undefined,
      headers: (init?.headers as Record<string, string>) ?? {},
    };
    calls.push(call);
    for (const handler of handlers) {
      const reply = await handler(call);
      if (reply) {
        return new Response(JSON.stringify(reply.body), {
          status: reply.status ?? 200,
          headers: { 'Content-Type': 'application/json' },
        });
      }
    }
    return new Response(JSON.stringify({ detail: `unmocked ${call.method} ${call.url}` }), { status: 404 });
  });
  vi.stubGlobal('fetch', fn);
  return { calls, fn };
}

/** Answers requests whose path starts with `prefix` (query string ignored). */
export function on(prefix: string, reply: Reply | ((call: Call) => Reply), method = 'GET'): Handler {
  return (call) => {
    const path = call.url.split('?')[0];
    if (call.method !== method || !path.startsWith(prefix)) return undefined;
    return typeof reply === 'function' ? reply(call) : reply;
  };
}

/** A complete item with overridable fields. */
export function makeItem(id: number, patch: Partial<Item> = {}): Item {
  return {
    id,
    tmdb_id: 1000 + id,
    media_type: 'movie',
    title: `Title ${id}`,
    overview: `Overview ${id}`,
    poster_url: null,
    runtime: 100,
    original_language: 'en',
    genres: [{ id: 18, name: 'Drama' }],
    release_year: 2001,
    collection_id: null,
    collection_name: null,
    maturity_rating: 'PG-13',
    watch_options: [],
    watch_url: null,
    popularity: 12.6,
    vote_average: 7.25,
    vote_count: 1234,
    popular_rank: null,
    trending_rank: null,
    top_rated_rank: null,
    score: 0.5,
    explanation: `Because ${id}`,
    ...patch,
  };
}
