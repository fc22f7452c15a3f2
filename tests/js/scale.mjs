// The README's own patterns at scale, measured the way issue 23 found them
// leaking, run unchanged in Node and Deno: one AbortSignal shared by
// 100,000 calls on a busy client (one call with that signal stays in flight
// throughout, so the signal's watch is never idle), the same with 50 KB
// answers, and a 100,000-operation bulk with a signal. What stays on the JS
// heap (and in ArrayBuffers) afterwards, per call, after a full GC: ≤ 100 B
// (0.2: ~5,100 B a call; 50 KB answers kept whole, ~54,800 B a call).
//
// `env` gives what differs per runtime: { gc, memory() } (heap + buffers).

export const PER_CALL_BYTES = 100;
const OK = '{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":""}';
const del = { fromAccount: "u1", conversation: { type: "c2c", toAccount: "u2" } };

async function heap(env) {
  for (let i = 0; i < 3; i++) {
    await new Promise((r) => setTimeout(r, 10));
    env.gc();
  }
  return env.memory();
}

/** A client whose fetch answers `body` at once, except a call from user "hold", which waits for `release()`. */
function busyClient(mod, body) {
  let release;
  const held = new Promise((r) => (release = r));
  const client = new mod.ConversationClient({
    sdkAppId: 1400000000,
    identifier: "administrator",
    secretKey: "scale-secret-key",
    baseUrl: "http://127.0.0.1:9",
    maxRetries: 0,
    maxRequestsPerSecond: 1e9,
    fetch: async (_url, init) => (init.body.includes('"hold"') ? held.then(() => new Response(OK)) : new Response(body)),
  });
  const hold = (signal) => client.deleteConversation({ ...del, fromAccount: "hold" }, { signal, timeoutMs: 600_000 });
  return { client, hold, release: () => release() };
}

async function calls(client, n, signal, concurrency = 16) {
  let next = 0;
  const worker = async () => {
    while (next < n) {
      next += 1;
      await client.deleteConversation(del, { signal });
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

function check(perCall, what) {
  if (!(perCall <= PER_CALL_BYTES)) throw new Error(`${what}: ${perCall.toFixed(1)} B a call stayed behind (at most ${PER_CALL_BYTES})`);
}

/** `[name, async (mod, env) => figure line]`: each throws when over the bound. */
export const scaleCases = [];

for (const [what, body, n] of [
  ["100,000 calls sharing one signal on a busy client", OK, 100_000],
  ["20,000 calls with 50 KB answers sharing one signal on a busy client", OK.replace("}", `${" ".repeat(50_000)}}`), 20_000],
]) {
  scaleCases.push([`${what}: ≤ ${PER_CALL_BYTES} B a call stays behind`, async (mod, env) => {
    const { client, hold, release } = busyClient(mod, body);
    const ac = new AbortController();
    const held = hold(ac.signal);
    await calls(client, 2_000, ac.signal); // warm-up
    const before = await heap(env);
    await calls(client, n, ac.signal);
    const after = await heap(env);
    const perCall = (after - before) / n;
    release();
    await held;
    client.free();
    check(perCall, what);
    return `${what}: ${perCall.toFixed(1)} B a call`;
  }]);
}

scaleCases.push([`a 100,000-operation bulk with a signal on a busy client: ≤ ${PER_CALL_BYTES} B an operation stays behind`, async (mod, env) => {
  const { client, hold, release } = busyClient(mod, OK);
  const ac = new AbortController();
  const held = hold(ac.signal);
  const ops = (n) => Array.from({ length: n }, () => ({ method: "deleteConversation", params: del }));
  await client.bulk(ops(2_000), { signal: ac.signal });
  const before = await heap(env);
  let report = await client.bulk(ops(100_000), { signal: ac.signal, onProgress: () => {}, progressIntervalMs: 100 });
  if (report.succeeded !== 100_000) throw new Error(`bulk: ${report.succeeded} of 100,000 succeeded`);
  report = null;
  const after = await heap(env);
  const perOp = (after - before) / 100_000;
  release();
  await held;
  client.free();
  check(perOp, "bulk");
  return `bulk of 100,000 with a signal: ${perOp.toFixed(1)} B an operation`;
}]);
