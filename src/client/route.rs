//! Failover: which origin the next attempt goes to, and moving to the next
//! one when an origin gives no usable answer.

use super::{Client, Event, Runtime};

/// How long the client stays on a backup origin before trying the main one again.
pub const FAILOVER_COOLDOWN_MS: f64 = 60_000.0;

/// Which origin requests go to now.
#[derive(Debug, Clone, Copy)]
pub(super) struct Route {
    /// Index into [`Config::origins`].
    pub(super) active: usize,
    /// When to try the main origin again (while on a backup).
    pub(super) back_at: f64,
}

impl<R: Runtime> Client<R> {
    /// The origin for the next attempt: the active one, or the main one
    /// again once a backup's cool-down is over.
    pub(super) fn origin(&self, command: &str, now: f64) -> usize {
        let mut route = self.route.borrow_mut();
        if route.active != 0 && now >= route.back_at {
            let from = route.active;
            route.active = 0;
            drop(route);
            self.runtime.event(&Event::Failover {
                command,
                from: &self.config.origins[from],
                to: &self.config.origins[0],
                reason: "cool-down over",
            });
            return 0;
        }
        route.active
    }

    /// Origin `failed` gave no usable answer: move to the next one (when
    /// others exist and nobody moved already).
    pub(super) fn fail_over(&self, failed: usize, command: &str, reason: &str) {
        let n = self.config.origins.len();
        let mut route = self.route.borrow_mut();
        if n < 2 || route.active != failed {
            return;
        }
        route.active = (failed + 1) % n;
        route.back_at = self.runtime.now_ms() + FAILOVER_COOLDOWN_MS;
        let to = route.active;
        drop(route);
        self.runtime.event(&Event::Failover {
            command,
            from: &self.config.origins[failed],
            to: &self.config.origins[to],
            reason,
        });
    }
}
