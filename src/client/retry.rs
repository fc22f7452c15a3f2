//! Retry decisions: a pure function of the error, the attempt and the
//! client's capabilities, tested without any network.

use crate::error::{classify_code, CodeClass, Error};

/// First back-off delay, in milliseconds.
pub const INITIAL_DELAY_MS: f64 = 500.0;
/// Largest back-off delay, in milliseconds.
pub const MAX_DELAY_MS: f64 = 8_000.0;
/// Smallest delay after the service said the call rate was exceeded.
pub const THROTTLED_MIN_DELAY_MS: f64 = 1_000.0;

/// What the client does after a failed attempt.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Decision {
    /// Give up and report the error.
    Fail,
    /// Sign a fresh UserSig and send again at once (expired signature).
    Resign,
    /// Wait this many milliseconds, then send again.
    RetryAfter(u64),
}

/// Decides what to do after `error` on attempt `attempt` (0 = the first
/// retry would be next). `can_resign` is true when the client owns the secret
/// key and has not re-signed for this call yet; `jitter` is uniform in [0, 1).
pub fn decide(error: &Error, attempt: u32, max_retries: u32, can_resign: bool, jitter: f64) -> Decision {
    let class = error.code().map(classify_code);
    if class == Some(CodeClass::SigExpired) {
        return if can_resign { Decision::Resign } else { Decision::Fail };
    }
    if !error.retryable()
        || attempt >= max_retries
        || class == Some(CodeClass::ThrottledLong)
        || (class == Some(CodeClass::TransientOnce) && attempt >= 1)
    {
        return Decision::Fail;
    }
    let mut delay = backoff_ms(attempt, jitter);
    if class == Some(CodeClass::Throttled) {
        delay = delay.max(THROTTLED_MIN_DELAY_MS);
    }
    Decision::RetryAfter(delay.round() as u64)
}

/// Exponential back-off with up to 25 % jitter downwards, capped.
pub fn backoff_ms(attempt: u32, jitter: f64) -> f64 {
    let base = (INITIAL_DELAY_MS * 2f64.powi(attempt.min(16) as i32)).min(MAX_DELAY_MS);
    base * (1.0 - 0.25 * jitter.clamp(0.0, 1.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn api(code: i64) -> Error {
        Error::from_service(code, String::new(), None, "delete")
    }

    #[test]
    fn expired_signature_resigns_once() {
        assert_eq!(decide(&api(70001), 0, 2, true, 0.0), Decision::Resign);
        assert_eq!(decide(&api(70052), 0, 2, true, 0.0), Decision::Resign);
        assert_eq!(decide(&api(70001), 0, 2, false, 0.0), Decision::Fail);
    }

    #[test]
    fn transient_and_throttled_back_off() {
        assert_eq!(decide(&api(50004), 0, 2, true, 0.0), Decision::RetryAfter(500));
        assert_eq!(decide(&api(50004), 1, 2, true, 0.0), Decision::RetryAfter(1000));
        assert_eq!(decide(&api(50004), 2, 2, true, 0.0), Decision::Fail);
        assert_eq!(decide(&api(60007), 0, 2, true, 0.0), Decision::RetryAfter(1000));
        assert_eq!(decide(&api(70050), 0, 2, true, 0.0), Decision::Fail);
        assert_eq!(decide(&api(51009), 0, 2, true, 0.0), Decision::Fail);
        // 60008 may mean a request the service cannot read: tried again once only.
        assert_eq!(decide(&api(60008), 0, 2, true, 0.0), Decision::RetryAfter(500));
        assert_eq!(decide(&api(60008), 1, 2, true, 0.0), Decision::Fail);
        assert_eq!(decide(&api(70003), 0, 2, true, 0.0), Decision::Fail);
    }

    #[test]
    fn backoff_is_capped_and_jittered() {
        assert_eq!(backoff_ms(10, 0.0), MAX_DELAY_MS);
        assert_eq!(backoff_ms(0, 1.0), 375.0);
        assert_eq!(backoff_ms(u32::MAX, 0.5), MAX_DELAY_MS * 0.875);
    }

    #[test]
    fn ambiguous_failures_follow_retryable() {
        let t = |retryable| Error::Timeout {
            timeout_ms: 1,
            url: String::new(),
            retryable,
            outcome_unknown: false,
            read_back: None,
        };
        assert_eq!(decide(&t(true), 0, 2, true, 0.0), Decision::RetryAfter(500));
        assert_eq!(decide(&t(false), 0, 2, true, 0.0), Decision::Fail);
    }
}
