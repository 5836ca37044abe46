//! `TestApp`: the real app on 127.0.0.1:0 over a fresh database, with a deterministic
//! embedder, plus catalog fixtures.

#![allow(dead_code)]

use clap::Parser;
use pgvector::Vector;
use reqwest::{Client, Response, redirect};
use seen_api::{ServeArgs, Server};
use seen_embed::{Embedder, HashEmbedder};
use serde_json::{Value, json};
use sqlx::PgPool;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Once};
use std::time::{Duration, Instant};
use tempfile::TempDir;

static TRACING: Once = Once::new();

/// Logs only when `TEST_LOG` is set.
fn init_tracing() {
    TRACING.call_once(|| {
        if std::env::var("TEST_LOG").is_ok() {
            let _ = tracing_subscriber::fmt()
                .with_env_filter("info")
                .with_test_writer()
                .try_init();
        }
    });
}

#[derive(Parser)]
struct TestCli {
    #[command(flatten)]
    serve: ServeArgs,
}

/// A running app and a client for it.
pub struct TestApp {
    pub base: String,
    pub client: Client,
    pub pool: PgPool,
    pub config_dir: TempDir,
    pub embedder: Arc<HashEmbedder>,
}

impl TestApp {
    /// Spawns the app over `pool` with default settings.
    pub async fn spawn(pool: PgPool) -> Self {
        Self::spawn_with(pool, &[]).await
    }

    /// Spawns the app with extra `serve` flags (e.g. `["--mmr-lambda", "0.5"]`).
    pub async fn spawn_with(pool: PgPool, extra: &[&str]) -> Self {
        let embedder = Arc::new(HashEmbedder::new());
        Self::spawn_full(pool, extra, embedder.clone() as Arc<dyn Embedder>, embedder).await
    }

    /// Spawns the app with extra flags and the encoder the server uses (the real MiniLM in
    /// the small-reranker test); `embedder` stays the fixtures' hash embedder.
    pub async fn spawn_full(
        pool: PgPool,
        extra: &[&str],
        encoder: Arc<dyn Embedder>,
        embedder: Arc<HashEmbedder>,
    ) -> Self {
        init_tracing();
        let config_dir = tempfile::tempdir().expect("temp dir");
        let rules = config_dir.path().join("business_rules.json");
        let templates = config_dir.path().join("explanation_templates.json");
        let fallbacks = config_dir.path().join("intent_fallbacks.json");
        let mut argv: Vec<String> = vec![
            "test".into(),
            "--host".into(),
            "127.0.0.1".into(),
            "--port".into(),
            "0".into(),
            "--business-rules-path".into(),
            rules.display().to_string(),
            "--explanation-templates-path".into(),
            templates.display().to_string(),
            "--intent-fallbacks-path".into(),
            fallbacks.display().to_string(),
        ];
        // The server's own retraining would change rankings under a test's feet; the tests
        // that are about it turn it on.
        if !extra.contains(&"--auto-train") {
            argv.extend(["--auto-train".into(), "false".into()]);
        }
        argv.extend(extra.iter().map(|s| (*s).to_owned()));
        let settings = TestCli::try_parse_from(argv)
            .expect("test settings parse")
            .serve;
        let server = Server::build_with(pool.clone(), settings, encoder)
            .await
            .expect("server builds");
        let addr = server.local_addr().expect("bound address");
        tokio::spawn(server.run());
        let client = Client::builder()
            .redirect(redirect::Policy::none())
            .build()
            .expect("http client");
        TestApp {
            base: format!("http://{addr}"),
            client,
            pool,
            config_dir,
            embedder,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub async fn get(&self, path: &str) -> Response {
        self.client
            .get(self.url(path))
            .send()
            .await
            .expect("request sent")
    }

    pub async fn get_recommend(&self, params: &[(&str, &str)]) -> Response {
        self.client
            .get(self.url("/recommend"))
            .query(params)
            .send()
            .await
            .expect("request sent")
    }

    /// `/recommend` that must succeed; returns the body.
    /// `/debug/recommend` for `user` with a `mixer_novelty_weight` no earlier call used, so
    /// the ranked-list cache never answers and every call runs the pipeline.
    pub async fn fresh_debug(&self, user: &str) -> Value {
        static CALLS: AtomicU32 = AtomicU32::new(0);
        let n = CALLS.fetch_add(1, Ordering::Relaxed);
        let novelty = format!("{:.6}", 0.05 + f64::from(n) * 1e-6);
        let resp = self
            .client
            .get(self.url("/debug/recommend"))
            .query(&[
                ("user_id", user),
                ("limit", "20"),
                ("diversify", "false"),
                ("mixer_novelty_weight", novelty.as_str()),
            ])
            .send()
            .await
            .expect("request sent");
        let status = resp.status();
        let body: Value = resp.json().await.expect("json body");
        assert_eq!(status, 200, "debug/recommend failed: {body}");
        body
    }

    /// Requests (as [`Self::fresh_debug`]) until one reads the in-memory catalog copy;
    /// returns that response. Reloads start at most every 2 s, so this allows 10 s.
    pub async fn until_catalog_copy(&self, user: &str) -> Value {
        const LOAD_TIMEOUT: Duration = Duration::from_secs(10);
        let start = Instant::now();
        loop {
            let body = self.fresh_debug(user).await;
            match body["debug"]["catalog"].as_str() {
                Some("memory") => return body,
                Some("postgres") => {}
                other => panic!("debug.catalog is {other:?} in {body}"),
            }
            assert!(
                start.elapsed() < LOAD_TIMEOUT,
                "the catalog copy did not load within {LOAD_TIMEOUT:?}"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    pub async fn recommend_ok(&self, params: &[(&str, &str)]) -> Value {
        let resp = self.get_recommend(params).await;
        let status = resp.status();
        let body: Value = resp.json().await.expect("json body");
        assert_eq!(status, 200, "recommend failed: {body}");
        body
    }

    pub async fn post_json(&self, path: &str, body: &Value) -> Response {
        self.client
            .post(self.url(path))
            .json(body)
            .send()
            .await
            .expect("request sent")
    }

    pub async fn post_history(&self, body: &Value) -> Response {
        self.post_json("/user/history", body).await
    }

    /// Writes the business rules file (hot-reloaded by the app).
    pub fn write_rules(&self, rules: &Value) {
        std::fs::write(
            self.config_dir.path().join("business_rules.json"),
            rules.to_string(),
        )
        .expect("write rules");
    }
}

/// A catalog title for fixtures.
#[derive(Clone)]
pub struct Title {
    pub tmdb_id: i32,
    pub media: &'static str,
    pub title: &'static str,
    pub overview: &'static str,
    pub genres: &'static [&'static str],
    pub year: Option<i32>,
    pub runtime: Option<i32>,
    pub popularity: f64,
    pub votes: i32,
    pub collection: Option<i32>,
}

impl Title {
    pub fn movie(
        tmdb_id: i32,
        title: &'static str,
        overview: &'static str,
        genres: &'static [&'static str],
    ) -> Self {
        Title {
            tmdb_id,
            media: "movie",
            title,
            overview,
            genres,
            year: Some(2010),
            runtime: Some(100),
            popularity: 10.0,
            votes: 100,
            collection: None,
        }
    }
}

/// Gives title `id` these TMDB keywords (as written: the import's case and spacing).
pub async fn set_keywords(pool: &PgPool, id: i32, keywords: &[&str]) {
    sqlx::query("UPDATE items SET keywords = $2 WHERE id = $1")
        .bind(id)
        .bind(json!(keywords))
        .execute(pool)
        .await
        .expect("keywords set");
}

/// Gives title `id` these directors and cast.
pub async fn set_people(pool: &PgPool, id: i32, directors: &[&str], cast: &[&str]) {
    sqlx::query("UPDATE items SET directors = $2, cast_names = $3 WHERE id = $1")
        .bind(id)
        .bind(json!(directors))
        .bind(json!(cast))
        .execute(pool)
        .await
        .expect("people set");
}

/// Inserts titles and their (test-embedder) vectors; returns the item ids in order.
pub async fn seed(pool: &PgPool, embedder: &HashEmbedder, titles: &[Title]) -> Vec<i32> {
    seed_with(pool, embedder, titles).await
}

/// [`seed`] with any embedder (the real model when the test needs real vectors).
pub async fn seed_with(pool: &PgPool, embedder: &dyn Embedder, titles: &[Title]) -> Vec<i32> {
    let mut ids = Vec::new();
    for t in titles {
        let genres: Vec<Value> = t
            .genres
            .iter()
            .enumerate()
            .map(|(i, g)| json!({"id": i, "name": g}))
            .collect();
        let id: i32 = sqlx::query_scalar(
            r#"INSERT INTO items (tmdb_id, media_type, title, overview, genres, release_year, runtime,
                   popularity, vote_count, vote_average, collection_id)
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 7.0, $10) RETURNING id"#,
        )
        .bind(t.tmdb_id)
        .bind(t.media)
        .bind(t.title)
        .bind(t.overview)
        .bind(Value::Array(genres))
        .bind(t.year)
        .bind(t.runtime)
        .bind(t.popularity)
        .bind(t.votes)
        .bind(t.collection)
        .fetch_one(pool)
        .await
        .expect("insert item");
        let text = format!("{} :: {}", t.title, t.overview);
        sqlx::query("INSERT INTO item_embeddings (item_id, version, vector) VALUES ($1, 'v1', $2)")
            .bind(id)
            .bind(Vector::from(
                embedder
                    .embed(&[text])
                    .expect("embed fixture")
                    .pop()
                    .expect("one vector"),
            ))
            .execute(pool)
            .await
            .expect("insert embedding");
        ids.push(id);
    }
    ids
}

/// Ids of a `/recommend` body's items, in order.
pub fn ids(body: &Value) -> Vec<i64> {
    body["items"]
        .as_array()
        .expect("items array")
        .iter()
        .map(|i| i["id"].as_i64().expect("id"))
        .collect()
}
