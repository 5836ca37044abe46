//! `/openapi.json` documents every public endpoint; `/docs` renders it without outside assets.

use crate::helpers::TestApp;
use serde_json::Value;
use sqlx::PgPool;

const PUBLIC_PATHS: &[&str] = &[
    "/debug/recommend",
    "/feedback",
    "/healthz",
    "/readyz",
    "/recommend",
    "/titles/search",
    "/user/history",
    "/watch-link/{item_id}",
];

async fn spec(app: &TestApp) -> Value {
    let resp = app.get("/openapi.json").await;
    assert_eq!(resp.status(), 200);
    resp.json().await.expect("json spec")
}

#[sqlx::test(migrator = "seen_store::MIGRATOR")]
async fn the_openapi_document_lists_every_public_path(pool: PgPool) {
    let app = TestApp::spawn(pool).await;

    let spec = spec(&app).await;

    let mut paths: Vec<&str> = spec["paths"]
        .as_object()
        .expect("paths")
        .keys()
        .map(String::as_str)
        .collect();
    paths.sort_unstable();
    assert_eq!(paths, PUBLIC_PATHS);
    assert_eq!(spec["info"]["title"], "Seen'emAll");
}

#[sqlx::test(migrator = "seen_store::MIGRATOR")]
async fn every_operation_documents_its_responses(pool: PgPool) {
    let app = TestApp::spawn(pool).await;

    let spec = spec(&app).await;

    for (path, item) in spec["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let responses = op["responses"]
                .as_object()
                .unwrap_or_else(|| panic!("{method} {path}: no responses"));
            assert!(!responses.is_empty(), "{method} {path}");
        }
    }
    let feedback = &spec["paths"]["/feedback"]["post"]["responses"];
    assert!(feedback.get("422").is_some(), "feedback documents its 422");
    let watch = &spec["paths"]["/watch-link/{item_id}"]["get"]["responses"];
    assert!(watch.get("307").is_some() && watch.get("404").is_some());
}

#[sqlx::test(migrator = "seen_store::MIGRATOR")]
async fn recommend_documents_every_query_parameter_with_its_default(pool: PgPool) {
    let app = TestApp::spawn(pool).await;

    let spec = spec(&app).await;

    let params = spec["paths"]["/recommend"]["get"]["parameters"]
        .as_array()
        .expect("parameters");
    let named = |name: &str| {
        params
            .iter()
            .find(|p| p["name"] == name)
            .unwrap_or_else(|| panic!("no {name}"))
    };
    assert_eq!(params.len(), 18);
    assert_eq!(named("user_id")["required"], true);
    assert_eq!(named("limit")["schema"]["default"], 20);
    assert_eq!(named("limit")["schema"]["maximum"], 100);
    assert_eq!(named("diversify")["schema"]["default"], true);
    assert_eq!(named("mixer_novelty_weight")["in"], "query");
}

#[sqlx::test(migrator = "seen_store::MIGRATOR")]
async fn the_docs_page_is_html_that_loads_nothing_from_outside_the_server(pool: PgPool) {
    let app = TestApp::spawn(pool).await;

    let resp = app.get("/docs").await;

    assert_eq!(resp.status(), 200);
    assert!(
        resp.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    let html = resp.text().await.unwrap();
    assert!(html.contains("openapi.json"));
    assert!(
        !html.contains("http://") && !html.contains("https://"),
        "the page must work offline"
    );
    assert!(
        !html.contains("src=\"//") && !html.contains("href=\"//"),
        "no protocol-relative URLs"
    );
}
