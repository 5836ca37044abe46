//! The pipeline's reads of catalog data (prefilter, nearest neighbours, trending, cold
//! start, hydration, the viewer's watched titles), from the in-memory copy when it is
//! current for this request, else from Postgres. Each pair answers the same question with
//! the same filters, order and ties; the one difference is the nearest-neighbour search,
//! exact over the copy and approximate (pgvector HNSW) in Postgres.

use super::excluded::Excluded;
use crate::error::ApiResult;
use anyhow::Context;
use seen_core::ItemId;
use seen_core::catalog_copy::{CatalogCopy, CatalogEntry};
use seen_core::catalog_filter::CatalogFilter;
use seen_core::lexical::{SeedText, TextQuery};
use seen_core::rank::AnnHit;
use seen_core::trending::TrendingRow;
use seen_store::ann;
use seen_store::candidates::{ServiceFilter, cold_start_ids, prefilter_ids, trending_rows};
use seen_store::hydrate::{hydrate, titles_with_vectors};
use sqlx::PgConnection;
use std::collections::HashMap;
use std::sync::Arc;

/// Where this request reads titles from.
pub struct CatalogReads<'a> {
    /// The in-memory copy, when it is current for this request.
    pub copy: Option<Arc<CatalogCopy>>,
    pub embed_version: &'a str,
    pub country: &'a str,
}

impl CatalogReads<'_> {
    /// `memory` or `postgres`, for the trace and metrics.
    pub fn source(&self) -> &'static str {
        if self.copy.is_some() {
            "memory"
        } else {
            "postgres"
        }
    }

    /// Ids passing the filter (and the service constraint), best-known first. Service
    /// constraints read `availability` rows the copy does not keep, so they go to Postgres.
    pub async fn prefilter_ids(
        &self,
        conn: &mut PgConnection,
        filter: &CatalogFilter,
        services: Option<&ServiceFilter>,
        limit: usize,
    ) -> ApiResult<Vec<ItemId>> {
        match (&self.copy, services) {
            (Some(copy), None) => Ok(copy.prefilter_ids(filter, limit)),
            _ => Ok(prefilter_ids(conn, filter, services, self.embed_version, limit as i64).await?),
        }
    }

    /// Nearest titles to `query`: an exact scan of the copy's vectors (on the blocking
    /// pool: ~1 ms of arithmetic on 20k titles), else pgvector's HNSW index.
    pub async fn nearest(
        &self,
        conn: &mut PgConnection,
        query: &[f32],
        exclude: &Excluded,
        allow: Option<&[ItemId]>,
        limit: usize,
    ) -> ApiResult<Vec<AnnHit>> {
        let Some(copy) = &self.copy else {
            return Ok(ann::nearest(
                conn,
                query,
                exclude.list(),
                allow,
                self.embed_version,
                limit as i64,
            )
            .await?);
        };
        let (copy, query) = (Arc::clone(copy), query.to_vec());
        let exclude = exclude.shared();
        let allow = allow.map(<[_]>::to_vec);
        let hits = tokio::task::spawn_blocking(move || {
            copy.nearest(&query, &exclude, allow.as_deref(), limit)
        })
        .await
        .context("the nearest-neighbour scan did not finish")?;
        Ok(hits
            .into_iter()
            .map(|(item_id, similarity)| AnnHit {
                item_id,
                similarity,
            })
            .collect())
    }

    /// Full-text matches for `query` from the copy's index (see `CatalogCopy::lexical`).
    /// Postgres keeps no full-text index: while a request reads titles from Postgres (copy
    /// not loaded yet, or `CATALOG_CACHE=false`) it ranks on the nearest neighbours alone.
    pub fn lexical(
        &self,
        query: TextQuery<'_>,
        exclude: &Excluded,
        filter: Option<&CatalogFilter>,
        limit: usize,
    ) -> Vec<(ItemId, f64)> {
        self.copy.as_ref().map_or_else(Vec::new, |copy| {
            copy.lexical(query, exclude.set(), filter, limit)
        })
    }

    /// What the titles `ids` are found alike by, from the copy (nothing without one).
    pub fn seed_text(&self, ids: &[ItemId]) -> SeedText {
        let mut seed = SeedText::default();
        if let Some(copy) = self.copy.as_ref() {
            for entry in ids.iter().filter_map(|id| copy.get(*id)) {
                let item = &entry.item;
                seed.keywords.extend(item.keywords.iter().cloned());
                seed.directors.extend(item.directors.iter().cloned());
            }
        }
        seed
    }

    /// Entries for `ids` (any order; unknown ids are absent). Ids the copy lacks are read
    /// from Postgres in one query.
    pub async fn hydrate(
        &self,
        conn: &mut PgConnection,
        ids: &[ItemId],
    ) -> ApiResult<Vec<CatalogEntry>> {
        let Some(copy) = &self.copy else {
            return Ok(hydrate(conn, ids, self.embed_version, self.country).await?);
        };
        let mut out = Vec::with_capacity(ids.len());
        let mut missing = Vec::new();
        for id in ids {
            match copy.get(*id) {
                Some(entry) => out.push(entry),
                None => missing.push(*id),
            }
        }
        if !missing.is_empty() {
            out.extend(hydrate(conn, &missing, self.embed_version, self.country).await?);
        }
        Ok(out)
    }

    /// The titles of `ids` (unknown ids are absent): from the copy without copying whole
    /// entries, else from Postgres.
    pub async fn titles(
        &self,
        conn: &mut PgConnection,
        ids: &[ItemId],
    ) -> ApiResult<HashMap<ItemId, String>> {
        let mut titles = HashMap::with_capacity(ids.len());
        let mut missing = Vec::new();
        for id in ids {
            match self.copy.as_ref().and_then(|c| c.title(*id)) {
                Some(title) => {
                    titles.insert(*id, title.to_owned());
                }
                None => missing.push(*id),
            }
        }
        if !missing.is_empty() {
            for entry in hydrate(conn, &missing, self.embed_version, self.country).await? {
                titles.insert(entry.item.id, entry.item.title.clone());
            }
        }
        Ok(titles)
    }

    /// Titles and vectors of `ids` in the order given, skipping ids without a vector.
    pub async fn titles_with_vectors(
        &self,
        conn: &mut PgConnection,
        ids: &[ItemId],
    ) -> ApiResult<Vec<(String, Vec<f32>)>> {
        if let Some(copy) = self
            .copy
            .as_ref()
            .filter(|c| ids.iter().all(|id| c.contains(*id)))
        {
            return Ok(ids
                .iter()
                .filter_map(|id| copy.title_and_vector(*id))
                .map(|(title, vector)| (title.to_owned(), vector.to_vec()))
                .collect());
        }
        let rows = titles_with_vectors(conn, ids, self.embed_version).await?;
        Ok(rows.into_iter().map(|t| (t.title, t.vector)).collect())
    }

    /// Rows for the trending prior, best first.
    pub async fn trending_rows(
        &self,
        conn: &mut PgConnection,
        filter: &CatalogFilter,
        allow: Option<&[ItemId]>,
        exclude: &Excluded,
        limit: usize,
    ) -> ApiResult<Vec<TrendingRow>> {
        match &self.copy {
            Some(copy) => Ok(copy.trending_rows(filter, allow, exclude.set(), limit)),
            None => Ok(trending_rows(
                conn,
                filter,
                allow,
                exclude.list(),
                self.embed_version,
                limit as i64,
            )
            .await?),
        }
    }

    /// Cold-start candidates, most popular first.
    pub async fn cold_start_ids(
        &self,
        conn: &mut PgConnection,
        filter: &CatalogFilter,
        allow: Option<&[ItemId]>,
        exclude: &Excluded,
        limit: usize,
    ) -> ApiResult<Vec<ItemId>> {
        match &self.copy {
            Some(copy) => Ok(copy.cold_start_ids(filter, allow, exclude.set(), limit)),
            None => Ok(cold_start_ids(
                conn,
                filter,
                allow,
                exclude.list(),
                self.embed_version,
                limit as i64,
            )
            .await?),
        }
    }
}
