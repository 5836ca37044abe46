//! The SQL form of [`CatalogFilter`]: the `WHERE` clauses every candidate query shares, with
//! the same meaning as `seen_core::catalog_filter` checks in memory (unknown values pass).

use seen_core::catalog_filter::CatalogFilter;
use sqlx::{Postgres, QueryBuilder};

/// Appends the condition "title `i` has a vector of `version`".
pub(crate) fn push_has_embedding(qb: &mut QueryBuilder<Postgres>, version: &str) {
    qb.push("EXISTS (SELECT 1 FROM item_embeddings e WHERE e.item_id = i.id AND e.version = ")
        .push_bind(version.to_owned())
        .push(")");
}

/// Appends ` AND ...` for every constraint of `filter`.
pub(crate) fn push_filter(qb: &mut QueryBuilder<Postgres>, filter: &CatalogFilter) {
    // `genre_keys`: the lower-cased genre names, generated from `genres` (GIN-indexed).
    if !filter.media_types.is_empty() {
        qb.push(" AND i.media_type = ANY(")
            .push_bind(filter.media_types.clone())
            .push(")");
    }
    if !filter.include_genres.is_empty() {
        qb.push(" AND i.genre_keys && ")
            .push_bind(lowered(&filter.include_genres));
    }
    if !filter.required_genres.is_empty() {
        qb.push(" AND i.genre_keys @> ")
            .push_bind(lowered(&filter.required_genres));
    }
    if !filter.exclude_genres.is_empty() {
        qb.push(" AND NOT (i.genre_keys && ")
            .push_bind(lowered(&filter.exclude_genres))
            .push(")");
    }
    if !filter.languages.is_empty() {
        let unknown = if filter.language_known {
            "FALSE"
        } else {
            "i.original_language IS NULL"
        };
        qb.push(format_args!(
            " AND ({unknown} OR lower(i.original_language) = ANY("
        ))
        .push_bind(lowered(&filter.languages))
        .push("))");
    }
    if let Some(v) = filter.year_min {
        qb.push(" AND (i.release_year IS NULL OR i.release_year >= ")
            .push_bind(v)
            .push(")");
    }
    if let Some(v) = filter.year_max {
        qb.push(" AND (i.release_year IS NULL OR i.release_year <= ")
            .push_bind(v)
            .push(")");
    }
    if let Some(v) = filter.runtime_min {
        qb.push(" AND (i.runtime IS NULL OR i.runtime >= ")
            .push_bind(v)
            .push(")");
    }
    if let Some(v) = filter.runtime_max {
        qb.push(" AND (i.runtime IS NULL OR i.runtime <= ")
            .push_bind(v)
            .push(")");
    }
    if !filter.tags.is_empty() {
        push_keyword_test(qb, "EXISTS", &filter.tags);
    }
    if !filter.exclude_tags.is_empty() {
        push_keyword_test(qb, "NOT EXISTS", &filter.exclude_tags);
    }
}

/// "A value `filter` constrains is unknown" as an `ORDER BY` key (false sorts first), as
/// `FilterMatcher::scalars_known` reads it; `None` when nothing is constrained.
pub(crate) fn any_unknown(filter: &CatalogFilter) -> Option<String> {
    let mut unknown = Vec::new();
    if filter.runtime_min.is_some() || filter.runtime_max.is_some() {
        unknown.push("i.runtime IS NULL");
    }
    if filter.year_min.is_some() || filter.year_max.is_some() {
        unknown.push("i.release_year IS NULL");
    }
    if !filter.languages.is_empty() {
        unknown.push("i.original_language IS NULL");
    }
    (!unknown.is_empty()).then(|| format!("({}), ", unknown.join(" OR ")))
}

/// Appends ` AND <test> (one of the title's keywords is one of `tags`)`, compared trimmed and
/// lower-cased as `Item::has_tag` does.
fn push_keyword_test(qb: &mut QueryBuilder<Postgres>, test: &'static str, tags: &[String]) {
    qb.push(format_args!(
        " AND {test} (SELECT 1 FROM jsonb_array_elements_text(\
         CASE WHEN jsonb_typeof(i.keywords) = 'array' THEN i.keywords END) k \
         WHERE lower(btrim(k)) = ANY("
    ))
    .push_bind(lowered(tags))
    .push("))");
}

fn lowered(values: &[String]) -> Vec<String> {
    values.iter().map(|v| v.trim().to_lowercase()).collect()
}
