-- A counter that moves in the same commit as any change to the catalog tables (items,
-- item_embeddings, availability). A serving process keeps an in-memory copy of the catalog
-- tagged with this number and reads the number at the start of every /recommend (in the
-- same round trip as the user's state): when the copy is behind, that request reads
-- Postgres instead and the copy is reloaded in the background. Nothing is ever served from
-- a copy older than what the request's own snapshot of the database shows.
CREATE TABLE catalog_version (
    id      boolean PRIMARY KEY DEFAULT true CHECK (id),
    version bigint  NOT NULL DEFAULT 0
);
INSERT INTO catalog_version DEFAULT VALUES;

-- Bumps the counter once per transaction. The per-transaction setting keeps a bulk import
-- (20k rows) to one counter update.
CREATE FUNCTION bump_catalog_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('seenemall.catalog_bumped', true) IS DISTINCT FROM 'on' THEN
        UPDATE catalog_version SET version = version + 1;
        PERFORM set_config('seenemall.catalog_bumped', 'on', true);
    END IF;
    RETURN NULL;
END
$$;

-- Deferred constraint triggers run at commit, after every other statement of the
-- transaction, so the counter row is always the last lock a writer takes: concurrent batch
-- jobs queue on it briefly at commit but cannot deadlock through it.
CREATE CONSTRAINT TRIGGER items_bump_catalog_version
    AFTER INSERT OR UPDATE OR DELETE ON items
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION bump_catalog_version();
CREATE CONSTRAINT TRIGGER item_embeddings_bump_catalog_version
    AFTER INSERT OR UPDATE OR DELETE ON item_embeddings
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION bump_catalog_version();
CREATE CONSTRAINT TRIGGER availability_bump_catalog_version
    AFTER INSERT OR UPDATE OR DELETE ON availability
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION bump_catalog_version();

-- TRUNCATE has no row (or constraint) triggers, so a statement trigger bumps right away,
-- not at commit. TRUNCATE already holds the table's exclusive lock until commit, so taking
-- the counter row early adds no new way to deadlock beyond what TRUNCATE itself has.
CREATE TRIGGER items_truncate_bump_catalog_version
    AFTER TRUNCATE ON items FOR EACH STATEMENT EXECUTE FUNCTION bump_catalog_version();
CREATE TRIGGER item_embeddings_truncate_bump_catalog_version
    AFTER TRUNCATE ON item_embeddings FOR EACH STATEMENT EXECUTE FUNCTION bump_catalog_version();
CREATE TRIGGER availability_truncate_bump_catalog_version
    AFTER TRUNCATE ON availability FOR EACH STATEMENT EXECUTE FUNCTION bump_catalog_version();
