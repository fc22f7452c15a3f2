// What the conformance suite (suite.mjs) and its hostile part
// (hostile-suite.mjs) share, in a module of its own so that neither imports
// the other: runtime-neutral assertions and a fake service.

export const APP = 1400000000;
export const KEY = "suite-secret-key-0123456789abcdef";

export function assert(cond, message) {
  if (!cond) throw new Error(`assertion failed: ${message}`);
}

function canon(v) {
  if (Array.isArray(v)) return v.map(canon);
  if (v && typeof v === "object") {
    return Object.fromEntries(Object.keys(v).sort().map((k) => [k, canon(v[k])]));
  }
  return v;
}

export function assertEqual(actual, expected, message) {
  const a = JSON.stringify(canon(actual));
  const e = JSON.stringify(canon(expected));
  if (a !== e) throw new Error(`${message}: expected ${e}, got ${a}`);
}

export async function rejects(promiseOrFn, check, message) {
  try {
    await (typeof promiseOrFn === "function" ? promiseOrFn() : promiseOrFn);
  } catch (e) {
    check(e);
    return e;
  }
  throw new Error(`${message}: expected a rejection`);
}


/** A fetch that answers from `answer(command, body, url)` and records every call. */
export function fakeFetch(answer) {
  const calls = [];
  const fetch = async (url, init) => {
    const u = new URL(url);
    const command = u.pathname.split("/").pop();
    const body = JSON.parse(init.body);
    calls.push({ url: u, command, body, init });
    const a = await answer(command, body, u, calls.length, init);
    if (a instanceof Response) return a;
    return new Response(JSON.stringify(a), { status: 200, headers: { "content-type": "application/json" } });
  };
  return { fetch, calls };
}

