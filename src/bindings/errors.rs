//! [`Error`] → an instance of the package's JavaScript error classes.

use js_sys::Object;
use wasm_bindgen::prelude::*;

use super::js::{array_of, set_property};
use crate::error::Error;
use crate::json_out::Out;

thread_local! {
    /// `lib/setup.js`'s error factory: an error description (JSON text) as
    /// an instance of the package's error classes (`__setErrorFactory`).
    pub(super) static ERROR_FACTORY: std::cell::RefCell<Option<js_sys::Function>> = const { std::cell::RefCell::new(None) };
    /// `lib/setup.js`'s factory of a `TimValidationError` from its field,
    /// reason and `late` (the commonest error, made without a description
    /// to write and parse: that was a tenth of a refused call's time).
    pub(super) static REFUSAL_FACTORY: std::cell::RefCell<Option<js_sys::Function>> = const { std::cell::RefCell::new(None) };
}

/// The description the error factory receives, as JSON text (one string
/// into JavaScript, where an object built member by member cost a name
/// decoded and a `Reflect.set` per member): `kind`, `message`, `retryable`
/// and the kind's own fields; the cause (a JavaScript value) goes beside it.
pub fn describe(e: &Error, request_id: Option<u32>, late: bool) -> String {
    let mut o = Out::new();
    o.raw(r#"{"kind":"#);
    o.str(e.kind().as_str());
    o.raw(r#","message":"#);
    o.str(&e.to_string());
    o.raw(r#","retryable":"#);
    o.bool(e.retryable());
    match e {
        Error::Validation { field, reason } => {
            o.kv_str(r#","field":"#, field);
            o.kv_str(r#","reason":"#, reason);
        }
        Error::Api {
            code,
            info,
            display,
            command,
            ..
        } => {
            o.raw(r#","code":"#);
            o.i64(*code);
            o.kv_str(r#","info":"#, info);
            o.field(r#","display":"#, display.as_deref());
            o.kv_str(r#","command":"#, command);
        }
        Error::Auth {
            code, info, command, ..
        } => {
            o.raw(r#","code":"#);
            o.i64(*code);
            o.kv_str(r#","info":"#, info);
            o.field(r#","command":"#, command.as_deref());
        }
        Error::Http {
            status,
            url,
            retry_after_ms,
            ..
        } => {
            o.kv_u64(r#","status":"#, u64::from(*status));
            o.kv_str(r#","url":"#, url);
            o.field(r#","retryAfterMs":"#, retry_after_ms.as_ref());
        }
        Error::Network { url, not_sent, .. } => {
            o.kv_str(r#","url":"#, url);
            if *not_sent {
                o.raw(r#","notSent":true"#);
            }
        }
        Error::Timeout { url, timeout_ms, .. } => {
            o.kv_str(r#","url":"#, url);
            o.kv_u64(r#","timeoutMs":"#, *timeout_ms);
        }
        Error::Decode {
            command,
            status,
            excerpt,
            ..
        } => {
            o.kv_str(r#","command":"#, command);
            if let Some(s) = status {
                o.kv_u64(r#","status":"#, u64::from(*s));
            }
            o.field(r#","excerpt":"#, excerpt.as_deref());
        }
        Error::Abort { command, .. } => o.kv_str(r#","command":"#, command),
    }
    if e.outcome_unknown() {
        o.raw(r#","outcomeUnknown":true"#);
    }
    if let Some(seen) = e.read_back() {
        // JSON text inside: the error factory parses it into `readBack`.
        o.kv_str(r#","readBack":"#, &crate::json_out::ToJson::to_json(seen));
    }
    if let Some(id) = request_id {
        o.kv_u64(r#","requestId":"#, u64::from(id));
    }
    if late {
        // It reaches the caller through the method layer (client.js, or
        // paging.js for a page), which takes its stack where the caller
        // awaits; taking one here, through wasm frames, is wasted (most of
        // a refused call's time).
        o.raw(r#","lateStack":true"#);
    }
    o.raw("}");
    o.into_string()
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
    // A refusal with no cause or request: the refusal factory, from its fields.
    if let (Error::Validation { field, reason }, None, None) = (e, &cause, request_id) {
        let made = REFUSAL_FACTORY.with(|f| {
            f.borrow().as_ref().map(|f| {
                f.call3(
                    &JsValue::UNDEFINED,
                    &field.into(),
                    &reason.into(),
                    &JsValue::from_bool(late),
                )
            })
        });
        if let Some(Ok(err)) = made {
            return err;
        }
    }
    // Only a cause (the runtime's error, or an abort reason) is scrubbed in
    // JavaScript; without one there is nothing to hand over. A network
    // error's cause is the runtime's error, or one made of its message.
    let scrub = cause.is_some();
    let cause = match e {
        Error::Network { message, .. } => Some(cause.unwrap_or_else(|| js_sys::Error::new(message).into())),
        _ => cause,
    };
    let desc = JsValue::from(describe(e, request_id, late));
    let cause = cause.unwrap_or(JsValue::UNDEFINED);
    let list: js_sys::Array = if scrub {
        array_of(secrets.iter().map(|s| JsValue::from_str(s)))
    } else {
        js_sys::Array::new()
    };
    let made = ERROR_FACTORY.with(|f| {
        f.borrow()
            .as_ref()
            .map(|f| f.call3(&JsValue::UNDEFINED, &desc, &list, &cause))
    });
    match made {
        Some(Ok(err)) => err,
        _ => {
            let err = js_sys::Error::new(&e.to_string());
            if let Some(fields) = desc.as_string().and_then(|t| js_sys::JSON::parse(&t).ok()) {
                let _ = Object::assign(&err, &fields.unchecked_into());
            }
            if !cause.is_undefined() {
                set_property(&err, "cause", &cause);
            }
            err.into()
        }
    }
}
