-- Lower-cased genre names as a stored text[] with a GIN index, so genre filters are an array
-- overlap (`genre_keys && $1`) instead of unpacking the JSON of every row on every request.
-- The function is IMMUTABLE (it only reads its argument), as a generated column requires.
CREATE FUNCTION item_genre_keys(genres jsonb) RETURNS text[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT coalesce(array_agg(DISTINCT k ORDER BY k), '{}')
    FROM (
        SELECT lower(btrim(CASE jsonb_typeof(g) WHEN 'object' THEN g->>'name'
                                                WHEN 'string' THEN g #>> '{}' END)) AS k
        FROM jsonb_array_elements(CASE WHEN jsonb_typeof(genres) = 'array'
                                       THEN genres ELSE '[]'::jsonb END) AS g
    ) names
    WHERE k IS NOT NULL AND k <> ''
$$;

ALTER TABLE items
    ADD COLUMN genre_keys text[] GENERATED ALWAYS AS (item_genre_keys(genres)) STORED;
CREATE INDEX ix_items_genre_keys ON items USING gin (genre_keys);
-- Prefilter, cold start and trending read titles most popular first.
CREATE INDEX ix_items_popularity ON items (popularity DESC NULLS LAST, id);
ANALYZE items;
