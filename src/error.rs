//! The error type of every operation, and the catalog of the service's error
//! codes that decides each error's kind and whether retrying it is safe.

use std::fmt;

/// The broad class of an [`Error`]; the same word as the JavaScript class
/// (`TimValidationError` has kind `"validation"`, and so on).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// Input broke a documented rule; nothing was sent.
    Validation,
    /// The service answered `ActionStatus: "FAIL"` / a non-zero `ErrorCode`.
    Api,
    /// The UserSig or the admin account was refused.
    Auth,
    /// The HTTP status was not 2xx.
    Http,
    /// The request could not be sent or its answer not read.
    Network,
    /// No answer arrived within the timeout.
    Timeout,
    /// The body was not the JSON the endpoint documents.
    Decode,
    /// The call's `signal` aborted it.
    Abort,
}

impl ErrorKind {
    /// The word used for `kind` in JavaScript.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorKind::Validation => "validation",
            ErrorKind::Api => "api",
            ErrorKind::Auth => "auth",
            ErrorKind::Http => "http",
            ErrorKind::Network => "network",
            ErrorKind::Timeout => "timeout",
            ErrorKind::Decode => "decode",
            ErrorKind::Abort => "abort",
        }
    }
}

/// What the catalog knows about one service error code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodeClass {
    /// A plain, final API error.
    Fatal,
    /// A passing fault inside the service: retry with backoff.
    Transient,
    /// A service timeout that may also mean a request the service could not
    /// read (60008): retried once, then reported.
    TransientOnce,
    /// The call rate was exceeded: back off and retry.
    Throttled,
    /// Too many failed signature checks: retry only after about a minute.
    ThrottledLong,
    /// The UserSig expired: a client holding the secret key signs anew.
    SigExpired,
    /// UserSig or admin problem: not retried.
    Auth,
}

/// Every service code this crate treats on purpose, once: code, class and
/// meaning (SPEC.md, "Error codes"). The code table of docs/errors.md is generated
/// from it (`tests/catalog.rs` fails when they differ).
pub const CODES: &[(i64, CodeClass, &str)] = &[
    (50001, CodeClass::Fatal, "UserID not imported into the IM backend"),
    (
        50002,
        CodeClass::Fatal,
        "invalid request parameter (e.g. a group of that name exists)",
    ),
    (50003, CodeClass::Auth, "the request needs App admin permission"),
    (50004, CodeClass::Transient, "internal server error"),
    (50005, CodeClass::Transient, "network timeout inside the service"),
    (
        51006,
        CodeClass::Fatal,
        "conversations to change in one request: none, or more than 100",
    ),
    (
        51007,
        CodeClass::Fatal,
        "GroupID → GroupCode failed (internal error, or the group was dismissed)",
    ),
    (
        51008,
        CodeClass::Fatal,
        "more than 1000 conversations in a user's groups (or marked)",
    ),
    (51009, CodeClass::Fatal, "the conversation group does not exist"),
    (51010, CodeClass::Fatal, "more than 20 conversation groups"),
    (51011, CodeClass::Fatal, "conversation group name longer than 32 bytes"),
    (51012, CodeClass::Fatal, "too many pinned conversations"),
    (
        51013,
        CodeClass::Fatal,
        "the app's edition does not allow groups / standard marks",
    ),
    (
        60002,
        CodeClass::Fatal,
        "the HTTP request could not be parsed: check the URL",
    ),
    (
        60003,
        CodeClass::Fatal,
        "the HTTP body is not valid JSON (a client bug)",
    ),
    (60004, CodeClass::Auth, "signature check failed"),
    (60005, CodeClass::Auth, "identity check failed"),
    (
        60006,
        CodeClass::Auth,
        "the SDKAppID is not valid (expired or deleted): check it in the console",
    ),
    (60007, CodeClass::Throttled, "call frequency exceeded (per API)"),
    (
        60008,
        CodeClass::TransientOnce,
        "service timeout, or a request the service could not read",
    ),
    (
        60009,
        CodeClass::Fatal,
        "wrong resource: the URL names no REST API (check the command and the region's host)",
    ),
    (60010, CodeClass::Auth, "the request needs App admin permission"),
    (60011, CodeClass::Throttled, "call frequency exceeded (per SDKAppID)"),
    (60012, CodeClass::Fatal, "the REST request carries no SDKAppID"),
    (
        60016,
        CodeClass::Auth,
        "the SDKAppID is disabled: enable the app again in the console",
    ),
    (
        60017,
        CodeClass::Fatal,
        "the request is disabled for this app (a feature switched off or blocked)",
    ),
    (60018, CodeClass::Throttled, "call frequency exceeded"),
    (60019, CodeClass::Throttled, "call frequency exceeded"),
    (
        60020,
        CodeClass::Fatal,
        "the app's paid package expired and it is suspended: renew it (it works again about 5 minutes after)",
    ),
    (
        60021,
        CodeClass::Auth,
        "the REST call came from an IP the app's allow-list does not hold: add the server's egress IP or clear the list (Workers have no fixed egress IP)",
    ),
    (70001, CodeClass::SigExpired, "UserSig expired"),
    (70002, CodeClass::Auth, "UserSig empty"),
    (70003, CodeClass::Auth, "UserSig invalid"),
    (70005, CodeClass::Auth, "UserSig invalid (wrong key or SDKAppID)"),
    (70009, CodeClass::Auth, "UserSig does not match the secret key"),
    (70013, CodeClass::Auth, "identifier and UserSig do not match"),
    (70014, CodeClass::Auth, "SDKAppID and UserSig do not match"),
    (70016, CodeClass::Auth, "no key for the SDKAppID"),
    (70020, CodeClass::Auth, "SDKAppID not found"),
    (
        70050,
        CodeClass::ThrottledLong,
        "too many failed UserSig checks: retry after a minute",
    ),
    (70052, CodeClass::SigExpired, "UserSig expired (unconfirmed)"),
    (70107, CodeClass::Fatal, "UserID does not exist"),
    (70169, CodeClass::Transient, "service timeout"),
    (70202, CodeClass::Transient, "service timeout (unconfirmed)"),
    (70403, CodeClass::Auth, "admin permission required"),
];

/// [`CODES`] without the meanings: what the client needs at run time (the
/// meanings are for docs/errors.md, and stay out of the `.wasm`).
/// (Every code fits a `u32`: half the table's bytes.)
static CLASSES: [(u32, CodeClass); CODES.len()] = {
    let mut out = [(0, CodeClass::Fatal); CODES.len()];
    let mut i = 0;
    while i < CODES.len() {
        assert!(CODES[i].0 > 0 && CODES[i].0 <= u32::MAX as i64);
        out[i] = (CODES[i].0 as u32, CODES[i].1);
        i += 1;
    }
    out
};

/// Classifies a service `ErrorCode` by [`CODES`]; any other code from 70002
/// to 70020 is a UserSig problem ([`CodeClass::Auth`]), the rest plain
/// errors.
pub fn classify_code(code: i64) -> CodeClass {
    match CLASSES.iter().find(|(c, _)| i64::from(*c) == code) {
        Some((_, class)) => *class,
        None if (70002..=70020).contains(&code) => CodeClass::Auth,
        None => CodeClass::Fatal,
    }
}

impl CodeClass {
    /// What the client does with it, in the README's words.
    pub fn behaviour(self) -> &'static str {
        match self {
            CodeClass::Fatal => "`TimApiError`, not retried",
            CodeClass::Transient => {
                "`TimApiError`, retried with back-off (a group or mark write is not: it rejects with `outcomeUnknown`)"
            }
            CodeClass::TransientOnce => {
                "`TimApiError`, retried once (a second one is reported; a group or mark write is not retried: it rejects with `outcomeUnknown`)"
            }
            CodeClass::Throttled => "`TimApiError`, retried after at least 1 s; halves the command's rate",
            CodeClass::ThrottledLong => "`TimApiError`, `retryable` but not retried: wait a minute",
            CodeClass::SigExpired => "`TimAuthError`; with `secretKey`, signed anew and retried once",
            CodeClass::Auth => "`TimAuthError`, not retried",
        }
    }
}

/// The table of service codes in docs/errors.md, generated from [`CODES`].
pub fn codes_table() -> String {
    let mut out = String::from("| code | meaning | what the client does |\n|---|---|---|\n");
    for (code, class, meaning) in CODES {
        out.push_str(&format!("| {code} | {meaning} | {} |\n", class.behaviour()));
    }
    out
}

/// Every failure of this library.
///
/// No variant ever holds the secret key or a UserSig: URLs are stored with
/// their `usersig` redacted (see [`crate::redact_url`]).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Input broke a documented rule; thrown before anything is sent.
    #[error("invalid `{field}`: {reason}")]
    Validation {
        /// The offending field, as the user spelt it (`groupName`, `conversations[3].toAccount`).
        field: String,
        /// Why it was refused.
        reason: String,
    },
    /// The service refused the call.
    #[error("{command} failed with ErrorCode {code}: {info}{}", unknown_note(*.outcome_unknown))]
    Api {
        /// The service's `ErrorCode`.
        code: i64,
        /// The service's `ErrorInfo`.
        info: String,
        /// The service's `ErrorDisplay`, when present and non-empty.
        display: Option<String>,
        /// The command, e.g. `v4/recentcontact/delete`.
        command: String,
        /// Whether a later retry of the same call may succeed.
        retryable: bool,
        /// A write that may or may not have been applied (an attempt got no
        /// clear answer, and nothing since could tell).
        outcome_unknown: bool,
        /// What the client read back after the write failed ambiguously
        /// (see [`ReadBack`](crate::shapes::ReadBack)); only with `outcome_unknown`.
        read_back: Option<Box<crate::shapes::ReadBack>>,
    },
    /// The UserSig or the admin account was refused (by the service, or by
    /// [`crate::usersig::verify`]).
    #[error("authentication failed with code {code}: {info}{}", unknown_note(*.outcome_unknown))]
    Auth {
        /// The service's (or the verifier's) error code.
        code: i64,
        /// A description.
        info: String,
        /// The command, when the error came from a call.
        command: Option<String>,
        /// A write that may or may not have been applied: an earlier attempt
        /// of it got no clear answer before this refusal.
        outcome_unknown: bool,
    },
    /// A non-2xx HTTP status.
    #[error("HTTP {status} from {url}{}", unknown_note(*.outcome_unknown))]
    Http {
        /// The HTTP status.
        status: u16,
        /// The URL, `usersig` redacted.
        url: String,
        /// Whether retrying is safe for this command and may succeed.
        retryable: bool,
        /// A write that may or may not have been applied (an attempt got no
        /// clear answer, and nothing since could tell).
        outcome_unknown: bool,
        /// What the client read back after the write failed ambiguously
        /// (see [`ReadBack`](crate::shapes::ReadBack)); only with `outcome_unknown`.
        read_back: Option<Box<crate::shapes::ReadBack>>,
        /// The answer's `Retry-After`, in milliseconds, when it had one: when
        /// the caller may try again (the client waits out at most
        /// [`MAX_RETRY_AFTER_MS`](crate::client::MAX_RETRY_AFTER_MS) itself).
        retry_after_ms: Option<u64>,
    },
    /// `fetch` itself failed.
    #[error("network error calling {url}: {message}{}{}", not_sent_note(*.not_sent), unknown_note(*.outcome_unknown))]
    Network {
        /// What the runtime said.
        message: String,
        /// The URL, `usersig` redacted.
        url: String,
        /// Whether retrying is safe for this command.
        retryable: bool,
        /// A write that may or may not have been applied (an attempt got no
        /// clear answer, and nothing since could tell).
        outcome_unknown: bool,
        /// What the client read back after the write failed ambiguously
        /// (see [`ReadBack`](crate::shapes::ReadBack)); only with `outcome_unknown`.
        read_back: Option<Box<crate::shapes::ReadBack>>,
        /// The request was never written (connection refused, no DNS answer,
        /// TLS refused): nothing reached the service, so a write is safe to
        /// send again, here or at a backup origin.
        not_sent: bool,
    },
    /// No answer within the timeout.
    #[error("no answer from {url} within {timeout_ms} ms{}", unknown_note(*.outcome_unknown))]
    Timeout {
        /// The timeout that ran out.
        timeout_ms: u64,
        /// The URL, `usersig` redacted.
        url: String,
        /// Whether retrying is safe for this command.
        retryable: bool,
        /// A write that may or may not have been applied (an attempt got no
        /// clear answer, and nothing since could tell).
        outcome_unknown: bool,
        /// What the client read back after the write failed ambiguously
        /// (see [`ReadBack`](crate::shapes::ReadBack)); only with `outcome_unknown`.
        read_back: Option<Box<crate::shapes::ReadBack>>,
    },
    /// The call's `signal` aborted it, at whatever stage it was.
    #[error("{command}: the call was aborted{}", unknown_note(*.outcome_unknown))]
    Abort {
        /// The command.
        command: String,
        /// A write aborted while a request of it was in flight (or after an
        /// attempt that got no clear answer): it may or may not have been applied.
        outcome_unknown: bool,
        /// What the client read back after the write failed ambiguously
        /// (see [`ReadBack`](crate::shapes::ReadBack)); only with `outcome_unknown`.
        read_back: Option<Box<crate::shapes::ReadBack>>,
    },
    /// The answer was not the JSON the endpoint documents.
    #[error("{command}: unexpected response body: {message}{}", unknown_note(*.outcome_unknown))]
    Decode {
        /// What was wrong with it.
        message: String,
        /// The command.
        command: String,
        /// The HTTP status of the answer, when one arrived.
        status: Option<u16>,
        /// The start of the body (at most [`EXCERPT_CHARS`] characters), secrets redacted.
        excerpt: Option<String>,
        /// The answer to a write that could not be read: it may or may not
        /// have been applied.
        outcome_unknown: bool,
        /// What the client read back then (see [`ReadBack`](crate::shapes::ReadBack)).
        read_back: Option<Box<crate::shapes::ReadBack>>,
    },
}

impl Error {
    /// A validation error for `field`.
    pub fn validation(field: impl Into<String>, reason: impl Into<String>) -> Self {
        Error::Validation {
            field: crate::messages::printable_field(field.into()),
            reason: reason.into(),
        }
    }

    /// A validation error found inside a value, its field named from the
    /// value's own path (`toAccount`, `[3]`) outward: `prefix` is called only
    /// here, on the failure path, so the success path formats no paths.
    pub fn within(self, prefix: impl FnOnce() -> String) -> Self {
        match self {
            Error::Validation { field, reason } => {
                let mut at = prefix();
                if !field.is_empty() && !field.starts_with('[') {
                    at.push('.');
                }
                at.push_str(&field);
                Error::Validation { field: at, reason }
            }
            other => other,
        }
    }

    /// The error's class.
    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::Validation { .. } => ErrorKind::Validation,
            Error::Api { .. } => ErrorKind::Api,
            Error::Auth { .. } => ErrorKind::Auth,
            Error::Http { .. } => ErrorKind::Http,
            Error::Network { .. } => ErrorKind::Network,
            Error::Timeout { .. } => ErrorKind::Timeout,
            Error::Decode { .. } => ErrorKind::Decode,
            Error::Abort { .. } => ErrorKind::Abort,
        }
    }

    /// Whether the same call, made again later, may succeed without harm.
    pub fn retryable(&self) -> bool {
        match self {
            Error::Api { retryable, .. }
            | Error::Http { retryable, .. }
            | Error::Network { retryable, .. }
            | Error::Timeout { retryable, .. } => *retryable,
            Error::Validation { .. } | Error::Auth { .. } | Error::Decode { .. } | Error::Abort { .. } => false,
        }
    }

    /// The service error code, for API and auth errors.
    pub fn code(&self) -> Option<i64> {
        match self {
            Error::Api { code, .. } | Error::Auth { code, .. } => Some(*code),
            _ => None,
        }
    }

    /// Whether a write that failed this way may nevertheless have been
    /// applied: no answer (timeout, lost connection), a 5xx, or a service
    /// timeout code (50004, 50005, 70169, 70202, 60008…).
    pub fn is_ambiguous(&self) -> bool {
        match self {
            Error::Network { not_sent, .. } => !*not_sent,
            Error::Timeout { .. } => true,
            Error::Http { status, .. } => *status >= 500,
            Error::Api { code, .. } => matches!(classify_code(*code), CodeClass::Transient | CodeClass::TransientOnce),
            _ => false,
        }
    }

    /// This error with `retryable` set as given.
    pub fn with_retryable(mut self, value: bool) -> Self {
        match &mut self {
            Error::Api { retryable, .. }
            | Error::Http { retryable, .. }
            | Error::Network { retryable, .. }
            | Error::Timeout { retryable, .. } => *retryable = value,
            _ => {}
        }
        self
    }

    /// This (ambiguous) error, marked as a write whose outcome nobody can
    /// tell: not retryable, and its message says so.
    pub fn with_outcome_unknown(self) -> Self {
        self.with_retryable(false).with_unknown_outcome_noted()
    }

    /// This error, marked as the failure of a write whose outcome nobody
    /// can tell (its `retryable` unchanged: an idempotent write may simply
    /// be sent again).
    pub fn with_unknown_outcome_noted(mut self) -> Self {
        match &mut self {
            Error::Api { outcome_unknown, .. }
            | Error::Auth { outcome_unknown, .. }
            | Error::Http { outcome_unknown, .. }
            | Error::Network { outcome_unknown, .. }
            | Error::Timeout { outcome_unknown, .. }
            | Error::Decode { outcome_unknown, .. }
            | Error::Abort { outcome_unknown, .. } => *outcome_unknown = true,
            _ => {}
        }
        self
    }

    /// This error carrying what the client read back after it (`None`
    /// leaves it without).
    pub fn with_read_back(mut self, seen: Option<crate::shapes::ReadBack>) -> Self {
        if let Some(seen) = seen {
            match &mut self {
                Error::Api { read_back, .. }
                | Error::Http { read_back, .. }
                | Error::Network { read_back, .. }
                | Error::Timeout { read_back, .. }
                | Error::Decode { read_back, .. }
                | Error::Abort { read_back, .. } => *read_back = Some(Box::new(seen)),
                _ => {}
            }
        }
        self
    }

    /// What the client read back after this error, when it did.
    pub fn read_back(&self) -> Option<&crate::shapes::ReadBack> {
        match self {
            Error::Api { read_back, .. }
            | Error::Http { read_back, .. }
            | Error::Network { read_back, .. }
            | Error::Timeout { read_back, .. }
            | Error::Decode { read_back, .. }
            | Error::Abort { read_back, .. } => read_back.as_deref(),
            _ => None,
        }
    }

    /// Whether this is the failure of a write that may or may not have been applied.
    pub fn outcome_unknown(&self) -> bool {
        matches!(
            self,
            Error::Api {
                outcome_unknown: true,
                ..
            } | Error::Auth {
                outcome_unknown: true,
                ..
            } | Error::Http {
                outcome_unknown: true,
                ..
            } | Error::Network {
                outcome_unknown: true,
                ..
            } | Error::Timeout {
                outcome_unknown: true,
                ..
            } | Error::Abort {
                outcome_unknown: true,
                ..
            } | Error::Decode {
                outcome_unknown: true,
                ..
            }
        )
    }

    /// Builds the error for a service answer with a non-zero `ErrorCode`.
    pub fn from_service(code: i64, info: String, display: Option<String>, command: &str) -> Self {
        let command = format!("v4/recentcontact/{command}");
        match classify_code(code) {
            CodeClass::Auth | CodeClass::SigExpired => Error::Auth {
                code,
                info,
                command: Some(command),
                outcome_unknown: false,
            },
            class => Error::Api {
                code,
                info,
                display: display.filter(|d| !d.is_empty()),
                command,
                retryable: matches!(
                    class,
                    CodeClass::Transient | CodeClass::TransientOnce | CodeClass::Throttled | CodeClass::ThrottledLong
                ),
                outcome_unknown: false,
                read_back: None,
            },
        }
    }
}

/// A decode error for `command` (e.g. `get_list`): the answer was not what
/// the endpoint documents.
pub fn decode_error(command: &str, message: impl Into<String>) -> Error {
    Error::Decode {
        message: message.into(),
        command: format!("v4/recentcontact/{command}"),
        status: None,
        excerpt: None,
        outcome_unknown: false,
        read_back: None,
    }
}

/// Longest body excerpt a [`Error::Decode`] keeps.
pub const EXCERPT_CHARS: usize = 200;

impl Error {
    /// A decode error with the answer it came from: its status and the
    /// start of its body.
    /// `redact` runs before the excerpt is cut, so no part of a secret is left.
    pub fn with_answer(self, answer_status: u16, body: &[u8], redact: impl Fn(&str) -> String) -> Self {
        match self {
            Error::Decode { message, command, .. } => {
                // Enough bytes for the excerpt and any secret that starts in it.
                let text = redact(&String::from_utf8_lossy(
                    &body[..body.len().min(EXCERPT_CHARS * 4 + 4096)],
                ));
                let mut excerpt: String = text.chars().take(EXCERPT_CHARS).collect();
                if excerpt.len() < text.len() {
                    excerpt.push('…');
                }
                Error::Decode {
                    message,
                    command,
                    status: Some(answer_status),
                    excerpt: Some(excerpt),
                    outcome_unknown: false,
                    read_back: None,
                }
            }
            e => e,
        }
    }

    /// This error with `f` applied to every text it holds (for redaction).
    pub fn map_text(mut self, f: impl Fn(&str) -> String) -> Self {
        let apply = |t: &mut String| *t = f(t);
        match &mut self {
            Error::Validation { field, reason } => {
                apply(field);
                apply(reason);
            }
            Error::Api { info, display, .. } => {
                apply(info);
                display.iter_mut().for_each(apply);
            }
            Error::Auth { info, .. } => apply(info),
            Error::Http { url, .. } | Error::Timeout { url, .. } => apply(url),
            Error::Network { message, url, .. } => {
                apply(message);
                apply(url);
            }
            Error::Decode { message, excerpt, .. } => {
                apply(message);
                excerpt.iter_mut().for_each(apply);
            }
            Error::Abort { .. } => {}
        }
        self
    }
}

/// Every form in which `secret` may appear in a text: as is, and as the
/// common URL encoders write it (`encodeURIComponent`, form encoding, every
/// byte escaped; upper- and lower-case hex).
pub fn secret_forms(secret: &str) -> Vec<String> {
    let mut forms = vec![secret.to_string()];
    let encoders: [fn(u8) -> bool; 3] = [
        // encodeURIComponent keeps A-Z a-z 0-9 - _ . ! ~ * ' ( )
        |b| b.is_ascii_alphanumeric() || b"-_.!~*'()".contains(&b),
        // RFC 3986 unreserved, and application/x-www-form-urlencoded
        |b| b.is_ascii_alphanumeric() || b"-_.~".contains(&b),
        |b| b.is_ascii_alphanumeric() || b"-_.*".contains(&b),
    ];
    for keep in encoders {
        for upper in [true, false] {
            let mut out = String::with_capacity(secret.len() * 2);
            for b in secret.bytes() {
                if keep(b) {
                    out.push(b as char);
                } else if upper {
                    out.push_str(&format!("%{b:02X}"));
                } else {
                    out.push_str(&format!("%{b:02x}"));
                }
            }
            if !forms.contains(&out) {
                forms.push(out);
            }
        }
    }
    forms
}

/// `text` with every one of `secrets` replaced by `REDACTED`.
pub fn redact(text: &str, secrets: &[String]) -> String {
    let mut out = text.to_string();
    for s in secrets.iter().filter(|s| s.len() >= 4) {
        if crate::text::contains(&out, s) {
            out = crate::text::replace_all(&out, s, "REDACTED");
        }
    }
    out
}

fn not_sent_note(not_sent: bool) -> &'static str {
    if not_sent {
        " (nothing was sent: the request never reached the service)"
    } else {
        ""
    }
}

fn unknown_note(unknown: bool) -> &'static str {
    if unknown {
        " (the write may or may not have been applied: an attempt got no clear answer, and what followed could not tell)"
    } else {
        ""
    }
}

/// The result type of this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// A secret (secret key or UserSig) that never shows itself in `Debug` or `Display`.
/// Shared, not copied: a call takes the cached UserSig by cloning it, and
/// the signed query it made is found again by pointer (`Rc`'s equality
/// compares pointers first; a 300-byte copy and a 300-byte comparison per
/// call before).
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(std::rc::Rc<str>);

impl Secret {
    /// Wraps a secret.
    pub fn new(s: impl Into<String>) -> Self {
        Secret(s.into().into())
    }
    /// The secret itself, for signing and for the request URL only.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(<redacted>)")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catalog_classes() {
        assert_eq!(classify_code(50004), CodeClass::Transient);
        assert_eq!(classify_code(70202), CodeClass::Transient);
        assert_eq!(classify_code(60018), CodeClass::Throttled);
        assert_eq!(classify_code(70050), CodeClass::ThrottledLong);
        assert_eq!(classify_code(70001), CodeClass::SigExpired);
        assert_eq!(classify_code(70052), CodeClass::SigExpired);
        assert_eq!(classify_code(70009), CodeClass::Auth);
        assert_eq!(classify_code(70403), CodeClass::Auth);
        assert_eq!(classify_code(50003), CodeClass::Auth);
        assert_eq!(classify_code(51009), CodeClass::Fatal);
        assert_eq!(classify_code(70107), CodeClass::Fatal);
    }

    #[test]
    fn service_errors_get_kind_and_retryable() {
        let e = Error::from_service(51009, "no group".into(), Some(String::new()), "del_contact_group");
        assert_eq!(e.kind(), ErrorKind::Api);
        assert!(!e.retryable());
        assert_eq!(e.code(), Some(51009));
        match &e {
            Error::Api { display, command, .. } => {
                assert_eq!(display, &None);
                assert_eq!(command, "v4/recentcontact/del_contact_group");
            }
            _ => unreachable!(),
        }
        let e = Error::from_service(60007, "busy".into(), None, "delete");
        assert_eq!((e.kind(), e.retryable()), (ErrorKind::Api, true));
        let e = Error::from_service(70003, "bad sig".into(), None, "delete");
        assert_eq!((e.kind(), e.retryable()), (ErrorKind::Auth, false));
        let e = Error::from_service(50003, "not admin".into(), None, "delete");
        assert_eq!(e.kind(), ErrorKind::Auth);
    }

    #[test]
    fn secrets_do_not_print() {
        let s = Secret::new("top-secret-key");
        assert!(!format!("{s:?}").contains("top-secret"));
        assert!(!format!("{s}").contains("top-secret"));
    }
}
