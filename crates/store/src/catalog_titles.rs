//! The catalog's titles and ids, read once per history import to match its rows
//! (`seen_core::import::title_match`). About 20k rows: one query, a few MB.

use crate::Result;
use seen_core::import::title_match::CatalogTitle;
use seen_core::item::MediaType;
use sqlx::PgExecutor;

/// `id, tmdb_id, media_type, title, original_title, release_year, imdb_id`.
type TitleTuple = (
    i32,
    i32,
    String,
    String,
    Option<String>,
    Option<i32>,
    Option<String>,
);

/// Every catalog title with what the matcher compares.
#[tracing::instrument(name = "load catalog titles", skip_all)]
pub async fn catalog_titles(db: impl PgExecutor<'_>) -> Result<Vec<CatalogTitle>> {
    // language=PostgreSQL
    let rows: Vec<TitleTuple> = sqlx::query_as(
        r#"
        SELECT id, tmdb_id, media_type, title, original_title, release_year, imdb_id
        FROM items
        ORDER BY id
        "#,
    )
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(
            |(id, tmdb_id, media, title, original_title, year, imdb_id)| {
                Some(CatalogTitle {
                    id,
                    tmdb_id,
                    // The column's CHECK allows only movie and tv.
                    media: MediaType::parse(&media)?,
                    title,
                    original_title,
                    year,
                    imdb_id,
                })
            },
        )
        .collect())
}
