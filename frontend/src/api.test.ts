import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  ApiError,
  debugRecommend,
  formatDetail,
  postFeedback,
  postHistory,
  recommend,
  recommendQuery,
  searchTitles,
  setApiToken,
  tokenPrompt,
  watchLinkUrl,
} from './api';
import { makeItem, mockFetch, on } from './test/fetchMock';

afterEach(() => {
  vi.restoreAllMocks();
  setApiToken(null);
  vi.unstubAllGlobals();
  vi.unstubAllEnvs();
  window.history.replaceState(null, '', '/');
});

describe('recommendQuery', () => {
  it('sends only the user id when nothing else is set', () => {
    expect(recommendQuery({ user_id: 'u1' })).toBe('user_id=u1');
  });

  it('keeps the original order and appends the cursor last', () => {
    const qs = recommendQuery({
      cursor: 'eyJyYW5rIjogMjB9',
      mixer_vote_weight: 0.2,
      mixer_novelty_weight: 0.1,
      mixer_popularity_weight: 2,
      mixer_trending_weight: 0.2,
      mixer_collab_weight: 0.3,
      mixer_ann_weight: 0,
      rewrite_weight_override: 1.5,
      ann_weight_override: 0.7,
      genre_override: 'Drama, Sci-Fi',
      rewrite_override: 'space survival',
      ann_description_override: 'a heist',
      use_llm_intent: false,
      diversify: false,
      query: 'sci-fi like Alien',
      profile: 'kids',
      user_id: 'u 1',
    });
    expect(qs).toBe(
      'user_id=u+1&profile=kids&query=sci-fi+like+Alien&diversify=false&use_llm_intent=false' +
        '&ann_description_override=a+heist&rewrite_override=space+survival' +
        '&genre_override=Drama%2C+Sci-Fi&ann_weight_override=0.7&rewrite_weight_override=1.5' +
        '&mixer_ann_weight=0&mixer_collab_weight=0.3&mixer_trending_weight=0.2' +
        '&mixer_popularity_weight=2&mixer_novelty_weight=0.1&mixer_vote_weight=0.2' +
        '&cursor=eyJyYW5rIjogMjB9',
    );
  });
});

describe('recommend', () => {
  it('requests /recommend on the same origin and returns the page', async () => {
    const { calls } = mockFetch(on('/recommend', { body: { items: [makeItem(1)], next_cursor: 'c1' } }));
    const body = await recommend({ user_id: 'u1', limit: 5 });
    expect(calls.map((c) => c.url)).toEqual(['/recommend?user_id=u1&limit=5']);
    expect(body.items.map((i) => i.id)).toEqual([1]);
    expect(body.next_cursor).toBe('c1');
  });

  it('accepts a bare array body, as the original UI did', async () => {
    mockFetch(on('/recommend', { body: [makeItem(3)] }));
    const body = await recommend({ user_id: 'u1' });
    expect(body.items.map((i) => i.id)).toEqual([3]);
  });

  it('uses VITE_API_BASE_URL without a doubled slash', async () => {
    vi.stubEnv('VITE_API_BASE_URL', 'http://api.test:8000/');
    const { calls } = mockFetch(() => ({ body: { items: [] } }));
    await recommend({ user_id: 'u1' });
    expect(calls[0].url).toBe('http://api.test:8000/recommend?user_id=u1');
  });

  it('lets ?api= in the page URL win over the build-time base', async () => {
    vi.stubEnv('VITE_API_BASE_URL', 'http://build.test');
    window.history.replaceState(null, '', '/?api=http://other.test:9000');
    const { calls } = mockFetch(() => ({ body: { items: [] } }));
    await recommend({ user_id: 'u1' });
    expect(calls[0].url).toBe('http://other.test:9000/recommend?user_id=u1');
  });

  it('throws ApiError with the string detail of a 400', async () => {
    mockFetch(on('/recommend', { status: 400, body: { detail: 'Invalid cursor' } }));
    const err = await recommend({ user_id: 'u1', cursor: 'zz' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).status).toBe(400);
    expect((err as ApiError).detail).toBe('Invalid cursor');
  });

  it('flattens a validation detail list from a 422', async () => {
    mockFetch(
      on('/recommend', {
        status: 422,
        body: { detail: [{ loc: ['query', 'limit'], msg: 'must be <= 100', type: 'value_error' }] },
      }),
    );
    await expect(recommend({ user_id: 'u1', limit: 500 })).rejects.toMatchObject({
      status: 422,
      detail: 'query.limit: must be <= 100',
    });
  });

  it('reports a network failure as ApiError with status 0', async () => {
    vi.stubGlobal('fetch', vi.fn().mockRejectedValue(new TypeError('connection refused')));
    await expect(recommend({ user_id: 'u1' })).rejects.toMatchObject({ status: 0 });
  });
});

describe('debugRecommend', () => {
  it('calls /debug/recommend with the same parameters', async () => {
    const debug = { path: 'warm', stages: [], items: {} };
    const { calls } = mockFetch(on('/debug/recommend', { body: { items: [], debug } }));
    const body = await debugRecommend({ user_id: 'u1', query: 'space' });
    expect(calls[0].url).toBe('/debug/recommend?user_id=u1&query=space');
    expect(body.debug.path).toBe('warm');
  });
});

describe('postHistory', () => {
  it('posts the exact JSON body', async () => {
    const { calls } = mockFetch(
      on('/user/history', { body: { ok: true, user_id: 'u1', profile: null } }, 'POST'),
    );
    const res = await postHistory({ user_id: 'u1', items: [42], event_type: 'watched', weight: 1 });
    expect(res.ok).toBe(true);
    expect(calls).toHaveLength(1);
    expect(calls[0].url).toBe('/user/history');
    expect(calls[0].headers['Content-Type']).toBe('application/json');
    expect(calls[0].body).toEqual({ user_id: 'u1', items: [42], event_type: 'watched', weight: 1 });
  });
});

describe('searchTitles', () => {
  it('sends q and limit and returns the hits', async () => {
    const hit = { id: 7, tmdb_id: 862, media_type: 'movie', title: 'Toy Story', release_year: 1995, poster_url: null };
    const { calls } = mockFetch(on('/titles/search', { body: { items: [hit] } }));
    const body = await searchTitles('Toy Story');
    expect(calls[0].url).toBe('/titles/search?q=Toy+Story&limit=10');
    expect(body.items).toEqual([hit]);
  });
});

describe('postFeedback', () => {
  it('posts user, item, event and meta', async () => {
    const { calls } = mockFetch(on('/feedback', { body: { ok: true } }, 'POST'));
    await postFeedback({ user_id: 'u1', item_id: 3, event_type: 'click', meta: { service: 'nfx' } });
    expect(calls[0].body).toEqual({ user_id: 'u1', item_id: 3, event_type: 'click', meta: { service: 'nfx' } });
  });
});

describe('watchLinkUrl', () => {
  it('encodes the service as a query parameter', () => {
    expect(watchLinkUrl(12, 'disney plus')).toBe('/watch-link/12?service=disney+plus');
  });
});

describe('formatDetail', () => {
  it('stringifies an unexpected object detail', () => {
    expect(formatDetail({ code: 'x' })).toBe('{"code":"x"}');
  });
});

describe('API token', () => {
  it('asks once after a 401, retries with the token and keeps it for later calls', async () => {
    const ask = vi.spyOn(tokenPrompt, 'ask').mockReturnValue(' tok-1 ');
    const { calls } = mockFetch(
      on(
        '/user/history',
        (call) =>
          call.headers.Authorization === 'Bearer tok-1'
            ? { body: { ok: true, user_id: 'u1', profile: null } }
            : { status: 401, body: { detail: 'This endpoint needs a token' } },
        'POST',
      ),
      on('/feedback', { body: { ok: true } }, 'POST'),
    );

    await postHistory({ user_id: 'u1', items: [1], event_type: 'liked' });
    await postFeedback({ user_id: 'u1', item_id: 1, event_type: 'click', meta: {} });

    expect(ask).toHaveBeenCalledTimes(1);
    expect(calls.map((c) => c.headers.Authorization)).toEqual([undefined, 'Bearer tok-1', 'Bearer tok-1']);
  });

  it('reports the 401 when the person cancels the prompt', async () => {
    vi.spyOn(tokenPrompt, 'ask').mockReturnValue(null);
    mockFetch(on('/feedback', { status: 401, body: { detail: 'Invalid bearer token' } }, 'POST'));

    await expect(postFeedback({ user_id: 'u1', item_id: 1, event_type: 'click', meta: {} })).rejects.toMatchObject({ status: 401 });
  });
});
