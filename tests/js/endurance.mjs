// Endurance harness shared by Node (node --test, bench) and Deno: runs many
// calls of one outcome through an injected fetch and measures what stays
// behind — JS heap, wasm memory and live externref slots — after a GC.

/** The outcomes every call can end in, each with the fetch that produces it. */
export const OUTCOMES = {
  ok: () => async () => new Response('{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":""}'),
  api: () => async () => new Response('{"ActionStatus":"FAIL","ErrorCode":50002,"ErrorInfo":"bad"}'),
  decode: () => async () => new Response("<html>not json</html>"),
  network: () => async () => {
    throw new TypeError("fetch failed", { cause: new Error("connect ECONNREFUSED 127.0.0.1:9") });
  },
  http: () => async () => new Response("bad gateway", { status: 502 }),
  // A fetch that honours its signal, as every runtime's does: the timeout aborts it.
  timeout: () => (_url, init) =>
    new Promise((_, reject) => init.signal.addEventListener("abort", () => reject(init.signal.reason), { once: true })),
  // A fetch that never settles and ignores the signal.
  hang: () => () => new Promise(() => {}),
  // Success, with a signal shared by every call and an onEvent listener.
  signal: () => async () => new Response('{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":""}'),
};

const EXPECTED_KIND = { ok: undefined, api: "api", decode: "decode", network: "network", http: "http", timeout: "timeout", hang: "timeout", signal: undefined };
const shared = new AbortController();

export function clientFor(mod, outcome) {
  return new mod.ConversationClient({
    sdkAppId: 1400000000,
    identifier: "administrator",
    secretKey: "endurance-secret-key",
    baseUrl: "http://127.0.0.1:9",
    fetch: OUTCOMES[outcome](),
    maxRetries: 0,
    timeoutMs: outcome === "timeout" || outcome === "hang" ? 1 : 10_000,
    maxRequestsPerSecond: 1e9,
    ...(outcome === "signal" ? { onEvent: () => {} } : {}),
  });
}

const PARAMS = { fromAccount: "u1", conversation: { type: "c2c", toAccount: "u2" } };

/** Runs `n` calls, `concurrency` at a time; throws unless each ends as `outcome` says. */
export async function runCalls(client, outcome, n, concurrency = 64) {
  let next = 0;
  const want = EXPECTED_KIND[outcome];
  async function worker() {
    while (next < n) {
      next += 1;
      try {
        await client.deleteConversation(PARAMS, outcome === "signal" ? { signal: shared.signal } : undefined);
        if (want !== undefined) throw new Error(`${outcome}: the call resolved`);
      } catch (e) {
        if (e?.kind !== want) throw new Error(`${outcome}: expected kind ${want}, got ${e?.kind}: ${e?.message}`);
      }
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, n) }, worker));
}

/** Heap, wasm memory and externrefs after two full GCs. */
async function snapshot(mod, gc, heapUsed) {
  for (let i = 0; i < 2; i++) {
    gc();
    await new Promise((r) => setTimeout(r, 0));
  }
  const [wasm, externrefs] = mod.__memoryStats();
  return { heap: heapUsed(), wasm, externrefs };
}

/**
 * Warms up, then runs `n` calls of `outcome` and returns what each call left
 * behind: `{ heapPerCall, wasmPerCall, externrefsPerCall, before, after }`.
 */
export async function measure(mod, { gc, heapUsed }, outcome, n, warmup = 5_000) {
  const client = clientFor(mod, outcome);
  await runCalls(client, outcome, warmup);
  const before = await snapshot(mod, gc, heapUsed);
  await runCalls(client, outcome, n);
  const after = await snapshot(mod, gc, heapUsed);
  return {
    outcome,
    calls: n,
    heapPerCall: (after.heap - before.heap) / n,
    wasmPerCall: (after.wasm - before.wasm) / n,
    externrefsPerCall: (after.externrefs - before.externrefs) / n,
    before,
    after,
  };
}
