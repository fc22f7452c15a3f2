//! Options checked once: [`Config`] for the client (the error names the
//! first wrong option), [`Effective`] for each call.

use super::options::*;
use crate::error::{Error, Result, Secret};
use crate::limits::MAX_CALLS_PER_SECOND;
use crate::region::{normalize_base_url, Region};

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
        Err(out_of_range(field, min, max, ""))
    }
}

// The rarer branches of `Config::from_options` (and of
// `CallOptions::resolve`, run on every call), out of line (`#[cold]`, see
// CONTRIBUTING, "Cold code"): good options run none of them, and a first
// call then compiles no formatting and no list handling.

/// "must be {min} to {max}{unit}" for `field`.
#[cold]
#[inline(never)]
fn out_of_range(field: &str, min: u32, max: u32, unit: &str) -> Error {
    Error::validation(field, format!("must be {min} to {max}{unit}"))
}

/// `baseUrl` given as a list: each origin checked and named by its index,
/// none twice.
#[cold]
#[inline(never)]
fn origins_of_list(list: &[String]) -> Result<Vec<String>> {
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
#[cold]
#[inline(never)]
fn ttl_too_short() -> Error {
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
                    return Err(ttl_too_short());
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
            (None, Some(BaseUrl::Many(list))) => origins_of_list(list)?,
            (None, None) => Region::China.origins(),
        };
        let timeout_ms = o.timeout_ms.unwrap_or(DEFAULT_TIMEOUT_MS);
        if timeout_ms == 0 || timeout_ms > MAX_TIMEOUT_MS {
            return Err(out_of_range(
                "timeoutMs",
                1,
                MAX_TIMEOUT_MS,
                " milliseconds (the longest timer JavaScript keeps)",
            ));
        }
        let max_retries = o.max_retries.unwrap_or(DEFAULT_MAX_RETRIES);
        if max_retries > MAX_MAX_RETRIES {
            return Err(out_of_range("maxRetries", 0, MAX_MAX_RETRIES, ""));
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
            return Err(out_of_range("options.timeoutMs", 1, MAX_TIMEOUT_MS, " milliseconds"));
        }
        let max_retries = self.max_retries.unwrap_or(config.max_retries);
        if max_retries > MAX_MAX_RETRIES {
            return Err(out_of_range("options.maxRetries", 0, MAX_MAX_RETRIES, ""));
        }
        Ok(Effective {
            timeout_ms,
            max_retries,
            reconcile_on_abort: self.reconcile_on_abort.unwrap_or(config.reconcile_on_abort),
            origin: self.origin,
        })
    }
}
