//! Pieces every batch subcommand shares: value parsers for clap, and the database connection.

use anyhow::Context;

/// A request timeout in seconds: finite, positive, at most ten minutes.
pub fn parse_timeout(raw: &str) -> Result<f64, String> {
    raw.trim()
        .parse::<f64>()
        .ok()
        .filter(|s| s.is_finite() && *s > 0.0 && *s <= 600.0)
        .ok_or_else(|| format!("`{raw}` is not a timeout in seconds (0 < seconds ≤ 600)"))
}

/// Connects to `database_url` and checks the schema is current: every batch job's first step,
/// so a missing migration is one clear error before any work starts.
pub async fn connect_checked(database_url: &str) -> anyhow::Result<seen_store::PgPool> {
    let pool = seen_store::DbSettings::new(database_url)
        .connect()
        .await
        .context("cannot reach the database (check DATABASE_URL)")?;
    seen_store::check_schema(&pool).await?;
    Ok(pool)
}
