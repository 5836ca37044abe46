// A tiny stand-in for `seenemall serve`, for developing the UI and checking e2e.mjs without the
// real binary: it serves dist/ (with SPA fallback) and canned JSON in the real API's shapes.
// The ranking is a weighted sum of fixed per-title signals, so mixer params change the order.
//
//   node e2e/fake-api.mjs [--port 8787]      (serves ../dist)
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = fileURLToPath(new URL('.', import.meta.url));
const DEFAULT_DIST = resolve(HERE, '..', 'dist');

const TITLES = [
  'Toy Story', 'Toy Story 2', 'Toy Story 3', 'Up', 'Inside Out', 'Coco', 'Soul', 'Luca', 'Wall-E',
  'Ratatouille', 'Finding Nemo', 'Monsters, Inc.', 'The Incredibles', 'Cars', 'Brave', 'Onward',
  'Elemental', 'Zootopia', 'Moana', 'Frozen', 'Tangled', 'Encanto', 'Shrek', 'Kung Fu Panda',
  'Madagascar', 'How to Train Your Dragon', 'The Lego Movie', 'Paddington', 'Paddington 2',
  'Spirited Away', 'My Neighbor Totoro', 'Howl\'s Moving Castle', 'Ponyo', 'Wolfwalkers',
  'Song of the Sea', 'Coraline', 'Fantastic Mr. Fox', 'Isle of Dogs', 'The Iron Giant',
  'Chicken Run', 'Wallace & Gromit', 'Klaus', 'Over the Hedge', 'Bluey', 'Avatar: The Last Airbender',
];
const SERVICES = ['nfx', 'dnp', 'amp'];

/** Deterministic pseudo-random in [0, 1) from an integer seed. */
function rand(seed) {
  const x = Math.sin(seed * 12.9898) * 43758.5453;
  return x - Math.floor(x);
}

const CATALOG = TITLES.map((title, i) => {
  const id = i + 1;
  const ann = rand(id);
  // Popularity runs against ANN similarity, so re-weighting visibly reorders the list.
  const popularity = Math.round((1 - ann) * 200 * 10) / 10 + 1;
  const isTv = title === 'Bluey' || title.startsWith('Avatar');
  return {
    id,
    tmdb_id: 800 + id,
    media_type: isTv ? 'tv' : 'movie',
    title,
    overview: `${title} — a canned overview from the fake API.`,
    poster_url: null,
    runtime: isTv ? null : 80 + Math.round(rand(id + 100) * 50),
    original_language: 'en',
    // Every seventh title has JSON null genres, as the original database does.
    genres: id % 7 === 0 ? null : [{ id: 16, name: 'Animation' }, { id: 10751, name: 'Family' }],
    release_year: 1995 + (id % 29),
    collection_id: null,
    collection_name: null,
    maturity_rating: 'PG',
    watch_options: id % 3 === 0 ? [] : SERVICES.slice(0, 1 + (id % 3)).map((s) => ({ service: s, url: `https://watch.invalid/${s}/${id}` })),
    watch_url: null,
    popularity,
    vote_average: Math.round((5 + rand(id + 200) * 4) * 10) / 10,
    vote_count: Math.round(rand(id + 300) * 30000),
    popular_rank: null,
    trending_rank: id <= 10 ? id : null,
    top_rated_rank: null,
    _signals: {
      ann,
      collab: rand(id + 400),
      trending: id <= 10 ? (11 - id) / 10 : 0,
      popularity: popularity / 201,
      votes: rand(id + 300),
      novelty: rand(id + 500),
    },
  };
});
for (const item of CATALOG) item.watch_url = item.watch_options[0]?.url ?? null;

const MIXER = {
  ann: ['mixer_ann_weight', 0.5],
  collab: ['mixer_collab_weight', 0.3],
  trending: ['mixer_trending_weight', 0.2],
  popularity: ['mixer_popularity_weight', 0.25],
  votes: ['mixer_vote_weight', 0.2],
  novelty: ['mixer_novelty_weight', 0.1],
};

const CONTENT_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
};

function sendJson(res, status, body) {
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(body));
}

function encodeCursor(rank) {
  return Buffer.from(JSON.stringify({ rank }).replace(':', ': ')).toString('base64url');
}

function decodeCursor(cursor) {
  if (!cursor) return 0;
  try {
    const rank = Number(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')).rank);
    return Number.isInteger(rank) && rank >= 0 ? rank : null;
  } catch {
    return null;
  }
}

async function readBody(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  const text = Buffer.concat(chunks).toString('utf8');
  return text ? JSON.parse(text) : {};
}

/** Ranks the catalogue for one request; returns the response body (with debug when asked). */
function recommend(url, history, withDebug) {
  const q = url.searchParams;
  const userId = q.get('user_id');
  if (!userId) return [422, { detail: [{ loc: ['query', 'user_id'], msg: 'Field required', type: 'missing' }] }];
  const limit = q.has('limit') ? Number(q.get('limit')) : 20;
  if (!Number.isInteger(limit) || limit < 1 || limit > 100) {
    return [422, { detail: [{ loc: ['query', 'limit'], msg: 'Input should be between 1 and 100', type: 'range' }] }];
  }
  const weights = {};
  for (const [key, [param, initial]] of Object.entries(MIXER)) {
    const raw = q.get(param);
    const value = raw === null ? initial : Number(raw);
    if (!Number.isFinite(value) || value < 0) {
      return [422, { detail: [{ loc: ['query', param], msg: 'Input should be >= 0', type: 'greater_than_equal' }] }];
    }
    weights[key] = value;
  }
  const start = decodeCursor(q.get('cursor'));
  if (start === null) return [400, { detail: 'Invalid cursor' }];

  const profile = (q.get('profile') ?? '').trim();
  const canonical = profile ? `${userId}::${profile}` : userId;
  const seen = history.get(canonical) ?? new Map();
  const ranked = CATALOG.filter((item) => !seen.has(item.id))
    .map((item) => {
      const components = {};
      let score = 0;
      for (const key of Object.keys(MIXER)) {
        components[key] = weights[key] * item._signals[key];
        score += components[key];
      }
      return { item, score, components };
    })
    .sort((a, b) => b.score - a.score || a.item.id - b.item.id);

  const page = ranked.slice(start, start + limit);
  const items = page.map(({ item, score }) => {
    const { _signals, ...pub } = item;
    const why = _signals.ann > 0.6 ? 'it is close to what you watched' : 'it is popular right now';
    return { ...pub, score: Math.round(score * 1000) / 1000, explanation: `Recommended because ${why}.` };
  });
  const body = { items };
  if (start + limit < ranked.length) body.next_cursor = encodeCursor(start + limit);
  if (withDebug) {
    const query = q.get('query');
    body.debug = {
      // The real API's paths: cold_start, cold_start_query, warm, warm_query.
      path: `${seen.size ? 'warm' : 'cold_start'}${query ? '_query' : ''}`,
      intent: query ? { ann_description: query, genres: ['Animation'] } : {},
      intent_source: query ? 'offline' : 'none',
      filters: { media_types: null, genres: q.get('genre_override')?.split(',').map((g) => g.trim()) ?? null },
      rewrite: q.get('rewrite_override') ?? (query ? `${query} films` : null),
      counts: { ann: 30, collab: seen.size ? 12 : 0, trending: 10, merged: CATALOG.length, hydrated: ranked.length, returned: items.length },
      stages: [
        { name: 'intent', ms: 0.4 },
        { name: 'retrieval', ms: 3.2 },
        { name: 'mixer', ms: 0.3 },
        { name: 'mmr', ms: 0.6 },
        { name: 'rerank', ms: 0.2 },
      ],
      reranker: 'heuristic',
      items: Object.fromEntries(
        page.map(({ item, components }, i) => [
          String(item.id),
          {
            components,
            retrieval_score: Math.round(item._signals.ann * 1000) / 1000,
            rules: item.media_type === 'tv' ? ['tv penalty -0.05'] : [],
            mmr_from: i === 2 ? start + 4 : null,
            serendipity: i === page.length - 1 && start === 0,
            unverified: item.runtime ? [] : ['runtime unknown'],
          },
        ]),
      ),
    };
  }
  return [200, body];
}

async function serveStatic(res, distDir, pathname) {
  const safe = normalize(decodeURIComponent(pathname)).replace(/^(\.\.[/\\])+/, '');
  let file = join(distDir, safe);
  if (!file.startsWith(distDir)) file = join(distDir, 'index.html');
  try {
    if (!(await stat(file)).isFile()) file = join(distDir, 'index.html');
  } catch {
    file = join(distDir, 'index.html');
  }
  try {
    const data = await readFile(file);
    res.writeHead(200, { 'Content-Type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream' });
    res.end(data);
  } catch {
    res.writeHead(404, { 'Content-Type': 'text/plain' });
    res.end(`UI not built: run "npm run build" (looked in ${distDir})`);
  }
}

/**
 * Starts the fake on 127.0.0.1. Resolves to `{ url, close, requests }`; `requests` logs
 * "METHOD path?query" of every API call, for assertions.
 */
export function startFakeApi({ port = 0, distDir = DEFAULT_DIST } = {}) {
  const history = new Map(); // canonical user -> Map(item id -> event)
  const requests = [];
  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://fake');
    const path = url.pathname;
    const isApi = /^\/(recommend|debug\/recommend|user\/history|titles\/search|feedback|watch-link\/|healthz)/.test(path);
    if (isApi) requests.push(`${req.method} ${path}${url.search}`);
    try {
      if (req.method === 'GET' && path === '/healthz') return sendJson(res, 200, { status: 'ok' });
      if (req.method === 'GET' && (path === '/recommend' || path === '/debug/recommend')) {
        const [status, body] = recommend(url, history, path === '/debug/recommend');
        return sendJson(res, status, body);
      }
      if (req.method === 'POST' && path === '/user/history') {
        const body = await readBody(req);
        if (typeof body.user_id !== 'string') {
          return sendJson(res, 422, { detail: [{ loc: ['body', 'user_id'], msg: 'Field required' }] });
        }
        const profile = typeof body.profile === 'string' && body.profile.trim() ? body.profile.trim() : null;
        const canonical = profile ? `${body.user_id}::${profile}` : body.user_id;
        const seen = history.get(canonical) ?? new Map();
        for (const id of body.items ?? []) seen.set(id, body.event_type ?? 'watched');
        history.set(canonical, seen);
        return sendJson(res, 200, { ok: true, user_id: body.user_id, profile: body.profile ?? null });
      }
      if (req.method === 'GET' && path === '/titles/search') {
        const q = (url.searchParams.get('q') ?? '').toLowerCase().trim();
        const limit = Number(url.searchParams.get('limit') ?? 10);
        const items = q
          ? CATALOG.filter((it) => it.title.toLowerCase().includes(q))
              .slice(0, limit)
              .map(({ id, tmdb_id, media_type, title, release_year, poster_url }) => ({ id, tmdb_id, media_type, title, release_year, poster_url }))
          : [];
        return sendJson(res, 200, { items });
      }
      if (req.method === 'POST' && path === '/feedback') {
        await readBody(req);
        return sendJson(res, 200, { ok: true });
      }
      const watch = /^\/watch-link\/(\d+)$/.exec(path);
      if (req.method === 'GET' && watch) {
        const item = CATALOG.find((it) => it.id === Number(watch[1]));
        const option = item?.watch_options.find((o) => o.service === url.searchParams.get('service'));
        if (!option) return sendJson(res, 404, { detail: 'Link not found' });
        res.writeHead(307, { Location: option.url });
        return res.end();
      }
      if (isApi) return sendJson(res, 405, { detail: 'Method Not Allowed' });
      return serveStatic(res, distDir, path);
    } catch (err) {
      return sendJson(res, 500, { detail: `fake api error: ${err.message}` });
    }
  });
  return new Promise((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      const { port: actual } = server.address();
      resolvePromise({
        url: `http://127.0.0.1:${actual}`,
        requests,
        close: () => new Promise((done) => server.close(() => done())),
      });
    });
  });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const portArg = process.argv.indexOf('--port');
  const port = portArg > 0 ? Number(process.argv[portArg + 1]) : 8787;
  const fake = await startFakeApi({ port });
  console.log(`fake API + UI on ${fake.url}`);
}
