//! Value parsers shared by the subcommands' clap arguments.

/// A request timeout in seconds: finite, positive, at most ten minutes.
pub fn parse_timeout(raw: &str) -> Result<f64, String> {
    raw.trim()
        .parse::<f64>()
        .ok()
        .filter(|s| s.is_finite() && *s > 0.0 && *s <= 600.0)
        .ok_or_else(|| format!("`{raw}` is not a timeout in seconds (0 < seconds ≤ 600)"))
}
