//! What a call does: sign, rate-limit, send, decode, and decide on retries.
//! The platform (HTTP, timers, clock, randomness) is a [`Runtime`]; the
//! binding layer provides the JavaScript one, tests provide their own.
//! CONTRIBUTING.md ("The rooms") maps the files and one call's way through them.

use std::cell::RefCell;
use std::fmt;
use std::rc::Rc;

use crate::endpoint::Endpoint;
use crate::error::{Error, Result, Secret};
use crate::region::{request_url, request_url_with, signed_query};
use crate::usersig;

mod config;
mod options;
mod pacing;
pub mod paging;
pub mod rate;
mod reconcile;
pub mod retry;
mod route;
mod runtime;
mod send;

pub use config::{Config, Credential, Effective};
pub use options::*;
pub use paging::{get_all_conversation_groups, get_all_conversation_groups_with, Pages};
pub use route::FAILOVER_COOLDOWN_MS;
pub use runtime::{Acquired, Event, HttpRequest, HttpResponse, Runtime, TransportError, MAX_RETRY_AFTER_MS};

use rate::Pacer;
use route::Route;

#[derive(Debug, Clone)]
struct CachedSig {
    sig: Secret,
    renew_at: u64,
    /// The one it replaced: an error about an earlier attempt may quote it.
    previous: Option<Secret>,
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
    pub(super) fn user_sig(&self, fresh: bool, now_ms: f64) -> Secret {
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
    pub(super) fn url(&self, sig: &Secret, origin: usize, command: &str, random: u32) -> String {
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
    pub(super) fn shown_url(&self, origin: usize, command: &str, random: u32) -> String {
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
}
