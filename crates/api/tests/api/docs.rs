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
    "/user/import",
    "/watch-link/{item_id}",
    "/webhooks/jellyfin",
    "/webhooks/plex",
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
    assert_eq!(params.len(), 20);
    assert_eq!(named("user_id")["required"], true);
    assert_eq!(named("limit")["schema"]["default"], 20);
    assert_eq!(named("limit")["schema"]["maximum"], 100);
    assert_eq!(named("diversify")["schema"]["default"], true);
    assert_eq!(named("mixer_novelty_weight")["in"], "query");
    assert_eq!(named("mixer_lexical_weight")["in"], "query");
    assert_eq!(named("mixer_rating_weight")["in"], "query");
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

/// Follows a local `$ref` to its component schema.
fn resolve<'a>(spec: &'a Value, schema: &'a Value) -> &'a Value {
    match schema["$ref"].as_str() {
        Some(r) => {
            let name = r.trim_start_matches("#/components/schemas/");
            resolve(spec, &spec["components"]["schemas"][name])
        }
        None => schema,
    }
}

/// `value` has every property the object schema requires and no other.
fn assert_fits(spec: &Value, schema: &Value, value: &Value) {
    let schema = resolve(spec, schema);
    let properties = schema["properties"].as_object().expect("object schema");
    let object = value
        .as_object()
        .unwrap_or_else(|| panic!("not an object: {value}"));
    for key in object.keys() {
        assert!(
            properties.contains_key(key),
            "undocumented key {key} in {value}"
        );
    }
    for required in schema["required"].as_array().into_iter().flatten() {
        let key = required.as_str().expect("required names are strings");
        assert!(object.contains_key(key), "{key} missing from {value}");
    }
}

#[sqlx::test(migrator = "seen_store::MIGRATOR")]
async fn the_documented_422_body_of_feedback_is_what_the_handler_returns(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    let spec = spec(&app).await;

    let resp = app
        .post_json(
            "/feedback",
            &serde_json::json!({"user_id": 7, "item_id": 3.5, "meta": "x"}),
        )
        .await;

    assert_eq!(resp.status(), 422);
    let body: Value = resp.json().await.unwrap();
    let documented = &spec["paths"]["/feedback"]["post"]["responses"]["422"]["content"]["application/json"]
        ["schema"];
    assert_fits(&spec, documented, &body);
    let item_schema = &resolve(&spec, documented)["properties"]["detail"]["items"];
    let details = body["detail"].as_array().unwrap();
    assert_eq!(details.len(), 4);
    for detail in details {
        assert_fits(&spec, item_schema, detail);
    }
}

#[sqlx::test(migrator = "seen_store::MIGRATOR")]
async fn request_constraints_are_documented_where_they_are_enforced(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    let spec = spec(&app).await;

    let body_schema = |path: &str| {
        resolve(
            &spec,
            &spec["paths"][path]["post"]["requestBody"]["content"]["application/json"]["schema"],
        )
        .clone()
    };
    let feedback = body_schema("/feedback");
    assert_eq!(feedback["required"], serde_json::json!(["event_type"]));
    assert_eq!(feedback["properties"]["event_type"]["maxLength"], 32);
    assert_eq!(feedback["properties"]["user_id"]["maxLength"], 128);
    // History: the fields, with "items or tmdb_ids".
    let history = body_schema("/user/history");
    let alternatives = history["anyOf"].as_array().expect("anyOf");
    let needed: Vec<&Value> = alternatives
        .iter()
        .map(|a| &a["allOf"][1]["required"])
        .collect();
    assert_eq!(
        needed,
        [
            &serde_json::json!(["items"]),
            &serde_json::json!(["tmdb_ids"])
        ]
    );
    let fields = resolve(&spec, &alternatives[0]["allOf"][0]);
    assert_eq!(fields["properties"]["user_id"]["maxLength"], 64);
    assert_eq!(fields["properties"]["event_type"]["default"], "watched");
    let params = spec["paths"]["/recommend"]["get"]["parameters"]
        .as_array()
        .unwrap();
    let weight = params
        .iter()
        .find(|p| p["name"] == "mixer_ann_weight")
        .unwrap();
    assert_eq!(weight["schema"]["minimum"], 0.0);
    assert_eq!(weight["schema"]["maximum"], 1000.0);
}

#[sqlx::test(migrator = "seen_store::MIGRATOR")]
async fn a_recommended_item_always_has_a_numeric_score(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    let spec = spec(&app).await;

    let page = resolve(
        &spec,
        &spec["paths"]["/recommend"]["get"]["responses"]["200"]["content"]["application/json"]["schema"],
    );
    let item = resolve(&spec, &page["properties"]["items"]["items"]);

    assert_eq!(item["properties"]["score"]["type"], "number");
    assert!(
        item["required"]
            .as_array()
            .unwrap()
            .contains(&serde_json::json!("score"))
    );
}
