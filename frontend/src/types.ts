/** Wire types of the Seen'emAll HTTP API, as the UI reads them. */

/** A genre as stored in `items.genres`. */
export interface Genre {
  id: number;
  name: string;
}

/** One streaming offer of a title. */
export interface WatchOption {
  service: string;
  url: string;
}

/** Media kind of a title. The API sends lower-case strings. */
export type MediaType = 'movie' | 'tv' | string;

/** One recommended title, as returned by `/recommend`. */
export interface Item {
  id: number;
  tmdb_id: number;
  media_type: MediaType;
  title: string | null;
  overview: string | null;
  poster_url: string | null;
  runtime: number | null;
  original_language: string | null;
  /** `null` (or absent) in the original's data for titles without genres: always guard. */
  genres?: Genre[] | null;
  release_year: number | null;
  collection_id: number | null;
  collection_name: string | null;
  maturity_rating: string | null;
  watch_options?: WatchOption[] | null;
  watch_url: string | null;
  popularity: number | null;
  vote_average: number | null;
  vote_count: number | null;
  popular_rank: number | null;
  trending_rank: number | null;
  top_rated_rank: number | null;
  score: number | null;
  explanation: string | null;
}

/** Body of `GET /recommend`. `next_cursor` is present only when there is a next page. */
export interface RecommendResponse {
  items: Item[];
  next_cursor?: string;
}

/** Weighted mixer contributions of one candidate. */
export interface MixerComponents {
  ann: number;
  collab: number;
  trending: number;
  popularity: number;
  votes: number;
  novelty: number;
  /** Full-text match of the query's words (0 without a query). */
  lexical: number;
  /** Weighted rating (IMDb's formula), 0..1; 0 for a title without a topic the query names. */
  rating: number;
}

/** Per-item trace of the pipeline, keyed by item id in {@link PipelineDebug.items}. */
export interface ItemDebug {
  components: MixerComponents;
  retrieval_score: number;
  rules: string[];
  /** Rank the item held before MMR moved it, or null when MMR did not move it. */
  mmr_from: number | null;
  serendipity: boolean;
  unverified: string[];
}

/** Candidate counts per pipeline stage. */
export interface StageCounts {
  ann: number;
  collab: number;
  trending: number;
  merged: number;
  hydrated: number;
  returned: number;
}

/** One timed pipeline stage. */
export interface StageTiming {
  name: string;
  ms: number;
}

/** The `debug` object of `GET /debug/recommend`. */
export interface PipelineDebug {
  path: 'cold_start' | 'warm' | 'query_only' | string;
  /** Where titles were read from: `memory` (the server's catalog copy) or `postgres`. */
  catalog?: 'memory' | 'postgres' | string;
  /** Where collaborative scores came from: `taste_model:<version>`, `neighbours` or `none`. */
  collab_source?: string;
  intent: Record<string, unknown> | null;
  /** Which parser produced the intent: `llm`, `offline` or `none` (absent from older servers). */
  intent_source?: string;
  /** The LLM call behind the intent: `llm`, `llm_cache`, `llm_failed:<kind>`; absent without an LLM. */
  intent_llm?: string | null;
  filters: Record<string, unknown> | null;
  rewrite: string | null;
  /** `override`, `llm`, `heuristic` or `heuristic (llm_failed:<kind>)`. */
  rewrite_source?: string | null;
  /** What the entity linker found (titles seed retrieval, people are boosted). */
  linked?: { searched: string; marker: string; titles: { title: string }[]; people: string[] } | null;
  /** Catalog ids of the linked titles used as seeds. */
  seeds?: number[];
  counts: StageCounts;
  stages: StageTiming[];
  reranker: string;
  /** What the reranker did; absent when reranking is off. */
  rerank?: { provider: string; decisions: number; fallback: string | null; cached: boolean } | null;
  items: Record<string, ItemDebug>;
}

/** Body of `GET /debug/recommend`. */
export interface DebugRecommendResponse extends RecommendResponse {
  debug: PipelineDebug;
}

/** Query parameters of `/recommend` and `/debug/recommend`. Absent fields are not sent. */
export interface RecommendParams {
  user_id: string;
  profile?: string;
  limit?: number;
  query?: string;
  diversify?: boolean;
  use_llm_intent?: boolean;
  ann_description_override?: string;
  rewrite_override?: string;
  genre_override?: string;
  ann_weight_override?: number;
  rewrite_weight_override?: number;
  mixer_ann_weight?: number;
  mixer_collab_weight?: number;
  mixer_trending_weight?: number;
  mixer_popularity_weight?: number;
  mixer_novelty_weight?: number;
  mixer_vote_weight?: number;
  mixer_lexical_weight?: number;
  mixer_rating_weight?: number;
  cursor?: string;
}

/** Interaction kinds the UI records through `POST /user/history`. */
export type HistoryEvent = 'watched' | 'liked' | 'not_interested';

/** Body of `POST /user/history`. */
export interface HistoryRequest {
  user_id: string;
  profile?: string;
  items?: number[];
  tmdb_ids?: number[];
  media_type?: string;
  event_type: HistoryEvent | string;
  weight?: number;
}

/** Answer of `POST /user/history`. */
export interface HistoryResponse {
  ok: boolean;
  user_id: string;
  profile: string | null;
}

/** One hit of `GET /titles/search`. */
export interface TitleHit {
  id: number;
  tmdb_id: number;
  media_type: MediaType;
  title: string;
  release_year: number | null;
  poster_url: string | null;
}

/** Body of `GET /titles/search`. */
export interface TitleSearchResponse {
  items: TitleHit[];
}

/** Body of `POST /feedback`. */
export interface FeedbackRequest {
  user_id: string | null;
  item_id: number | null;
  event_type: string;
  meta: Record<string, unknown> | null;
}

/** Export formats `POST /user/import` reads. */
export type ImportFormat = 'letterboxd' | 'imdb' | 'trakt';

/** A title of an export that matched nothing in the catalog. */
export interface UnmatchedRow {
  /** `file:line` (CSV) or `file#entry` (JSON). */
  row: string;
  title: string;
  year?: number | null;
  reason: string;
}

/** `POST /user/import` response. */
export interface ImportSummary {
  format: ImportFormat;
  user_id: string;
  files: string[];
  rows_read: number;
  skipped: Record<string, number>;
  titles: number;
  matched: number;
  already_present: number;
  written: number;
  events: Record<string, number>;
  unmatched: UnmatchedRow[];
}
