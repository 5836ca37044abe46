//! The language services against local fakes of OpenAI, Gemini and TMDB that speak the real
//! wire formats: what is sent, what an answer changes, and that every failure ends in the
//! documented fallback with a 200 from `/recommend`.

use crate::helpers::{TestApp, Title, ids, seed};
use serde_json::{Value, json};
use sqlx::PgPool;
use std::time::Duration;
use wiremock::matchers::{body_string_contains, header, method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

pub const INTENT_MARK: &str = "search filters for Seen'emAll";
pub const REWRITE_MARK: &str = "You write search phrases";
pub const RERANK_MARK: &str = "You rerank";

/// id, title, overview, genres, year, runtime.
type Fixture = (
    i32,
    &'static str,
    &'static str,
    &'static [&'static str],
    i32,
    i32,
);

/// Eight titles with known genres, years and runtimes.
fn catalog() -> Vec<Title> {
    let spec: [Fixture; 8] = [
        (
            1,
            "Space Rescue",
            "astronauts stranded on a space station fight to survive",
            &["Science Fiction", "Drama"],
            2005,
            95,
        ),
        (
            2,
            "Orbit Drift",
            "a lonely astronaut drifts through space toward a distant planet",
            &["Science Fiction"],
            2015,
            130,
        ),
        (
            3,
            "Haunted Manor",
            "a family moves into a haunted house full of ghosts",
            &["Horror"],
            2004,
            90,
        ),
        (
            4,
            "Laugh Factory",
            "a clumsy baker opens a comedy club in a small town",
            &["Comedy"],
            2003,
            100,
        ),
        (
            5,
            "Court Drama",
            "a lawyer defends an innocent man in a tense courtroom trial",
            &["Drama", "Crime"],
            1998,
            120,
        ),
        (
            6,
            "Galaxy War",
            "rebels battle an empire across the galaxy in space",
            &["Science Fiction", "Action"],
            2008,
            140,
        ),
        (
            7,
            "Romance in Paris",
            "two strangers fall in love in paris during the spring",
            &["Romance", "Comedy"],
            2007,
            104,
        ),
        (
            8,
            "Deep Sea",
            "divers explore the deep ocean and find a strange creature",
            &["Adventure", "Science Fiction"],
            2001,
            110,
        ),
    ];
    spec.iter()
        .enumerate()
        .map(|(i, &(id, title, overview, genres, year, runtime))| {
            let mut t = Title::movie(id, title, overview, genres);
            t.year = Some(year);
            t.runtime = Some(runtime);
            t.popularity = 100.0 - i as f64 * 10.0;
            t.votes = 1000 - i as i32 * 100;
            t
        })
        .collect()
}

/// An OpenAI chat-completions body whose answer is `content`.
pub fn openai_answer(content: &str) -> Value {
    json!({
        "id": "chatcmpl-test",
        "object": "chat.completion",
        "model": "fake-model",
        "choices": [{"index": 0, "finish_reason": "stop",
                     "message": {"role": "assistant", "content": content}}]
    })
}

/// Mounts an OpenAI answer for requests whose body contains `mark`.
pub async fn answer_openai(server: &MockServer, mark: &str, response: ResponseTemplate) {
    Mock::given(method("POST"))
        .and(path("/v1/chat/completions"))
        .and(body_string_contains(mark))
        .respond_with(response)
        .mount(server)
        .await;
}

/// Serve flags pointing the intent parser (and the rewrite) at `server`.
pub fn intent_flags(server: &MockServer) -> Vec<String> {
    vec![
        "--intent-api-key".into(),
        "sk-test-intent".into(),
        "--intent-model".into(),
        "fake-model".into(),
        "--intent-endpoint".into(),
        format!("{}/v1/chat/completions", server.uri()),
        "--intent-timeout".into(),
        "1".into(),
    ]
}

/// Serve flags pointing the entity linker at a fake TMDB.
fn linker_flags(tmdb: &MockServer) -> Vec<String> {
    owned(&[
        "--linker-tmdb-api-key",
        "tmdb-key",
        "--linker-tmdb-base-url",
        &format!("{}/3", tmdb.uri()),
    ])
}

fn owned(flags: &[&str]) -> Vec<String> {
    flags.iter().map(|s| (*s).to_owned()).collect()
}

/// Serve flags pointing the LLM reranker at `server`.
pub fn rerank_flags(server: &MockServer) -> Vec<String> {
    vec![
        "--rerank-provider".into(),
        "openai".into(),
        "--rerank-api-key".into(),
        "sk-test-rerank".into(),
        "--rerank-model".into(),
        "fake-model".into(),
        "--rerank-endpoint".into(),
        format!("{}/v1/chat/completions", server.uri()),
        "--rerank-timeout".into(),
        "1".into(),
    ]
}

async fn spawn(pool: PgPool, flags: &[String]) -> (TestApp, Vec<i32>) {
    let extra: Vec<&str> = flags.iter().map(String::as_str).collect();
    let app = TestApp::spawn_with(pool.clone(), &extra).await;
    let item_ids = seed(&pool, &app.embedder, &catalog()).await;
    (app, item_ids)
}

pub async fn debug_ok(app: &TestApp, params: &[(&str, &str)]) -> Value {
    let resp = app
        .client
        .get(app.url("/debug/recommend"))
        .query(params)
        .send()
        .await
        .expect("request sent");
    let status = resp.status();
    let body: Value = resp.json().await.expect("json body");
    assert_eq!(status, 200, "debug/recommend failed: {body}");
    body
}

fn titles(body: &Value) -> Vec<String> {
    body["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|i| i["title"].as_str().unwrap_or_default().to_owned())
        .collect()
}

fn bodies_with(requests: &[Request], mark: &str) -> Vec<Value> {
    requests
        .iter()
        .filter(|r| String::from_utf8_lossy(&r.body).contains(mark))
        .map(|r| serde_json::from_slice(&r.body).expect("json request"))
        .collect()
}

#[sqlx::test(migrator = "seen_store::MIGRATOR")]
async fn an_llm_intent_filters_by_genre_runtime_and_years(pool: PgPool) {
    let llm = MockServer::start().await;
    let intent = json!({"exclude_genres": ["Horror"], "runtime_minutes_max": 105,
                        "year_min": 2000, "year_max": 2009});
    answer_openai(
        &llm,
        INTENT_MARK,
        ResponseTemplate::new(200).set_body_json(openai_answer(&intent.to_string())),
    )
    .await;
    let mut flags = intent_flags(&llm);
    flags.extend(["--rewrite-llm-enabled".into(), "0".into()]);
    let (app, _) = spawn(pool, &flags).await;

    let params = [
        ("user_id", "u"),
        ("query", "something good tonight"),
        ("limit", "8"),
    ];
    let body = debug_ok(&app, &params).await;

    assert_eq!(body["debug"]["intent_source"], "llm");
    assert_eq!(body["debug"]["intent_llm"], "llm");
    // Only 2000–2009, at most 105 minutes, no horror: Space Rescue, Laugh Factory, Romance.
    let mut got = titles(&body);
    got.sort();
    assert_eq!(
        got,
        vec!["Laugh Factory", "Romance in Paris", "Space Rescue"]
    );

    // The request had the real wire shape.
    let sent = bodies_with(
        &llm.received_requests().await.expect("recorded"),
        INTENT_MARK,
    );
    assert_eq!(sent.len(), 1);
    let req = &sent[0];
    assert_eq!(req["model"], "fake-model");
    assert_eq!(req["response_format"], json!({"type": "json_object"}));
    assert_eq!(req["messages"][0]["role"], "system");
    assert_eq!(req["messages"][1]["role"], "user");
    assert!(
        req["messages"][0]["content"]
            .as_str()
            .unwrap_or_default()
            .contains("Allowed catalog genres")
    );
    assert!(
        req["messages"][1]["content"]
            .as_str()
            .unwrap_or_default()
            .contains("Query: something good tonight")
    );
    assert!(req["max_tokens"].as_u64().is_some_and(|n| n > 0));

    // A second identical request is answered from the intent cache.
    let again = debug_ok(
        &app,
        &[
            ("user_id", "other"),
            ("query", "something good tonight"),
            ("limit", "8"),
        ],
    )
    .await;
    assert_eq!(again["debug"]["intent_llm"], "llm_cache");
    let sent = bodies_with(
        &llm.received_requests().await.expect("recorded"),
        INTENT_MARK,
    );
    assert_eq!(
        sent.len(),
        1,
        "the cached intent must not call the LLM again"
    );
}

#[sqlx::test(migrator = "seen_store::MIGRATOR")]
async fn the_auth_header_carries_the_key(pool: PgPool) {
    let llm = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/chat/completions"))
        .and(header("authorization", "Bearer sk-test-intent"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(openai_answer(r#"{"include_genres": ["Comedy"]}"#)),
        )
        .expect(1..)
        .mount(&llm)
        .await;
    let mut flags = intent_flags(&llm);
    flags.extend(["--rewrite-llm-enabled".into(), "0".into()]);
    let (app, _) = spawn(pool, &flags).await;
    let body = debug_ok(&app, &[("user_id", "u"), ("query", "make me laugh")]).await;
    assert_eq!(body["debug"]["intent_source"], "llm");
    // Include genres that few titles match are a boost, not a filter (spec §4.7).
    assert_eq!(titles(&body)[0], "Laugh Factory", "{body}");
}

/// Each broken answer ends in a 200 and the offline parser ("no gore" still excludes horror).
#[sqlx::test(migrator = "seen_store::MIGRATOR")]
async fn every_llm_failure_falls_back_to_the_offline_intent(pool: PgPool) {
    let cases: Vec<(&str, ResponseTemplate, &str)> = vec![
        (
            "status 500",
            ResponseTemplate::new(500).set_body_string("boom"),
            "llm_failed:status_5xx",
        ),
        (
            "status 429",
            ResponseTemplate::new(429).insert_header("retry-after", "0"),
            "llm_failed:status_429",
        ),
        (
            "non-JSON content",
            ResponseTemplate::new(200).set_body_json(openai_answer("I think you want horror")),
            "llm_failed:not_json",
        ),
        (
            "empty content",
            ResponseTemplate::new(200).set_body_json(openai_answer("")),
            "llm_failed:empty",
        ),
        (
            "no choices",
            ResponseTemplate::new(200).set_body_json(json!({"choices": []})),
            "llm_failed:bad_shape",
        ),
        (
            "timeout",
            ResponseTemplate::new(200)
                .set_body_json(openai_answer("{}"))
                .set_delay(Duration::from_secs(3)),
            "llm_failed:timeout",
        ),
    ];
    let llm = MockServer::start().await;
    let mut flags = intent_flags(&llm);
    flags.extend(["--rewrite-llm-enabled".into(), "0".into()]);
    let (app, item_ids) = spawn(pool, &flags).await;
    let haunted = i64::from(item_ids[2]);
    for (i, (name, response, label)) in cases.into_iter().enumerate() {
        llm.reset().await;
        answer_openai(&llm, INTENT_MARK, response).await;
        // A distinct query per case, so no cached intent hides the failure.
        let query = format!("haunted house no gore {i}");
        let body = debug_ok(&app, &[("user_id", "u"), ("query", &query)]).await;
        let status = body["debug"]["intent_llm"].as_str().unwrap_or_default();
        assert!(status.starts_with("llm_failed"), "{name}: {status}");
        if !label.ends_with("5xx") {
            assert_eq!(status, label, "{name}");
        }
        assert_eq!(body["debug"]["intent_source"], "offline", "{name}");
        assert!(!ids(&body).contains(&haunted), "{name}: horror returned");
    }
}

#[sqlx::test(migrator = "seen_store::MIGRATOR")]
async fn a_refused_connection_falls_back_too(pool: PgPool) {
    // Bind a port, then free it: nothing listens there.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("free port")
        .port();
    let flags = owned(&[
        "--intent-api-key",
        "sk-x",
        "--intent-endpoint",
        &format!("http://127.0.0.1:{port}/v1/chat/completions"),
        "--rerank-provider",
        "openai",
        "--rerank-api-key",
        "sk-x",
        "--rerank-endpoint",
        &format!("http://127.0.0.1:{port}/v1/chat/completions"),
    ]);
    let (app, _) = spawn(pool, &flags).await;
    let body = debug_ok(&app, &[("user_id", "u"), ("query", "space adventure")]).await;
    assert_eq!(body["debug"]["intent_llm"], "llm_failed:connect");
    assert_eq!(body["debug"]["intent_source"], "offline");
    assert!(
        body["debug"]["rewrite_source"]
            .as_str()
            .unwrap_or_default()
            .starts_with("heuristic (llm_failed")
    );
    assert_eq!(body["debug"]["rerank"]["fallback"], "connect");
    assert_eq!(body["debug"]["reranker"], "heuristic");
    assert!(!ids(&body).is_empty());
    assert!(
        body["items"][0]["explanation"]
            .as_str()
            .is_some_and(|e| !e.is_empty())
    );
}

/// Valid fields survive next to invalid ones (the original dropped the whole intent).
#[sqlx::test(migrator = "seen_store::MIGRATOR")]
async fn a_partly_invalid_intent_keeps_its_valid_fields(pool: PgPool) {
    let llm = MockServer::start().await;
    let answer = json!({"exclude_genres": ["Horror"], "runtime_minutes_max": "long", "media_types": "movie", "year_min": 2000.0});
    answer_openai(
        &llm,
        INTENT_MARK,
        ResponseTemplate::new(200).set_body_json(openai_answer(&answer.to_string())),
    )
    .await;
    let mut flags = intent_flags(&llm);
    flags.extend(["--rewrite-llm-enabled".into(), "0".into()]);
    let (app, item_ids) = spawn(pool, &flags).await;
    let body = debug_ok(&app, &[("user_id", "u"), ("query", "ghosts and houses")]).await;
    assert_eq!(body["debug"]["intent_source"], "llm");
    assert_eq!(body["debug"]["intent"]["exclude_genres"], json!(["Horror"]));
    assert_eq!(body["debug"]["intent"]["year_min"], 2000);
    assert!(!ids(&body).contains(&i64::from(item_ids[2])));
    assert!(
        !ids(&body).contains(&i64::from(item_ids[4])),
        "1998 title kept despite year_min"
    );
}

#[sqlx::test(migrator = "seen_store::MIGRATOR")]
async fn the_llm_rewrite_is_embedded_and_falls_back_to_the_heuristic(pool: PgPool) {
    let llm = MockServer::start().await;
    answer_openai(
        &llm,
        INTENT_MARK,
        ResponseTemplate::new(200).set_body_json(openai_answer("{}")),
    )
    .await;
    answer_openai(
        &llm,
        REWRITE_MARK,
        ResponseTemplate::new(200).set_body_json(openai_answer(
            r#"{"rewrite": "astronauts stranded in space survival drama story with extra words"}"#,
        )),
    )
    .await;
    let (app, _) = spawn(pool, &intent_flags(&llm)).await;
    let body = debug_ok(
        &app,
        &[
            ("user_id", "u"),
            ("query", "I want something like being lost up there"),
        ],
    )
    .await;
    assert_eq!(body["debug"]["rewrite_source"], "llm");
    // Capped at 8 words.
    assert_eq!(
        body["debug"]["rewrite"],
        "astronauts stranded in space survival drama story with"
    );
    assert_eq!(titles(&body)[0], "Space Rescue");

    // A request-level override wins and the LLM is not asked.
    let before = bodies_with(
        &llm.received_requests().await.expect("recorded"),
        REWRITE_MARK,
    )
    .len();
    let body = debug_ok(
        &app,
        &[
            ("user_id", "u"),
            ("query", "anything else"),
            ("rewrite_override", "courtroom trial lawyer"),
        ],
    )
    .await;
    assert_eq!(body["debug"]["rewrite_source"], "override");
    let after = bodies_with(
        &llm.received_requests().await.expect("recorded"),
        REWRITE_MARK,
    )
    .len();
    assert_eq!(before, after);

    // A broken rewrite answer falls back to the heuristic rewrite.
    llm.reset().await;
    answer_openai(
        &llm,
        REWRITE_MARK,
        ResponseTemplate::new(200).set_body_json(openai_answer(r#"{"rewrite": ""}"#)),
    )
    .await;
    let body = debug_ok(&app, &[("user_id", "u"), ("query", "comedy club")]).await;
    assert_eq!(
        body["debug"]["rewrite_source"],
        "heuristic (llm_failed:unusable_answer)"
    );
    assert!(
        body["debug"]["rewrite"]
            .as_str()
            .is_some_and(|r| r.contains("comedy club"))
    );
}

#[sqlx::test(migrator = "seen_store::MIGRATOR")]
async fn the_llm_reranker_order_and_explanations_reach_the_response(pool: PgPool) {
    let llm = MockServer::start().await;
    let (app, item_ids) = spawn(pool.clone(), &rerank_flags(&llm)).await;
    // The base order first, to know what the reranker turns around.
    let base = app
        .recommend_ok(&[("user_id", "u"), ("limit", "8"), ("diversify", "false")])
        .await;
    let base_ids = ids(&base);
    let reversed: Vec<Value> = base_ids
        .iter()
        .rev()
        .take(3)
        .enumerate()
        .map(|(i, id)| json!({"id": id.to_string(), "score": 0.9 - i as f64 * 0.1, "explanation": format!("Fake pick {i}")}))
        .chain([json!({"id": "bad"}), json!({"id": 99_999, "score": 1.0})])
        .collect();
    answer_openai(
        &llm,
        RERANK_MARK,
        ResponseTemplate::new(200)
            .set_body_json(openai_answer(&json!({"items": reversed}).to_string())),
    )
    .await;
    // A new user, so the cached list of the first request is not reused.
    let body = debug_ok(
        &app,
        &[("user_id", "v"), ("limit", "8"), ("diversify", "false")],
    )
    .await;
    let got = ids(&body);
    let expect_head: Vec<i64> = base_ids.iter().rev().take(3).copied().collect();
    assert_eq!(&got[..3], &expect_head[..]);
    assert_eq!(body["items"][0]["explanation"], "Fake pick 0");
    assert!((body["items"][0]["score"].as_f64().unwrap_or_default() - 0.9).abs() < 1e-9);
    // Items the model left out keep their base order and their heuristic explanations.
    let rest: Vec<i64> = base_ids
        .iter()
        .copied()
        .filter(|id| !expect_head.contains(id))
        .collect();
    assert_eq!(&got[3..], &rest[..]);
    assert!(
        body["items"][3]["explanation"]
            .as_str()
            .is_some_and(|e| !e.is_empty() && !e.starts_with("Fake"))
    );
    assert_eq!(body["debug"]["reranker"], "openai:fake-model");
    assert_eq!(body["debug"]["rerank"]["decisions"], 3);
    assert_eq!(item_ids.len(), 8);

    // The prompt listed the candidates with the user context.
    let sent = bodies_with(
        &llm.received_requests().await.expect("recorded"),
        RERANK_MARK,
    );
    let last = sent.last().expect("a rerank request");
    let user = last["messages"][1]["content"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    assert!(user.contains(&format!("- id={}", base_ids[0])), "{user}");
    assert!(user.contains("User id: v"), "{user}");
}

#[sqlx::test(migrator = "seen_store::MIGRATOR")]
async fn a_failing_reranker_keeps_the_heuristic_order(pool: PgPool) {
    let llm = MockServer::start().await;
    answer_openai(&llm, RERANK_MARK, ResponseTemplate::new(500)).await;
    let (app, _) = spawn(pool.clone(), &rerank_flags(&llm)).await;
    let body = debug_ok(
        &app,
        &[("user_id", "u"), ("limit", "8"), ("diversify", "false")],
    )
    .await;
    assert_eq!(body["debug"]["reranker"], "heuristic");
    assert_eq!(body["debug"]["rerank"]["fallback"], "status_500");
    assert_eq!(ids(&body).len(), 8);

    // Reranking off gives the same order.
    let plain = TestApp::spawn(pool).await;
    let plain_body = plain
        .recommend_ok(&[("user_id", "u"), ("limit", "8"), ("diversify", "false")])
        .await;
    assert_eq!(ids(&body), ids(&plain_body));
}

#[sqlx::test(migrator = "seen_store::MIGRATOR")]
async fn gemini_gets_its_own_wire_format_with_the_key_in_a_header(pool: PgPool) {
    let gemini = MockServer::start().await;
    let answer = json!({"candidates": [{"content": {"role": "model", "parts": [
        {"text": "{\"include_genres\": [\"Science Fiction\"], \"runtime_minutes_max\": 100}"}
    ]}}]});
    Mock::given(method("POST"))
        .and(path("/v1beta/models/fake-gemini:generateContent"))
        .and(header("x-goog-api-key", "g-key"))
        .respond_with(ResponseTemplate::new(200).set_body_json(answer))
        .expect(1)
        .mount(&gemini)
        .await;
    let flags = owned(&[
        "--intent-provider",
        "gemini",
        "--intent-api-key",
        "g-key",
        "--intent-model",
        "fake-gemini",
        "--intent-endpoint",
        &format!("{}/v1beta/models", gemini.uri()),
        "--rewrite-llm-enabled",
        "0",
    ]);
    let (app, _) = spawn(pool, &flags).await;
    let body = debug_ok(&app, &[("user_id", "u"), ("query", "short space films")]).await;
    assert_eq!(body["debug"]["intent_source"], "llm");
    // The runtime cap filters; the sparse genre only boosts (spec §4.7).
    assert_eq!(titles(&body)[0], "Space Rescue");
    assert!(
        body["items"]
            .as_array()
            .expect("items")
            .iter()
            .all(|i| i["runtime"].as_i64().is_some_and(|r| r <= 100)),
        "{body}"
    );
    let sent = gemini.received_requests().await.expect("recorded");
    let req: Value = serde_json::from_slice(&sent[0].body).expect("json");
    assert!(
        sent[0].url.query().is_none_or(|q| !q.contains("g-key")),
        "key leaked into the URL"
    );
    assert_eq!(
        req["generationConfig"]["responseMimeType"],
        "application/json"
    );
    assert!(
        req["systemInstruction"]["parts"][0]["text"]
            .as_str()
            .is_some_and(|t| t.contains(INTENT_MARK))
    );
    assert!(
        req["contents"][0]["parts"][0]["text"]
            .as_str()
            .is_some_and(|t| t.contains("Query: short space films"))
    );
}

#[sqlx::test(migrator = "seen_store::MIGRATOR")]
async fn a_linked_title_seeds_retrieval_and_is_left_out(pool: PgPool) {
    let tmdb = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/3/search/multi"))
        .and(wiremock::matchers::query_param("query", "Space Rescue"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"page": 1, "results": [
                {"id": 1, "media_type": "movie", "title": "Space Rescue"},
                {"id": 4242, "media_type": "person", "name": "Jane Doe"}
            ]})),
        )
        .expect(1)
        .mount(&tmdb)
        .await;
    let flags = linker_flags(&tmdb);
    let (app, item_ids) = spawn(pool, &flags).await;
    let body = debug_ok(
        &app,
        &[
            ("user_id", "u"),
            ("query", "more like Space Rescue"),
            ("limit", "4"),
        ],
    )
    .await;
    let got = ids(&body);
    assert!(
        !got.contains(&i64::from(item_ids[0])),
        "the seed title itself was recommended"
    );
    assert_eq!(body["debug"]["seeds"], json!([item_ids[0]]));
    // After "more like", only titles steer: the person in the results is not boosted.
    assert_eq!(body["debug"]["linked"]["people"], json!([]));
    assert_eq!(body["debug"]["linked"]["marker"], "similar");
    // The nearest titles to the seed are the other space films.
    assert!(
        ["Orbit Drift", "Galaxy War"].contains(&titles(&body)[0].as_str()),
        "{body}"
    );
    // "films with <Name>" links a person, who is boosted and seeds nothing.
    Mock::given(method("GET"))
        .and(path("/3/search/multi"))
        .and(wiremock::matchers::query_param("query", "Jane Doe"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"page": 1, "results": [
                {"id": 4242, "media_type": "person", "name": "Jane Doe"},
                {"id": 1, "media_type": "movie", "title": "Space Rescue"}
            ]})),
        )
        .mount(&tmdb)
        .await;
    let by = debug_ok(&app, &[("user_id", "u"), ("query", "films with Jane Doe")]).await;
    assert_eq!(
        by["debug"]["filters"]["include_people"],
        json!(["Jane Doe"])
    );
    assert_eq!(by["debug"]["seeds"], json!([]));
    // The same query again is answered from the linker cache (the mock expects one call).
    debug_ok(
        &app,
        &[("user_id", "w"), ("query", "more like Space Rescue")],
    )
    .await;
}

#[sqlx::test(migrator = "seen_store::MIGRATOR")]
async fn a_rate_limited_tmdb_links_nothing_and_recommends_anyway(pool: PgPool) {
    let tmdb = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/3/search/multi"))
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "0"))
        .mount(&tmdb)
        .await;
    let flags = linker_flags(&tmdb);
    let (app, _) = spawn(pool, &flags).await;
    let body = debug_ok(
        &app,
        &[("user_id", "u"), ("query", "more like Space Rescue")],
    )
    .await;
    assert_eq!(body["debug"]["seeds"], json!([]));
    assert!(!ids(&body).is_empty());
}

/// A fake LLM reranker: answers with the candidates it was shown in reverse order, each with
/// an explanation naming its new position, so a test can predict the response exactly.
pub struct ReverseReranker;

impl wiremock::Respond for ReverseReranker {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let body: Value = serde_json::from_slice(&request.body).unwrap_or_default();
        let prompt = body["messages"][1]["content"].as_str().unwrap_or_default();
        let shown: Vec<i64> = prompt
            .lines()
            .filter_map(|l| l.strip_prefix("- id=")?.split(' ').next()?.parse().ok())
            .collect();
        let items: Vec<Value> = shown
            .iter()
            .rev()
            .enumerate()
            .map(|(i, id)| json!({"id": id, "score": 1.0 - i as f64 / 100.0, "explanation": format!("Fake rerank #{i}")}))
            .collect();
        ResponseTemplate::new(200)
            .set_body_json(openai_answer(&json!({ "items": items }).to_string()))
    }
}

#[sqlx::test(migrator = "seen_store::MIGRATOR")]
async fn the_language_budget_cuts_a_slow_provider_short(pool: PgPool) {
    let llm = MockServer::start().await;
    // Slower than the budget, well inside the call's own timeout.
    answer_openai(
        &llm,
        INTENT_MARK,
        ResponseTemplate::new(200)
            .set_body_json(openai_answer(r#"{"include_genres": ["Comedy"]}"#))
            .set_delay(Duration::from_secs(5)),
    )
    .await;
    let mut flags = owned(&[
        "--intent-api-key",
        "sk-x",
        "--intent-endpoint",
        &format!("{}/v1/chat/completions", llm.uri()),
        "--intent-timeout",
        "30",
        "--llm-budget-secs",
        "0.5",
        "--rewrite-llm-enabled",
        "0",
    ]);
    flags.extend(rerank_flags(&llm));
    let (app, item_ids) = spawn(pool, &flags).await;
    let body = debug_ok(
        &app,
        &[("user_id", "u"), ("query", "haunted house no gore")],
    )
    .await;
    assert_eq!(body["debug"]["intent_llm"], "llm_failed:budget");
    assert_eq!(body["debug"]["intent_source"], "offline");
    // The reranker had nothing left either, so the heuristic order stands.
    assert_eq!(body["debug"]["rerank"]["fallback"], "budget");
    assert!(!ids(&body).contains(&i64::from(item_ids[2])));
}
