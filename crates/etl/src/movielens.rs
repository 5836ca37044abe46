//! `seenemall import movielens DIR`: MovieLens ratings (ml-latest-small) as demo users.
//!
//! Each MovieLens user becomes the user `ml<userId>`, each rating one history event at the
//! rating's own time: 4 stars or more → `liked`, 2 or less → `disliked`, else `watched`, with
//! weight 1 and `meta = {"rating": r}`. Movies reach our catalog through `items.movielens_id`
//! when the catalog carries it, else through `links.csv` `tmdbId` → our movie with that TMDB
//! id; ratings of movies we do not have are counted and reported, not stored.
//!
//! Re-running replaces each imported user's history (delete + insert in one transaction per
//! batch of users), so it never duplicates. Profiles of the imported users are recomputed
//! once each, at the end, rather than after every event.

use crate::catalog_import::{open_catalog, progress_bar};
use anyhow::Context;
use chrono::{DateTime, Utc};
use seen_core::item::{ItemId, MediaType};
use seen_core::profile::ProfileSettings;
use seen_store::PgPool;
use seen_store::history::{NewEvent, delete_histories, insert_events_bulk};
use seen_store::items::{ids_by_movielens, ids_by_tmdb};
use seen_store::profiles::recompute_profile;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Settings of one MovieLens import.
#[derive(Debug, Clone)]
pub struct MovielensOptions {
    /// Import only the first N users (by MovieLens user id).
    pub limit_users: Option<usize>,
    /// Users replaced per transaction.
    pub users_per_batch: usize,
    /// Recompute the imported users' profiles at the end.
    pub recompute_profiles: bool,
    /// Profile maths settings.
    pub profile: ProfileSettings,
    /// Embedding version the profiles read.
    pub embed_version: String,
    /// Draw progress bars on stderr (never drawn when stderr is not a terminal).
    pub progress: bool,
}

impl Default for MovielensOptions {
    fn default() -> Self {
        MovielensOptions {
            limit_users: None,
            users_per_batch: 50,
            recompute_profiles: true,
            profile: ProfileSettings::default(),
            embed_version: "v1".to_owned(),
            progress: true,
        }
    }
}

/// What a MovieLens import did.
#[derive(Debug, Clone, Default, Serialize)]
pub struct MovielensSummary {
    /// The MovieLens directory.
    pub dir: PathBuf,
    /// Users whose history was replaced.
    pub users: usize,
    /// Ratings read for those users.
    pub ratings: usize,
    /// Events written (`liked` + `watched` + `disliked`).
    pub events: u64,
    /// Events per type.
    pub by_event: BTreeMap<String, u64>,
    /// Previous events of these users that were replaced.
    pub replaced: u64,
    /// Ratings of movies missing from our catalog (not stored).
    pub unmapped_ratings: usize,
    /// Distinct movies missing from our catalog.
    pub unmapped_movies: usize,
    /// CSV rows that could not be read (bad numbers, bad timestamps).
    pub malformed_rows: usize,
    /// Profiles recomputed.
    pub profiles: usize,
    /// Profiles whose recompute failed (logged).
    pub profile_failures: usize,
    /// Wall time.
    pub elapsed: Duration,
}

impl fmt::Display for MovielensSummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "movielens import of {}: {} users, {} ratings in {:.1} s",
            self.dir.display(),
            self.users,
            self.ratings,
            self.elapsed.as_secs_f64()
        )?;
        let by_event: Vec<String> = self
            .by_event
            .iter()
            .map(|(e, n)| format!("{e} {n}"))
            .collect();
        writeln!(
            f,
            "  events written {} ({}), replaced {}",
            self.events,
            by_event.join(", "),
            self.replaced
        )?;
        writeln!(
            f,
            "  unmapped: {} ratings of {} movies not in the catalog; malformed rows {}",
            self.unmapped_ratings, self.unmapped_movies, self.malformed_rows
        )?;
        write!(
            f,
            "  profiles recomputed {}, failed {}",
            self.profiles, self.profile_failures
        )
    }
}

/// The event a star rating becomes.
pub fn event_for_rating(rating: f64) -> &'static str {
    if rating >= 4.0 {
        "liked"
    } else if rating <= 2.0 {
        "disliked"
    } else {
        "watched"
    }
}

/// The user id a MovieLens user gets.
pub fn user_id_for(movielens_user: i64) -> String {
    format!("ml{movielens_user}")
}

#[derive(Debug, Deserialize)]
struct RatingRow {
    #[serde(rename = "userId")]
    user: i64,
    #[serde(rename = "movieId")]
    movie: i32,
    rating: f64,
    timestamp: i64,
}

#[derive(Debug, Deserialize)]
struct LinkRow {
    #[serde(rename = "movieId")]
    movie: i32,
    #[serde(rename = "tmdbId")]
    tmdb: Option<i32>,
}

/// One rating, ready to map.
#[derive(Debug, Clone, Copy)]
pub struct Rating {
    /// MovieLens `movieId`.
    pub movie: i32,
    /// Stars, 0.5 to 5.
    pub rating: f64,
    /// When it was rated.
    pub ts: DateTime<Utc>,
}

/// Imports `ratings.csv` + `links.csv` from `dir` (see the module doc).
#[tracing::instrument(name = "import movielens", skip(pool, opts))]
pub async fn run(
    pool: &PgPool,
    dir: &Path,
    opts: &MovielensOptions,
) -> anyhow::Result<MovielensSummary> {
    let started = Instant::now();
    let mut summary = MovielensSummary {
        dir: dir.to_owned(),
        ..MovielensSummary::default()
    };
    let owned_dir = dir.to_owned();
    let (links, by_user, malformed) = tokio::task::spawn_blocking(move || -> anyhow::Result<_> {
        let links = read_links(&csv_file(&owned_dir, "links.csv"))?;
        let (by_user, malformed) = read_ratings(&csv_file(&owned_dir, "ratings.csv"))?;
        Ok((links, by_user, malformed))
    })
    .await
    .context("the MovieLens reader thread failed")??;
    summary.malformed_rows = malformed;
    let users: Vec<(i64, Vec<Rating>)> = by_user
        .into_iter()
        .take(opts.limit_users.unwrap_or(usize::MAX))
        .collect();
    let movie_to_item = map_movies(pool, &links).await?;

    let mut unmapped: HashSet<i32> = HashSet::new();
    let bar = progress_bar(users.len() as u64, opts.progress, "users");
    let mut imported: Vec<String> = Vec::with_capacity(users.len());
    for chunk in users.chunks(opts.users_per_batch.max(1)) {
        let user_ids: Vec<String> = chunk.iter().map(|(u, _)| user_id_for(*u)).collect();
        let mut events = Vec::new();
        for ((_, ratings), user_id) in chunk.iter().zip(&user_ids) {
            summary.ratings += ratings.len();
            for r in ratings {
                let Some(item_id) = movie_to_item.get(&r.movie) else {
                    summary.unmapped_ratings += 1;
                    unmapped.insert(r.movie);
                    continue;
                };
                let event_type = event_for_rating(r.rating);
                *summary.by_event.entry(event_type.to_owned()).or_default() += 1;
                events.push(NewEvent {
                    user_id: user_id.clone(),
                    item_id: *item_id,
                    event_type: event_type.to_owned(),
                    weight: 1,
                    ts: r.ts,
                    meta: Some(serde_json::json!({ "rating": r.rating })),
                });
            }
        }
        let mut tx = pool.begin().await.context("cannot start a transaction")?;
        summary.replaced += delete_histories(&mut tx, &user_ids)
            .await
            .context("deleting old histories")?;
        summary.events += insert_events_bulk(&mut tx, &events)
            .await
            .context("inserting events")?;
        tx.commit()
            .await
            .context("cannot commit a batch of users")?;
        bar.inc(chunk.len() as u64);
        imported.extend(user_ids);
    }
    bar.finish_and_clear();
    summary.users = imported.len();
    summary.unmapped_movies = unmapped.len();
    // Fresh statistics, so the profile and neighbour queries below (and the server's) plan
    // for ~100k events instead of an empty table.
    seen_store::history::analyze_history(pool)
        .await
        .context("ANALYZE user_history failed")?;

    if opts.recompute_profiles {
        let bar = progress_bar(imported.len() as u64, opts.progress, "profiles");
        for user_id in &imported {
            match recompute_profile(pool, user_id, &opts.profile, &opts.embed_version).await {
                Ok(_) => summary.profiles += 1,
                Err(e) => {
                    summary.profile_failures += 1;
                    tracing::warn!(user_id, error.message = %e, "profile recompute failed");
                }
            }
            bar.inc(1);
        }
        bar.finish_and_clear();
    }
    summary.elapsed = started.elapsed();
    tracing::info!(
        users = summary.users,
        events = summary.events,
        "movielens import finished"
    );
    Ok(summary)
}

/// MovieLens `movieId` → our item: `items.movielens_id` first, else the movie with the linked
/// TMDB id.
pub(crate) async fn map_movies(
    pool: &PgPool,
    links: &HashMap<i32, i32>,
) -> anyhow::Result<HashMap<i32, ItemId>> {
    let mut mapping = ids_by_movielens(pool)
        .await
        .context("loading movielens ids")?;
    let tmdb_ids: Vec<i32> = links
        .values()
        .copied()
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();
    let by_tmdb: HashMap<i32, ItemId> = ids_by_tmdb(pool, Some(MediaType::Movie), &tmdb_ids)
        .await
        .context("loading tmdb ids")?
        .into_iter()
        .map(|(tmdb, _, item)| (tmdb, item))
        .collect();
    for (movie, tmdb) in links {
        if let Some(item) = by_tmdb.get(tmdb) {
            mapping.entry(*movie).or_insert(*item);
        }
    }
    Ok(mapping)
}

/// `dir/name`, or `dir/name.gz` when only the compressed copy exists (the repo ships
/// `data/movielens/*.csv.gz`).
pub(crate) fn csv_file(dir: &Path, name: &str) -> PathBuf {
    let plain = dir.join(name);
    let gz = dir.join(format!("{name}.gz"));
    if !plain.exists() && gz.exists() {
        gz
    } else {
        plain
    }
}

/// A CSV reader over a plain or gzipped file.
fn csv_reader(path: &Path) -> anyhow::Result<csv::Reader<Box<dyn std::io::BufRead + Send>>> {
    Ok(csv::Reader::from_reader(open_catalog(path)?))
}

/// `links.csv`: `movieId` → `tmdbId` (rows without a TMDB id are left out).
pub(crate) fn read_links(path: &Path) -> anyhow::Result<HashMap<i32, i32>> {
    let mut reader = csv_reader(path)?;
    let mut links = HashMap::new();
    for row in reader.deserialize::<LinkRow>() {
        match row {
            Ok(LinkRow {
                movie,
                tmdb: Some(tmdb),
            }) => {
                links.insert(movie, tmdb);
            }
            Ok(LinkRow { tmdb: None, .. }) => {}
            Err(e) => tracing::warn!(error.message = %e, "skipping a malformed links.csv row"),
        }
    }
    Ok(links)
}

/// `ratings.csv` grouped by user (ascending id), each user's ratings in time order; also the
/// number of malformed rows skipped.
pub(crate) fn read_ratings(path: &Path) -> anyhow::Result<(BTreeMap<i64, Vec<Rating>>, usize)> {
    let mut reader = csv_reader(path)?;
    let mut by_user: BTreeMap<i64, Vec<Rating>> = BTreeMap::new();
    let mut malformed = 0;
    for row in reader.deserialize::<RatingRow>() {
        let parsed = row.map_err(|e| e.to_string()).and_then(|r| {
            let ts = DateTime::from_timestamp(r.timestamp, 0).ok_or("timestamp out of range")?;
            if !r.rating.is_finite() {
                return Err("rating is not a number".to_owned());
            }
            Ok((
                r.user,
                Rating {
                    movie: r.movie,
                    rating: r.rating,
                    ts,
                },
            ))
        });
        match parsed {
            Ok((user, rating)) => by_user.entry(user).or_default().push(rating),
            Err(e) => {
                malformed += 1;
                tracing::warn!(error.message = %e, "skipping a malformed ratings.csv row");
            }
        }
    }
    for ratings in by_user.values_mut() {
        // Stable: ratings with the same second keep their file order.
        ratings.sort_by_key(|r| r.ts);
    }
    Ok((by_user, malformed))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn four_stars_or_more_is_liked_two_or_less_disliked_else_watched() {
        assert_eq!(event_for_rating(5.0), "liked");
        assert_eq!(event_for_rating(4.0), "liked");
        assert_eq!(event_for_rating(3.5), "watched");
        assert_eq!(event_for_rating(2.5), "watched");
        assert_eq!(event_for_rating(2.0), "disliked");
        assert_eq!(event_for_rating(0.5), "disliked");
    }

    #[test]
    fn movielens_users_are_prefixed_with_ml() {
        assert_eq!(user_id_for(42), "ml42");
    }

    #[test]
    fn the_plain_file_wins_and_the_gz_copy_is_the_fallback() {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::write(dir.path().join("links.csv.gz"), b"").expect("write");
        assert_eq!(
            csv_file(dir.path(), "links.csv"),
            dir.path().join("links.csv.gz")
        );
        std::fs::write(dir.path().join("links.csv"), b"").expect("write");
        assert_eq!(
            csv_file(dir.path(), "links.csv"),
            dir.path().join("links.csv")
        );
        assert_eq!(
            csv_file(dir.path(), "ratings.csv"),
            dir.path().join("ratings.csv")
        );
    }
}
