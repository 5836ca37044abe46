-- Catalog: titles and their embeddings.
-- The original relied on a docker init script for the extension; we create it here.
CREATE EXTENSION IF NOT EXISTS vector;

CREATE TABLE items (
    id                serial PRIMARY KEY,
    tmdb_id           integer      NOT NULL,
    media_type        varchar(10)  NOT NULL CHECK (media_type IN ('movie', 'tv')),
    title             varchar(512) NOT NULL,
    overview          text,
    runtime           integer,
    original_language varchar(16),
    -- [{"id": 18, "name": "Drama"}, ...]; jsonb so genre containment can use the GIN index.
    genres            jsonb,
    poster_url        varchar(1024),
    release_year      integer,
    popularity        double precision,
    vote_average      double precision,
    vote_count        integer,
    popular_rank      integer,
    trending_rank     integer,
    top_rated_rank    integer,
    collection_id     integer,
    collection_name   varchar(512),
    maturity_rating   varchar(32),
    -- Extra TMDB detail the original never fetched: used for people boosts and title search.
    keywords          jsonb,
    cast_names        jsonb,
    directors         jsonb,
    imdb_id           varchar(16),
    movielens_id      integer,
    created_at        timestamptz  NOT NULL DEFAULT now(),
    updated_at        timestamptz  NOT NULL DEFAULT now(),
    -- TMDB movie and TV ids are separate number spaces (the original keyed on tmdb_id alone).
    CONSTRAINT uq_items_media_tmdb UNIQUE (media_type, tmdb_id)
);

CREATE INDEX ix_items_release_year ON items (release_year);
CREATE INDEX ix_items_collection_id ON items (collection_id);
CREATE INDEX ix_items_genres ON items USING gin (genres jsonb_path_ops);
CREATE INDEX ix_items_popular_order ON items (popular_rank, trending_rank, popularity DESC, id);
CREATE INDEX ix_items_trending_order ON items (trending_rank, popular_rank, popularity DESC, id);
CREATE INDEX ix_items_movielens_id ON items (movielens_id) WHERE movielens_id IS NOT NULL;
CREATE INDEX ix_items_title_lower ON items (lower(title) text_pattern_ops);

CREATE TABLE item_embeddings (
    id         serial PRIMARY KEY,
    item_id    integer      NOT NULL REFERENCES items (id) ON DELETE CASCADE,
    version    varchar(32)  NOT NULL DEFAULT 'v1',
    vector     vector(384)  NOT NULL,
    -- sha256 of the exact text embedded, so `embed` re-embeds titles whose text changed.
    text_hash  varchar(64),
    updated_at timestamptz  NOT NULL DEFAULT now(),
    CONSTRAINT uq_item_embedding_item_version UNIQUE (item_id, version)
);

-- Vectors are L2-normalised, so cosine order equals L2 order; readers use `<=>`.
CREATE INDEX ix_item_embeddings_hnsw ON item_embeddings USING hnsw (vector vector_cosine_ops);
CREATE INDEX ix_item_embeddings_version ON item_embeddings (version);
