-- History imports and media-server webhooks.

-- Idempotency: each imported or webhook event carries a key (source, title, event, time);
-- writing the same key twice for a user is a no-op, so re-importing an export adds nothing.
ALTER TABLE user_history ADD COLUMN import_key text;
CREATE UNIQUE INDEX uq_user_history_import_key
    ON user_history (user_id, import_key) WHERE import_key IS NOT NULL;

-- The original-language title (TMDB `original_title` / `original_name`): the importers'
-- fallback when an export names a film by its original title.
ALTER TABLE items ADD COLUMN original_title varchar(512);
