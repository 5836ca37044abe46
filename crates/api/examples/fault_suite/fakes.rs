//! Local fakes of OpenAI (chat completions) and TMDB that fail on every request, cycling
//! through the ways a real provider fails: a 500, a 429 with `Retry-After`, a stall longer
//! than the client's timeout, a 200 that is not JSON, a 200 JSON of the wrong shape, and a
//! well-formed answer whose content is nonsense.

use serde_json::json;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

/// The wire format a fake speaks when it answers 200.
#[derive(Debug, Clone, Copy)]
pub enum Dialect {
    /// `POST /v1/chat/completions`.
    OpenAi,
    /// `GET /3/search/multi` and any other TMDB read.
    Tmdb,
}

#[derive(Debug, Clone, Copy)]
enum Fault {
    ServerError,
    RateLimited,
    Stall,
    NotJson,
    WrongShape,
    NonsenseAnswer,
}

const CYCLE: [Fault; 6] = [
    Fault::ServerError,
    Fault::RateLimited,
    Fault::Stall,
    Fault::NotJson,
    Fault::WrongShape,
    Fault::NonsenseAnswer,
];

/// Every failure mode, one per request in turn (shared across the fake's callers).
struct Faulty {
    dialect: Dialect,
    served: Arc<AtomicUsize>,
    stall: Duration,
}

impl Respond for Faulty {
    fn respond(&self, _request: &Request) -> ResponseTemplate {
        let n = self.served.fetch_add(1, Ordering::Relaxed);
        match CYCLE[n % CYCLE.len()] {
            Fault::ServerError => ResponseTemplate::new(500).set_body_string("upstream exploded"),
            Fault::RateLimited => ResponseTemplate::new(429)
                .insert_header("Retry-After", "1")
                .set_body_json(json!({"error": {"message": "Rate limit reached"}})),
            // The headers are only sent after the delay, so the client's timeout fires first.
            Fault::Stall => ResponseTemplate::new(200)
                .set_delay(self.stall)
                .set_body_json(json!({})),
            Fault::NotJson => ResponseTemplate::new(200)
                .insert_header("content-type", "text/html")
                .set_body_string("<html><body>502 Bad Gateway</body></html>"),
            Fault::WrongShape => ResponseTemplate::new(200).set_body_json(match self.dialect {
                Dialect::OpenAi => json!({"object": "chat.completion", "choices": "none"}),
                Dialect::Tmdb => json!({"page": 1, "results": "none"}),
            }),
            Fault::NonsenseAnswer => ResponseTemplate::new(200).set_body_json(match self.dialect {
                Dialect::OpenAi => json!({
                    "id": "chatcmpl-fault",
                    "object": "chat.completion",
                    "model": "gpt-fault",
                    "choices": [{
                        "index": 0,
                        "message": {"role": "assistant", "content": "[\"not\", {\"an\": \"object\"}, 42]"},
                        "finish_reason": "stop"
                    }]
                }),
                Dialect::Tmdb => json!({
                    "page": 1,
                    "results": [{"media_type": "galaxy", "id": "not-a-number", "title": 42}],
                    "total_results": 1
                }),
            }),
        }
    }
}

/// One running fake.
pub struct Fake {
    server: MockServer,
}

impl Fake {
    /// Starts a fake on 127.0.0.1 (a port of its own) that answers every POST (OpenAI) or
    /// GET (TMDB) with the next failure; a stall lasts `stall`.
    pub async fn start(dialect: Dialect, stall: Duration) -> Fake {
        let server = MockServer::builder().start().await;
        let verb = match dialect {
            Dialect::OpenAi => "POST",
            Dialect::Tmdb => "GET",
        };
        Mock::given(method(verb))
            .respond_with(Faulty {
                dialect,
                served: Arc::new(AtomicUsize::new(0)),
                stall,
            })
            .mount(&server)
            .await;
        Fake { server }
    }

    /// The base URL, e.g. `http://127.0.0.1:40123`.
    pub fn uri(&self) -> String {
        self.server.uri()
    }

    /// Requests the fake received (wiremock's own record, matched or not).
    pub async fn received(&self) -> usize {
        self.server
            .received_requests()
            .await
            .map_or(0, |requests| requests.len())
    }
}
