//! Id reads over `items` in popularity orders, each under a [`CatalogFilter`]: the prefilter
//! (with an optional streaming-service constraint), the cold-start list and the trending
//! prior. The catalog copy (`seen_core::catalog_copy`) answers the same three questions with
//! functions of the same names. Every reader only returns titles with a vector of the
//! serving version (the original mixed versions: §10.9).

use crate::Result;
use crate::filter::{any_unknown, push_filter, push_has_embedding};
use seen_core::catalog_filter::CatalogFilter;
use seen_core::item::ItemId;
use seen_core::trending::TrendingRow;
use sqlx::{PgConnection, Postgres, QueryBuilder};

/// Streaming-service constraint for the prefilter (`availability` join).
#[derive(Debug, Clone)]
pub struct ServiceFilter {
    pub country: String,
    pub services: Vec<String>,
}

/// Ids matching the filter (and the service constraint), known matches first (a constrained
/// runtime, year or language known), then best-known first: most votes, then most popular
/// (the original returned them in arbitrary order: §10.7). Only titles with an embedding
/// qualify.
pub async fn prefilter_ids(
    conn: &mut PgConnection,
    filter: &CatalogFilter,
    services: Option<&ServiceFilter>,
    version: &str,
    limit: i64,
) -> Result<Vec<ItemId>> {
    let mut qb = QueryBuilder::<Postgres>::new("SELECT i.id FROM items i WHERE ");
    push_has_embedding(&mut qb, version);
    push_filter(&mut qb, filter);
    if let Some(s) = services {
        qb.push(
            " AND EXISTS (SELECT 1 FROM availability a WHERE a.item_id = i.id AND a.country = ",
        )
        .push_bind(s.country.clone())
        .push(" AND lower(a.service) = ANY(")
        .push_bind(
            s.services
                .iter()
                .map(|x| x.to_lowercase())
                .collect::<Vec<_>>(),
        )
        .push("))");
    }
    qb.push(" ORDER BY ")
        .push(any_unknown(filter).unwrap_or_default())
        .push("i.vote_count DESC NULLS LAST, i.popularity DESC NULLS LAST, i.id LIMIT ")
        .push_bind(limit);
    Ok(qb.build_query_scalar().fetch_all(&mut *conn).await?)
}

/// Popular titles for users without a taste vector (spec §4.10 cold start), skipping
/// `exclude` (the original ignored a cold user's history: §10.8).
pub async fn cold_start_ids(
    conn: &mut PgConnection,
    filter: &CatalogFilter,
    allow: Option<&[ItemId]>,
    exclude: &[ItemId],
    version: &str,
    limit: i64,
) -> Result<Vec<ItemId>> {
    if allow.is_some_and(<[_]>::is_empty) {
        return Ok(Vec::new());
    }
    let mut qb = QueryBuilder::<Postgres>::new("SELECT i.id FROM items i WHERE ");
    push_has_embedding(&mut qb, version);
    match allow {
        Some(ids) => {
            qb.push(" AND i.id = ANY(")
                .push_bind(ids.to_vec())
                .push(")");
        }
        None => push_filter(&mut qb, filter),
    }
    qb.push(" AND NOT (i.id = ANY(")
        .push_bind(exclude.to_vec())
        .push("))");
    qb.push(
        " ORDER BY i.popular_rank ASC NULLS LAST, i.trending_rank ASC NULLS LAST, \
         i.popularity DESC NULLS LAST, i.id ASC LIMIT ",
    )
    .push_bind(limit);
    Ok(qb.build_query_scalar().fetch_all(&mut *conn).await?)
}

/// `id, trending_rank, popular_rank, popularity`.
type TrendingTuple = (ItemId, Option<i32>, Option<i32>, Option<f64>);

/// Rows for the trending prior (spec §4.12), best first.
pub async fn trending_rows(
    conn: &mut PgConnection,
    filter: &CatalogFilter,
    allow: Option<&[ItemId]>,
    exclude: &[ItemId],
    version: &str,
    limit: i64,
) -> Result<Vec<TrendingRow>> {
    if allow.is_some_and(<[_]>::is_empty) {
        return Ok(Vec::new());
    }
    let mut qb = QueryBuilder::<Postgres>::new(
        "SELECT i.id, i.trending_rank, i.popular_rank, i.popularity FROM items i WHERE ",
    );
    // Hydration needs a vector, so titles without one would only be dropped later.
    push_has_embedding(&mut qb, version);
    if let Some(ids) = allow {
        qb.push(" AND i.id = ANY(")
            .push_bind(ids.to_vec())
            .push(")");
    }
    push_filter(&mut qb, filter);
    qb.push(" AND NOT (i.id = ANY(")
        .push_bind(exclude.to_vec())
        .push("))");
    qb.push(
        " ORDER BY i.trending_rank ASC NULLS LAST, i.popular_rank ASC NULLS LAST, \
         i.popularity DESC NULLS LAST, i.id ASC LIMIT ",
    )
    .push_bind(limit);
    let rows: Vec<TrendingTuple> = qb.build_query_as().fetch_all(&mut *conn).await?;
    Ok(rows
        .into_iter()
        .map(
            |(id, trending_rank, popular_rank, popularity)| TrendingRow {
                id,
                trending_rank,
                popular_rank,
                popularity,
            },
        )
        .collect())
}
