//! The LLM client against local fakes speaking the OpenAI chat-completions and Gemini
//! `generateContent` wire formats: what is sent, what comes back, and how it fails.

use seen_providers::llm::{LlmClient, LlmError, LlmProviderKind, LlmSettings};
use serde_json::{Value, json};
use std::time::{Duration, Instant};
use url::Url;
use wiremock::matchers::{any, body_partial_json, header, method, path, query_param_is_missing};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// The key the tests configure; no error text may contain it.
const KEY: &str = "sk-test-llm-key-0123456789";
const OPENAI_PATH: &str = "/v1/chat/completions";
const GEMINI_PATH: &str = "/v1beta/models/gemini-test:generateContent";

fn openai_settings(endpoint: &str) -> LlmSettings {
    let mut s = LlmSettings::new(LlmProviderKind::OpenAi, Some(KEY.to_owned().into()));
    s.endpoint = Url::parse(endpoint).expect("test URL is valid");
    s.model = "gpt-test".into();
    s.timeout = Duration::from_secs(2);
    s.max_tokens = 321;
    s
}

fn openai(server: &MockServer) -> LlmClient {
    LlmClient::new(openai_settings(&format!("{}{OPENAI_PATH}", server.uri())))
        .expect("valid settings")
}

fn gemini(server: &MockServer) -> LlmClient {
    let mut s = LlmSettings::new(LlmProviderKind::Gemini, Some(KEY.to_owned().into()));
    s.endpoint = Url::parse(&format!("{}/v1beta/models", server.uri())).expect("valid URL");
    s.model = "gemini-test".into();
    s.timeout = Duration::from_secs(2);
    s.max_tokens = 123;
    LlmClient::new(s).expect("valid settings")
}

fn chat_answer(content: Value) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({
        "id": "chatcmpl-1",
        "object": "chat.completion",
        "model": "gpt-test",
        "choices": [{"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": "stop"}],
        "usage": {"prompt_tokens": 10, "completion_tokens": 5, "total_tokens": 15}
    }))
}

fn gemini_answer(parts: Value) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({
        "candidates": [{"content": {"role": "model", "parts": parts}, "finishReason": "STOP"}],
        "usageMetadata": {"promptTokenCount": 10, "candidatesTokenCount": 5}
    }))
}

#[track_caller]
fn assert_no_key(error: &LlmError) {
    let text = format!("{error} {error:?}");
    assert!(!text.contains(KEY), "the key leaked: {text}");
}

#[tokio::test]
async fn openai_sends_a_json_mode_chat_request_and_returns_the_parsed_answer() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(OPENAI_PATH))
        .and(header("authorization", format!("Bearer {KEY}").as_str()))
        .and(header("content-type", "application/json"))
        .and(body_partial_json(json!({
            "model": "gpt-test",
            "messages": [
                {"role": "system", "content": "be terse"},
                {"role": "user", "content": "Query: no gore\nIntent:"}
            ],
            "response_format": {"type": "json_object"},
            "max_tokens": 321
        })))
        .respond_with(chat_answer(json!("{\"exclude_genres\": [\"Horror\"]}")))
        .expect(1)
        .mount(&server)
        .await;

    let answer = openai(&server)
        .complete_json("be terse", "Query: no gore\nIntent:")
        .await
        .expect("a good answer");

    assert_eq!(answer, json!({"exclude_genres": ["Horror"]}));
}

#[tokio::test]
async fn openai_sends_the_project_header_and_keeps_the_chat_endpoint() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(OPENAI_PATH))
        .and(header("openai-project", "proj_123"))
        .respond_with(chat_answer(json!("{}")))
        .expect(1)
        .mount(&server)
        .await;
    let mut settings = openai_settings(&format!("{}{OPENAI_PATH}", server.uri()));
    settings.project = Some("proj_123".into());

    let answer = LlmClient::new(settings)
        .expect("valid settings")
        .complete_json("s", "u")
        .await;

    assert_eq!(answer.ok(), Some(json!({})));
}

#[tokio::test]
async fn a_fenced_json_answer_is_accepted() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(chat_answer(json!(
            "```json\n{\"items\": [{\"id\": 1}]}\n```"
        )))
        .mount(&server)
        .await;

    let answer = openai(&server).complete_json("s", "u").await;

    assert_eq!(answer.ok(), Some(json!({"items": [{"id": 1}]})));
}

#[tokio::test]
async fn a_non_json_answer_is_not_json() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(chat_answer(json!(
            "Sure! Here are some movies you might like."
        )))
        .expect(1)
        .mount(&server)
        .await;

    let error = openai(&server)
        .complete_json("s", "u")
        .await
        .expect_err("prose");

    assert!(matches!(error, LlmError::NotJson(_)), "{error:?}");
    assert_eq!(error.kind(), "not_json");
    assert_no_key(&error);
}

#[tokio::test]
async fn an_answer_without_choices_is_a_bad_shape() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"object": "chat.completion"})),
        )
        .expect(1)
        .mount(&server)
        .await;

    let error = openai(&server)
        .complete_json("s", "u")
        .await
        .expect_err("no choices");

    assert!(matches!(error, LlmError::BadShape(_)), "{error:?}");
    assert_no_key(&error);
}

#[tokio::test]
async fn an_empty_answer_is_empty() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(chat_answer(json!("")))
        .expect(1)
        .mount(&server)
        .await;

    let error = openai(&server)
        .complete_json("s", "u")
        .await
        .expect_err("empty");

    assert!(matches!(error, LlmError::Empty), "{error:?}");
}

#[tokio::test]
async fn a_429_is_retried_once_and_the_second_answer_used() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "0"))
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(chat_answer(json!("{\"ok\": true}")))
        .expect(1)
        .mount(&server)
        .await;

    let answer = openai(&server).complete_json("s", "u").await;

    assert_eq!(answer.ok(), Some(json!({"ok": true})));
}

#[tokio::test]
async fn a_500_is_retried_once_then_reported_with_its_status_only() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(500).set_body_json(
            json!({"error": {"message": format!("Incorrect API key provided: {KEY}")}}),
        ))
        .expect(2)
        .mount(&server)
        .await;

    let error = openai(&server)
        .complete_json("s", "u")
        .await
        .expect_err("500");

    assert!(
        matches!(error, LlmError::Status { status: 500 }),
        "{error:?}"
    );
    assert_eq!(error.kind(), "status_500");
    assert_no_key(&error);
}

#[tokio::test]
async fn a_401_is_not_retried() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(401))
        .expect(1)
        .mount(&server)
        .await;

    let error = openai(&server)
        .complete_json("s", "u")
        .await
        .expect_err("401");

    assert!(
        matches!(error, LlmError::Status { status: 401 }),
        "{error:?}"
    );
    assert_no_key(&error);
}

#[tokio::test]
async fn a_long_retry_after_is_not_waited_for_beyond_the_budget() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "30"))
        .expect(1)
        .mount(&server)
        .await;
    let start = Instant::now();

    let error = openai(&server)
        .complete_json("s", "u")
        .await
        .expect_err("429");

    assert!(
        matches!(error, LlmError::Status { status: 429 }),
        "{error:?}"
    );
    assert!(
        start.elapsed() < Duration::from_secs(1),
        "{:?}",
        start.elapsed()
    );
}

#[tokio::test]
async fn a_slow_answer_times_out_within_the_budget() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(chat_answer(json!("{}")).set_delay(Duration::from_secs(5)))
        .mount(&server)
        .await;
    let mut settings = openai_settings(&format!("{}{OPENAI_PATH}", server.uri()));
    settings.timeout = Duration::from_millis(300);
    let client = LlmClient::new(settings).expect("valid settings");
    let start = Instant::now();

    let error = client.complete_json("s", "u").await.expect_err("too slow");

    assert!(matches!(error, LlmError::Timeout), "{error:?}");
    assert!(
        start.elapsed() < Duration::from_millis(1500),
        "{:?}",
        start.elapsed()
    );
}

#[tokio::test]
async fn a_refused_connection_is_a_connect_error() {
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind a free port");
        listener.local_addr().expect("local address").port()
    };
    let client = LlmClient::new(openai_settings(&format!(
        "http://127.0.0.1:{port}{OPENAI_PATH}"
    )))
    .expect("valid settings");

    let error = client
        .complete_json("s", "u")
        .await
        .expect_err("nobody listens");

    assert!(matches!(error, LlmError::Connect(_)), "{error:?}");
    assert_eq!(error.kind(), "connect");
    assert_no_key(&error);
}

#[tokio::test]
async fn a_missing_key_fails_before_any_request() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200))
        .expect(0)
        .mount(&server)
        .await;
    let mut settings = openai_settings(&server.uri());
    settings.api_key = None;

    let error = LlmClient::new(settings).expect_err("no key");

    assert!(matches!(error, LlmError::MissingKey), "{error:?}");
    assert!(error.to_string().contains("OPENAI_API_KEY"), "{error}");
}

#[tokio::test]
async fn gemini_sends_the_key_in_a_header_and_joins_the_answer_parts() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(GEMINI_PATH))
        .and(header("x-goog-api-key", KEY))
        .and(query_param_is_missing("key"))
        .and(body_partial_json(json!({
            "contents": [{"role": "user", "parts": [{"text": "Query: kids show\nIntent:"}]}],
            "systemInstruction": {"role": "system", "parts": [{"text": "be terse"}]},
            "generationConfig": {"responseMimeType": "application/json", "maxOutputTokens": 123}
        })))
        .respond_with(gemini_answer(
            json!([{"text": "{\"media_types\":"}, {"text": "[\"tv\"]}"}]),
        ))
        .expect(1)
        .mount(&server)
        .await;

    let answer = gemini(&server)
        .complete_json("be terse", "Query: kids show\nIntent:")
        .await;

    assert_eq!(answer.ok(), Some(json!({"media_types": ["tv"]})));
}

#[tokio::test]
async fn gemini_without_a_system_text_sends_no_system_instruction() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(GEMINI_PATH))
        .respond_with(gemini_answer(json!([{"text": "```json\n[]\n```"}])))
        .expect(1)
        .mount(&server)
        .await;

    let answer = gemini(&server).complete_json("", "u").await;

    assert_eq!(answer.ok(), Some(json!([])));
    let requests = server.received_requests().await.expect("recording is on");
    let body: Value = serde_json::from_slice(&requests[0].body).expect("a JSON body");
    assert!(body.get("systemInstruction").is_none(), "{body}");
}

#[tokio::test]
async fn gemini_without_candidates_is_a_bad_shape() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"promptFeedback": {"blockReason": "SAFETY"}})),
        )
        .expect(1)
        .mount(&server)
        .await;

    let error = gemini(&server)
        .complete_json("s", "u")
        .await
        .expect_err("blocked");

    assert!(matches!(error, LlmError::BadShape(_)), "{error:?}");
}

#[tokio::test]
async fn gemini_without_text_is_empty() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(gemini_answer(json!([])))
        .expect(1)
        .mount(&server)
        .await;

    let error = gemini(&server)
        .complete_json("s", "u")
        .await
        .expect_err("no text");

    assert!(matches!(error, LlmError::Empty), "{error:?}");
}

#[tokio::test]
async fn gemini_errors_never_show_the_key() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(400).set_body_json(
            json!({"error": {"code": 400, "message": format!("API key not valid: {KEY}")}}),
        ))
        .expect(1)
        .mount(&server)
        .await;

    let error = gemini(&server)
        .complete_json("s", "u")
        .await
        .expect_err("400");

    assert!(
        matches!(error, LlmError::Status { status: 400 }),
        "{error:?}"
    );
    assert_no_key(&error);
}
