//! What a call does: sign, rate-limit, send, decode, and decide on retries.
//! The platform (HTTP, timers, clock, randomness) is a [`Runtime`]; the
//! binding layer provides the JavaScript one, tests provide their own.

use std::cell::RefCell;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;

use serde::{Deserialize, Deserializer, Serialize};

use crate::endpoint::{Call, Endpoint};
use crate::error::{classify_code, CodeClass, Error, Result, Secret};
use crate::limits::MAX_CALLS_PER_SECOND;
use crate::region::{normalize_base_url, request_url, request_url_with, signed_query, Region};
use crate::usersig;

pub mod paging;
pub mod rate;
pub mod retry;

pub use paging::{get_all_conversation_groups, get_all_conversation_groups_with, Pages};

use rate::Pacer;
use retry::{decide, Decision};

/// Default timeout of one HTTP attempt.
pub const DEFAULT_TIMEOUT_MS: u32 = 10_000;
/// Longest timeout: JavaScript timers fire at once beyond 2^31 - 1 ms.
pub const MAX_TIMEOUT_MS: u32 = i32::MAX as u32;
/// Default number of automatic retries after the first attempt.
pub const DEFAULT_MAX_RETRIES: u32 = 2;
/// Most automatic retries allowed.
pub const MAX_MAX_RETRIES: u32 = 10;
/// Slowest local rate accepted (one call per 100 s).
pub const MIN_REQUESTS_PER_SECOND: f64 = 0.01;
/// Default cap on the size of one response body (8 MiB): far above any
/// answer the service documents (a page of 100 conversations is a few tens
/// of KB), far below what would exhaust the wasm instance's memory.
pub const DEFAULT_MAX_RESPONSE_BYTES: u32 = 8 * 1024 * 1024;
/// Smallest response cap accepted.
pub const MIN_MAX_RESPONSE_BYTES: u32 = 1024;
/// Largest response cap accepted (64 MiB).
pub const MAX_MAX_RESPONSE_BYTES: u32 = 64 * 1024 * 1024;
/// Default cap on the pages one auto-paging call follows.
pub const DEFAULT_MAX_PAGES: u32 = 1_000;
/// Default cap on the items one auto-paging call collects.
pub const DEFAULT_MAX_ITEMS: u32 = 50_000;
/// Largest page or item cap accepted.
pub const MAX_PAGING_CAP: u32 = 10_000_000;
/// Default lifetime of the admin UserSig the client signs.
pub const DEFAULT_USER_SIG_TTL_SECONDS: u32 = 86_400;
/// Shortest lifetime of a signed admin UserSig.
pub const MIN_USER_SIG_TTL_SECONDS: u32 = 60;

/// A client option whose value only the binding layer reads (the `fetch`
/// function); the core accepts any value there.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct External;

impl<'de> Deserialize<'de> for External {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        serde::de::IgnoredAny::deserialize(d).map(|_| External)
    }
}

/// The `baseUrl` option: one origin, or several (main first).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum BaseUrl {
    /// One origin.
    One(String),
    /// Origins in order of preference.
    Many(Vec<String>),
}

/// Read in place (serde's untagged derive buffers the value, and its error
/// then carries no position to name the field from).
impl<'de> Deserialize<'de> for BaseUrl {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = BaseUrl;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a URL string or an array of 1 to 4 URL strings")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> std::result::Result<BaseUrl, E> {
                Ok(BaseUrl::One(v.to_string()))
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> std::result::Result<BaseUrl, A::Error> {
                let mut all = Vec::new();
                while let Some(s) = seq.next_element::<String>()? {
                    all.push(s);
                }
                Ok(BaseUrl::Many(all))
            }
        }
        d.deserialize_any(V)
    }
}

/// Most origins a `baseUrl` list may hold.
pub const MAX_ORIGINS: usize = 4;
/// How long the client stays on a backup origin before trying the main one again.
pub const FAILOVER_COOLDOWN_MS: f64 = 60_000.0;

/// The keys of [`ClientOptions`] as JavaScript spells them.
pub const CLIENT_OPTION_KEYS: &[&str] = &[
    "sdkAppId",
    "identifier",
    "secretKey",
    "userSig",
    "region",
    "baseUrl",
    "onEvent",
    "fetch",
    "rateLimiter",
    "timeoutMs",
    "maxRetries",
    "userSigTtlSeconds",
    "maxRequestsPerSecond",
    "maxResponseBytes",
    "maxPages",
    "maxItems",
    "reconcileOnAbort",
];

/// The keys of [`CallOptions`] as JavaScript spells them.
pub const CALL_OPTION_KEYS: &[&str] = &["signal", "timeoutMs", "maxRetries", "reconcileOnAbort"];

/// Options of `new ConversationClient(…)`.
#[derive(Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ClientOptions {
    /// The app's SDKAppID (a u32).
    pub sdk_app_id: u32,
    /// The App admin account that makes the calls.
    pub identifier: String,
    /// The app's secret key: the client signs, caches and renews its own admin UserSig.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret_key: Option<String>,
    /// Or a ready admin UserSig (then no renewal is possible).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::model::lossy::opt_string"
    )]
    pub user_sig: Option<String>,
    /// The SDKAppID's data centre; default `"china"`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(
        target_arch = "wasm32",
        tsify(
            type = "\"china\" | \"singapore\" | \"seoul\" | \"tokyo\" | \"frankfurt\" | \"mumbai\" | \"silicon-valley\" | \"jakarta\" | \"riyadh\""
        )
    )]
    pub region: Option<String>,
    /// Instead of `region`: any origin, e.g. `http://127.0.0.1:8787` (emulator,
    /// proxy), or a list of origins, main first, then backups to fail over to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(type = "string | string[]"))]
    pub base_url: Option<BaseUrl>,
    /// Called with every `request`, `response`, `retry`, `throttle`,
    /// `limiter-error`, `failover` and `reconcile` event; never given a secret. What it
    /// throws is ignored.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(type = "(event: ClientEvent) => void"))]
    pub on_event: Option<External>,
    /// Instead of `globalThis.fetch`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(type = "typeof fetch"))]
    pub fetch: Option<External>,
    /// A limiter shared with other processes or isolates (Redis, a Durable
    /// Object: `tim-recentcontact/limiter`), used instead of the client's
    /// own pacer: `acquire(command, { signal })` before every attempt,
    /// `penalize?(command)` when the service still says "too fast".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(type = "RateLimiter"))]
    pub rate_limiter: Option<External>,
    /// Timeout of one HTTP attempt in milliseconds; default 10000.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeout_ms: Option<u32>,
    /// Automatic retries of throttled, transient and (for idempotent calls)
    /// network failures; default 2, at most 10.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_retries: Option<u32>,
    /// Lifetime of each admin UserSig the client signs, in seconds; default 86400.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_sig_ttl_seconds: Option<u32>,
    /// The client's own limit of calls per second for each command; default 200.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_requests_per_second: Option<f64>,
    /// Largest response body read, in bytes; a longer one is a
    /// `TimDecodeError`. Default 8388608 (8 MiB), 1024 to 67108864.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_response_bytes: Option<u32>,
    /// Most pages one auto-paging call (`getConversationGroups`,
    /// `listConversations`) follows before it rejects with
    /// `TimDecodeError`; default 1000.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_pages: Option<u32>,
    /// Most items one auto-paging call collects or yields before it rejects
    /// with `TimDecodeError`; default 50000.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_items: Option<u32>,
    /// When a write is aborted while a request of it may have reached the
    /// service, read the user's state back (without the signal) and attach
    /// it to the `TimAbortError` as `readBack`; default `false`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reconcile_on_abort: Option<bool>,
}

impl fmt::Debug for ClientOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientOptions")
            .field("sdk_app_id", &self.sdk_app_id)
            .field("identifier", &self.identifier)
            .field("secret_key", &self.secret_key.as_ref().map(|_| "<redacted>"))
            .field("user_sig", &self.user_sig.as_ref().map(|_| "<redacted>"))
            .field("region", &self.region)
            .field("base_url", &self.base_url)
            .field("timeout_ms", &self.timeout_ms)
            .field("max_retries", &self.max_retries)
            .field("max_response_bytes", &self.max_response_bytes)
            .field("max_pages", &self.max_pages)
            .field("max_items", &self.max_items)
            .finish_non_exhaustive()
    }
}

/// How the client authenticates.
#[derive(Debug, Clone, PartialEq)]
pub enum Credential {
    /// Signs its own UserSigs, valid `ttl` seconds each.
    SecretKey {
        /// The app's secret key.
        key: Secret,
        /// Lifetime of each signature.
        ttl: u32,
    },
    /// Uses one given UserSig.
    UserSig(Secret),
}

/// Validated client settings.
#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    /// Where requests go, main first: a region's main and backup domain, or
    /// the `baseUrl` origins.
    pub origins: Vec<String>,
    /// The SDKAppID.
    pub sdk_app_id: u32,
    /// The admin account.
    pub identifier: String,
    /// How requests are signed.
    pub credential: Credential,
    /// Timeout of one attempt.
    pub timeout_ms: u32,
    /// Automatic retries.
    pub max_retries: u32,
    /// Local rate limit per command.
    pub max_requests_per_second: f64,
    /// Cap on one response body, in bytes.
    pub max_response_bytes: u32,
    /// Cap on the pages of one auto-paging call.
    pub max_pages: u32,
    /// Cap on the items of one auto-paging call.
    pub max_items: u32,
    /// Whether an abort of a write in flight is read back.
    pub reconcile_on_abort: bool,
}

/// `value`, or `default`, checked to lie in `min..=max`.
fn bounded(field: &str, value: Option<u32>, default: u32, min: u32, max: u32) -> Result<u32> {
    let v = value.unwrap_or(default);
    if (min..=max).contains(&v) {
        Ok(v)
    } else {
        Err(cold_out_of_range(field, min, max, ""))
    }
}

// The rarer branches of `Config::from_options` (and of
// `CallOptions::resolve`, run on every call), out of line (`cold_`, see
// CONTRIBUTING, "Cold code"): good options run none of them, and a first
// call then compiles no formatting and no list handling.

/// "must be {min} to {max}{unit}" for `field`.
#[inline(never)]
fn cold_out_of_range(field: &str, min: u32, max: u32, unit: &str) -> Error {
    Error::validation(field, format!("must be {min} to {max}{unit}"))
}

/// `baseUrl` given as a list: each origin checked and named by its index,
/// none twice.
#[inline(never)]
fn cold_origins_of_list(list: &[String]) -> Result<Vec<String>> {
    if list.is_empty() || list.len() > MAX_ORIGINS {
        return Err(Error::validation(
            "baseUrl",
            format!("give 1 to {MAX_ORIGINS} origins, got {}", list.len()),
        ));
    }
    let mut origins: Vec<String> = Vec::new();
    for (i, b) in list.iter().enumerate() {
        let o = normalize_base_url(b).map_err(|e| match e {
            Error::Validation { reason, .. } => Error::validation(format!("baseUrl[{i}]"), reason),
            e => e,
        })?;
        if origins.contains(&o) {
            return Err(Error::validation(format!("baseUrl[{i}]"), "is listed twice"));
        }
        origins.push(o);
    }
    Ok(origins)
}

fn present(field: &str, value: &Option<String>) -> Result<Option<Secret>> {
    match value {
        None => Ok(None),
        Some(v) if v.is_empty() => Err(Error::validation(field, "must not be empty")),
        Some(v) => Ok(Some(Secret::new(v.clone()))),
    }
}

/// `userSigTtlSeconds` below its minimum.
#[inline(never)]
fn cold_ttl_too_short() -> Error {
    Error::validation(
        "userSigTtlSeconds",
        format!("must be at least {MIN_USER_SIG_TTL_SECONDS}"),
    )
}

impl Config {
    /// Checks every option; the error names the first wrong one.
    pub fn from_options(o: &ClientOptions) -> Result<Config> {
        if o.sdk_app_id == 0 {
            return Err(Error::validation(
                "sdkAppId",
                "must be your app's SDKAppID (a whole number from 1 to 4294967295, shown in the Chat console), not 0",
            ));
        }
        if o.identifier.is_empty() {
            return Err(Error::validation("identifier", "must not be empty"));
        }
        let credential = match (present("secretKey", &o.secret_key)?, present("userSig", &o.user_sig)?) {
            (Some(_), Some(_)) => {
                return Err(Error::validation(
                    "secretKey",
                    "give either secretKey or userSig, not both",
                ))
            }
            (None, None) => return Err(Error::validation("secretKey", "give secretKey (or a ready userSig)")),
            (Some(key), None) => {
                let ttl = o.user_sig_ttl_seconds.unwrap_or(DEFAULT_USER_SIG_TTL_SECONDS);
                if ttl < MIN_USER_SIG_TTL_SECONDS {
                    return Err(cold_ttl_too_short());
                }
                Credential::SecretKey { key, ttl }
            }
            (None, Some(sig)) => {
                if o.user_sig_ttl_seconds.is_some() {
                    return Err(Error::validation(
                        "userSigTtlSeconds",
                        "only applies with secretKey (a given userSig cannot be renewed)",
                    ));
                }
                Credential::UserSig(sig)
            }
        };
        let origins = match (&o.region, &o.base_url) {
            (Some(_), Some(_)) => return Err(Error::validation("baseUrl", "give either region or baseUrl, not both")),
            (Some(r), None) => Region::parse(r)?.origins(),
            (None, Some(BaseUrl::One(b))) => vec![normalize_base_url(b)?],
            (None, Some(BaseUrl::Many(list))) => cold_origins_of_list(list)?,
            (None, None) => Region::China.origins(),
        };
        let timeout_ms = o.timeout_ms.unwrap_or(DEFAULT_TIMEOUT_MS);
        if timeout_ms == 0 || timeout_ms > MAX_TIMEOUT_MS {
            return Err(cold_out_of_range(
                "timeoutMs",
                1,
                MAX_TIMEOUT_MS,
                " milliseconds (the longest timer JavaScript keeps)",
            ));
        }
        let max_retries = o.max_retries.unwrap_or(DEFAULT_MAX_RETRIES);
        if max_retries > MAX_MAX_RETRIES {
            return Err(cold_out_of_range("maxRetries", 0, MAX_MAX_RETRIES, ""));
        }
        if o.rate_limiter.is_some() && o.max_requests_per_second.is_some() {
            return Err(Error::validation(
                "maxRequestsPerSecond",
                "give it or rateLimiter, not both: a rateLimiter sets its own rate",
            ));
        }
        let rate = o.max_requests_per_second.unwrap_or(f64::from(MAX_CALLS_PER_SECOND));
        if !(rate.is_finite() && rate >= MIN_REQUESTS_PER_SECOND) {
            return Err(Error::validation(
                "maxRequestsPerSecond",
                "must be a finite number of at least 0.01",
            ));
        }
        Ok(Config {
            origins,
            max_response_bytes: bounded(
                "maxResponseBytes",
                o.max_response_bytes,
                DEFAULT_MAX_RESPONSE_BYTES,
                MIN_MAX_RESPONSE_BYTES,
                MAX_MAX_RESPONSE_BYTES,
            )?,
            max_pages: bounded("maxPages", o.max_pages, DEFAULT_MAX_PAGES, 1, MAX_PAGING_CAP)?,
            max_items: bounded("maxItems", o.max_items, DEFAULT_MAX_ITEMS, 1, MAX_PAGING_CAP)?,
            sdk_app_id: o.sdk_app_id,
            identifier: o.identifier.clone(),
            credential,
            timeout_ms,
            max_retries,
            max_requests_per_second: rate,
            reconcile_on_abort: o.reconcile_on_abort.unwrap_or(false),
        })
    }
}

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

/// One call's own settings: the second argument of every method.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CallOptions {
    /// Aborts the call at whatever stage it is in (`TimAbortError`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(type = "AbortSignal"))]
    pub signal: Option<External>,
    /// This call's timeout of one attempt, instead of the client's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeout_ms: Option<u32>,
    /// This call's automatic retries, instead of the client's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_retries: Option<u32>,
    /// This call's `reconcileOnAbort`, instead of the client's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reconcile_on_abort: Option<bool>,
    /// Rust only: every attempt goes to this origin (an index into the
    /// client's), with no failover — how a read-back asks the origin its
    /// write went to. Not a JavaScript option.
    #[serde(skip)]
    pub origin: Option<usize>,
}

/// [`CallOptions`] checked and merged with the client's settings.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Effective {
    /// Timeout of one attempt.
    pub timeout_ms: u32,
    /// Automatic retries.
    pub max_retries: u32,
    /// Whether an abort of a write in flight is read back.
    pub reconcile_on_abort: bool,
    /// The one origin every attempt goes to, when pinned.
    pub origin: Option<usize>,
}

impl CallOptions {
    /// Checks the options (fields named `options.…`) and fills in the client's defaults.
    pub fn resolve(&self, config: &Config) -> Result<Effective> {
        let timeout_ms = self.timeout_ms.unwrap_or(config.timeout_ms);
        if timeout_ms == 0 || timeout_ms > MAX_TIMEOUT_MS {
            return Err(cold_out_of_range(
                "options.timeoutMs",
                1,
                MAX_TIMEOUT_MS,
                " milliseconds",
            ));
        }
        let max_retries = self.max_retries.unwrap_or(config.max_retries);
        if max_retries > MAX_MAX_RETRIES {
            return Err(cold_out_of_range("options.maxRetries", 0, MAX_MAX_RETRIES, ""));
        }
        Ok(Effective {
            timeout_ms,
            max_retries,
            reconcile_on_abort: self.reconcile_on_abort.unwrap_or(config.reconcile_on_abort),
            origin: self.origin,
        })
    }
}

fn too_large(command: &str, limit: usize) -> Error {
    crate::endpoint::decode_error(
        command,
        format!("the answer is longer than maxResponseBytes ({limit} bytes); reading stopped there"),
    )
}

#[derive(Debug, Clone)]
struct CachedSig {
    sig: Secret,
    renew_at: u64,
    /// The one it replaced: an error about an earlier attempt may quote it.
    previous: Option<Secret>,
}

/// Which origin requests go to now.
#[derive(Debug, Clone, Copy)]
struct Route {
    /// Index into [`Config::origins`].
    active: usize,
    /// When to try the main origin again (while on a backup).
    back_at: f64,
}

/// A call's retry budget.
#[derive(Debug, Clone, Copy)]
struct Budget {
    /// Retries made so far (0 on the first attempt).
    attempt: u32,
    settings: Effective,
    /// Whether an attempt got no clear answer (it may have been applied).
    doubt: bool,
    /// The origin the latest attempt went to.
    sent_to: usize,
}

/// The conversation service client: one per app and admin account.
pub struct Client<R> {
    config: Config,
    runtime: R,
    sig: RefCell<Option<CachedSig>>,
    /// [`Client::secrets`], until the signature changes.
    secrets: RefCell<Option<Rc<Vec<String>>>>,
    /// The signed part of the query and the signature it was made for.
    query: RefCell<Option<(Secret, Secret)>>,
    pacer: RefCell<Pacer>,
    route: RefCell<Route>,
}

impl<R> fmt::Debug for Client<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

impl<R: Runtime> Client<R> {
    /// A client with validated options.
    pub fn new(options: &ClientOptions, runtime: R) -> Result<Self> {
        let config = Config::from_options(options)?;
        Ok(Client {
            pacer: RefCell::new(Pacer::new(config.max_requests_per_second)),
            route: RefCell::new(Route {
                active: 0,
                back_at: 0.0,
            }),
            config,
            runtime,
            sig: RefCell::new(None),
            secrets: RefCell::new(None),
            query: RefCell::new(None),
        })
    }

    /// The validated settings.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// The platform.
    pub fn runtime(&self) -> &R {
        &self.runtime
    }

    /// The admin UserSig to send at `now_ms`: the given one, or a cached
    /// signature renewed at half its lifetime (or at once when `fresh`).
    fn user_sig(&self, fresh: bool, now_ms: f64) -> Secret {
        match &self.config.credential {
            Credential::UserSig(s) => s.clone(),
            Credential::SecretKey { key, ttl } => {
                let now = (now_ms / 1000.0).floor().max(0.0) as u64;
                let mut cache = self.sig.borrow_mut();
                if let Some(c) = cache.as_ref().filter(|c| !fresh && now < c.renew_at) {
                    return c.sig.clone();
                }
                let sig = Secret::new(usersig::sign(
                    self.config.sdk_app_id,
                    key.expose(),
                    &self.config.identifier,
                    u64::from(*ttl),
                    now,
                ));
                let previous = cache.take().map(|c| c.sig);
                *self.secrets.borrow_mut() = None;
                *cache = Some(CachedSig {
                    sig: sig.clone(),
                    renew_at: now + u64::from(*ttl) / 2,
                    previous,
                });
                sig
            }
        }
    }

    /// The URL of one attempt: its query up to `random=` is made once per
    /// signature (the UserSig's percent-encoding was a few percent of a
    /// small call).
    fn url(&self, sig: &Secret, origin: usize, command: &str, random: u32) -> String {
        let mut cache = self.query.borrow_mut();
        let query = match &mut *cache {
            Some((made_for, query)) if made_for == sig => query,
            slot => {
                let query = signed_query(self.config.sdk_app_id, &self.config.identifier, sig.expose());
                &mut slot.insert((sig.clone(), Secret::new(query))).1
            }
        };
        request_url_with(&self.config.origins[origin], command, query.expose(), random)
    }

    /// [`Client::url`] as errors and events show it: `usersig=REDACTED`
    /// (what [`crate::redact_url`] makes of it, built from the parts).
    fn shown_url(&self, origin: usize, command: &str, random: u32) -> String {
        let c = &self.config;
        request_url(
            &c.origins[origin],
            command,
            c.sdk_app_id,
            &c.identifier,
            "REDACTED",
            random,
        )
    }

    /// Every secret this client knows, in every encoding it may be quoted
    /// in: the secret key, and the current and previous UserSig.
    pub fn secrets(&self) -> Rc<Vec<String>> {
        if let Some(known) = self.secrets.borrow().as_ref() {
            return known.clone();
        }
        let mut raw: Vec<&Secret> = Vec::new();
        match &self.config.credential {
            Credential::UserSig(s) => raw.push(s),
            Credential::SecretKey { key, .. } => raw.push(key),
        }
        let cache = self.sig.borrow();
        if let Some(c) = cache.as_ref() {
            raw.push(&c.sig);
            raw.extend(c.previous.as_ref());
        }
        let mut out = Vec::new();
        for s in raw {
            for f in crate::error::secret_forms(s.expose()) {
                if !out.contains(&f) {
                    out.push(f);
                }
            }
        }
        // Longest first, so a secret that contains another goes whole. An
        // insertion sort: a dozen entries, and no general sort in the .wasm.
        for i in 1..out.len() {
            let mut j = i;
            while j > 0 && out[j - 1].len() < out[j].len() {
                out.swap(j - 1, j);
                j -= 1;
            }
        }
        let out = Rc::new(out);
        *self.secrets.borrow_mut() = Some(out.clone());
        out
    }

    /// `error` with every secret of this client redacted from its texts.
    pub fn redact_error(&self, error: Error) -> Error {
        let secrets = self.secrets();
        error.map_text(|t| crate::error::redact(t, &secrets))
    }

    /// Every group and grouped or marked conversation of `user`, read back
    /// from `origin` after an ambiguous write; `None` when they cannot be
    /// read (the read itself is retried as any read is, at that origin only).
    /// Boxed: reading pages is itself a call, whose future would otherwise
    /// contain this one.
    fn read_state<'a>(
        &'a self,
        user: &'a str,
        origin: usize,
        cancel: Option<&'a R::Cancel>,
    ) -> std::pin::Pin<Box<dyn std::future::Future<Output = Option<crate::ConversationGroups>> + 'a>> {
        Box::pin(async move {
            let params = crate::AllConversationGroupsParams {
                from_account: user.to_string(),
            };
            let options = CallOptions {
                origin: Some(origin),
                ..CallOptions::default()
            };
            get_all_conversation_groups_with(self, &params, &options, cancel)
                .await
                .ok()
        })
    }

    /// Runs one call with the client's settings.
    pub async fn call<E: Endpoint>(&self, endpoint: &E) -> Result<E::Output> {
        self.call_with(endpoint, &CallOptions::default(), None).await
    }

    /// Runs one call: validate, then (pace, sign, send, decode) with retries
    /// as [`retry::decide`] says. A write is never sent again after an
    /// attempt that may have reached the service without a clear answer:
    /// it rejects as of unknown outcome, with the user's state as read back
    /// from the origin it went to ([`Endpoint::read_back`] and
    /// [`crate::endpoint::reconcile`] say why that state settles nothing).
    pub async fn call_with<E: Endpoint>(
        &self,
        endpoint: &E,
        options: &CallOptions,
        cancel: Option<&R::Cancel>,
    ) -> Result<E::Output> {
        let mut out = None;
        // The answer is read once, envelope and payload together.
        let mut parse = |bytes: &[u8]| endpoint.parse_ok(bytes).map(|o| out = Some(o));
        endpoint.validate()?;
        self.call_validated(endpoint, options, cancel, &mut parse).await?;
        out.ok_or_else(|| crate::endpoint::decode_error(E::COMMAND, "no answer read"))
    }

    /// [`Client::call_with`] for any endpoint whose [`Call::validate`]
    /// passed, written once: `parse` takes the answer's bytes and keeps what
    /// it read (one instance of this future in the binary instead of one per
    /// endpoint; the bindings validate before they start it, so a mistake
    /// rejects without one).
    pub async fn call_validated(
        &self,
        endpoint: &dyn Call,
        options: &CallOptions,
        cancel: Option<&R::Cancel>,
        parse: &mut dyn FnMut(&[u8]) -> Result<()>,
    ) -> Result<()> {
        let command = endpoint.command();
        let mut budget = Budget {
            attempt: 0,
            settings: options.resolve(&self.config)?,
            doubt: false,
            sent_to: 0,
        };
        let body = endpoint.body();
        let sent = self
            .send(command, endpoint.idempotent(), &body, &mut budget, cancel, parse)
            .await;
        let error = match sent {
            Ok(()) => return Ok(()),
            // Every error leaves with this client's secrets redacted: a
            // proxy may echo the URL anywhere.
            Err(e) => self.redact_error(e),
        };
        // A write's answer that arrived but could not be read leaves it in
        // doubt as much as no answer does.
        let doubt = budget.doubt || matches!(error, Error::Decode { .. });
        if endpoint.read_only() || !doubt {
            return Err(error);
        }
        if endpoint.idempotent() {
            // Sent again after an attempt that got no clear answer: it may
            // have been applied, whatever came after.
            return Err(error.with_unknown_outcome_noted());
        }
        let aborted = matches!(error, Error::Abort { .. });
        let error = error.with_outcome_unknown();
        let user = match endpoint.reconcile_user() {
            Some(user) if !aborted || budget.settings.reconcile_on_abort => user,
            _ => return Err(error),
        };
        // After an abort, the read-back runs without the signal (it was asked for).
        let read_cancel = if aborted { None } else { cancel };
        // The read-back's requests are not the call's: its errors keep the write's ID.
        read_cancel.inspect(|c| self.runtime.reading_back(c, true));
        let state = self.read_state(user, budget.sent_to, read_cancel).await;
        read_cancel.inspect(|c| self.runtime.reading_back(c, false));
        let seen = state.map(|s| endpoint.read_back(&s));
        self.runtime.event(&Event::Reconcile {
            command,
            looks_applied: seen.as_ref().map(|s| s.looks_applied),
        });
        if !aborted && cancel.is_some_and(|c| self.runtime.is_cancelled(c)) {
            // Aborted while reading back: the write is still in doubt.
            return Err(abort(command).with_unknown_outcome_noted().with_read_back(seen));
        }
        Err(error.with_read_back(seen))
    }

    /// Halves `command`'s rate: the shared limiter's (told through
    /// `penalize`; `None`) or this client's own pacer's (its new rate).
    fn slow_down(&self, command: &'static str) -> Option<f64> {
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

    /// The origin for the next attempt: the active one, or the main one
    /// again once a backup's cool-down is over.
    fn origin(&self, command: &str, now: f64) -> usize {
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
    fn fail_over(&self, failed: usize, command: &str, reason: &str) {
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

    /// A decode error about an answer: with its status and excerpt, redacted.
    fn answer_error(&self, error: Error, status: u16, body: &[u8]) -> Error {
        let secrets = self.secrets();
        let redact = |t: &str| crate::error::redact(t, &secrets);
        error.with_answer(status, body, redact).map_text(redact)
    }

    /// Waits for this client's own pacer to let one attempt of `command` go
    /// (asked at `now`); `Ok(true)` when it had to wait.
    async fn pace(&self, command: &'static str, now: f64, cancel: Option<&R::Cancel>) -> Result<bool> {
        let slot = {
            let mut pacer = self.pacer.borrow_mut();
            let slot = pacer.reserve(command, now);
            if slot.wait_ms == 0 && pacer.admit(command, now) == 0 {
                return Ok(false);
            }
            slot
        };
        self.cold_pace_wait(command, slot, cancel).await.map(|()| true)
    }

    /// The waiting part of [`Client::pace`], boxed: its state machine (and
    /// the timers it awaits) stays out of `send`'s, so a call that need not
    /// wait never has it compiled (see [`Client::cold_after_failure`]).
    #[inline(never)]
    fn cold_pace_wait<'a>(
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

    /// The shared limiter's wait, boxed like [`Client::cold_pace_wait`]:
    /// a client without a `rateLimiter` never runs it.
    #[inline(never)]
    fn cold_acquire<'a>(
        &'a self,
        command: &'static str,
        cancel: Option<&'a R::Cancel>,
    ) -> Pin<Box<dyn Future<Output = Acquired> + 'a>> {
        Box::pin(self.runtime.acquire(command, cancel))
    }

    /// A back-off wait before a retry, boxed like [`Client::cold_pace_wait`].
    #[inline(never)]
    fn cold_sleep<'a>(&'a self, ms: u64, cancel: Option<&'a R::Cancel>) -> Pin<Box<dyn Future<Output = bool> + 'a>> {
        Box::pin(self.runtime.sleep(ms, cancel))
    }

    /// The part of a call that is the same for every command (kept out of the
    /// generic [`Client::call`] so the wasm binary holds it once): sends until
    /// `parse` accepts a 2xx answer (it returns the service's error for one
    /// that says FAIL, which is retried or not like any other failure). A
    /// non-idempotent call returns its first ambiguous failure instead of
    /// retrying it.
    async fn send(
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
                match self.cold_acquire(command, cancel).await {
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
                other => Err(cold_failed_answer(
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
            match self.cold_after_failure(
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
                    if !self.cold_sleep(ms, cancel).await {
                        return Err(abort(command));
                    }
                }
            }
        }
    }

    /// After a failed attempt: fails over, slows down on "too fast", and
    /// decides whether and when to try again. Kept out of line (`cold_` keeps
    /// wasm-opt from inlining it back): a call that succeeds at once never
    /// runs it, and the engine's lazy compiler then never compiles it.
    #[inline(never)]
    #[allow(clippy::too_many_arguments)]
    fn cold_after_failure(
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
/// [`Client::cold_after_failure`]).
#[inline(never)]
fn cold_failed_answer(
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
            message: crate::json_in::replace_all(&message, sig, "REDACTED"),
            retryable: idempotent,
            url: shown.clone(),
            outcome_unknown: false,
            read_back: None,
            not_sent: false,
        },
        // Nothing reached the service: any command may be sent again.
        Err(TransportError::NotSent(message)) => Error::Network {
            message: crate::json_in::replace_all(&message, sig, "REDACTED"),
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

fn abort(command: &str) -> Error {
    Error::Abort {
        command: format!("v4/recentcontact/{command}"),
        outcome_unknown: false,
        read_back: None,
    }
}
