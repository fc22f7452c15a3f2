//! The client's own rate limit: a pacer per command that spaces sends so
//! that no window of one second ever holds more than the service allows.
//!
//! The service counts calls per command in a sliding second (200 by
//! default). A token bucket that starts full lets a burst of a whole second's
//! worth through and then refills at full rate, so the first second sends
//! twice the limit and collects throttling errors. The pacer instead gives
//! every call its own send time, one interval after the previous one: with
//! an interval of `1000 / rate` ms no half-open second holds more than
//! `rate` sends. A margin ([`MARGIN`]) absorbs timer jitter and varying
//! network latency between the client's clock and the service's, and a
//! window guard ([`Pacer::admit`]) holds back a send that late timers would
//! bunch up with others. A lone
//! call never waits; a crowd is served first come, first served.
//!
//! When the service still says "too fast" (another process shares the
//! budget), [`Pacer::penalize`] halves the command's rate at once; every
//! success then wins back 5 % until the configured rate is reached again
//! (multiplicative decrease, gradual recovery, as in the AWS SDKs' adaptive
//! mode). The throttled call itself waits at least a second before it is
//! sent again ([`super::retry`]).

/// Share of the configured rate kept in reserve: 4 % (192 of 200 calls a
/// second), measured against the emulator at 20 ms latency (`npm run bench`).
pub const MARGIN: f64 = 0.04;
/// Share kept free by the window guard: at most 194 of 200 sends in any second.
pub const GUARD_MARGIN: f64 = 0.03;
/// Most a command is slowed down by repeated throttling answers (1/16 of its rate).
pub const MAX_SLOWDOWN: f64 = 16.0;

use std::collections::VecDeque;

/// A place in a command's queue: when to send and a ticket to give it back.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Slot {
    /// Milliseconds to wait from now before sending (0 = now).
    pub wait_ms: u64,
    /// The reserved send time, for [`Pacer::release`].
    pub at_ms: f64,
}

#[derive(Debug, Clone)]
struct Lane {
    command: &'static str,
    /// When the last sends actually left (at most `window_limit` of them).
    sent: VecDeque<f64>,
    /// When the next new reservation may be sent.
    next_at: f64,
    /// Current interval between sends (grows after throttling).
    interval: f64,
    /// Send times given back by aborted calls, reused first.
    holes: Vec<f64>,
}

/// Pacers, one per command.
#[derive(Debug, Clone)]
pub struct Pacer {
    base_interval: f64,
    /// Most sends in any second by the client's clock (`None`: too many to track).
    window_limit: Option<usize>,
    lanes: Vec<Lane>,
}

/// Rates above this are paced but not tracked send by send.
pub const MAX_TRACKED_RATE: f64 = 10_000.0;

impl Pacer {
    /// A pacer allowing `per_second` calls per second per command, less [`MARGIN`].
    pub fn new(per_second: f64) -> Self {
        // Timers fire late, never early, so lateness can only bunch sends
        // up; the window guard keeps even a bunch under the limit, with a
        // little room for the network's own jitter.
        // Never stricter than the pacing itself (which allows up to
        // ceil(rate × 96 %) in a window).
        let window_limit = (per_second <= MAX_TRACKED_RATE).then(|| {
            let guard = per_second.floor() - (per_second * GUARD_MARGIN).ceil();
            guard.max((per_second * (1.0 - MARGIN)).ceil()).max(1.0) as usize
        });
        Pacer {
            base_interval: 1000.0 / (per_second * (1.0 - MARGIN)),
            window_limit,
            lanes: Vec::new(),
        }
    }

    /// The interval between two sends of one command at full rate, in milliseconds.
    pub fn base_interval_ms(&self) -> f64 {
        self.base_interval
    }

    fn lane(&mut self, command: &'static str, now_ms: f64) -> &mut Lane {
        let idx = match self.lanes.iter().position(|l| l.command == command) {
            Some(i) => i,
            None => {
                self.lanes.push(Lane {
                    command,
                    sent: VecDeque::new(),
                    next_at: now_ms,
                    interval: self.base_interval,
                    holes: Vec::new(),
                });
                self.lanes.len() - 1
            }
        };
        &mut self.lanes[idx]
    }

    /// Reserves a send time for one call of `command` at `now_ms`.
    pub fn reserve(&mut self, command: &'static str, now_ms: f64) -> Slot {
        let lane = self.lane(command, now_ms);
        // A slot an aborted call gave back is still a valid send time, unless it has passed.
        lane.holes.retain(|t| *t >= now_ms);
        let at = if let Some(i) = (0..lane.holes.len()).min_by(|a, b| lane.holes[*a].total_cmp(&lane.holes[*b])) {
            lane.holes.swap_remove(i)
        } else {
            let at = lane.next_at.max(now_ms);
            lane.next_at = at + lane.interval;
            at
        };
        Slot {
            wait_ms: (at - now_ms).max(0.0).ceil() as u64,
            at_ms: at,
        }
    }

    /// Called when a call is about to leave at `now_ms` (after its reserved
    /// time): 0 records the send; otherwise wait that many milliseconds and
    /// ask again, because late timers have bunched sends up and one more
    /// would put more than the window limit into the last second.
    pub fn admit(&mut self, command: &'static str, now_ms: f64) -> u64 {
        let Some(limit) = self.window_limit else {
            return 0;
        };
        let lane = self.lane(command, now_ms);
        while lane.sent.front().is_some_and(|t| now_ms - t >= 1000.0) {
            lane.sent.pop_front();
        }
        if lane.sent.len() >= limit {
            let oldest = lane.sent[lane.sent.len() - limit];
            return (oldest + 1000.0 - now_ms).max(1.0).ceil() as u64;
        }
        lane.sent.push_back(now_ms);
        0
    }

    /// Gives back a reserved send time that will not be used (the call was
    /// aborted while it waited), so the next call can take it.
    pub fn release(&mut self, command: &'static str, slot: Slot, now_ms: f64) {
        if slot.at_ms < now_ms {
            return;
        }
        let lane = self.lane(command, now_ms);
        if (slot.at_ms + lane.interval - lane.next_at).abs() < 1e-6 {
            lane.next_at = slot.at_ms;
        } else {
            lane.holes.push(slot.at_ms);
        }
    }

    /// The service said the rate was exceeded: halve `command`'s rate.
    pub fn penalize(&mut self, command: &'static str, now_ms: f64) {
        let max = self.base_interval * MAX_SLOWDOWN;
        let lane = self.lane(command, now_ms);
        lane.interval = (lane.interval * 2.0).min(max);
        lane.next_at = lane.next_at.max(now_ms + lane.interval);
        lane.holes.clear();
    }

    /// A call of `command` succeeded: win back some of the rate lost to throttling.
    pub fn reward(&mut self, command: &'static str, now_ms: f64) {
        let base = self.base_interval;
        let lane = self.lane(command, now_ms);
        if lane.interval > base {
            lane.interval = (lane.interval / 1.05).max(base);
        }
    }

    /// The current rate of `command`, in calls per second (to 0.01).
    pub fn rate(&mut self, command: &'static str, now_ms: f64) -> f64 {
        (100_000.0 / self.lane(command, now_ms).interval).round() / 100.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn late_timers_cannot_bunch_more_than_the_window_limit_into_a_second() {
        let mut p = Pacer::new(200.0);
        // 300 calls all wake up late, at the same instant.
        let mut sent = vec![];
        let mut now = 0.0;
        let mut waiting: Vec<usize> = (0..300).collect();
        while !waiting.is_empty() {
            waiting.retain(|_| {
                if p.admit("x", now) == 0 {
                    sent.push(now);
                    false
                } else {
                    true
                }
            });
            now += 1.0;
        }
        assert_eq!(most_in_window(&sent, 1000.0), 194);
        assert_eq!(sent.iter().filter(|t| **t == 0.0).count(), 194);
        // Very high rates are not tracked.
        let mut fast = Pacer::new(1e9);
        assert!((0..100_000).all(|_| fast.admit("x", 0.0) == 0));
        assert!(fast.lanes.is_empty());
    }

    /// Most sends in any half-open window of `window` ms.
    fn most_in_window(times: &[f64], window: f64) -> usize {
        let mut sorted = times.to_vec();
        sorted.sort_by(f64::total_cmp);
        let mut most = 0;
        let mut start = 0;
        for end in 0..sorted.len() {
            while sorted[end] - sorted[start] >= window {
                start += 1;
            }
            most = most.max(end - start + 1);
        }
        most
    }

    #[test]
    fn a_crowd_never_exceeds_the_rate_in_any_second() {
        let mut p = Pacer::new(200.0);
        let times: Vec<f64> = (0..2000).map(|_| p.reserve("delete", 0.0).at_ms).collect();
        assert_eq!(times[0], 0.0, "the first call goes at once");
        assert!(
            most_in_window(&times, 1000.0) <= 193,
            "192 a second, one more at a window edge"
        );
        // 2000 calls take 2000 intervals: 192 a second, 96 % of the ceiling.
        let span = times[1999] - times[0];
        assert!((span / 1999.0 - 1000.0 / 192.0).abs() < 1e-9);
        // Other commands have their own budget.
        assert_eq!(p.reserve("del_contact_group", 0.0).wait_ms, 0);
    }

    #[test]
    fn calls_spread_over_time_never_wait() {
        let mut p = Pacer::new(200.0);
        for i in 0..100 {
            assert_eq!(p.reserve("x", f64::from(i) * 20.0).wait_ms, 0);
        }
    }

    #[test]
    fn released_slots_are_reused_and_the_window_still_holds() {
        let mut p = Pacer::new(200.0);
        let slots: Vec<Slot> = (0..300).map(|_| p.reserve("x", 0.0)).collect();
        // Calls 100..200 are aborted while they wait.
        for s in &slots[100..200] {
            p.release("x", *s, 1.0);
        }
        let mut times: Vec<f64> = slots[..100].iter().chain(&slots[200..]).map(|s| s.at_ms).collect();
        let again: Vec<f64> = (0..100).map(|_| p.reserve("x", 1.0).at_ms).collect();
        assert!(
            again.iter().all(|t| *t < slots[200].at_ms),
            "new calls take the freed places"
        );
        times.extend(again);
        assert!(
            most_in_window(&times, 1000.0) <= 193,
            "192 a second, one more at a window edge"
        );
        // Giving back the last place moves the queue's end.
        let mut p = Pacer::new(10.0);
        let a = p.reserve("x", 0.0);
        let b = p.reserve("x", 0.0);
        p.release("x", b, 0.0);
        assert_eq!(p.reserve("x", 0.0), b);
        assert_eq!(a.wait_ms, 0);
    }

    #[test]
    fn throttling_slows_then_recovers() {
        let mut p = Pacer::new(200.0);
        p.reserve("x", 0.0);
        p.penalize("x", 0.0);
        assert_eq!(
            p.reserve("x", 0.0).wait_ms,
            11,
            "the next send one doubled interval later"
        );
        assert_eq!(p.reserve("x", 0.0).wait_ms, 21);
        assert_eq!(p.rate("x", 0.0), 96.0);
        for _ in 0..20 {
            p.penalize("x", 0.0);
        }
        assert_eq!(p.rate("x", 0.0), 12.0, "slowed at most 16 times");
        for _ in 0..100 {
            p.reward("x", 0.0);
        }
        assert_eq!(p.rate("x", 0.0), 192.0, "back to the full rate");
    }

    #[test]
    fn slow_rates() {
        let mut p = Pacer::new(2.0);
        assert_eq!(p.reserve("x", 0.0).wait_ms, 0);
        assert_eq!(p.reserve("x", 0.0).wait_ms, 521);
    }
}
