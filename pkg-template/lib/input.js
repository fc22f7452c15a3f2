// What a caller hands the package — a method's params, its per-call
// options, the client options, a helper's params — is read here, once,
// before the wasm core sees any of it (CONTRIBUTING, "Reading JavaScript").
//
// The reader walks the value with every property access inside try/catch
// and builds a copy made only of primitives, plain objects and arrays that
// this file created, and functions that this file created:
// nothing in the copy has a getter, a Proxy trap or a user prototype, so
// the core can walk it without any import that might throw (a throw through
// a wasm frame kills the instance). Each user property is read once: a
// getter runs once, a Proxy trap once per key.
//
// Size is checked before anything is copied, from lengths alone: a list
// longer than its field's documented limit, a string longer (in UTF-16
// units, never more than its UTF-8 bytes) than its field's limit, nesting
// past a depth, or an argument past a byte budget is refused here, naming
// the field, without copying it — and so without growing wasm memory.
// The limits are the core's own (caps.js, written from and held to the
// validators' constants by a cargo test).
//
// A refusal is thrown as a TimValidationError naming the field.

import { INPUT_CAPS as caps } from "./caps.js";
import { watchSignal } from "./signal.js";

let makeError = null;

// The smallest string and list caps: below them no field's own cap is
// looked up (a look-up by key per string was a tenth of the reading).
const fewestBytes = Math.min(caps.otherStringBytes, ...Object.values(caps.strings));
const fewestItems = Math.min(caps.otherListItems, ...Object.values(caps.lists), ...Object.values(caps.methodLists).flatMap((lists) => Object.values(lists)));

/** Installs the error factory. */
export function installInput(errorFactory) {
  makeError = errorFactory;
}

/**
 * The TimValidationError for `field` (its class writes the message); also
 * the core's refusal factory (setup.js). `late`: the method layer re-takes
 * its stack where the caller awaits (makeError's `lateStack`).
 */
export function invalidInput(field, reason, late = false) {
  return makeError({ kind: "validation", retryable: false, field, reason, lateStack: late });
}

/** A refused input while it is being read: the field as the core would name it, and why. */
class Refusal {
  constructor(field, reason) {
    this.field = field;
    this.reason = reason;
  }
}

/** What stands in the copy for a function found in params (no function is ever valid there). */
function aFunction() {}

/** A value's type in JavaScript's words (never the value itself); never throws. */
export function jsType(v) {
  if (v === undefined) return "undefined";
  if (v === null) return "null";
  switch (typeof v) {
    case "number":
      return Number.isNaN(v) ? "NaN" : v === Infinity ? "Infinity" : v === -Infinity ? "-Infinity" : "a number";
    case "bigint":
      return "a bigint";
    case "string":
      return "a string";
    case "boolean":
      return "a boolean";
    case "symbol":
      return "a symbol";
    case "function":
      return "a function";
  }
  try {
    return Array.isArray(v) ? "an array" : "an object";
  } catch {
    return "an object (a revoked Proxy)";
  }
}

function utf8Bytes(s) {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) continue;
    if (c < 0x800) n += 1;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      n += 2; // a pair: 2 units, 4 bytes
      i++;
    } else n += 2;
  }
  return n;
}

const MAX_FIELD_CHARS = 120;
// Control and formatting characters (newlines, ANSI escapes, bidi overrides).
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/;

/**
 * A field path as an error may show it: the core's rule (messages.rs,
 * `printable_field`) — cut at 120 characters with "…", unprintable
 * characters written as \u{…} — so a made-up key can neither flood a log
 * nor rewrite the line it is printed on.
 */
function printableField(path) {
  if (path.length <= MAX_FIELD_CHARS && !UNPRINTABLE.test(path)) return path;
  let out = "";
  let n = 0;
  for (const c of path) {
    if (n++ === MAX_FIELD_CHARS) return `${out}…`;
    out += UNPRINTABLE.test(c) ? `\\u{${c.codePointAt(0).toString(16)}}` : c;
  }
  return out;
}

/** How one argument is read. */
class Reading {
  constructor(root, method, profile, prefix) {
    this.root = root; // "params" | "options" | an argument's own name ("alert")
    this.prefix = prefix; // before a field's path: "options." for per-call options, "alert.", or none
    this.method = method;
    this.profile = profile; // "params" | "bulk" | "call" | "client"
    this.left = profile === "bulk" ? 64 * caps.argumentBytes : caps.argumentBytes;
    // The objects being read, outermost first (cycles, depth): the first
    // `depth` entries of `stack`; and where: a key or an index per level,
    // the first `levels` entries of `at` (the field path, made only for an
    // error). Counts, not the arrays' lengths: setting an array's length
    // (to pop levels) was a third of the reading's time.
    this.stack = [];
    this.depth = 0;
    this.at = [];
    this.levels = 0;
  }

  /** The field being read (`conversations[2].toAccount`), as the core names it. */
  field() {
    let path = "";
    for (let i = 0; i < this.levels; i++) {
      const part = this.at[i];
      path += typeof part === "number" ? `[${part}]` : path === "" ? part : `.${part}`;
    }
    if (path === "") return this.root;
    return printableField(this.prefix + path);
  }

  refuse(reason) {
    return new Refusal(this.field(), reason);
  }

  unreadable(e) {
    const how = e instanceof TypeError && /revoked/i.test(safeMessage(e)) ? "it is a revoked Proxy" : "a getter or Proxy trap threw";
    return this.refuse(`could not be read (${how})`);
  }

  spend(n) {
    this.left -= n;
    if (this.left < 0) {
      const mib = (this.profile === "bulk" ? 64 : 1) * (caps.argumentBytes / 1048576);
      throw new Refusal(this.root, `is larger than ${mib} MiB as JSON; no call of this API takes that much`);
    }
  }

  listCap(key) {
    if (this.profile === "bulk") return Infinity; // bulk splits long lists into documented-size calls
    const own = caps.methodLists[this.method];
    return (own && own[key]) ?? caps.lists[key] ?? caps.otherListItems;
  }

  string(s, key) {
    const cap = s.length <= fewestBytes ? fewestBytes : (caps.strings[key] ?? caps.otherStringBytes);
    if (s.length > cap) {
      // Each UTF-16 unit is at least one UTF-8 byte: over in units is over in bytes.
      const got = s.length <= caps.argumentBytes ? `${utf8Bytes(s)} bytes` : `more than ${caps.argumentBytes} bytes`;
      throw this.refuse(`must be at most ${cap} UTF-8 bytes, got ${got}`);
    }
    this.spend(s.length + 2);
    return s;
  }

  /** `v` (the member `key` of `parent`, or an element of the list `key`), copied. */
  copy(v, key, parent) {
    switch (typeof v) {
      case "string":
        return this.string(v, key);
      case "number":
      case "boolean":
      case "undefined":
      case "symbol":
        this.spend(8);
        return v;
      case "bigint":
        throw this.refuse("must be plain data, received a bigint");
      case "function":
        this.spend(8);
        // A `toJSON` in the copy would be called by JSON.stringify: never the user's.
        return this.profile === "client" && key !== "toJSON" ? callable(v, this.depth > 1 ? parent : undefined) : aFunction;
    }
    if (v === null) {
      this.spend(4);
      return null;
    }
    const depth = this.depth;
    if (depth >= caps.depth) throw this.refuse(`is nested more than ${caps.depth} levels deep`);
    for (let i = 0; i < depth; i++) if (this.stack[i] === v) throw this.refuse("refers to itself (a cycle)");
    let isArray;
    try {
      isArray = Array.isArray(v);
    } catch (e) {
      throw this.unreadable(e);
    }
    this.stack[depth] = v;
    this.depth = depth + 1;
    const out = isArray ? this.array(v, key) : this.object(v);
    this.depth = depth; // (a refusal ends the whole reading: nothing to restore then)
    return out;
  }

  array(v, key) {
    let n;
    try {
      n = v.length;
    } catch (e) {
      throw this.unreadable(e);
    }
    if (!Number.isSafeInteger(n) || n < 0) throw this.refuse("could not be read (its length is not a whole number)");
    const cap = n <= fewestItems ? fewestItems : this.listCap(key);
    if (n > cap) throw this.refuse(`must hold at most ${cap} entries, got ${n}`);
    this.spend(n * 2 + 2); // before any element is read
    const out = new Array(n);
    const at = this.at;
    const level = this.levels;
    this.levels = level + 1;
    for (let i = 0; i < n; i++) {
      at[level] = i;
      let item;
      try {
        item = v[i];
      } catch (e) {
        throw this.unreadable(e);
      }
      out[i] = this.copy(item, key, v);
    }
    this.levels = level;
    return out;
  }

  object(v) {
    let keys;
    try {
      keys = Object.keys(v);
    } catch (e) {
      throw this.unreadable(e);
    }
    this.spend(keys.length * 4 + 2);
    // A plain object (V8 keeps its properties fast, unlike a null-prototype
    // one's); a "__proto__" key is defined as an own property, never set.
    const out = {};
    const at = this.at;
    const level = this.levels;
    this.levels = level + 1;
    for (const k of keys) {
      this.spend(k.length);
      at[level] = k;
      let item;
      try {
        item = v[k];
      } catch (e) {
        throw this.unreadable(e);
      }
      const value = (level === 0 ? this.special(k, item) : undefined) ?? this.copy(item, k, v);
      if (k === "__proto__") Object.defineProperty(out, k, { value, enumerable: true, writable: true, configurable: true });
      else out[k] = value;
    }
    this.levels = level;
    return out;
  }

  /** The members read their own way: the call's signal, the client's rate limiter and logger. */
  special(k, item) {
    if (this.profile === "call" && k === "signal") {
      try {
        return watchSignal(item) ?? undefined;
      } catch (e) {
        throw this.refuse(safeMessage(e));
      }
    }
    const methods = this.profile === "client" && item !== null && typeof item === "object" && OBJECT_OPTIONS[k];
    if (methods) {
      // A limiter or a logger is an object with methods, often a class
      // instance (its methods on the prototype): each read once.
      const out = {};
      const at = this.at;
      const level = this.levels;
      this.levels = level + 1;
      for (const m of methods) {
        at[level] = m;
        let f;
        try {
          f = item[m];
        } catch (e) {
          throw this.unreadable(e);
        }
        if (f !== undefined) out[m] = typeof f === "function" ? callable(f, item) : this.copy(f, m, item);
      }
      this.levels = level;
      return out;
    }
    return undefined;
  }
}

/** Client options that are objects of methods, and the methods read. */
const OBJECT_OPTIONS = { __proto__: null, rateLimiter: ["acquire", "penalize"], logger: ["debug", "info", "warn", "error"] };

function safeMessage(e) {
  try {
    return typeof e?.message === "string" ? e.message : String(e);
  } catch {
    return "";
  }
}

/**
 * A user function as the core may call it: with `self` as `this`, and
 * whatever it throws returned as a rejected promise, so no exception
 * crosses into wasm (the core treats a rejection as it treats a throw).
 */
function callable(fn, self) {
  return function callUser(...args) {
    try {
      return Reflect.apply(fn, self, args);
    } catch (e) {
      return Promise.reject(e);
    }
  };
}

/**
 * Reads one argument. `profile`: "params" (a method's or helper's params),
 * "bulk" (an operation's params before bulk splits them: no list caps),
 * "call" (per-call options: the signal becomes its watch), "client" (client
 * options: functions are kept, as wrappers that cannot throw). `name`: the
 * argument's own name for its fields (`alert`, `alert.Command`) where it
 * is neither params nor options. Throws a TimValidationError.
 */
export function readInput(value, profile, method = "", name = undefined) {
  const root = name ?? (profile === "call" || profile === "client" ? "options" : "params");
  const prefix = name !== undefined ? `${name}.` : profile === "call" ? "options." : "";
  try {
    return new Reading(root, method, profile, prefix).copy(value, "", undefined);
  } catch (e) {
    throw e instanceof Refusal ? invalidInput(e.field, e.reason) : e;
  }
}
