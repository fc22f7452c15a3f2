//! Pacing: the client's own pacer (or the shared limiter) lets each attempt
//! go; "too fast" from the service, or its rate alert, slows a command.

use std::future::Future;
use std::pin::Pin;

use super::rate;
use super::send::abort;
use super::{Acquired, Client, Runtime};
use crate::error::Result;

impl<R: Runtime> Client<R> {
    /// Halves `command`'s rate: the shared limiter's (told through
    /// `penalize`; `None`) or this client's own pacer's (its new rate).
    pub(super) fn slow_down(&self, command: &'static str) -> Option<f64> {
        if self.runtime.has_limiter() {
            self.runtime.penalize(command);
            return None;
        }
        let now = self.runtime.now_ms();
        let mut pacer = self.pacer.borrow_mut();
        pacer.penalize(command, now);
        Some(pacer.rate(command, now))
    }

    /// The service's `Alert.RequestOverLimit` callback (an API called at 80 %
    /// of its limit): when it names one of this service's commands
    /// (`ServiceName` "recentcontact"), that command is slowed as a 60007
    /// would slow it, before the service throttles: `Some` of its new rate
    /// (`None` inside with a shared limiter, told through `penalize`).
    /// `None` for another service's or command's alert. (The JavaScript
    /// client reports it as a `rate-alert` event.)
    pub fn observe_rate_alert(&self, service: &str, command: &str) -> Option<Option<f64>> {
        let command = crate::endpoint::COMMANDS.iter().copied().find(|c| *c == command)?;
        (service == "recentcontact").then(|| self.slow_down(command))
    }

    /// Waits for this client's own pacer to let one attempt of `command` go
    /// (asked at `now`); `Ok(true)` when it had to wait.
    pub(super) async fn pace(&self, command: &'static str, now: f64, cancel: Option<&R::Cancel>) -> Result<bool> {
        let slot = {
            let mut pacer = self.pacer.borrow_mut();
            let slot = pacer.reserve(command, now);
            if slot.wait_ms == 0 && pacer.admit(command, now) == 0 {
                return Ok(false);
            }
            slot
        };
        self.wait_for_pacer(command, slot, cancel).await.map(|()| true)
    }

    /// The waiting part of [`Client::pace`], boxed: its state machine (and
    /// the timers it awaits) stays out of `send`'s, so a call that need not
    /// wait never has it compiled (see [`Client::after_failure`]).
    #[cold]
    #[inline(never)]
    fn wait_for_pacer<'a>(
        &'a self,
        command: &'static str,
        slot: rate::Slot,
        cancel: Option<&'a R::Cancel>,
    ) -> Pin<Box<dyn Future<Output = Result<()>> + 'a>> {
        Box::pin(self.pace_wait(command, slot, cancel))
    }

    async fn pace_wait(&self, command: &'static str, slot: rate::Slot, cancel: Option<&R::Cancel>) -> Result<()> {
        if slot.wait_ms > 0 && !self.runtime.sleep(slot.wait_ms, cancel).await {
            // Aborted while queued: give the place to the next call.
            self.pacer.borrow_mut().release(command, slot, self.runtime.now_ms());
            return Err(abort(command));
        }
        // (When the slot was due, pace's refused admit is asked again: it
        // records nothing when it refuses.)
        loop {
            let wait = self.pacer.borrow_mut().admit(command, self.runtime.now_ms());
            if wait == 0 {
                return Ok(());
            }
            if !self.runtime.sleep(wait, cancel).await {
                return Err(abort(command));
            }
        }
    }

    /// The shared limiter's wait, boxed like [`Client::wait_for_pacer`]:
    /// a client without a `rateLimiter` never runs it.
    #[cold]
    #[inline(never)]
    pub(super) fn wait_for_shared_limiter<'a>(
        &'a self,
        command: &'static str,
        cancel: Option<&'a R::Cancel>,
    ) -> Pin<Box<dyn Future<Output = Acquired> + 'a>> {
        Box::pin(self.runtime.acquire(command, cancel))
    }

    /// A back-off wait before a retry, boxed like [`Client::wait_for_pacer`].
    #[cold]
    #[inline(never)]
    pub(super) fn back_off<'a>(
        &'a self,
        ms: u64,
        cancel: Option<&'a R::Cancel>,
    ) -> Pin<Box<dyn Future<Output = bool> + 'a>> {
        Box::pin(self.runtime.sleep(ms, cancel))
    }
}
