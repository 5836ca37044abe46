//! URLs for logs and error messages, with secrets masked.

use url::Url;

/// The text shown in place of a secret value.
pub const REDACTED: &str = "REDACTED";

/// `url` as text, with the value of every query parameter named in `secret_params` replaced by
/// [`REDACTED`] and any user info (`user:password@`) dropped.
pub fn redact_url(url: &Url, secret_params: &[&str]) -> String {
    let mut clean = url.clone();
    // Setting empty credentials only fails for cannot-be-a-base URLs, which carry none.
    let _ = clean.set_username("");
    let _ = clean.set_password(None);
    if clean.query().is_some() {
        let pairs: Vec<(String, String)> = url
            .query_pairs()
            .map(|(k, v)| {
                let value = if secret_params.iter().any(|s| k.eq_ignore_ascii_case(s)) {
                    REDACTED.to_owned()
                } else {
                    v.into_owned()
                };
                (k.into_owned(), value)
            })
            .collect();
        clean.query_pairs_mut().clear().extend_pairs(pairs);
    }
    clean.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(s: &str) -> Url {
        Url::parse(s).expect("test URL is valid")
    }

    #[test]
    fn a_secret_query_value_is_masked_and_the_rest_kept() {
        let text = redact_url(
            &url("https://x.org/3/movie/1?api_key=s3cr3t&language=en-US"),
            &["api_key"],
        );
        assert_eq!(
            text,
            "https://x.org/3/movie/1?api_key=REDACTED&language=en-US"
        );
    }

    #[test]
    fn user_info_is_dropped() {
        let text = redact_url(&url("https://me:pw@x.org/a"), &[]);
        assert!(!text.contains("pw"), "{text}");
        assert!(!text.contains("me@"), "{text}");
    }

    #[test]
    fn a_url_without_query_is_unchanged() {
        assert_eq!(
            redact_url(&url("https://x.org/a/b"), &["api_key"]),
            "https://x.org/a/b"
        );
    }
}
