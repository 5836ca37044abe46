//! Requests to a running `seenemall serve`, shared by the evaluations that go through HTTP.

use anyhow::Context;

/// Sends `request`; an unreachable server or an answer other than 2xx is an error that names
/// `what` (method, url, subject) and carries the body.
pub async fn send_ok(
    request: reqwest::RequestBuilder,
    what: &str,
) -> anyhow::Result<reqwest::Response> {
    let response = request
        .send()
        .await
        .with_context(|| format!("{what} failed (is `seenemall serve` running?)"))?;
    let status = response.status();
    anyhow::ensure!(
        status.is_success(),
        "{what} answered {status}: {}",
        response.text().await.unwrap_or_default()
    );
    Ok(response)
}
