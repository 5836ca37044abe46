-- Users (one row per canonical id `user` or `user::profile`), their history and feedback.
CREATE TABLE users (
    id          serial PRIMARY KEY,
    user_id     varchar(128) NOT NULL UNIQUE,
    long_vec    vector(384),
    short_vec   vector(384),
    -- json (not jsonb) keeps the key order: genres sorted by share, descending.
    genre_prefs json,
    -- [{"user_id": "...", "weight": 1.0}, ...], strongest first.
    neighbors   json,
    created_at  timestamptz  NOT NULL DEFAULT now(),
    updated_at  timestamptz  NOT NULL DEFAULT now()
);

CREATE TABLE user_history (
    -- The serial id orders events that share a timestamp (one request = one now()).
    id         bigserial PRIMARY KEY,
    user_id    varchar(128) NOT NULL,
    item_id    integer      NOT NULL,
    event_type varchar(32)  NOT NULL,
    weight     integer      NOT NULL DEFAULT 1,
    ts         timestamptz  NOT NULL DEFAULT now(),
    -- Free-form extras, e.g. {"rating": 4.5} for MovieLens imports.
    meta       json
);

CREATE INDEX ix_user_history_user_ts ON user_history (user_id, ts DESC, id DESC);
CREATE INDEX ix_user_history_item ON user_history (item_id);

CREATE TABLE feedback (
    id      bigserial PRIMARY KEY,
    user_id varchar(128),
    item_id integer,
    type    varchar(32) NOT NULL,
    ts      timestamptz NOT NULL DEFAULT now(),
    meta    json
);

CREATE INDEX ix_feedback_user ON feedback (user_id);
