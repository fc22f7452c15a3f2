//! The JavaScript platform: one HTTP attempt through the package's transport
//! (`transport.js`: the global or the injected fetch, a timeout that aborts,
//! a body read under a size cap, in one crossing there and one back, to
//! [`settle`]), timers, clock and randomness.
//!
//! Three rules keep a long-running process healthy here:
//!
//! - **Every promise awaited from Rust settles.** A `JsFuture` frees its
//!   callbacks only when its promise settles, so Rust never awaits a promise
//!   it does not own: it awaits `Promise.race([theirs, deadline])`, and a
//!   [`Deadline`] resolves when its timer fires *or when it is dropped*. A
//!   fetch that never answers then costs JavaScript garbage, not a leak.
//! - **Nothing JavaScript throws crosses a wasm frame.** Every call into
//!   user-supplied objects (the injected fetch, its Response, its errors)
//!   goes through `catch` imports (`Reflect`, `Function::call*`), so a
//!   throwing getter or a Proxy becomes an `Err`, never an exception that
//!   unwinds through wasm and corrupts it.
//! - **Nothing is caught here in practice.** wasm-bindgen 0.2.130's
//!   `catch` imports that return a `JsValue` leave one externref slot
//!   behind per exception they catch (the slot of the import's unused
//!   result; see CONTRIBUTING), so the core is never handed anything that
//!   throws: the user's functions arrive wrapped by `lib/input.js` (a throw
//!   becomes a rejection), the signal behind `signal.js`, a user's error is
//!   read by transport.js's `messageOf`, and the data is `lib/input.js`'s
//!   copy.

use std::cell::RefCell;

use js_sys::{Array, Function, Object, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

use super::errors::to_js_error_with_cause;
use super::js::set_property;
use crate::client::{Acquired, Event, HttpRequest, HttpResponse, Runtime, TransportError};
use crate::error::Error;

// Each distinct signature among the `.wasm`'s imports costs Node 20 a
// wrapper compiled at start-up (CONTRIBUTING, "Cold code"). These bindings
// are declared to share a signature with other imports: `setTimeout` takes a
// `u32`, and `Reflect.set` and `Object.is` return their bool as a `JsValue`
// (arrays are filled with `Reflect.set` too, not `push`).
#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_name = setTimeout)]
    fn set_timeout(callback: &Function, ms: u32) -> JsValue;
    #[wasm_bindgen(js_name = clearTimeout)]
    fn clear_timeout(handle: &JsValue);
    #[wasm_bindgen(js_namespace = Object, js_name = keys, catch)]
    fn object_keys(value: &JsValue) -> Result<Array, JsValue>;
    #[wasm_bindgen(js_namespace = Object, js_name = is)]
    fn object_is(a: &JsValue, b: &JsValue) -> JsValue;

    /// signal.js's watch of one AbortSignal; its methods never throw.
    #[derive(Clone)]
    pub type SignalWatch;
    #[wasm_bindgen(method)]
    fn aborted(this: &SignalWatch) -> bool;
    #[wasm_bindgen(method)]
    fn reason(this: &SignalWatch) -> JsValue;
    #[wasm_bindgen(method, getter)]
    fn signal(this: &SignalWatch) -> JsValue;
    #[wasm_bindgen(method)]
    fn add(this: &SignalWatch, wait: &Function) -> bool;
    #[wasm_bindgen(method, js_name = delete)]
    fn remove(this: &SignalWatch, wait: &Function);
}

/// `Object.is(a, b)`.
fn same(a: &JsValue, b: &JsValue) -> bool {
    object_is(a, b).is_truthy()
}

thread_local! {
    /// One rejection handler for promises nobody else awaits (a cancelled
    /// body stream), so their rejection is never "unhandled".
    static IGNORE: Closure<dyn FnMut(JsValue)> = Closure::new(|_| {});
    /// The package's transport (transport.js), installed at load.
    pub(super) static TRANSPORT: RefCell<Option<Function>> = const { RefCell::new(None) };
    /// signal.js's `watchSignal`: an AbortSignal (or a watch) → its watch;
    /// throws for anything else.
    pub(super) static WATCH_SIGNAL: RefCell<Option<Function>> = const { RefCell::new(None) };
    /// transport.js's `messageOf`: a thrown value's message; never throws.
    pub(super) static MESSAGE_OF: RefCell<Option<Function>> = const { RefCell::new(None) };
    /// The state of the generator behind `random_u32` (0: not seeded yet).
    static RANDOM: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
    /// The attempts in flight: each waits for transport.js to call
    /// [`settle`] with its ticket.
    static IN_FLIGHT: RefCell<Vec<InFlight>> = const { RefCell::new(Vec::new()) };
    /// The next attempt's ticket.
    static NEXT_TICKET: std::cell::Cell<u32> = const { std::cell::Cell::new(0) };
}

/// How one attempt through transport.js ended: what [`settle`] was given.
struct Answer {
    /// 0: answered; 1 timeout, 2 aborted, 3 too large, 4 network, 5 not sent.
    outcome: u32,
    status: u32,
    body: Vec<u8>,
    retry_after_ms: f64,
    error: JsValue,
}

/// One attempt in flight: its answer once settled, else whom to wake.
struct InFlight {
    ticket: u32,
    answer: Option<Answer>,
    waker: Option<std::task::Waker>,
}

/// transport.js ends attempt `ticket` (its only caller; once per ticket).
/// A callback into wasm instead of a promise awaited through a `JsFuture`:
/// that made two closures (each registered for finalization) and read the
/// settled object member by member, a few percent of a small call. It may
/// run inside the transport's own call (an attempt aborted before it
/// starts): nothing is borrowed across that call. A ticket nobody waits for
/// any more is ignored.
#[wasm_bindgen(js_name = __settle, skip_typescript)]
pub fn settle(ticket: u32, outcome: u32, status: u32, body: Vec<u8>, retry_after_ms: f64, error: JsValue) {
    let waker = IN_FLIGHT.with(|cell| {
        let mut all = cell.try_borrow_mut().ok()?;
        let slot = all.iter_mut().find(|f| f.ticket == ticket && f.answer.is_none())?;
        slot.answer = Some(Answer {
            outcome,
            status,
            body,
            retry_after_ms,
            error,
        });
        slot.waker.take()
    });
    if let Some(waker) = waker {
        waker.wake();
    }
}

/// The wait for one attempt's [`settle`]; dropping it forgets the ticket.
struct Settlement(u32);

impl Settlement {
    fn new() -> Settlement {
        let ticket = NEXT_TICKET.with(|n| {
            let t = n.get();
            n.set(t.wrapping_add(1));
            t
        });
        IN_FLIGHT.with(|cell| {
            cell.borrow_mut().push(InFlight {
                ticket,
                answer: None,
                waker: None,
            })
        });
        Settlement(ticket)
    }
}

impl std::future::Future for Settlement {
    type Output = Answer;

    fn poll(self: std::pin::Pin<&mut Self>, cx: &mut std::task::Context<'_>) -> std::task::Poll<Answer> {
        IN_FLIGHT.with(|cell| {
            let mut all = cell.borrow_mut();
            let Some(at) = all.iter().position(|f| f.ticket == self.0) else {
                return std::task::Poll::Ready(broken_answer());
            };
            if all[at].answer.is_none() {
                all[at].waker = Some(cx.waker().clone());
                return std::task::Poll::Pending;
            }
            std::task::Poll::Ready(all.swap_remove(at).answer.unwrap_or_else(broken_answer))
        })
    }
}

impl Drop for Settlement {
    fn drop(&mut self) {
        IN_FLIGHT.with(|cell| {
            if let Ok(mut all) = cell.try_borrow_mut() {
                all.retain(|f| f.ticket != self.0);
            }
        });
    }
}

/// A network failure without an error: what a lost ticket comes to.
fn broken_answer() -> Answer {
    Answer {
        outcome: 4,
        status: 0,
        body: Vec::new(),
        retry_after_ms: f64::NAN,
        error: JsValue::UNDEFINED,
    }
}

/// A pending promise and the function (a JavaScript one, no wasm closure)
/// that resolves it.
fn settleable() -> (Promise, Function) {
    let mut resolve = None;
    let promise = Promise::new(&mut |res: Function, _rej| resolve = Some(res));
    // The executor runs synchronously, so `resolve` is set.
    (promise, resolve.unwrap_or_else(|| Function::from(JsValue::UNDEFINED)))
}

/// `resolve` bound to a fresh private token: (the token, the bound function).
fn resolving_to_token(resolve: &Function) -> (JsValue, Function) {
    let token: JsValue = Object::new().into();
    // `bind1` only fails on a non-function, which `resolve` is not.
    let fire = resolve
        .bind1(&JsValue::UNDEFINED, &token)
        .dyn_into::<Function>()
        .unwrap_or_else(|_| Function::from(JsValue::UNDEFINED));
    (token, fire)
}

/// A promise that resolves to a private token after `ms` (if given), to
/// another when the call's signal aborts (if watched), or at once when the
/// `Deadline` is dropped, whichever comes first. While it waits it is in
/// the signal's set of waits; dropping it takes it out, so a signal shared
/// by a million calls holds only the waits in flight.
struct Deadline {
    promise: Promise,
    fire: Function,
    token: JsValue,
    handle: Option<JsValue>,
    abort: Option<(SignalWatch, Function, JsValue)>,
}

impl Deadline {
    fn new(ms: Option<f64>, watch: Option<&SignalWatch>) -> Deadline {
        let (promise, resolve) = settleable();
        let (token, fire) = resolving_to_token(&resolve);
        // Beyond 2^31 - 1 ms JavaScript timers fire at once: wait the longest they can.
        let handle = ms.map(|ms| set_timeout(&fire, ms.clamp(0.0, f64::from(i32::MAX)) as u32));
        let abort = watch.map(|w| {
            let (abort_token, on_abort) = resolving_to_token(&resolve);
            if w.add(&on_abort) {
                // Aborted already: settle now (`add` kept nothing).
                let _ = on_abort.call0(&JsValue::UNDEFINED);
            }
            (w.clone(), on_abort, abort_token)
        });
        Deadline {
            promise,
            fire,
            token,
            handle,
            abort,
        }
    }

    /// Waits for the deadline itself; false when the call's signal aborted first.
    async fn elapsed(&self) -> bool {
        let v = JsFuture::from(self.promise.clone()).await.unwrap_or(JsValue::UNDEFINED);
        !self.is_abort(&v)
    }

    fn is_abort(&self, v: &JsValue) -> bool {
        self.abort.as_ref().is_some_and(|(_, _, t)| same(v, t))
    }

    /// Waits for `value` (a promise, a thenable or a plain value), the
    /// deadline or the call's abort, whichever comes first; `Err(e)` when
    /// `value` rejects.
    async fn race(&self, value: &JsValue) -> Result<End, JsValue> {
        // Promise.race never throws: a hostile thenable becomes a rejection.
        let v = JsFuture::from(Promise::race(&Array::of2(value, &self.promise))).await?;
        Ok(if same(&v, &self.token) {
            End::Deadline
        } else if self.is_abort(&v) {
            End::Aborted
        } else {
            End::Value
        })
    }
}

impl Drop for Deadline {
    fn drop(&mut self) {
        if let Some(handle) = &self.handle {
            clear_timeout(handle);
        }
        if let Some((watch, on_abort, _)) = &self.abort {
            watch.remove(on_abort);
        }
        // Settle the promise so every future awaiting it frees its callbacks.
        let _ = self.fire.call0(&JsValue::UNDEFINED);
    }
}

/// How a race ended.
enum End {
    /// The awaited value came first.
    Value,
    /// The deadline came first.
    Deadline,
    /// The call's signal aborted first.
    Aborted,
}

/// What the JavaScript runtime keeps per call: the watched signal, and the
/// runtime's own error of the call's last network failure (its `cause`).
pub struct CallContext {
    watch: Option<SignalWatch>,
    cause: RefCell<Option<JsValue>>,
    /// The `random` of the call's latest request (not a read-back's).
    request_id: std::cell::Cell<Option<u32>>,
    /// Reading the state back after an ambiguous write.
    reading_back: std::cell::Cell<bool>,
}

/// `value[key]`, with whatever a getter or a Proxy throws as the error.
fn get(value: &JsValue, key: &str) -> Result<JsValue, JsValue> {
    if !value.is_object() && !value.is_function() {
        return Ok(JsValue::UNDEFINED);
    }
    Reflect::get(value, &JsValue::from_str(key))
}

/// `value[key]`, or `undefined` when it is absent or reading it throws.
pub(super) fn get_or_undefined(value: &JsValue, key: &str) -> JsValue {
    get(value, key).unwrap_or(JsValue::UNDEFINED)
}

/// The own enumerable string keys of an object; `None` when a Proxy throws.
pub(super) fn own_keys(value: &JsValue) -> Option<Vec<String>> {
    let keys = object_keys(value).ok()?;
    Some(keys.iter().filter_map(|k| k.as_string()).collect())
}

/// What failed, in words: transport.js's `messageOf` reads the thrown
/// value (a user's error: its getters may throw) in JavaScript, so no
/// exception is ever caught here — wasm-bindgen's `catch` imports leave one
/// externref slot behind per caught exception (CONTRIBUTING).
fn message_of(e: &JsValue) -> String {
    if let Some(s) = e.as_string() {
        return s;
    }
    MESSAGE_OF
        .with(|m| m.borrow().as_ref().and_then(|f| f.call1(&JsValue::UNDEFINED, e).ok()))
        .and_then(|m| m.as_string())
        .unwrap_or_else(|| "fetch failed".to_string())
}

/// An event as the plain object `onEvent` receives.
fn event_object(event: &Event<'_>) -> Object {
    let o = Object::new();
    let set = |k: &str, v: JsValue| set_property(&o, k, &v);
    let (kind, command) = match event {
        Event::Request { command, attempt, url } => {
            set("attempt", (*attempt).into());
            set("url", (*url).into());
            ("request", command)
        }
        Event::Response {
            command,
            attempt,
            status,
            code,
            duration_ms,
        } => {
            set("attempt", (*attempt).into());
            set("status", (*status).into());
            if let Some(c) = code {
                set("code", (*c as f64).into());
            }
            set("durationMs", (*duration_ms).into());
            ("response", command)
        }
        Event::Retry {
            command,
            attempt,
            reason,
            delay_ms,
        } => {
            set("attempt", (*attempt).into());
            set("reason", reason.as_str().into());
            set("delayMs", (*delay_ms as f64).into());
            ("retry", command)
        }
        Event::Throttle { command, code, rate } => {
            set("code", (*code as f64).into());
            if let Some(rate) = rate {
                set("rate", (*rate).into());
            }
            ("throttle", command)
        }
        Event::LimiterError { command, message } => {
            set("message", (*message).into());
            ("limiter-error", command)
        }
        Event::Failover {
            command,
            from,
            to,
            reason,
        } => {
            set("from", (*from).into());
            set("to", (*to).into());
            set("reason", (*reason).into());
            ("failover", command)
        }
        Event::PullCap { command, count } => {
            set("count", (*count as f64).into());
            ("pull-cap", command)
        }
        Event::Reconcile { command, looks_applied } => {
            // The verdict is always "unknown": see crate::endpoint::reconcile.
            set("outcome", "unknown".into());
            set("read", looks_applied.is_some().into());
            set(
                "looksApplied",
                match looks_applied.flatten() {
                    Some(b) => b.into(),
                    None => JsValue::NULL,
                },
            );
            ("reconcile", command)
        }
    };
    set("type", kind.into());
    set("command", (*command).into());
    o
}

/// The `rateLimiter` option: the object and its methods, read once.
pub struct Limiter {
    pub object: JsValue,
    pub acquire: Function,
    pub penalize: Option<Function>,
}

/// Drops what a user callback (`onEvent`, `penalize`) threw or returned; an
/// async one's rejection must not become an unhandled one.
fn ignore_outcome(returned: Result<JsValue, JsValue>) {
    if let Some(r) = returned.ok().filter(JsValue::is_object) {
        IGNORE.with(|ignore| {
            let _ = Promise::race(&Array::of1(&r)).catch(ignore);
        });
    }
}

/// The runtime of the npm package.
pub struct JsRuntime {
    fetch: Option<Function>,
    on_event: Option<Function>,
    limiter: Option<Limiter>,
}

impl JsRuntime {
    pub fn new(fetch: Option<Function>, on_event: Option<Function>, limiter: Option<Limiter>) -> Self {
        JsRuntime {
            fetch,
            on_event,
            limiter,
        }
    }

    /// A call's context; `Err` when `signal` is given but is no AbortSignal.
    /// Calls that share a signal share its watch (signal.js), so a signal
    /// handed to a thousand concurrent calls carries one listener, not a
    /// thousand.
    pub fn context(&self, signal: JsValue) -> Result<CallContext, ()> {
        let watch = if signal.is_undefined() || signal.is_null() {
            None
        } else {
            let watch_signal = WATCH_SIGNAL.with(|w| w.borrow().clone()).ok_or(())?;
            let watch = watch_signal.call1(&JsValue::UNDEFINED, &signal).map_err(|_| ())?;
            if !watch.is_object() {
                return Err(());
            }
            Some(watch.unchecked_into::<SignalWatch>())
        };
        Ok(CallContext {
            watch,
            cause: RefCell::new(None),
            request_id: std::cell::Cell::new(None),
            reading_back: std::cell::Cell::new(false),
        })
    }

    /// The JavaScript error for a failed call: a network error keeps the
    /// runtime's own error as `cause`, an abort the signal's reason.
    /// `secrets` are scrubbed from the cause chain (the core already
    /// scrubbed `e`); the error carries the latest request's ID.
    pub fn js_error(&self, e: &Error, ctx: &CallContext, secrets: &[String]) -> JsValue {
        let cause = match e {
            Error::Network { .. } => ctx.cause.borrow_mut().take(),
            Error::Abort { .. } => Some(
                ctx.watch
                    .as_ref()
                    .map(SignalWatch::reason)
                    .unwrap_or(JsValue::UNDEFINED),
            ),
            _ => None,
        };
        // Every error made here leaves as a method's (or a page's) rejection.
        to_js_error_with_cause(e, cause, ctx.request_id.get(), secrets, true)
    }
}

impl Runtime for JsRuntime {
    type Cancel = CallContext;

    async fn send(&self, req: &HttpRequest<'_>, ctx: Option<&CallContext>) -> Result<HttpResponse, TransportError> {
        let watch = ctx.and_then(|c| c.watch.as_ref());
        if let Some(ctx) = ctx.filter(|c| !c.reading_back.get()) {
            ctx.request_id.set(Some(req.request_id));
        }
        if watch.is_some_and(SignalWatch::aborted) {
            return Err(TransportError::Aborted);
        }
        // One crossing: the package's transport (transport.js) fetches,
        // times out, aborts and reads the body under its cap, and settles
        // with a plain object, never rejecting, by the timeout at the latest.
        let Some(transport) = TRANSPORT.with(|t| t.borrow().clone()) else {
            return Err(TransportError::Network(
                "the package's transport is not installed".into(),
            ));
        };
        // One crossing with the seven arguments (an array built for `apply`
        // cost more); the answer comes back through `settle`.
        let settlement = Settlement::new();
        if let Err(e) = transport.call7(
            &JsValue::UNDEFINED,
            self.fetch.as_ref().map_or(&JsValue::UNDEFINED, |f| f.as_ref()),
            &req.url.into(),
            &req.body.into(),
            &f64::from(req.timeout_ms.min(i32::MAX as u32)).into(),
            &(req.max_response_bytes as f64).into(),
            watch.map_or(&JsValue::UNDEFINED, |w| w.as_ref()),
            &settlement.0.into(),
        ) {
            // transport.js never throws; were it to, the attempt failed.
            settle(settlement.0, 4, 0, Vec::new(), f64::NAN, e);
        }
        let answer = settlement.await;
        let failure = match answer.outcome {
            0 => {
                return Ok(HttpResponse {
                    status: answer.status.min(u32::from(u16::MAX)) as u16,
                    body: answer.body,
                    retry_after_ms: (answer.retry_after_ms >= 0.0).then_some(answer.retry_after_ms as u64),
                });
            }
            1 => return Err(TransportError::Timeout),
            2 => return Err(TransportError::Aborted),
            3 => {
                return Err(TransportError::TooLarge {
                    limit: req.max_response_bytes,
                })
            }
            _ => answer.error,
        };
        // Some runtimes (Deno) put the whole URL, UserSig included, in their
        // error messages: the core redacts the message, the error factory
        // the cause chain.
        let message = message_of(&failure);
        if let Some(ctx) = ctx {
            *ctx.cause.borrow_mut() = Some(failure);
        }
        // "not-sent": the runtime's own error says the request never left.
        Err(if answer.outcome == 5 {
            TransportError::NotSent(message)
        } else {
            TransportError::Network(message)
        })
    }

    async fn sleep(&self, ms: u64, ctx: Option<&CallContext>) -> bool {
        Deadline::new(Some(ms as f64), ctx.and_then(|c| c.watch.as_ref()))
            .elapsed()
            .await
    }

    fn is_cancelled(&self, ctx: &CallContext) -> bool {
        ctx.watch.as_ref().is_some_and(SignalWatch::aborted)
    }

    fn event(&self, event: &Event<'_>) {
        if let Some(f) = &self.on_event {
            ignore_outcome(f.call1(&JsValue::UNDEFINED, &event_object(event)));
        }
    }

    fn observed(&self) -> bool {
        self.on_event.is_some()
    }

    fn now_ms(&self) -> f64 {
        js_sys::Date::now()
    }

    fn has_limiter(&self) -> bool {
        self.limiter.is_some()
    }

    async fn acquire(&self, command: &'static str, ctx: Option<&CallContext>) -> Acquired {
        let Some(limiter) = &self.limiter else {
            return Acquired::Granted;
        };
        let watch = ctx.and_then(|c| c.watch.as_ref());
        let options = Object::new();
        if let Some(w) = watch {
            set_property(&options, "signal", &w.signal());
        }
        let returned = match limiter.acquire.call2(&limiter.object, &command.into(), &options) {
            Ok(v) => v,
            Err(e) => return Acquired::Failed(message_of(&e)),
        };
        // The wait ends with the limiter's answer or the call's abort,
        // whichever comes first (a limiter that ignores the signal cannot
        // hold an aborted call).
        let settled = Deadline::new(None, watch).race(&returned).await;
        if watch.is_some_and(SignalWatch::aborted) {
            return Acquired::Aborted;
        }
        match settled {
            Ok(End::Aborted) => Acquired::Aborted,
            Ok(_) => Acquired::Granted,
            Err(e) => Acquired::Failed(message_of(&e)),
        }
    }

    fn penalize(&self, command: &'static str) {
        let Some((object, f)) = self
            .limiter
            .as_ref()
            .and_then(|l| Some((&l.object, l.penalize.as_ref()?)))
        else {
            return;
        };
        // Like an event listener: what it throws or rejects is ignored.
        ignore_outcome(f.call1(object, &command.into()));
    }

    fn reading_back(&self, ctx: &CallContext, reading: bool) {
        ctx.reading_back.set(reading);
    }

    fn random_u32(&self) -> u32 {
        // The values are request nonces (`random`) and back-off jitter, not
        // secrets: SplitMix64, seeded once from Math.random and the clock.
        // (crypto.getRandomValues made Node load WebCrypto on the first
        // call: ~4 ms of a cold start.)
        RANDOM.with(|cell| {
            let mut state = cell.get();
            if state == 0 {
                let seed = (js_sys::Math::random() * 9_007_199_254_740_992.0) as u64;
                state = seed ^ (js_sys::Date::now() as u64).rotate_left(32) | 1;
            }
            state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
            cell.set(state);
            let mut z = state;
            z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
            ((z ^ (z >> 31)) >> 32) as u32
        })
    }
}
