//! The options a client and a call take, as JavaScript spells them: their
//! shapes, defaults and bounds ([`super::config`] checks them).

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize};

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
