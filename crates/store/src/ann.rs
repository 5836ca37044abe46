//! Nearest neighbours of a query vector over `item_embeddings` (pgvector HNSW). The catalog
//! copy's `nearest` answers the same question with an exact scan.

use crate::Result;
use pgvector::Vector;
use seen_core::item::ItemId;
use seen_core::rank::AnnHit;
use sqlx::PgConnection;

/// Nearest titles to `query` by cosine distance, excluding `exclude`, optionally only
/// within `allow`. Uses the HNSW index (with pgvector's iterative scan, so filtered queries
/// still fill the limit); an allowlist is scanned exactly.
#[tracing::instrument(name = "ann", skip_all, fields(limit, allow = allow.map(<[_]>::len)))]
pub async fn nearest(
    conn: &mut PgConnection,
    query: &[f32],
    exclude: &[ItemId],
    allow: Option<&[ItemId]>,
    version: &str,
    limit: i64,
) -> Result<Vec<AnnHit>> {
    if allow.is_some_and(<[_]>::is_empty) || query.is_empty() {
        return Ok(Vec::new());
    }
    let q = Vector::from(query.to_vec());
    let rows: Vec<(ItemId, f64)> = match allow {
        // language=PostgreSQL
        None => {
            sqlx::query_as(
                r#"
            SELECT item_id, similarity FROM (
                SELECT e.item_id, 1 - (e.vector <=> $1) AS similarity
                FROM item_embeddings e
                WHERE e.version = $2 AND NOT (e.item_id = ANY($3))
                ORDER BY e.vector <=> $1
                LIMIT $4
            ) hits
            ORDER BY similarity DESC, item_id
            "#,
            )
            .bind(&q)
            .bind(version)
            .bind(exclude)
            .bind(limit)
            .fetch_all(&mut *conn)
            .await?
        }
        // language=PostgreSQL
        Some(allow) => {
            sqlx::query_as(
                r#"
            SELECT e.item_id, 1 - (e.vector <=> $1) AS similarity
            FROM item_embeddings e
            WHERE e.version = $2 AND e.item_id = ANY($5) AND NOT (e.item_id = ANY($3))
            ORDER BY similarity DESC, e.item_id
            LIMIT $4
            "#,
            )
            .bind(&q)
            .bind(version)
            .bind(exclude)
            .bind(limit)
            .bind(allow)
            .fetch_all(&mut *conn)
            .await?
        }
    };
    Ok(rows
        .into_iter()
        .map(|(item_id, similarity)| AnnHit {
            item_id,
            similarity,
        })
        .collect())
}
