//! The client's own rate limit: a token bucket per command, so that a busy
//! server stays under the documented 200 calls per second instead of
//! collecting throttling errors.

/// Token buckets, one per command.
#[derive(Debug, Clone)]
pub struct RateLimiter {
    per_second: f64,
    buckets: Vec<(&'static str, Bucket)>,
}

#[derive(Debug, Clone, Copy)]
struct Bucket {
    tokens: f64,
    at_ms: f64,
}

impl RateLimiter {
    /// A limiter allowing `per_second` calls per second per command, with a
    /// burst of one second's worth.
    pub fn new(per_second: f64) -> Self {
        RateLimiter {
            per_second,
            buckets: Vec::new(),
        }
    }

    fn bucket(&mut self, command: &'static str, now_ms: f64) -> &mut Bucket {
        let idx = match self.buckets.iter().position(|(c, _)| *c == command) {
            Some(i) => i,
            None => {
                self.buckets.push((
                    command,
                    Bucket {
                        tokens: self.per_second,
                        at_ms: now_ms,
                    },
                ));
                self.buckets.len() - 1
            }
        };
        let rate = self.per_second;
        let b = &mut self.buckets[idx].1;
        let elapsed = (now_ms - b.at_ms).max(0.0);
        b.tokens = (b.tokens + elapsed * rate / 1000.0).min(rate.max(1.0));
        b.at_ms = now_ms.max(b.at_ms);
        b
    }

    /// Reserves one call of `command` at `now_ms`; returns how many
    /// milliseconds to wait before sending it (0 = now). Calls reserved while
    /// others wait queue up behind them.
    pub fn reserve(&mut self, command: &'static str, now_ms: f64) -> u64 {
        let rate = self.per_second;
        let b = self.bucket(command, now_ms);
        b.tokens -= 1.0;
        if b.tokens >= 0.0 {
            0
        } else {
            (-b.tokens * 1000.0 / rate).ceil() as u64
        }
    }

    /// The service said the rate was exceeded: empty the bucket.
    pub fn penalize(&mut self, command: &'static str, now_ms: f64) {
        let b = self.bucket(command, now_ms);
        b.tokens = b.tokens.min(0.0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bursts_then_spaces_calls() {
        let mut r = RateLimiter::new(200.0);
        for _ in 0..200 {
            assert_eq!(r.reserve("delete", 0.0), 0);
        }
        assert_eq!(r.reserve("delete", 0.0), 5);
        assert_eq!(r.reserve("delete", 0.0), 10);
        // Other commands have their own budget.
        assert_eq!(r.reserve("del_contact_group", 0.0), 0);
        // After a second the bucket is full again (minus the queued calls).
        assert_eq!(r.reserve("delete", 1000.0), 0);
    }

    #[test]
    fn slow_rates_and_penalty() {
        let mut r = RateLimiter::new(2.0);
        assert_eq!(r.reserve("x", 0.0), 0);
        assert_eq!(r.reserve("x", 0.0), 0);
        assert_eq!(r.reserve("x", 0.0), 500);
        let mut r = RateLimiter::new(10.0);
        r.penalize("x", 0.0);
        assert_eq!(r.reserve("x", 0.0), 100);
    }
}
