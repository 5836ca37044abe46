//! List ranks (`popular_rank`, `top_rated_rank`, `trending_rank`) as the TMDB sync refreshes
//! them, and which listed titles changed recently.
//!
//! Ranks are list state, not title data: refreshing them leaves `updated_at` alone, so
//! `updated_at` keeps meaning "the details last changed" (what `--skip-fresh-hours` reads).

use seen_core::item::MediaType;
use sqlx::PgConnection;
use std::collections::HashSet;

/// One listed title and its rank in each list (1-based; `None` when not in that list).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ListedTitle {
    pub media_type: MediaType,
    pub tmdb_id: i32,
    pub popular: Option<i32>,
    pub top_rated: Option<i32>,
    pub trending: Option<i32>,
}

/// What [`refresh_ranks`] changed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RankRefresh {
    /// Titles no longer in any list whose ranks were cleared.
    pub cleared: u64,
    /// Listed titles already stored whose ranks changed.
    pub moved: u64,
}

/// The listed keys column by column, for `UNNEST`.
struct KeyColumns {
    media: Vec<&'static str>,
    tmdb_id: Vec<i32>,
    popular: Vec<Option<i32>>,
    top_rated: Vec<Option<i32>>,
    trending: Vec<Option<i32>>,
}

fn columns(listed: &[ListedTitle]) -> KeyColumns {
    KeyColumns {
        media: listed.iter().map(|t| t.media_type.as_str()).collect(),
        tmdb_id: listed.iter().map(|t| t.tmdb_id).collect(),
        popular: listed.iter().map(|t| t.popular).collect(),
        top_rated: listed.iter().map(|t| t.top_rated).collect(),
        trending: listed.iter().map(|t| t.trending).collect(),
    }
}

/// Makes every stored title's ranks match this run's lists: titles not listed lose their
/// ranks, listed titles already stored get their new ones (titles not stored yet get theirs
/// when their details are written). Run it in one transaction.
pub async fn refresh_ranks(
    conn: &mut PgConnection,
    listed: &[ListedTitle],
) -> crate::Result<RankRefresh> {
    let c = columns(listed);
    // language=PostgreSQL
    let cleared = sqlx::query(
        r#"
        UPDATE items AS i
        SET popular_rank = NULL, top_rated_rank = NULL, trending_rank = NULL
        WHERE (i.popular_rank IS NOT NULL OR i.top_rated_rank IS NOT NULL OR i.trending_rank IS NOT NULL)
          AND NOT EXISTS (
              SELECT 1 FROM UNNEST($1::text[], $2::int4[]) AS l(media_type, tmdb_id)
              WHERE l.media_type = i.media_type AND l.tmdb_id = i.tmdb_id)
        "#,
    )
    .bind(&c.media)
    .bind(&c.tmdb_id)
    .execute(&mut *conn)
    .await?
    .rows_affected();
    // language=PostgreSQL
    let moved = sqlx::query(
        r#"
        UPDATE items AS i
        SET popular_rank = l.popular, top_rated_rank = l.top_rated, trending_rank = l.trending
        FROM UNNEST($1::text[], $2::int4[], $3::int4[], $4::int4[], $5::int4[])
             AS l(media_type, tmdb_id, popular, top_rated, trending)
        WHERE l.media_type = i.media_type AND l.tmdb_id = i.tmdb_id
          AND (i.popular_rank, i.top_rated_rank, i.trending_rank)
              IS DISTINCT FROM (l.popular, l.top_rated, l.trending)
        "#,
    )
    .bind(&c.media)
    .bind(&c.tmdb_id)
    .bind(&c.popular)
    .bind(&c.top_rated)
    .bind(&c.trending)
    .execute(&mut *conn)
    .await?
    .rows_affected();
    Ok(RankRefresh { cleared, moved })
}

/// The listed titles whose row changed (or was inserted) within the last `hours` hours.
pub async fn fresh_keys(
    conn: &mut PgConnection,
    listed: &[ListedTitle],
    hours: u32,
) -> crate::Result<HashSet<(MediaType, i32)>> {
    let c = columns(listed);
    // language=PostgreSQL
    let rows: Vec<(String, i32)> = sqlx::query_as(
        r#"
        SELECT i.media_type, i.tmdb_id
        FROM items AS i
        JOIN UNNEST($1::text[], $2::int4[]) AS l(media_type, tmdb_id)
          ON l.media_type = i.media_type AND l.tmdb_id = i.tmdb_id
        WHERE i.updated_at > now() - make_interval(hours => $3)
        "#,
    )
    .bind(&c.media)
    .bind(&c.tmdb_id)
    .bind(i32::try_from(hours).unwrap_or(i32::MAX))
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(media, id)| MediaType::parse(&media).map(|m| (m, id)))
        .collect())
}
