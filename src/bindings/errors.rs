//! [`Error`] → an instance of the package's JavaScript error classes.

use js_sys::Object;
use wasm_bindgen::prelude::*;

use super::runtime::{array_of, set_property};
use super::ERROR_FACTORY;
use crate::error::Error;

fn set(obj: &Object, key: &str, value: impl Into<JsValue>) {
    set_property(obj, key, &value.into());
}

/// The description the error factory receives: `kind`, `message`,
/// `retryable` and the kind's own fields.
pub fn describe(e: &Error, cause: Option<JsValue>, request_id: Option<u32>) -> Object {
    let o = Object::new();
    set(&o, "kind", e.kind().as_str());
    set(&o, "message", e.to_string());
    set(&o, "retryable", e.retryable());
    match e {
        Error::Validation { field, reason } => {
            set(&o, "field", field.as_str());
            set(&o, "reason", reason.as_str());
        }
        Error::Api {
            code,
            info,
            display,
            command,
            ..
        } => {
            set(&o, "code", *code as f64);
            set(&o, "info", info.as_str());
            if let Some(d) = display {
                set(&o, "display", d.as_str());
            }
            set(&o, "command", command.as_str());
        }
        Error::Auth {
            code, info, command, ..
        } => {
            set(&o, "code", *code as f64);
            set(&o, "info", info.as_str());
            if let Some(c) = command {
                set(&o, "command", c.as_str());
            }
        }
        Error::Http {
            status,
            url,
            retry_after_ms,
            ..
        } => {
            set(&o, "status", *status);
            set(&o, "url", url.as_str());
            if let Some(ms) = retry_after_ms {
                set(&o, "retryAfterMs", *ms as f64);
            }
        }
        Error::Network {
            url, message, not_sent, ..
        } => {
            set(&o, "url", url.as_str());
            set(&o, "cause", cause.unwrap_or_else(|| js_sys::Error::new(message).into()));
            if *not_sent {
                set(&o, "notSent", true);
            }
        }
        Error::Timeout { url, timeout_ms, .. } => {
            set(&o, "url", url.as_str());
            set(&o, "timeoutMs", *timeout_ms as f64);
        }
        Error::Decode {
            command,
            status,
            excerpt,
            ..
        } => {
            set(&o, "command", command.as_str());
            if let Some(s) = status {
                set(&o, "status", *s);
            }
            if let Some(x) = excerpt {
                set(&o, "excerpt", x.as_str());
            }
        }
        Error::Abort { command, .. } => {
            set(&o, "command", command.as_str());
            set(&o, "cause", cause.unwrap_or(JsValue::UNDEFINED));
        }
    }
    if e.outcome_unknown() {
        set(&o, "outcomeUnknown", true);
    }
    if let Some(seen) = e.read_back() {
        // JSON text: the error factory parses it into `readBack`.
        set(&o, "readBack", crate::json_out::ToJson::to_json(seen));
    }
    if let Some(id) = request_id {
        set(&o, "requestId", f64::from(id));
    }
    o
}

/// The JavaScript error for `e` (a plain `Error` with the same fields when
/// no factory is installed).
pub fn to_js_error(e: &Error) -> JsValue {
    to_js_error_with_cause(e, None, None, &[], false)
}

/// [`to_js_error`] for an error that reaches the caller as a method's
/// rejection: the method layer (client.js) takes its stack where the
/// caller awaits, so none is taken here.
pub fn to_js_rejection(e: &Error) -> JsValue {
    to_js_error_with_cause(e, None, None, &[], true)
}

/// Like [`to_js_error`], keeping the runtime's original error as `cause`
/// (with `secrets` scrubbed from it by the factory) and the request's ID;
/// `late`: it leaves as a method's rejection (see [`to_js_rejection`]).
pub fn to_js_error_with_cause(
    e: &Error,
    cause: Option<JsValue>,
    request_id: Option<u32>,
    secrets: &[String],
    late: bool,
) -> JsValue {
    // Only a cause (the runtime's error, or an abort reason) is scrubbed in
    // JavaScript; without one there is nothing to hand over.
    let scrub = cause.is_some();
    let desc = describe(e, cause, request_id);
    if late {
        // It reaches the caller through the method layer (client.js, or
        // paging.js for a page), which takes its stack where the caller
        // awaits; taking one here, through wasm frames, is wasted (most of
        // a refused call's time).
        set(&desc, "lateStack", true);
    }
    let list: js_sys::Array = if scrub {
        array_of(secrets.iter().map(|s| JsValue::from_str(s)))
    } else {
        js_sys::Array::new()
    };
    let made = ERROR_FACTORY.with(|f| f.borrow().as_ref().map(|f| f.call2(&JsValue::UNDEFINED, &desc, &list)));
    match made {
        Some(Ok(err)) => err,
        _ => {
            let err = js_sys::Error::new(&e.to_string());
            let _ = Object::assign(&err, &desc);
            err.into()
        }
    }
}
