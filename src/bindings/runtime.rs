//! The JavaScript platform: fetch (gloo-net's, or the injected one) with a
//! timeout that aborts, timers, clock and randomness.

use std::cell::RefCell;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use js_sys::{Function, Object, Promise, Reflect, Uint32Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::AbortController;

use super::errors::to_js_error_with_cause;
use crate::client::{HttpResponse, Runtime, TransportError};
use crate::error::Error;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_name = fetch, catch)]
    fn global_fetch(request: &web_sys::Request) -> Result<Promise, JsValue>;
    #[wasm_bindgen(js_name = setTimeout)]
    fn set_timeout(callback: &Function, ms: f64) -> JsValue;
    #[wasm_bindgen(js_name = clearTimeout)]
    fn clear_timeout(handle: &JsValue);
    #[wasm_bindgen(js_namespace = crypto, js_name = getRandomValues, catch)]
    fn get_random_values(buf: &Uint32Array) -> Result<JsValue, JsValue>;
}

/// A timer that resolves after `ms` and is cleared when dropped.
struct Timer {
    future: JsFuture,
    handle: JsValue,
}

impl Timer {
    fn new(ms: f64) -> Timer {
        // Beyond 2^31 - 1 ms JavaScript timers fire at once: wait the longest they can.
        let ms = ms.min(f64::from(i32::MAX));
        let mut handle = JsValue::UNDEFINED;
        let promise = Promise::new(&mut |resolve, _reject| {
            handle = set_timeout(&resolve, ms);
        });
        Timer {
            future: JsFuture::from(promise),
            handle,
        }
    }
}

impl Future for Timer {
    type Output = ();
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        Pin::new(&mut self.future).poll(cx).map(|_| ())
    }
}

impl Drop for Timer {
    fn drop(&mut self) {
        clear_timeout(&self.handle);
    }
}

/// Polls `work` until it finishes or `timer` fires first (`None`).
async fn race<F: Future>(work: F, timer: Timer) -> Option<F::Output> {
    let mut work = Box::pin(work);
    let mut timer = timer;
    std::future::poll_fn(move |cx| {
        if let Poll::Ready(v) = work.as_mut().poll(cx) {
            return Poll::Ready(Some(v));
        }
        if Pin::new(&mut timer).poll(cx).is_ready() {
            return Poll::Ready(None);
        }
        Poll::Pending
    })
    .await
}

fn message_of(e: &JsValue) -> String {
    if let Some(err) = e.dyn_ref::<js_sys::Error>() {
        let msg: String = err.message().into();
        let cause = Reflect::get(err, &"cause".into()).ok().filter(|c| !c.is_undefined());
        match cause.and_then(|c| c.dyn_ref::<js_sys::Error>().map(|c| String::from(c.message()))) {
            Some(c) if !c.is_empty() => format!("{msg} ({c})"),
            _ => msg,
        }
    } else {
        e.as_string().unwrap_or_else(|| "fetch failed".to_string())
    }
}

/// The (query-encoded) `usersig` value of a request URL.
fn usersig_of(url: &str) -> Option<&str> {
    let query = url.split_once('?')?.1;
    query
        .split('&')
        .find_map(|p| p.strip_prefix("usersig="))
        .filter(|v| !v.is_empty())
}

/// A copy of a JavaScript error (and its `cause` chain) with `secret`
/// replaced by `REDACTED` in every message, `name` and `code` kept; `None`
/// when nothing in the chain quotes `secret` (the original then stays as is).
fn redact_js(e: &JsValue, secret: &str, depth: u8) -> Option<JsValue> {
    if let Some(s) = e.as_string() {
        return s
            .contains(secret)
            .then(|| JsValue::from_str(&s.replace(secret, "REDACTED")));
    }
    let err = e.dyn_ref::<js_sys::Error>()?;
    let message: String = err.message().into();
    let cause = Reflect::get(err, &"cause".into()).unwrap_or(JsValue::UNDEFINED);
    let redacted_cause = if cause.is_undefined() || depth >= 4 {
        None
    } else {
        redact_js(&cause, secret, depth + 1)
    };
    if !message.contains(secret) && redacted_cause.is_none() {
        return None;
    }
    let copy = js_sys::Error::new(&message.replace(secret, "REDACTED"));
    copy.set_name(&String::from(err.name()));
    if let Ok(code) = Reflect::get(err, &"code".into()) {
        if !code.is_undefined() {
            let _ = Reflect::set(&copy, &"code".into(), &code);
        }
    }
    if !cause.is_undefined() {
        let _ = Reflect::set(&copy, &"cause".into(), &redacted_cause.unwrap_or(cause));
    }
    Some(copy.into())
}

/// The runtime of the npm package.
pub struct JsRuntime {
    fetch: Option<Function>,
    /// The original JavaScript error of the last network failure, kept as
    /// the `cause` of the `TimNetworkError` that reports it.
    last_cause: RefCell<Option<JsValue>>,
}

impl JsRuntime {
    pub fn new(fetch: Option<Function>) -> Self {
        JsRuntime {
            fetch,
            last_cause: RefCell::new(None),
        }
    }

    /// The JavaScript error for a failed call.
    pub fn js_error(&self, e: &Error) -> JsValue {
        let cause = match e {
            Error::Network { .. } => self.last_cause.borrow_mut().take(),
            _ => None,
        };
        to_js_error_with_cause(e, cause)
    }

    async fn fetch_once(&self, url: &str, body: &str, signal: &web_sys::AbortSignal) -> Result<HttpResponse, JsValue> {
        match &self.fetch {
            None => {
                // gloo-net builds the request and reads the answer; the fetch
                // itself is called here so a failure keeps the runtime's own
                // error (with its `cause`, e.g. ECONNREFUSED) for the user.
                let request: web_sys::Request = gloo_net::http::Request::post(url)
                    .header("Content-Type", "application/json")
                    .abort_signal(Some(signal))
                    .body(body.to_string())
                    .map_err(|e| JsValue::from(js_sys::Error::new(&e.to_string())))?
                    .into();
                let resp: web_sys::Response = JsFuture::from(global_fetch(&request)?).await?.dyn_into()?;
                let resp = gloo_net::http::Response::from(resp);
                let status = resp.status();
                let text = resp
                    .text()
                    .await
                    .map_err(|e| JsValue::from(js_sys::Error::new(&e.to_string())))?;
                Ok(HttpResponse {
                    status,
                    body: text.into_bytes(),
                })
            }
            Some(f) => {
                let init = Object::new();
                let headers = Object::new();
                Reflect::set(&headers, &"Content-Type".into(), &"application/json".into())?;
                Reflect::set(&init, &"method".into(), &"POST".into())?;
                Reflect::set(&init, &"headers".into(), &headers)?;
                Reflect::set(&init, &"body".into(), &body.into())?;
                Reflect::set(&init, &"signal".into(), signal)?;
                let promise = f.call2(&JsValue::UNDEFINED, &url.into(), &init)?;
                let resp = JsFuture::from(Promise::resolve(&promise)).await?;
                let status = Reflect::get(&resp, &"status".into())?
                    .as_f64()
                    .ok_or_else(|| JsValue::from(js_sys::Error::new("fetch returned no Response")))?;
                let text_fn: Function = Reflect::get(&resp, &"text".into())?.dyn_into()?;
                let text = JsFuture::from(Promise::resolve(&text_fn.call0(&resp)?)).await?;
                Ok(HttpResponse {
                    status: status as u16,
                    body: text.as_string().unwrap_or_default().into_bytes(),
                })
            }
        }
    }
}

impl Runtime for JsRuntime {
    async fn send(&self, url: &str, body: &str, timeout_ms: u32) -> Result<HttpResponse, TransportError> {
        let controller = AbortController::new().map_err(|e| TransportError::Network(message_of(&e)))?;
        let signal = controller.signal();
        match race(self.fetch_once(url, body, &signal), Timer::new(f64::from(timeout_ms))).await {
            Some(Ok(r)) => Ok(r),
            Some(Err(e)) => {
                // Some runtimes (Deno) put the whole URL, UserSig included, in
                // their error messages: keep only a redacted copy.
                let e = usersig_of(url).and_then(|sig| redact_js(&e, sig, 0)).unwrap_or(e);
                let message = message_of(&e);
                *self.last_cause.borrow_mut() = Some(e);
                Err(TransportError::Network(message))
            }
            None => {
                controller.abort();
                Err(TransportError::Timeout)
            }
        }
    }

    async fn sleep(&self, ms: u64) {
        Timer::new(ms as f64).await
    }

    fn now_ms(&self) -> f64 {
        js_sys::Date::now()
    }

    fn random_u32(&self) -> u32 {
        let buf = Uint32Array::new_with_length(1);
        match get_random_values(&buf) {
            Ok(_) => buf.get_index(0),
            Err(_) => (js_sys::Math::random() * 4_294_967_296.0).floor() as u32,
        }
    }
}
