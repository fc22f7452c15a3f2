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
    /// The call rate was exceeded: back off and retry.
    Throttled,
    /// Too many failed signature checks: retry only after about a minute.
    ThrottledLong,
    /// The UserSig expired: a client holding the secret key signs anew.
    SigExpired,
    /// UserSig or admin problem: not retried.
    Auth,
}

/// Classifies a service `ErrorCode` (SPEC.md, "Error codes").
pub fn classify_code(code: i64) -> CodeClass {
    match code {
        50004 | 50005 | 60008 | 70169 | 70202 => CodeClass::Transient,
        60007 | 60011 | 60018 | 60019 => CodeClass::Throttled,
        70050 => CodeClass::ThrottledLong,
        70001 | 70052 => CodeClass::SigExpired,
        50003 | 70403 => CodeClass::Auth,
        70002..=70020 => CodeClass::Auth,
        _ => CodeClass::Fatal,
    }
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
    #[error("{command} failed with ErrorCode {code}: {info}")]
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
    },
    /// The UserSig or the admin account was refused (by the service, or by
    /// [`crate::usersig::verify`]).
    #[error("authentication failed with code {code}: {info}")]
    Auth {
        /// The service's (or the verifier's) error code.
        code: i64,
        /// A description.
        info: String,
        /// The command, when the error came from a call.
        command: Option<String>,
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
        /// A write that may or may not have been applied: reading the state back could not tell.
        outcome_unknown: bool,
    },
    /// `fetch` itself failed.
    #[error("network error calling {url}: {message}{}", unknown_note(*.outcome_unknown))]
    Network {
        /// What the runtime said.
        message: String,
        /// The URL, `usersig` redacted.
        url: String,
        /// Whether retrying is safe for this command.
        retryable: bool,
        /// A write that may or may not have been applied: reading the state back could not tell.
        outcome_unknown: bool,
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
        /// A write that may or may not have been applied: reading the state back could not tell.
        outcome_unknown: bool,
    },
    /// The call's `signal` aborted it, at whatever stage it was.
    #[error("{command}: the call was aborted")]
    Abort {
        /// The command.
        command: String,
    },
    /// The answer was not the JSON the endpoint documents.
    #[error("{command}: unexpected response body: {message}")]
    Decode {
        /// What was wrong with it.
        message: String,
        /// The command.
        command: String,
    },
}

impl Error {
    /// A validation error for `field`.
    pub fn validation(field: impl Into<String>, reason: impl Into<String>) -> Self {
        Error::Validation {
            field: field.into(),
            reason: reason.into(),
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
            Error::Network { .. } | Error::Timeout { .. } => true,
            Error::Http { status, .. } => *status >= 500,
            Error::Api { code, .. } => classify_code(*code) == CodeClass::Transient,
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
        match self.with_retryable(false) {
            Error::Http {
                status, url, retryable, ..
            } => Error::Http {
                status,
                url,
                retryable,
                outcome_unknown: true,
            },
            Error::Network {
                message,
                url,
                retryable,
                ..
            } => Error::Network {
                message,
                url,
                retryable,
                outcome_unknown: true,
            },
            Error::Timeout {
                timeout_ms,
                url,
                retryable,
                ..
            } => Error::Timeout {
                timeout_ms,
                url,
                retryable,
                outcome_unknown: true,
            },
            Error::Api {
                code,
                info,
                display,
                command,
                retryable,
            } => Error::Api {
                code,
                info: format!("{info}{}", unknown_note(true)),
                display,
                command,
                retryable,
            },
            e => e,
        }
    }

    /// Builds the error for a service answer with a non-zero `ErrorCode`.
    pub fn from_service(code: i64, info: String, display: Option<String>, command: &str) -> Self {
        let command = format!("v4/recentcontact/{command}");
        match classify_code(code) {
            CodeClass::Auth | CodeClass::SigExpired => Error::Auth {
                code,
                info,
                command: Some(command),
            },
            class => Error::Api {
                code,
                info,
                display: display.filter(|d| !d.is_empty()),
                command,
                retryable: matches!(
                    class,
                    CodeClass::Transient | CodeClass::Throttled | CodeClass::ThrottledLong
                ),
            },
        }
    }
}

fn unknown_note(unknown: bool) -> &'static str {
    if unknown {
        " (the write may or may not have been applied: reading the state back could not tell)"
    } else {
        ""
    }
}

/// The result type of this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// A secret (secret key or UserSig) that never shows itself in `Debug` or `Display`.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret.
    pub fn new(s: impl Into<String>) -> Self {
        Secret(s.into())
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
