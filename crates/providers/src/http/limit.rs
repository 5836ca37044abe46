//! A rate limiter shared by every task that uses one client.
//!
//! The original slept on an unlocked "last request" timestamp, so 20 concurrent calls all woke
//! together and fired as a burst. A governor GCRA limiter behind an `Arc` is exact under
//! concurrency: each clone of a client waits on the same bucket.

use governor::{DefaultDirectRateLimiter, Quota};
use std::num::NonZeroU32;
use std::sync::Arc;

/// Cloneable handle to one token bucket.
#[derive(Debug, Clone)]
pub struct RateLimiter {
    inner: Arc<DefaultDirectRateLimiter>,
}

impl RateLimiter {
    /// A limiter allowing `per_second` requests per second, with a burst of the same size.
    pub fn per_second(per_second: NonZeroU32) -> Self {
        RateLimiter {
            inner: Arc::new(DefaultDirectRateLimiter::direct(Quota::per_second(
                per_second,
            ))),
        }
    }

    /// Waits until one more request may start.
    pub async fn ready(&self) {
        self.inner.until_ready().await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, Instant};

    #[tokio::test]
    async fn clones_share_one_bucket() {
        let limiter = RateLimiter::per_second(NonZeroU32::new(2).expect("2 is non-zero"));
        let other = limiter.clone();
        let start = Instant::now();
        // The burst of 2 is spent by the first two; the third must wait for a refill (~0.5 s).
        limiter.ready().await;
        other.ready().await;
        limiter.ready().await;
        assert!(
            start.elapsed() >= Duration::from_millis(400),
            "{:?}",
            start.elapsed()
        );
    }
}
