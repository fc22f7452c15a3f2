//! The only code that knows about JavaScript: the `ConversationClient`
//! class, the pure helpers, the fetch transport, and the mapping of
//! [`Error`] onto the package's JavaScript error classes.

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::{Function, Reflect};
use tsify::Ts;
use wasm_bindgen::prelude::*;

use crate::json_out::{Out, ToJson};

use crate::client::{CallOptions, Client, ClientOptions, Pages};
use crate::endpoint::types::*;
use crate::endpoint::{Call, Endpoint};
use crate::error::Error;
use crate::get_all_conversation_groups_with;
use crate::input::Input;

mod errors;
mod js;
mod runtime;

pub use errors::to_js_error;
use runtime::{CallContext, JsRuntime};

/// Reads a JavaScript argument as plain data: one `JSON.stringify` across
/// the boundary (far cheaper than walking the object property by property),
/// then `T`'s reader ([`crate::input`]) with the field path of any mismatch.
/// Every key is seen, so a misspelt field is reported. What JSON cannot say
/// (NaN, Infinity, a BigInt, `undefined` in an array, a function) is found
/// by walking the value, only when the text shows a trace of it (a `null`)
/// or stringify threw, so it is refused instead of silently becoming a
/// default.
fn input<T: Input>(root: &str, value: &JsValue) -> Result<T, Error> {
    let mut out = None;
    input_dyn(root, value, &mut |text| {
        crate::input::parse::<T>(root, text).map(|v| out = Some(v))
    })?;
    out.ok_or_else(|| Error::validation(root, "could not be read"))
}

/// [`input`], once in the binary: `read` reads a text (keeping the value).
fn input_dyn(root: &str, value: &JsValue, read: &mut dyn FnMut(&str) -> Result<(), Error>) -> Result<(), Error> {
    let (text, odd) = input_text(root, value)?;
    match (read(&text), odd) {
        (Ok(()), None) => Ok(()),
        // A NaN that became an optional field's default: read the input
        // again with an object there, to learn what that field expects.
        (Ok(()), Some((path, what))) => Err(non_finite_error(
            root,
            &path,
            &what,
            probe_text(value).and_then(|probe| read(&probe).err()),
        )),
        (Err(e), _) => Err(explain(e, root, value)),
    }
}

/// The error for a non-finite number at `path` (`what`: NaN, Infinity),
/// from the probe's error when there is one (out of line: CONTRIBUTING, "Cold code").
#[cold]
#[inline(never)]
fn non_finite_error(root: &str, path: &str, what: &str, probe: Option<Error>) -> Error {
    probe
        .map(|e| explain_as(e, what))
        .unwrap_or_else(|| Error::validation(at(root, path), format!("must be a finite number, received {what}")))
}

/// The argument as JSON with `{}` in place of every non-finite number, so
/// that the same parser (no second instance of it in the binary) says what
/// the field there expects.
fn probe_text(value: &JsValue) -> Option<String> {
    let replacer =
        Closure::<dyn FnMut(JsValue, JsValue) -> JsValue>::new(|_key: JsValue, v: JsValue| match v.as_f64() {
            Some(n) if !n.is_finite() => js_sys::Object::new().into(),
            _ => v,
        });
    js_sys::JSON::stringify_with_replacer(value, replacer.as_ref().unchecked_ref())
        .ok()?
        .as_string()
}

/// "must be …, received an object" (from the probe) → "…, received NaN".
fn explain_as(e: Error, what: &str) -> Error {
    match e {
        Error::Validation { field, reason } => {
            // The last ", received ": every reason names what it got last.
            let mut last = None;
            while let Some(at) = crate::text::find_from(&reason, ", received ", last.map_or(0, |l| l + 1)) {
                last = Some(at);
            }
            match last {
                Some(at) => Error::Validation {
                    reason: format!("{}, received {what}", &reason[..at]),
                    field,
                },
                None => Error::Validation { field, reason },
            }
        }
        e => e,
    }
}

/// The argument as JSON text (`null` for `undefined`), and the error to
/// give if that text parses: a NaN that would become an optional field's
/// default.
fn input_text(root: &str, value: &JsValue) -> Result<(String, Option<(String, String)>), Error> {
    if value.is_undefined() {
        return Ok(("null".into(), None));
    }
    // transport.js's encoder hands the text over as UTF-8 bytes, copied in
    // one piece (a string crosses character by character).
    let encoded = ENCODE_JSON.with(|e| e.borrow().as_ref().map(|f| f.call1(&JsValue::UNDEFINED, value)));
    let text = match encoded.unwrap_or_else(|| js_sys::JSON::stringify(value).map(JsValue::from)) {
        Ok(t) if t.is_string() => t.as_string().unwrap_or_default(),
        // The count of bytes the encoder wrote into `__inputRoom`'s room.
        Ok(t) => t.as_f64().and_then(take_input_bytes).unwrap_or_else(|| "null".into()),
        Err(_) => {
            return Err(match unrepresentable(value, String::new(), 0) {
                Some((path, what)) => {
                    Error::validation(at(root, &path), format!("must be plain data, received {what}"))
                }
                None => Error::validation(
                    root,
                    "must be plain data (JSON.stringify threw on it: a getter, a Proxy or a cycle?)",
                ),
            })
        }
    };
    let odd = if crate::text::contains(&text, "null") {
        unrepresentable(value, String::new(), 0)
    } else {
        None
    };
    Ok((text, odd))
}

/// JSON.stringify wrote `null` for what was not null: say what it was.
fn explain(e: Error, root: &str, value: &JsValue) -> Error {
    match e {
        Error::Validation { field, reason } if reason.ends_with(", received null") => {
            let path = if field == root { "" } else { field.as_str() };
            let what = js_type(&value_at(value, path));
            let reason = format!("{}, received {what}", &reason[..reason.len() - ", received null".len()]);
            Error::Validation { field, reason }
        }
        e => e,
    }
}

fn at(root: &str, path: &str) -> String {
    if path.is_empty() {
        root.to_string()
    } else {
        path.to_string()
    }
}

/// A value's type in JavaScript's words (never the value itself).
fn js_type(v: &JsValue) -> String {
    if v.is_undefined() {
        return "undefined".into();
    }
    if v.is_null() {
        return "null".into();
    }
    if let Some(n) = v.as_f64() {
        return if n.is_nan() {
            "NaN".into()
        } else if n.is_infinite() {
            if n > 0.0 { "Infinity" } else { "-Infinity" }.into()
        } else {
            "a number".into()
        };
    }
    let word = if v.is_bigint() {
        "a bigint"
    } else if v.is_string() {
        "a string"
    } else if v.as_bool().is_some() {
        "a boolean"
    } else if v.is_symbol() {
        "a symbol"
    } else if v.is_function() {
        "a function"
    } else if js_sys::Array::is_array(v) {
        "an array"
    } else {
        "an object"
    };
    word.into()
}

/// The value at a field path (`conversations[2].type`), or `undefined`.
fn value_at(root: &JsValue, path: &str) -> JsValue {
    let mut v = root.clone();
    for part in path.split('.').filter(|p| !p.is_empty()) {
        let (name, indices) = part.split_once('[').map_or((part, ""), |(n, rest)| (n, rest));
        if !name.is_empty() {
            v = runtime::get_or_undefined(&v, name);
        }
        for i in indices.split('[').filter(|i| !i.is_empty()) {
            v = runtime::get_or_undefined(&v, i.trim_end_matches(']'));
        }
    }
    v
}

/// The first place in `v` that JSON cannot express faithfully: a
/// non-finite number, a BigInt, a symbol, or `undefined` / a function in
/// an array (JSON.stringify writes `null` there). Object members that are
/// `undefined` are absent, as in TypeScript; function members are left to
/// the key checks of the options.
fn unrepresentable(v: &JsValue, path: String, depth: u32) -> Option<(String, String)> {
    if depth > 16 {
        return None;
    }
    if let Some(n) = v.as_f64() {
        return (!n.is_finite()).then(|| (path, js_type(v)));
    }
    if v.is_bigint() || v.is_symbol() {
        return Some((path, js_type(v)));
    }
    if js_sys::Array::is_array(v) {
        let a: &js_sys::Array = v.unchecked_ref();
        for (i, item) in a.iter().enumerate() {
            let p = format!("{path}[{i}]");
            if item.is_undefined() || item.is_function() {
                return Some((p, js_type(&item)));
            }
            if let Some(found) = unrepresentable(&item, p, depth + 1) {
                return Some(found);
            }
        }
        return None;
    }
    if v.is_object() {
        let keys = runtime::own_keys(v)?;
        for k in keys {
            let item = runtime::get_or_undefined(v, &k);
            let p = if path.is_empty() { k } else { format!("{path}.{k}") };
            if let Some(found) = unrepresentable(&item, p, depth + 1) {
                return Some(found);
            }
        }
    }
    None
}

/// Refuses a key of an options object that is not in `known`, whatever its
/// value (JSON.stringify would drop a function silently: `fecth: f` must
/// not fall back to the global fetch).
fn known_keys(object: &JsValue, root: &str, known: &[&str]) -> Result<(), Error> {
    if !object.is_object() {
        return Ok(());
    }
    for k in runtime::own_keys(object).unwrap_or_default() {
        if !known.contains(&k.as_str()) {
            let field = if root.is_empty() {
                k.clone()
            } else {
                format!("{root}.{k}")
            };
            return Err(Error::validation(field, crate::messages::unknown_key(&k, known)));
        }
    }
    Ok(())
}

#[wasm_bindgen(typescript_custom_section)]
const CLIENT_EVENT: &'static str = r#"
/** What `onEvent` receives; no event holds a secret (URLs read `usersig=REDACTED`). */
export type ClientEvent =
    | { type: "request"; command: string; attempt: number; url: string }
    | { type: "response"; command: string; attempt: number; status: number; code?: number; durationMs: number }
    | { type: "retry"; command: string; attempt: number; reason: string; delayMs: number }
    | { type: "throttle"; command: string; code: number; /** The client's own new rate (absent with a `rateLimiter`). */ rate?: number }
    | { type: "limiter-error"; command: string; message: string }
    | { type: "failover"; command: string; from: string; to: string; reason: string }
    | {
          /** Something the client accepted that the service may refuse (at construction: `command` is ""). */
          type: "warning"; command: ""; field: string; message: string;
      }
    | {
          /** The service's `Alert.RequestOverLimit` named this command (`observeRateAlert`): its rate was halved. */
          type: "rate-alert"; command: string; request: number; limit: number;
          /** The client's own new rate (absent with a `rateLimiter`, told through `penalize`). */
          rate?: number;
      }
    | {
          /** A read of every page ended with exactly 100 or 500 conversations, an edition's pull cap: the service may have left the rest out. */
          type: "pull-cap"; command: string; count: number;
      }
    | {
          type: "reconcile"; command: string;
          /** Always `"unknown"`: a read-back never settles a write (README, "Ambiguous writes"). */
          outcome: "unknown";
          /** Whether the state could be read back. */
          read: boolean;
          /** What it looks like (`null`: partly, or not read); another writer can make it look either way. */
          looksApplied: boolean | null;
      };
"#;

#[wasm_bindgen(typescript_custom_section)]
const RATE_LIMITER: &'static str = r#"
/**
 * A rate limit shared by every client that uses it (other processes,
 * isolates, machines): the `rateLimiter` option. `tim-recentcontact/limiter`
 * has ones on Redis and on a Durable Object, and a local one.
 */
export interface RateLimiter {
    /**
     * Resolves when one attempt of `command` (e.g. `"delete"`) may be sent;
     * rejects when `signal` aborts the wait. Called before every attempt,
     * retries included. If it throws or rejects otherwise, the attempt is paced
     * by the client's own pacer and a `limiter-error` event is reported.
     */
    acquire(command: string, options: { signal?: AbortSignal }): Promise<void> | void;
    /** The service said "too fast" to `command` although the limiter let the call go. */
    penalize?(command: string): void;
}
"#;

/// A client of the conversation service for one app and admin account.
#[wasm_bindgen]
pub struct ConversationClient {
    inner: Rc<Client<JsRuntime>>,
}

/// An option read on its own (JSON.stringify leaves functions out): `None`
/// when absent, null or undefined; a throwing getter or Proxy trap becomes
/// a validation error here, not an exception inside wasm.
fn option_value(object: &JsValue, key: &str, field: &str) -> Result<Option<JsValue>, JsValue> {
    if !object.is_object() {
        return Ok(None);
    }
    let v = Reflect::get(object, &key.into())
        .map_err(|_| to_js_error(&Error::validation(field, "could not be read (its getter threw)")))?;
    Ok((!v.is_undefined() && !v.is_null()).then_some(v))
}

/// A function-valued option (`fetch`, `onEvent`, the limiter's methods).
fn function_option(object: &JsValue, key: &str, field: &str, what: &str) -> Result<Option<Function>, JsValue> {
    option_value(object, key, field)?
        .map(|v| {
            v.dyn_into::<Function>()
                .map_err(|_| to_js_error(&Error::validation(field, format!("must be {what}"))))
        })
        .transpose()
}

/// The `rateLimiter` option: an object with an `acquire` function and
/// perhaps a `penalize` one, read once.
fn limiter_option(object: &JsValue) -> Result<Option<runtime::Limiter>, JsValue> {
    let Some(limiter) = option_value(object, "rateLimiter", "rateLimiter")? else {
        return Ok(None);
    };
    if !limiter.is_object() {
        return Err(to_js_error(&Error::validation(
            "rateLimiter",
            "must be an object like { acquire(command, { signal }), penalize?(command) }",
        )));
    }
    const ACQUIRE: &str = "a function (command, { signal }) => Promise<void>";
    let acquire = function_option(&limiter, "acquire", "rateLimiter.acquire", ACQUIRE)?
        .ok_or_else(|| to_js_error(&Error::validation("rateLimiter.acquire", format!("must be {ACQUIRE}"))))?;
    let penalize = function_option(
        &limiter,
        "penalize",
        "rateLimiter.penalize",
        "a function (command) => void",
    )?;
    Ok(Some(runtime::Limiter {
        object: limiter,
        acquire,
        penalize,
    }))
}

/// Reads a method's second argument: `{ signal?, timeoutMs?, maxRetries? }`.
fn call_options(options: Option<Ts<CallOptions>>, runtime: &JsRuntime) -> Result<(CallOptions, CallContext), JsValue> {
    let (options, signal) = call_options_and_signal(options)?;
    Ok((options, call_context(runtime, signal)?))
}

/// A call's context (its abort signal's watch, its latest request).
fn call_context(runtime: &JsRuntime, signal: JsValue) -> Result<CallContext, JsValue> {
    runtime
        .context(signal)
        .map_err(|()| to_js_error(&Error::validation("options.signal", "must be an AbortSignal")))
}

/// [`call_options`] less the context: the options and the signal as given.
fn call_options_and_signal(options: Option<Ts<CallOptions>>) -> Result<(CallOptions, JsValue), JsValue> {
    let Some(js) = options.map(|o| o.js_value()) else {
        return Ok((CallOptions::default(), JsValue::UNDEFINED));
    };
    if !js.is_undefined() && !js.is_null() && (!js.is_object() || js_sys::Array::is_array(&js)) {
        let what = js_type(&js);
        return Err(to_js_error(&Error::validation(
            "options",
            format!("must be an object like {{ signal, timeoutMs, maxRetries }}, received {what}"),
        )));
    }
    known_keys(&js, "options", crate::client::CALL_OPTION_KEYS).map_err(|e| to_js_error(&e))?;
    let signal = if js.is_object() {
        Reflect::get(&js, &"signal".into()).map_err(|_| {
            to_js_error(&Error::validation(
                "options.signal",
                "could not be read (its getter threw)",
            ))
        })?
    } else {
        JsValue::UNDEFINED
    };
    let parsed: CallOptions = input("options", &js).map_err(|e| {
        to_js_error(&match e {
            // Name the field as the caller sees it: the method's `options` argument.
            Error::Validation { field, reason } if !field.starts_with("options") => {
                Error::validation(format!("options.{field}"), reason)
            }
            e => e,
        })
    })?;
    Ok((parsed, signal))
}

/// A method's work, boxed: every method's promise is driven by the one
/// instance of `future_to_promise` for this type (one per future type
/// would repeat its polling code ten times in the .wasm).
type Work = std::pin::Pin<Box<dyn std::future::Future<Output = Result<JsValue, JsValue>>>>;

fn spawn(work: Work) -> js_sys::Promise {
    wasm_bindgen_futures::future_to_promise(work)
}

/// A result as its JavaScript value; one that writes no JSON (`()`) is `undefined`.
fn output_js<T: ToJson>(value: &T) -> Result<JsValue, JsValue> {
    js_result(&value.to_js())
}

/// A result ([`ToJson::to_js`]: its strings and tape, or its JSON text and
/// no tape) as its JavaScript value (`undefined` for none), made by
/// `lib/results.js`, which reads the tape where it lies in wasm memory.
fn js_result(out: &Out) -> Result<JsValue, JsValue> {
    let (text, tape) = (out.text(), out.numbers());
    if text.is_empty() && tape.is_empty() {
        return Ok(JsValue::UNDEFINED);
    }
    match RESULT_READER.with(|r| {
        r.borrow().as_ref().map(|f| {
            f.call3(
                &JsValue::UNDEFINED,
                &text.into(),
                &(tape.as_ptr() as u32).into(),
                &(tape.len() as u32).into(),
            )
        })
    }) {
        Some(read) => read,
        // Only lib/setup.js installs the reader; the glue alone reads text.
        None if tape.is_empty() => js_sys::JSON::parse(text),
        None => Err(JsValue::from_str(
            "tim-recentcontact: the result reader is not installed",
        )),
    }
}

/// An endpoint call as read from JavaScript, its answer read straight to
/// the JSON its promise resolves to: the one non-generic send of
/// [`ConversationClient::run`] serves every endpoint.
trait BoundCall {
    fn as_call(&self) -> &dyn Call;
    fn answer_js(&self, bytes: &[u8]) -> Result<Out, Error>;
}

impl<E: Endpoint> BoundCall for E
where
    E::Output: ToJson,
{
    fn as_call(&self) -> &dyn Call {
        self
    }
    fn answer_js(&self, bytes: &[u8]) -> Result<Out, Error> {
        self.parse_ok(bytes).map(|o| o.to_js())
    }
}

impl ConversationClient {
    /// One call of endpoint `E`: its params read now (a bad one is thrown
    /// before anything else happens), the rest in [`ConversationClient::run`].
    fn call<E>(&self, params: JsValue, options: Option<Ts<CallOptions>>) -> Result<js_sys::Promise, JsValue>
    where
        E: Endpoint + Input + 'static,
        E::Output: ToJson,
    {
        match input::<E>("params", &params) {
            Ok(call) => self.run(Box::new(call), options),
            Err(e) => Err(errors::to_js_rejection(&e)),
        }
    }

    /// A call read from its params: its options read and the params
    /// validated now (a mistake is thrown without starting a future: the
    /// method layer, client.js, makes it the call's rejection, as a
    /// rejected promise made here cost a tenth of a refused call), then the
    /// call made and its answer handed to JavaScript; every later failure a
    /// rejection.
    fn run(&self, call: Box<dyn BoundCall>, options: Option<Ts<CallOptions>>) -> Result<js_sys::Promise, JsValue> {
        let (options, ctx) = call_options(options, self.inner.runtime())?;
        if let Err(e) = call.as_call().validate() {
            return Err(self.inner.runtime().js_error(&e, &ctx, &self.inner.secrets()));
        }
        let inner = self.inner.clone();
        Ok(spawn(Box::pin(async move {
            let mut out = Out::default();
            let mut parse = |bytes: &[u8]| call.answer_js(bytes).map(|t| out = t);
            inner
                .call_validated(call.as_call(), &options, Some(&ctx), &mut parse)
                .await
                .map_err(|e| inner.runtime().js_error(&e, &ctx, &inner.secrets()))?;
            js_result(&out)
        })))
    }
}

/// `new ConversationClient(x)` with `x` not an options object (out of line:
/// see CONTRIBUTING, "Cold code").
#[cold]
#[inline(never)]
fn options_not_an_object(js: &JsValue) -> JsValue {
    let what = js_type(js);
    to_js_error(&Error::validation(
        "options",
        format!("must be an object like {{ sdkAppId, identifier, secretKey }}, received {what}"),
    ))
}

#[wasm_bindgen]
impl ConversationClient {
    /// Creates a client; a wrong option throws `TimValidationError`.
    #[wasm_bindgen(constructor)]
    pub fn new(options: Ts<ClientOptions>) -> Result<ConversationClient, JsValue> {
        let js = options.js_value();
        if !js.is_object() || js_sys::Array::is_array(&js) {
            return Err(options_not_an_object(&js));
        }
        known_keys(&js, "", crate::client::CLIENT_OPTION_KEYS).map_err(|e| to_js_error(&e))?;
        let fetch = function_option(&js, "fetch", "fetch", "a function like globalThis.fetch")?;
        let on_event = function_option(&js, "onEvent", "onEvent", "a function (event) => void")?;
        let limiter = limiter_option(&js)?;
        let parsed: ClientOptions = input("options", &js).map_err(|e| to_js_error(&e))?;
        let client = Client::new(&parsed, JsRuntime::new(fetch, on_event, limiter)).map_err(|e| to_js_error(&e))?;
        Ok(ConversationClient { inner: Rc::new(client) })
    }

    /// The pages of a paged read through the core's one pager, for
    /// JavaScript's `paginate` and `listConversations`.
    #[wasm_bindgen(js_name = __pages, skip_typescript)]
    pub fn pages(&self, method: JsValue, params: JsValue, options: Option<Ts<CallOptions>>) -> Result<Pager, JsValue> {
        let paging = match method.as_string().as_deref() {
            Some("listConversationsPage") => Paging::List(Pages::new(
                &self.inner,
                input::<ListConversationsParams>("params", &params).map_err(|e| to_js_error(&e))?,
            )),
            Some("getConversationGroupsPage") => Paging::Groups(Pages::new(
                &self.inner,
                input::<GetConversationGroupsParams>("params", &params).map_err(|e| to_js_error(&e))?,
            )),
            _ => {
                return Err(to_js_error(&Error::validation(
                    "method",
                    format!(
                        "must be \"listConversationsPage\" or \"getConversationGroupsPage\", received {}",
                        match method.as_string() {
                            Some(name) => {
                                let shown: String = name
                                    .chars()
                                    .take(40)
                                    .map(|c| if c.is_control() { '?' } else { c })
                                    .collect();
                                format!("\"{shown}\"")
                            }
                            None => js_type(&method),
                        }
                    ),
                )))
            }
        };
        let (options, signal) = call_options_and_signal(options)?;
        call_context(self.inner.runtime(), signal.clone())?; // a wrong signal fails now
        Ok(Pager {
            inner: self.inner.clone(),
            options: Rc::new(options),
            signal,
            state: Rc::new(RefCell::new(Some(paging))),
        })
    }

    /// `observeRateAlert`'s core for an alert of `ServiceName`
    /// "recentcontact" (client.js reads the alert's fields, checks that one
    /// and sends the event): -1 when `command` is none of this client's,
    /// else its new rate (NaN with a shared limiter).
    #[wasm_bindgen(js_name = __observeRateAlert, skip_typescript)]
    pub fn observe_rate_alert(&self, command: &str) -> f64 {
        match self.inner.observe_rate_alert("recentcontact", command) {
            None => -1.0,
            Some(rate) => rate.unwrap_or(f64::NAN),
        }
    }

    /// All of a user's conversation groups and grouped or marked conversations,
    /// following `get_contact_group`'s pages to the end.
    #[wasm_bindgen(js_name = getConversationGroups, unchecked_return_type = "Promise<ConversationGroups>")]
    pub fn get_conversation_groups(
        &self,
        params: Ts<AllConversationGroupsParams>,
        options: Option<Ts<CallOptions>>,
    ) -> js_sys::Promise {
        let inner = self.inner.clone();
        let params = params.js_value();
        spawn(Box::pin(async move {
            let p: AllConversationGroupsParams = input("params", &params).map_err(|e| to_js_error(&e))?;
            let (options, ctx) = call_options(options, inner.runtime())?;
            let all = get_all_conversation_groups_with(&inner, &p, &options, Some(&ctx))
                .await
                .map_err(|e| inner.runtime().js_error(&e, &ctx, &inner.secrets()))?;
            output_js(&all)
        }))
    }
}

/// The endpoint table's methods (`crate::endpoint_table!`): each one call
/// of its command, its output handed to JavaScript as JSON (none for `()`).
macro_rules! methods {
    ($( $(#[doc = $doc:tt])* $js:ident => $rust:ident($params:ident) -> $ts:literal; )*) => {
        #[wasm_bindgen]
        impl ConversationClient {
            $(
                $(#[doc = $doc])*
                #[wasm_bindgen(js_name = $js, unchecked_return_type = $ts)]
                pub fn $rust(&self, params: Ts<$params>, options: Option<Ts<CallOptions>>) -> Result<js_sys::Promise, JsValue> {
                    self.call::<$params>(params.js_value(), options)
                }
            )*
        }
    };
}
crate::endpoint_table!(methods);

/// Where one `paginate` stands.
enum Paging {
    List(Pages<ListConversationsParams>),
    Groups(Pages<GetConversationGroupsParams>),
}

/// The pages of one paged read, one `next()` at a time (`paginate`).
#[wasm_bindgen(skip_typescript)]
pub struct Pager {
    inner: Rc<Client<JsRuntime>>,
    options: Rc<CallOptions>,
    signal: JsValue,
    /// Out while a page is being read.
    state: Rc<RefCell<Option<Paging>>>,
}

#[wasm_bindgen]
impl Pager {
    /// The next page, or `undefined` after the last one; each page is one
    /// call with the options `paginate` was given.
    pub fn next(&self) -> js_sys::Promise {
        let (inner, options, signal, state) = (
            self.inner.clone(),
            self.options.clone(),
            self.signal.clone(),
            self.state.clone(),
        );
        spawn(Box::pin(async move {
            let ctx = call_context(inner.runtime(), signal)?;
            let Some(mut paging) = state.borrow_mut().take() else {
                return Err(to_js_error(&Error::validation(
                    "next",
                    "was called again before the previous page arrived; await each page in turn",
                )));
            };
            let page = match &mut paging {
                Paging::List(p) => p
                    .next(&inner, &options, Some(&ctx))
                    .await
                    .map(|o| o.map(|o| output_js(&o))),
                Paging::Groups(p) => p
                    .next(&inner, &options, Some(&ctx))
                    .await
                    .map(|o| o.map(|o| output_js(&o))),
            };
            *state.borrow_mut() = Some(paging);
            match page.map_err(|e| inner.runtime().js_error(&e, &ctx, &inner.secrets()))? {
                Some(value) => value,
                None => Ok(JsValue::UNDEFINED),
            }
        }))
    }
}

pub use crate::usersig::{GenUserSigParams, VerifyUserSigParams};

/// What a valid UserSig says.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize, tsify::Tsify)]
#[serde(rename_all = "camelCase")]
pub struct UserSigInfo {
    /// The signed identifier.
    pub identifier: String,
    /// The signed SDKAppID.
    pub sdk_app_id: u32,
    /// Signing time, seconds since the epoch.
    #[tsify(type = "number")]
    pub time: u64,
    /// Lifetime in seconds.
    #[tsify(type = "number")]
    pub expire: u64,
    /// The signed `TLS.userbuf` (the base64 text as signed), when the UserSig
    /// has one (a TRTC privilege map); absent otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub userbuf: Option<String>,
}

impl ToJson for UserSigInfo {
    fn write_json(&self, o: &mut Out) {
        o.raw(r#"{"identifier":"#);
        o.str(&self.identifier);
        o.raw(r#","sdkAppId":"#);
        o.u64(self.sdk_app_id.into());
        o.raw(r#","time":"#);
        o.u64(self.time);
        o.raw(r#","expire":"#);
        o.u64(self.expire);
        if let Some(b) = &self.userbuf {
            o.raw(r#","userbuf":"#);
            o.str(b);
        }
        o.raw("}");
    }
}

fn now_seconds() -> u64 {
    (js_sys::Date::now() / 1000.0).floor().max(0.0) as u64
}

/// Signs a UserSig (TLS signature version 2).
#[wasm_bindgen(js_name = genUserSig)]
pub fn gen_user_sig(params: Ts<GenUserSigParams>) -> Result<String, JsValue> {
    let p: GenUserSigParams = input("params", &params.js_value()).map_err(|e| to_js_error(&e))?;
    let checks = [
        ("secretKey", p.secret_key.is_empty()),
        ("identifier", p.identifier.is_empty()),
        ("expireSeconds", p.expire_seconds == 0),
    ];
    if let Some((field, _)) = checks.iter().find(|(_, bad)| *bad) {
        let reason = if *field == "expireSeconds" {
            "must be positive"
        } else {
            "must not be empty"
        };
        return Err(to_js_error(&Error::validation(*field, reason)));
    }
    let now = p.now_seconds.unwrap_or_else(now_seconds);
    Ok(crate::usersig::sign(
        p.sdk_app_id,
        &p.secret_key,
        &p.identifier,
        p.expire_seconds,
        now,
    ))
}

/// Verifies a UserSig; throws `TimAuthError` (invalid, wrong app, wrong key, expired).
#[wasm_bindgen(js_name = verifyUserSig)]
pub fn verify_user_sig(params: Ts<VerifyUserSigParams>) -> Result<Ts<UserSigInfo>, JsValue> {
    let p: VerifyUserSigParams = input("params", &params.js_value()).map_err(|e| to_js_error(&e))?;
    let text = verified(p.sdk_app_id, &p.secret_key, &p.user_sig, p.now_seconds)?;
    js_sys::JSON::parse(&text).map(Ts::new_unchecked)
}

/// `verifyUserSig` with its params as arguments, for the JavaScript wrapper
/// (`lib/usersig.js`) to call when they are plain: a safe-integer `sdkAppId`
/// in u32 range, well-formed strings, `nowSeconds` a non-negative safe
/// integer or absent (NaN), no other key; anything else goes the full way
/// for its exact error. Returns the result as JSON text (one crossing back).
#[wasm_bindgen(js_name = __verifyUserSigArgs, skip_typescript)]
pub fn verify_user_sig_args(
    sdk_app_id: u32,
    secret_key: &str,
    user_sig: &str,
    now_seconds: f64,
) -> Result<String, JsValue> {
    let now = (!now_seconds.is_nan()).then_some(now_seconds as u64);
    verified(sdk_app_id, secret_key, user_sig, now)
}

/// The verification both lanes share: the result as JSON text.
fn verified(sdk_app_id: u32, secret_key: &str, user_sig: &str, now: Option<u64>) -> Result<String, JsValue> {
    if secret_key.is_empty() {
        return Err(to_js_error(&Error::validation("secretKey", "must not be empty")));
    }
    let now = now.unwrap_or_else(now_seconds);
    let info = crate::usersig::verify(sdk_app_id, secret_key, user_sig, now).map_err(|e| to_js_error(&e))?;
    Ok(UserSigInfo {
        identifier: info.identifier,
        sdk_app_id: info.sdk_app_id,
        time: info.time,
        expire: info.expire,
        userbuf: info.userbuf,
    }
    .to_json())
}

thread_local! {
    /// transport.js's `encodeJson`: a value's JSON, short as a string, long
    /// as the count of UTF-8 bytes written into [`input_room`]'s room.
    static ENCODE_JSON: RefCell<Option<Function>> = const { RefCell::new(None) };
    /// The room `encodeJson` writes a long argument's UTF-8 into.
    static INPUT_ROOM: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
    /// `lib/results.js`'s reader: a result's tape (or text) as its value.
    static RESULT_READER: RefCell<Option<Function>> = const { RefCell::new(None) };
}

/// Installs the function that reads a result (`lib/results.js`: its text,
/// and its tape's place in wasm memory); each runtime entry calls it once
/// at load.
#[wasm_bindgen(js_name = __setResultReader, skip_typescript)]
pub fn set_result_reader(reader: Function) {
    RESULT_READER.with(|r| *r.borrow_mut() = Some(reader));
}

/// Installs the function that turns an error description into an instance of
/// the package's error classes; each runtime entry calls it once at load.
/// `refusal` makes a `TimValidationError` from `(field, reason, late)`.
#[wasm_bindgen(js_name = __setErrorFactory, skip_typescript)]
pub fn set_error_factory(factory: Function, refusal: Option<Function>) {
    errors::ERROR_FACTORY.with(|f| *f.borrow_mut() = Some(factory));
    errors::REFUSAL_FACTORY.with(|f| *f.borrow_mut() = refusal);
}

/// Installs the function that makes one HTTP attempt (`transport.js`); each
/// runtime entry calls it once at load.
#[wasm_bindgen(js_name = __setTransport, skip_typescript)]
pub fn set_transport(
    transport: Function,
    encode_json: Option<Function>,
    watch_signal: Option<Function>,
    message_of: Option<Function>,
) {
    runtime::TRANSPORT.with(|t| *t.borrow_mut() = Some(transport));
    runtime::WATCH_SIGNAL.with(|w| *w.borrow_mut() = watch_signal);
    runtime::MESSAGE_OF.with(|m| *m.borrow_mut() = message_of);
    ENCODE_JSON.with(|e| *e.borrow_mut() = encode_json);
}

/// Room for `len` bytes of an argument's JSON, written there by
/// transport.js's encoder (`TextEncoder.encodeInto`: no copy of the text's
/// bytes made in JavaScript first, then copied in); its address in memory.
#[wasm_bindgen(js_name = __inputRoom, skip_typescript)]
pub fn input_room(len: usize) -> *mut u8 {
    INPUT_ROOM.with(|r| {
        let mut room = r.borrow_mut();
        *room = Vec::with_capacity(len);
        room.as_mut_ptr()
    })
}

/// The `written` bytes of [`input_room`]'s room as text (`None` when that
/// is more than the room held, or not UTF-8).
fn take_input_bytes(written: f64) -> Option<String> {
    let mut bytes = INPUT_ROOM.with(|r| std::mem::take(&mut *r.borrow_mut()));
    if !(written >= 0.0 && written <= bytes.capacity() as f64) {
        return None;
    }
    // SAFETY: the encoder wrote `written` bytes from the start of this
    // room, within its capacity (checked above); u8 has no invalid values.
    unsafe { bytes.set_len(written as usize) };
    String::from_utf8(bytes).ok()
}

/// The wasm module's memory, where `encodeJson` writes (`__inputRoom`).
#[wasm_bindgen(js_name = __wasmMemory, skip_typescript)]
pub fn wasm_memory() -> JsValue {
    wasm_bindgen::memory()
}

/// Diagnostics for the endurance tests and the bench: `[wasm memory in
/// bytes, live externref slots]`. Not part of the public API.
#[wasm_bindgen(js_name = __memoryStats, skip_typescript)]
pub fn memory_stats() -> Vec<f64> {
    let bytes = wasm_bindgen::memory()
        .dyn_into::<js_sys::WebAssembly::Memory>()
        .map(|m| m.buffer().unchecked_into::<js_sys::ArrayBuffer>().byte_length())
        .unwrap_or(0);
    vec![f64::from(bytes), f64::from(wasm_bindgen::externref_heap_live_count())]
}
