//! The attempt loop every call goes through (once in the binary): pace,
//! sign, send, decode, and after a failure fail over, slow down, and retry
//! or give up as [`super::retry::decide`] says.

use super::retry::{decide, Decision};
use super::{
    Acquired, Client, Credential, Effective, Event, HttpRequest, HttpResponse, Runtime, TransportError,
    MAX_RETRY_AFTER_MS,
};
use crate::error::{classify_code, CodeClass, Error, Result};

fn too_large(command: &str, limit: usize) -> Error {
    crate::endpoint::decode_error(
        command,
        format!("the answer is longer than maxResponseBytes ({limit} bytes); reading stopped there"),
    )
}

/// A call's retry budget.
#[derive(Debug, Clone, Copy)]
pub(super) struct Budget {
    /// Retries made so far (0 on the first attempt).
    pub(super) attempt: u32,
    pub(super) settings: Effective,
    /// Whether an attempt got no clear answer (it may have been applied).
    pub(super) doubt: bool,
    /// The origin the latest attempt went to.
    pub(super) sent_to: usize,
}

impl<R: Runtime> Client<R> {
    /// A decode error about an answer: with its status and excerpt, redacted.
    fn answer_error(&self, error: Error, status: u16, body: &[u8]) -> Error {
        let secrets = self.secrets();
        let redact = |t: &str| crate::error::redact(t, &secrets);
        error.with_answer(status, body, redact).map_text(redact)
    }

    /// The part of a call that is the same for every command (kept out of the
    /// generic [`Client::call`] so the wasm binary holds it once): sends until
    /// `parse` accepts a 2xx answer (it returns the service's error for one
    /// that says FAIL, which is retried or not like any other failure). A
    /// non-idempotent call returns its first ambiguous failure instead of
    /// retrying it.
    pub(super) async fn send(
        &self,
        command: &'static str,
        idempotent: bool,
        body: &str,
        budget: &mut Budget,
        cancel: Option<&R::Cancel>,
        parse: &mut dyn FnMut(&[u8]) -> Result<()>,
    ) -> Result<()> {
        let can_resign = matches!(self.config.credential, Credential::SecretKey { .. });
        let (mut resigned, mut fresh) = (false, false);
        let limit = self.config.max_response_bytes as usize;
        loop {
            if cancel.is_some_and(|c| self.runtime.is_cancelled(c)) {
                return Err(abort(command));
            }
            let paced = if self.runtime.has_limiter() {
                match self.wait_for_shared_limiter(command, cancel).await {
                    Acquired::Granted => true,
                    Acquired::Aborted => return Err(abort(command)),
                    Acquired::Failed(message) => {
                        self.runtime.event(&Event::LimiterError {
                            command,
                            message: &message,
                        });
                        false
                    }
                }
            } else {
                false
            };
            // The clock is read once before the attempt and once after it.
            let mut now = self.runtime.now_ms();
            if !paced && self.pace(command, now, cancel).await? {
                now = self.runtime.now_ms();
            }
            // Aborted while waiting for its turn: nothing of this attempt is
            // sent, so an abort the runtime reports later was in flight.
            if cancel.is_some_and(|c| self.runtime.is_cancelled(c)) {
                return Err(abort(command));
            }
            let sig = self.user_sig(fresh, now);
            fresh = false;
            let at = match budget.settings.origin {
                Some(pinned) => pinned,
                None => self.origin(command, now),
            };
            budget.sent_to = at;
            let request_id = self.runtime.random_u32();
            let url = self.url(&sig, at, command, request_id);
            if self.runtime.observed() {
                self.runtime.event(&Event::Request {
                    command,
                    attempt: budget.attempt,
                    url: &self.shown_url(at, command, request_id),
                });
            }
            let request = HttpRequest {
                url: &url,
                body,
                timeout_ms: budget.settings.timeout_ms,
                max_response_bytes: limit,
                request_id,
            };
            let started = now;
            let answer = self.runtime.send(&request, cancel).await;
            let status = answer.as_ref().ok().map(|r| r.status);
            let retry_after = answer.as_ref().ok().and_then(|r| r.retry_after_ms);
            let result = match answer {
                Ok(r) if r.body.len() <= limit && (200..300).contains(&r.status) => match parse(&r.body) {
                    Ok(()) => Ok(()),
                    Err(e) => Err(self.answer_error(e, r.status, &r.body)),
                },
                Err(TransportError::Aborted) => {
                    // Aborted in flight: the request may have reached the service.
                    budget.doubt = true;
                    return Err(abort(command));
                }
                other => Err(failed_answer_error(
                    other,
                    command,
                    idempotent,
                    &|| self.shown_url(at, command, request_id),
                    sig.expose(),
                    limit,
                    budget,
                )),
            };
            let now = self.runtime.now_ms();
            if let Some(status) = status {
                self.runtime.event(&Event::Response {
                    command,
                    attempt: budget.attempt,
                    status,
                    code: match &result {
                        Ok(_) => Some(0),
                        Err(e) => e.code(),
                    },
                    duration_ms: now - started,
                });
            }
            let error = match result {
                Ok(()) => {
                    self.pacer.borrow_mut().reward(command, now);
                    return Ok(());
                }
                Err(e) => e,
            };
            match self.after_failure(
                error,
                command,
                idempotent,
                at,
                retry_after,
                budget,
                can_resign && !resigned,
            ) {
                Next::Fail(error) => return Err(error),
                Next::Resign => {
                    resigned = true;
                    fresh = true;
                }
                Next::Sleep(ms) => {
                    if !self.back_off(ms, cancel).await {
                        return Err(abort(command));
                    }
                }
            }
        }
    }

    /// After a failed attempt: fails over, slows down on "too fast", and
    /// decides whether and when to try again. Kept out of line (`#[cold]`:
    /// CONTRIBUTING, "Cold code"): a call that succeeds at once never runs
    /// it, and the engine's lazy compiler then never compiles it.
    #[cold]
    #[inline(never)]
    #[allow(clippy::too_many_arguments)]
    fn after_failure(
        &self,
        error: Error,
        command: &'static str,
        idempotent: bool,
        at: usize,
        retry_after: Option<u64>,
        budget: &mut Budget,
        can_resign: bool,
    ) -> Next {
        if budget.settings.origin.is_none()
            && (matches!(error, Error::Network { .. } | Error::Timeout { .. })
                || matches!(error, Error::Http { status, .. } if status >= 500))
        {
            self.fail_over(at, command, error.kind().as_str());
        }
        if let Some(code) = error.code().filter(|c| classify_code(*c) == CodeClass::Throttled) {
            let rate = self.slow_down(command);
            self.runtime.event(&Event::Throttle { command, code, rate });
        }
        budget.doubt |= error.is_ambiguous();
        if !idempotent && error.is_ambiguous() {
            // The caller reads the state back before anything is sent again.
            return Next::Fail(error.with_retryable(false));
        }
        let jitter = f64::from(self.runtime.random_u32()) / (f64::from(u32::MAX) + 1.0);
        match decide(&error, budget.attempt, budget.settings.max_retries, can_resign, jitter) {
            Decision::Fail => Next::Fail(error),
            Decision::Resign => Next::Resign,
            Decision::RetryAfter(ms) => {
                // The server's own word on when to come back wins, within reason.
                let ms = match retry_after {
                    Some(ra) if ra > MAX_RETRY_AFTER_MS => return Next::Fail(error),
                    Some(ra) => ms.max(ra),
                    None => ms,
                };
                budget.attempt += 1;
                self.runtime.event(&Event::Retry {
                    command,
                    attempt: budget.attempt,
                    reason: match error.code() {
                        Some(code) => format!("{} {code}", error.kind().as_str()),
                        None => error.kind().as_str().to_string(),
                    },
                    delay_ms: ms,
                });
                Next::Sleep(ms)
            }
        }
    }
}

/// What [`Client::send`]'s loop does after a failed attempt.
enum Next {
    /// Give up with this error.
    Fail(Error),
    /// Sign again (the signature was refused) and send at once.
    Resign,
    /// Send again after this many milliseconds.
    Sleep(u64),
}

/// The error of an attempt that got no usable 2xx answer (out of line, like
/// [`Client::after_failure`]).
#[cold]
#[inline(never)]
fn failed_answer_error(
    answer: std::result::Result<HttpResponse, TransportError>,
    command: &str,
    idempotent: bool,
    shown_url: &dyn Fn() -> String,
    sig: &str,
    limit: usize,
    budget: &Budget,
) -> Error {
    let shown = shown_url();
    match answer {
        Ok(r) if r.body.len() > limit => too_large(command, limit),
        Ok(r) => Error::Http {
            status: r.status,
            retryable: r.status == 429 || (idempotent && r.status >= 500),
            url: shown.clone(),
            outcome_unknown: false,
            read_back: None,
            retry_after_ms: r.retry_after_ms,
        },
        Err(TransportError::Aborted) => abort(command),
        Err(TransportError::TooLarge { limit }) => too_large(command, limit),
        Err(TransportError::Network(message)) => Error::Network {
            // A runtime may quote the URL, UserSig included, in its message.
            message: crate::text::replace_all(&message, sig, "REDACTED"),
            retryable: idempotent,
            url: shown.clone(),
            outcome_unknown: false,
            read_back: None,
            not_sent: false,
        },
        // Nothing reached the service: any command may be sent again.
        Err(TransportError::NotSent(message)) => Error::Network {
            message: crate::text::replace_all(&message, sig, "REDACTED"),
            retryable: true,
            url: shown.clone(),
            outcome_unknown: false,
            read_back: None,
            not_sent: true,
        },
        Err(TransportError::Timeout) => Error::Timeout {
            timeout_ms: u64::from(budget.settings.timeout_ms),
            retryable: idempotent,
            url: shown.clone(),
            outcome_unknown: false,
            read_back: None,
        },
    }
}

pub(super) fn abort(command: &str) -> Error {
    Error::Abort {
        command: format!("v4/recentcontact/{command}"),
        outcome_unknown: false,
        read_back: None,
    }
}
