//! What the client needs from its platform ([`Runtime`]: HTTP, timers,
//! clock, randomness, a shared limiter) and what it reports ([`Event`]).

/// One HTTP attempt: a JSON `POST`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct HttpRequest<'a> {
    /// The whole URL, UserSig included (never shown to users as is).
    pub url: &'a str,
    /// The JSON body.
    pub body: &'a str,
    /// Give up (and abort) after this many milliseconds, body included.
    pub timeout_ms: u32,
    /// Stop reading a body longer than this and report
    /// [`TransportError::TooLarge`].
    pub max_response_bytes: usize,
    /// The request's `random` (its ID for a support ticket).
    pub request_id: u32,
}

/// An HTTP answer: status and body bytes.
#[derive(Debug, Clone, PartialEq)]
pub struct HttpResponse {
    /// The HTTP status.
    pub status: u16,
    /// The body.
    pub body: Vec<u8>,
    /// The `Retry-After` header in milliseconds, when present and readable.
    pub retry_after_ms: Option<u64>,
}

/// Longest `Retry-After` the client waits out itself; a longer one fails
/// the call (still `retryable`).
pub const MAX_RETRY_AFTER_MS: u64 = 60_000;

/// Why no HTTP answer arrived.
#[derive(Debug, Clone, PartialEq)]
pub enum TransportError {
    /// The request could not be sent or its answer not read: it may have
    /// reached the service.
    Network(String),
    /// The request was never written (connection refused, no DNS answer,
    /// TLS refused before the request): it did not reach the service.
    NotSent(String),
    /// The timeout ran out (the request was aborted).
    Timeout,
    /// The call's cancel handle fired (the request was aborted).
    Aborted,
    /// The body was longer than [`HttpRequest::max_response_bytes`] (reading stopped there).
    TooLarge {
        /// The cap that was reached.
        limit: usize,
    },
}

/// What the client needs from its platform.
#[allow(async_fn_in_trait)]
pub trait Runtime {
    /// What cancels one call (an `AbortSignal` in JavaScript).
    type Cancel;
    /// Makes one attempt of `request`, giving up after its timeout (or when
    /// `cancel` fires: [`TransportError::Aborted`]) and refusing a body over its cap.
    async fn send(
        &self,
        request: &HttpRequest<'_>,
        cancel: Option<&Self::Cancel>,
    ) -> std::result::Result<HttpResponse, TransportError>;
    /// Waits `ms` milliseconds; `false` when `cancel` fired first.
    async fn sleep(&self, ms: u64, cancel: Option<&Self::Cancel>) -> bool;
    /// Whether `cancel` has fired.
    fn is_cancelled(&self, cancel: &Self::Cancel) -> bool;
    /// Milliseconds since the Unix epoch.
    fn now_ms(&self) -> f64;
    /// A uniformly random u32.
    fn random_u32(&self) -> u32;
    /// Reports what the client does; the default ignores it.
    fn event(&self, _event: &Event<'_>) {}
    /// Whether [`Runtime::event`] is heard: when not, the client skips
    /// building what only an event shows. The default is yes.
    fn observed(&self) -> bool {
        true
    }
    /// Whether a shared limiter (the `rateLimiter` option) paces the calls
    /// instead of the client's own pacer; the default is no.
    fn has_limiter(&self) -> bool {
        false
    }
    /// Waits until the shared limiter lets one attempt of `command` go.
    async fn acquire(&self, _command: &'static str, _cancel: Option<&Self::Cancel>) -> Acquired {
        Acquired::Granted
    }
    /// Tells the shared limiter that the service said "too fast" to `command`.
    fn penalize(&self, _command: &'static str) {}

    /// A call reads the state back after an ambiguous write (`true`), or
    /// has finished doing so (`false`): a runtime that reports a call's
    /// latest request ID keeps the write's through the read-back.
    fn reading_back(&self, _cancel: &Self::Cancel, _reading: bool) {}
}

/// How a shared limiter answered [`Runtime::acquire`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Acquired {
    /// Send now.
    Granted,
    /// The call's cancel fired while it waited.
    Aborted,
    /// The limiter failed (threw or rejected): this attempt is paced by the
    /// client's own pacer instead, so no call is lost to a broken limiter.
    Failed(String),
}

/// What the client reports as it works (the `onEvent` option). No event
/// holds a secret: URLs have their `usersig` redacted.
#[derive(Debug, Clone, PartialEq)]
pub enum Event<'a> {
    /// An attempt is sent (`attempt` 0 is the first).
    Request {
        /// The command.
        command: &'a str,
        /// 0 for the first attempt of a call.
        attempt: u32,
        /// The URL, `usersig` redacted.
        url: &'a str,
    },
    /// An HTTP answer arrived.
    Response {
        /// The command.
        command: &'a str,
        /// The attempt it answers.
        attempt: u32,
        /// The HTTP status.
        status: u16,
        /// The service's `ErrorCode` when it refused the call.
        code: Option<i64>,
        /// From sending to the whole body read.
        duration_ms: f64,
    },
    /// The call will be sent again after `delay_ms`.
    Retry {
        /// The command.
        command: &'a str,
        /// The attempt that will follow.
        attempt: u32,
        /// Why: the failed attempt's error kind (`"timeout"`, `"api"`, …) and code.
        reason: String,
        /// The wait before it.
        delay_ms: u64,
    },
    /// The service said "too fast": the command's rate is lowered.
    Throttle {
        /// The command.
        command: &'a str,
        /// The throttling code (60007, …).
        code: i64,
        /// The command's new rate, calls per second (`None` when a shared
        /// limiter sets the rate: it is told through `penalize`).
        rate: Option<f64>,
    },
    /// The shared limiter failed; this attempt was paced by the client's own pacer.
    LimiterError {
        /// The command.
        command: &'a str,
        /// What the limiter threw.
        message: &'a str,
    },
    /// Requests now go to another origin.
    Failover {
        /// The command that caused it.
        command: &'a str,
        /// The origin left.
        from: &'a str,
        /// The origin now used.
        to: &'a str,
        /// Why (`"timeout"`, `"network"`, `"http"`, or `"cool-down over"` on the way back).
        reason: &'a str,
    },
    /// A read of every page ended with exactly as many conversations as an
    /// edition's pull cap ([`crate::limits::PULL_CAPS`]): the service may
    /// have left the rest out.
    PullCap {
        /// The paged command.
        command: &'a str,
        /// Conversations read over all pages.
        count: usize,
    },
    /// After an ambiguous failure of a write, the state was read back (the
    /// write then rejects as of unknown outcome).
    Reconcile {
        /// The write's command.
        command: &'a str,
        /// `None` when the state could not be read; else what it looks like
        /// (see [`crate::ReadBack::looks_applied`]).
        looks_applied: Option<Option<bool>>,
    },
}
