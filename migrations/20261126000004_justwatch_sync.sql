-- When `seenemall etl-justwatch` last looked each title up, per country, so a rerun can skip
-- titles synced recently (`--stale-after-hours`) and resume where an interrupted run stopped.
-- A title with no offers has no `availability` rows, so `availability.last_checked` cannot
-- say this. Failed lookups write nothing here: they are retried by the next run.
CREATE TABLE justwatch_sync (
    item_id      integer     NOT NULL REFERENCES items (id) ON DELETE CASCADE,
    -- Upper-cased ISO 3166-1 code, as in `availability`.
    country      varchar(8)  NOT NULL,
    -- `matched` (offers replaced, possibly by none) or `no_match` (offers removed).
    outcome      varchar(16) NOT NULL CHECK (outcome IN ('matched', 'no_match')),
    -- The JustWatch node id matched (`tm92641`), for debugging a surprising match.
    justwatch_id varchar(32),
    synced_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (item_id, country)
);

CREATE INDEX ix_justwatch_sync_country_synced ON justwatch_sync (country, synced_at);
