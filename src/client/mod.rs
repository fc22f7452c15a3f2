//! What a call does: sign, rate-limit, send, decode, and decide on retries.
//! The platform (HTTP, timers, clock, randomness) is a [`Runtime`]; the
//! binding layer provides the JavaScript one, tests provide their own.

use std::cell::RefCell;
use std::fmt;

use serde::{Deserialize, Deserializer, Serialize};

use crate::endpoint::{parse_envelope, Endpoint};
use crate::error::{classify_code, CodeClass, Error, Result, Secret};
use crate::limits::MAX_CALLS_PER_SECOND;
use crate::region::{normalize_base_url, redact_url, request_url, Region};
use crate::usersig;

pub mod rate;
pub mod retry;

use rate::RateLimiter;
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
            type = "\"china\" | \"singapore\" | \"seoul\" | \"tokyo\" | \"frankfurt\" | \"mumbai\" | \"silicon-valley\" | \"jakarta\""
        )
    )]
    pub region: Option<String>,
    /// Instead of `region`: any origin, e.g. `http://127.0.0.1:8787` (emulator, proxy).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base_url: Option<String>,
    /// Instead of `globalThis.fetch`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(type = "typeof fetch"))]
    pub fetch: Option<External>,
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
    /// `https://console.tim.qq.com`, or the `baseUrl`.
    pub origin: String,
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
}

/// `value`, or `default`, checked to lie in `min..=max`.
fn bounded(field: &str, value: Option<u32>, default: u32, min: u32, max: u32) -> Result<u32> {
    let v = value.unwrap_or(default);
    if (min..=max).contains(&v) {
        Ok(v)
    } else {
        Err(Error::validation(field, format!("must be {min} to {max}")))
    }
}

fn present(field: &str, value: &Option<String>) -> Result<Option<Secret>> {
    match value {
        None => Ok(None),
        Some(v) if v.is_empty() => Err(Error::validation(field, "must not be empty")),
        Some(v) => Ok(Some(Secret::new(v.clone()))),
    }
}

impl Config {
    /// Checks every option; the error names the first wrong one.
    pub fn from_options(o: &ClientOptions) -> Result<Config> {
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
                    return Err(Error::validation(
                        "userSigTtlSeconds",
                        format!("must be at least {MIN_USER_SIG_TTL_SECONDS}"),
                    ));
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
        let origin = match (&o.region, &o.base_url) {
            (Some(_), Some(_)) => return Err(Error::validation("baseUrl", "give either region or baseUrl, not both")),
            (Some(r), None) => Region::parse(r)?.origin(),
            (None, Some(b)) => normalize_base_url(b)?,
            (None, None) => Region::China.origin(),
        };
        let timeout_ms = o.timeout_ms.unwrap_or(DEFAULT_TIMEOUT_MS);
        if timeout_ms == 0 || timeout_ms > MAX_TIMEOUT_MS {
            return Err(Error::validation(
                "timeoutMs",
                format!("must be 1 to {MAX_TIMEOUT_MS} milliseconds (the longest timer JavaScript keeps)"),
            ));
        }
        let max_retries = o.max_retries.unwrap_or(DEFAULT_MAX_RETRIES);
        if max_retries > MAX_MAX_RETRIES {
            return Err(Error::validation(
                "maxRetries",
                format!("must be 0 to {MAX_MAX_RETRIES}"),
            ));
        }
        let rate = o.max_requests_per_second.unwrap_or(f64::from(MAX_CALLS_PER_SECOND));
        if !(rate.is_finite() && rate >= MIN_REQUESTS_PER_SECOND) {
            return Err(Error::validation(
                "maxRequestsPerSecond",
                format!("must be a finite number of at least {MIN_REQUESTS_PER_SECOND}"),
            ));
        }
        Ok(Config {
            max_response_bytes: bounded(
                "maxResponseBytes",
                o.max_response_bytes,
                DEFAULT_MAX_RESPONSE_BYTES,
                MIN_MAX_RESPONSE_BYTES,
                MAX_MAX_RESPONSE_BYTES,
            )?,
            max_pages: bounded("maxPages", o.max_pages, DEFAULT_MAX_PAGES, 1, MAX_PAGING_CAP)?,
            max_items: bounded("maxItems", o.max_items, DEFAULT_MAX_ITEMS, 1, MAX_PAGING_CAP)?,
            origin,
            sdk_app_id: o.sdk_app_id,
            identifier: o.identifier.clone(),
            credential,
            timeout_ms,
            max_retries,
            max_requests_per_second: rate,
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
}

/// An HTTP answer: status and body bytes.
#[derive(Debug, Clone, PartialEq)]
pub struct HttpResponse {
    /// The HTTP status.
    pub status: u16,
    /// The body.
    pub body: Vec<u8>,
}

/// Why no HTTP answer arrived.
#[derive(Debug, Clone, PartialEq)]
pub enum TransportError {
    /// The request could not be sent or its answer not read.
    Network(String),
    /// The timeout ran out (the request was aborted).
    Timeout,
    /// The body was longer than [`HttpRequest::max_response_bytes`] (reading stopped there).
    TooLarge {
        /// The cap that was reached.
        limit: usize,
    },
}

/// What the client needs from its platform.
#[allow(async_fn_in_trait)]
pub trait Runtime {
    /// Makes one attempt of `request`, giving up after its timeout and
    /// refusing a body over its cap.
    async fn send(&self, request: &HttpRequest<'_>) -> std::result::Result<HttpResponse, TransportError>;
    /// Waits `ms` milliseconds.
    async fn sleep(&self, ms: u64);
    /// Milliseconds since the Unix epoch.
    fn now_ms(&self) -> f64;
    /// A uniformly random u32.
    fn random_u32(&self) -> u32;
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
}

/// The conversation service client: one per app and admin account.
pub struct Client<R> {
    config: Config,
    runtime: R,
    sig: RefCell<Option<CachedSig>>,
    limiter: RefCell<RateLimiter>,
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
            limiter: RefCell::new(RateLimiter::new(config.max_requests_per_second)),
            config,
            runtime,
            sig: RefCell::new(None),
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

    /// The admin UserSig to send now: the given one, or a cached signature
    /// renewed at half its lifetime (or at once when `fresh`).
    fn user_sig(&self, fresh: bool) -> Secret {
        match &self.config.credential {
            Credential::UserSig(s) => s.clone(),
            Credential::SecretKey { key, ttl } => {
                let now = (self.runtime.now_ms() / 1000.0).floor().max(0.0) as u64;
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
                *cache = Some(CachedSig {
                    sig: sig.clone(),
                    renew_at: now + u64::from(*ttl) / 2,
                });
                sig
            }
        }
    }

    /// Runs one call: validate, then (rate-limit, sign, send, decode) with
    /// retries as [`retry::decide`] says.
    pub async fn call<E: Endpoint>(&self, endpoint: &E) -> Result<E::Output> {
        endpoint.validate()?;
        let body = self.send(E::COMMAND, E::IDEMPOTENT, &endpoint.body()).await?;
        endpoint.parse_ok(&body)
    }

    /// The part of a call that is the same for every command (kept out of the
    /// generic [`Client::call`] so the wasm binary holds it once): returns the
    /// body of an answer whose `ErrorCode` is 0.
    async fn send(&self, command: &'static str, idempotent: bool, body: &str) -> Result<Vec<u8>> {
        let can_resign = matches!(self.config.credential, Credential::SecretKey { .. });
        let (mut attempt, mut resigned, mut fresh) = (0u32, false, false);
        loop {
            let wait = self.limiter.borrow_mut().reserve(command, self.runtime.now_ms());
            if wait > 0 {
                self.runtime.sleep(wait).await;
            }
            let sig = self.user_sig(fresh);
            fresh = false;
            let url = request_url(
                &self.config.origin,
                command,
                self.config.sdk_app_id,
                &self.config.identifier,
                sig.expose(),
                self.runtime.random_u32(),
            );
            let limit = self.config.max_response_bytes as usize;
            let request = HttpRequest {
                url: &url,
                body,
                timeout_ms: self.config.timeout_ms,
                max_response_bytes: limit,
            };
            let error = match self.runtime.send(&request).await {
                Ok(r) if r.body.len() > limit => too_large(command, limit),
                Ok(r) if (200..300).contains(&r.status) => match parse_envelope(command, &r.body) {
                    Ok(()) => return Ok(r.body),
                    Err(e) => e,
                },
                Ok(r) => Error::Http {
                    status: r.status,
                    url: redact_url(&url),
                    retryable: r.status == 429 || (idempotent && r.status >= 500),
                },
                Err(TransportError::Network(message)) => Error::Network {
                    // A runtime may quote the URL, UserSig included, in its message.
                    message: message.replace(sig.expose(), "REDACTED"),
                    url: redact_url(&url),
                    retryable: idempotent,
                },
                Err(TransportError::TooLarge { limit }) => too_large(command, limit),
                Err(TransportError::Timeout) => Error::Timeout {
                    timeout_ms: u64::from(self.config.timeout_ms),
                    url: redact_url(&url),
                    retryable: idempotent,
                },
            };
            if error.code().map(classify_code) == Some(CodeClass::Throttled) {
                self.limiter.borrow_mut().penalize(command, self.runtime.now_ms());
            }
            let jitter = f64::from(self.runtime.random_u32()) / (f64::from(u32::MAX) + 1.0);
            match decide(
                &error,
                attempt,
                self.config.max_retries,
                can_resign && !resigned,
                jitter,
            ) {
                Decision::Fail => return Err(error),
                Decision::Resign => {
                    resigned = true;
                    fresh = true;
                }
                Decision::RetryAfter(ms) => {
                    attempt += 1;
                    self.runtime.sleep(ms).await;
                }
            }
        }
    }
}
