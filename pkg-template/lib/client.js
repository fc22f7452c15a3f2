// The JavaScript face of every ConversationClient method, around the wasm
// class: misuse becomes a TimError (a method called without its client, a
// call after free()), free() during calls waits for them, and a rejected
// call's stack is taken where the caller awaits it, so it shows the
// caller's own frames instead of the wasm glue.

import { callMethods } from "./bulk.js";
import { ConversationClient as WasmClient } from "./glue.js";
import { readInput, invalidInput, jsType } from "./input.js";
import { JS_OPTIONS, checkCallOptions, quietly, takeJsOptions } from "./options.js";
import { HEADERS } from "./transport.js";

const IN_FLIGHT = Symbol("tim-recentcontact.inFlight");
const FREE_LATER = Symbol("tim-recentcontact.freeLater");
const ON_FREE = Symbol("tim-recentcontact.onFree");

/** Each client's `onEvent` as read (with the logger's), for the events sent from here. */
const LISTENERS = new WeakMap();

const capture = typeof Error.captureStackTrace === "function" ? Error.captureStackTrace : null;

/**
 * Re-takes a package error's stack where it is called, leaving out `above`
 * (the package function the caller called) and every frame over it: the
 * caller's own line is then the first frame, for a sync throw as for a
 * rejection (after an await, the engine's async frames are the caller's).
 */
export function retakeStack(e, above) {
  if (!capture || !(e instanceof Error) || typeof e.kind !== "string") return;
  if (above === undefined || !IS_BUN) return void capture(e, above);
  // Bun's JavaScriptCore does not match \`above\` reliably (an async method
  // with a computed name: no frame left at all; a bundled helper: one frame
  // too many), so there the stack is taken from here and the one frame of
  // \`above\`, which called this, dropped by hand. (Only there: V8 would
  // format e.stack on every error read here.)
  capture(e, retakeStack);
  e.stack = e.stack.replace(/\n\s+at [^\n]*/, "");
}

const IS_BUN = typeof globalThis.Bun !== "undefined";

/**
 * The exported class: the wasm class, its options read once (input.js)
 * before the core sees them, so a Proxy, a getter or a 50 MB string in
 * them is a TimValidationError, never an exception in a wasm frame.
 */
export class ConversationClient extends WasmClient {
  constructor(options) {
    let read;
    try {
      read = readInput(options, "client");
      takeJsOptions(read, HEADERS);
    } catch (e) {
      retakeStack(e, new.target);
      throw e;
    }
    try {
      super(read);
    } catch (e) {
      // The core's list of the options it knows: with those handled in JavaScript.
      if (typeof e.reason === "string" && e.reason.startsWith("is not a known field (known: ")) {
        const more = `, ${JS_OPTIONS.join(", ")})`;
        e.reason = e.reason.replace(/\)$/, more);
        e.message = e.message.replace(/\)$/, more);
      }
      retakeStack(e, new.target);
      throw e;
    }
    if (typeof read.onEvent !== "function") return;
    LISTENERS.set(this, read.onEvent);
    // Accepted, but not of the documented UserID form (the account pages:
    // at most 32 bytes of A-Z, a-z, 0-9, _ and -; not enforced, since
    // accounts made otherwise may exist): the service may refuse it.
    if (!/^[A-Za-z0-9_-]{1,32}$/.test(read.identifier)) {
      const message = "is not a documented UserID (at most 32 bytes of A-Z, a-z, 0-9, _ and -): the service may refuse it";
      quietly(read.onEvent, { type: "warning", command: "", field: "identifier", message });
    }
  }
}

export function installClient(ConversationClient, makeError) {
  const proto = ConversationClient.prototype;

  function misuse(name, self) {
    if (!(self instanceof ConversationClient)) {
      return makeError({
        kind: "validation",
        retryable: false,
        field: "this",
        reason: `${name} was called without its client; call it as client.${name}(…), or pass client.${name}.bind(client)`,
        message: `invalid \`this\`: ${name} was called without its client; call it as client.${name}(…), or pass client.${name}.bind(client)`,
      });
    }
    if (!self.__wbg_ptr) {
      return makeError({
        kind: "validation",
        retryable: false,
        field: "client",
        reason: "was freed (client.free() or a `using` block ended); create a new ConversationClient",
        message: "invalid `client`: was freed (client.free() or a `using` block ended); create a new ConversationClient",
      });
    }
    return null;
  }

  const rawFree = proto.free;
  /** Frees the wasm half now, and settles every `await using` waiting for it. */
  function freeNow(self) {
    rawFree.call(self);
    const waiting = self[ON_FREE];
    self[ON_FREE] = undefined;
    if (waiting) for (const resolve of waiting) resolve();
  }
  function free() {
    if (!(this instanceof ConversationClient) || !this.__wbg_ptr) return; // twice is harmless
    if (this[IN_FLIGHT] > 0) {
      this[FREE_LATER] = true; // freed when its last call ends
      return;
    }
    freeNow(this);
  }
  /** `await using`: like free(), and settles once the client is freed, after its last call. */
  async function asyncDispose() {
    if (!(this instanceof ConversationClient) || !this.__wbg_ptr) return;
    if (this[IN_FLIGHT] > 0) {
      this[FREE_LATER] = true;
      await new Promise((resolve) => (this[ON_FREE] ??= []).push(resolve));
      return;
    }
    freeNow(this);
  }
  Object.defineProperty(proto, "free", { value: free, writable: true, configurable: true });
  if (typeof Symbol.dispose === "symbol") {
    Object.defineProperty(proto, Symbol.dispose, { value: free, writable: true, configurable: true });
  }
  if (typeof Symbol.asyncDispose === "symbol") {
    Object.defineProperty(proto, Symbol.asyncDispose, { value: asyncDispose, writable: true, configurable: true });
  }

  for (const name of [...callMethods(proto), "bulk"]) {
    const raw = proto[name];
    if (typeof raw !== "function") continue;
    const settle = (self) => {
      if (--self[IN_FLIGHT] === 0 && self[FREE_LATER] && self.__wbg_ptr) freeNow(self);
    };
    const wrapped = {
      // An async function: a rejection's stack is re-taken after an
      // `await`, where JavaScriptCore (Bun) records the caller's async
      // frames too (in a `.then` reaction it records none; V8 both ways).
      async [name](params, options) {
        const bad = misuse(name, this);
        if (bad) {
          retakeStack(bad, wrapped);
          throw bad;
        }
        // Params and options read once, before the core sees them (bulk reads its own).
        let p = params;
        let o = options;
        if (name !== "bulk") {
          try {
            p = readInput(params, "params", name);
            // (No options, the common case: nothing to read.)
            if (options !== undefined) o = checkCallOptions(readInput(options, "call"));
          } catch (e) {
            retakeStack(e, wrapped);
            throw e;
          }
        }
        this[IN_FLIGHT] = (this[IN_FLIGHT] ?? 0) + 1;
        try {
          return await raw.call(this, p, o);
        } catch (e) {
          retakeStack(e, wrapped);
          throw e;
        } finally {
          settle(this);
        }
      },
    }[name];
    Object.defineProperty(proto, name, { value: wrapped, writable: true, configurable: true });
  }

  // observeRateAlert(alert): the Alert.RequestOverLimit callback's body,
  // read once (input.js), each field checked by name, then the core's
  // verdict: whether it named one of this client's commands (slowed then).
  const observe = proto.__observeRateAlert;
  delete proto.__observeRateAlert;
  function observeRateAlert(alert) {
    let a;
    try {
      const bad = misuse("observeRateAlert", this);
      if (bad) throw bad;
      a = readInput(alert, "params", "observeRateAlert", "alert");
      if (a === null || typeof a !== "object" || Array.isArray(a)) {
        throw invalidInput("alert", `must be the body of an Alert.RequestOverLimit callback (an object), received ${jsType(a)}`);
      }
      if (a.CallbackCommand !== "Alert.RequestOverLimit") {
        throw invalidInput("alert.CallbackCommand", `must be "Alert.RequestOverLimit", received ${typeof a.CallbackCommand === "string" ? JSON.stringify(a.CallbackCommand.slice(0, 40)) : jsType(a.CallbackCommand)}`);
      }
      for (const k of ["ServiceName", "Command"]) if (typeof a[k] !== "string") throw invalidInput(`alert.${k}`, `must be a string, received ${jsType(a[k])}`);
      for (const k of ["Request", "Limit"]) {
        if (typeof a[k] !== "number" || !(a[k] >= 0) || a[k] === Infinity) throw invalidInput(`alert.${k}`, `must be a number of calls per second, received ${jsType(a[k])}`);
      }
    } catch (e) {
      retakeStack(e, observeRateAlert);
      throw e;
    }
    const rate = a.ServiceName === "recentcontact" ? observe.call(this, a.Command) : -1;
    if (rate === -1) return false;
    const listener = LISTENERS.get(this);
    if (listener) quietly(listener, { type: "rate-alert", command: a.Command, request: a.Request, limit: a.Limit, ...(Number.isNaN(rate) ? {} : { rate }) });
    return true;
  }
  if (typeof observe === "function") Object.defineProperty(proto, "observeRateAlert", { value: observeRateAlert, writable: true, configurable: true });

  // The pagers (paging.js): a misused one fails when called, not at its
  // first page. What they return is an async iterable, not a promise: one
  // awaited (`await client.listConversations()`, which would otherwise
  // give the iterator itself, printed as `{}`) rejects saying how to use it.
  for (const name of ["paginate", "listConversations"]) {
    const pager = proto[name];
    if (typeof pager !== "function") continue;
    const awaited = (resolve, reject) => {
      const one = name === "paginate" ? "client.listConversationsPage(…) or client.getConversationGroupsPage(…)" : "client.listConversationsPage(…)";
      const reason = `returns an async iterable, not a promise: iterate it with \`for await (const item of client.${name}(…))\`, or await ${one} for one page`;
      reject(makeError({ kind: "validation", retryable: false, field: name, reason, message: `invalid \`${name}\`: ${reason}` }));
    };
    const wrapped = {
      [name](...args) {
        const bad = misuse(name, this);
        if (bad) {
          retakeStack(bad, wrapped);
          throw bad;
        }
        const iterable = pager.apply(this, args);
        Object.defineProperty(iterable, "then", { value: awaited, configurable: true });
        return iterable;
      },
    }[name];
    Object.defineProperty(proto, name, { value: wrapped, writable: true, configurable: true });
  }
}
