// Issue 23's table: what hostile JavaScript input does to a build of the
// package, one section per child process (a section may kill or wedge the
// module it runs in). Report only, no assertion: the tests assert.
//
//   node bench/hostile.mjs [path/to/pkg/node.mjs]     (default: this tree's pkg/)
//
// Each row: what was handed in, and what happened (the error class it
// ended in, or "NEVER SETTLED" / "RAW …" / the process dying).
import { spawnSync } from "node:child_process";
import { fileURLToPath, pathToFileURL } from "node:url";
import { resolve } from "node:path";

const INPUT_CASES = 12;
const SECTIONS = [...Array.from({ length: INPUT_CASES }, (_, i) => `input:${i}`), "constructor", "externrefs", "oversize", "signal"];
const here = fileURLToPath(import.meta.url);
const [, , entryArg, section] = process.argv;
const entry = resolve(entryArg ?? fileURLToPath(new URL("../pkg/node.mjs", import.meta.url)));

if (!section) {
  console.log(`hostile input against ${entry}`);
  for (const s of SECTIONS) {
    const r = spawnSync(process.execPath, ["--expose-gc", here, entry, s], { encoding: "utf8", timeout: 180_000 });
    process.stdout.write(r.stdout);
    if (r.status !== 0) console.log(`  [${s}] the process ended with ${r.signal ?? `exit ${r.status}`}${r.error ? ` (${r.error.code})` : ""}`);
  }
  process.exit(0);
}

const mod = await import(pathToFileURL(entry).href);
const { ConversationClient } = mod;
const row = (k, v) => console.log(`  ${k}: ${v}`);
const stats = () => mod.__memoryStats();
const revoked = (t = {}) => {
  const r = Proxy.revocable(t, {});
  r.revoke();
  return r.proxy;
};
const throwingElement = () => Object.defineProperty([{ type: "c2c", toAccount: "x" }], 0, { get() { throw new Error("getter"); } });
const trapArray = () => new Proxy([1], { get() { throw new Error("trap"); }, has() { throw new Error("trap"); } });
const base = { sdkAppId: 1400000000, identifier: "admin", secretKey: "k".repeat(32), baseUrl: "http://127.0.0.1:9", maxRetries: 0, maxRequestsPerSecond: 1e9 };
const OK = '{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":""}';
const okFetch = async () => new Response(OK);
const del = { fromAccount: "u1", conversation: { type: "c2c", toAccount: "u2" } };
process.on("unhandledRejection", () => row("unhandled rejection", "yes"));
process.on("uncaughtException", (e) => row("uncaught exception", String(e?.message ?? e).slice(0, 80)));

async function run(name, fn) {
  let r;
  try {
    const p = fn();
    r = await Promise.race([
      Promise.resolve(p).then(
        () => "resolved",
        (e) => (String(e?.name).startsWith("Tim") ? e.name : `RAW ${e?.constructor?.name}: ${String(e?.message).slice(0, 60)}`),
      ),
      new Promise((res) => setTimeout(() => res("NEVER SETTLED"), 1000).unref()),
    ]);
  } catch (e) {
    r = String(e?.name).startsWith("Tim") ? `threw ${e.name}` : `threw RAW ${String(e?.message).slice(0, 60)}`;
  }
  row(name, r);
}

const client = () => new ConversationClient({ ...base, fetch: okFetch });

if (section.startsWith("input:")) {
  const c = client();
  const cases = [];
  const outcome = (name, fn) => cases.push([name, fn]);
  outcome("revoked Proxy as params", () => c.deleteConversation(revoked()));
  outcome("revoked Proxy as per-call options", () => c.deleteConversation(del, revoked()));
  outcome("revoked Proxy as signal", () => c.deleteConversation(del, { signal: revoked() }));
  outcome("throwing getter in conversations", () => c.createConversationGroup({ fromAccount: "u", groupName: "g", conversations: throwingElement() }));
  outcome("throwing getter in items", () => c.markConversations({ fromAccount: "u", items: throwingElement() }));
  outcome("Proxy array whose traps throw", () => c.searchConversationGroups({ fromAccount: "u", conversations: trapArray() }));
  outcome("BigInt in params", () => c.deleteConversation({ ...del, x: 1n }));
  outcome("genUserSig(revoked Proxy)", () => mod.genUserSig(revoked()));
  outcome("verifyUserSig(revoked Proxy)", () => mod.verifyUserSig(revoked()));
  outcome("bulk: an operation whose method getter throws", () =>
    c.bulk([{ get method() { throw new Error("getter"); }, params: del }]).then((r) => {
      if (!String(r.results[0].error?.name).startsWith("Tim")) throw r.results[0].error;
    }));
  outcome("bulk: an iterable whose iterator throws", () => c.bulk({ [Symbol.iterator]() { throw new Error("iterator"); } }));
  outcome("a normal call after them all", async () => {
    for (const [, f] of cases.slice(0, -1)) await Promise.race([Promise.resolve().then(f).catch(() => {}), new Promise((r) => setTimeout(r, 1000).unref())]);
    return client().deleteConversation(del);
  });
  const [name, fn] = cases[Number(section.slice(6))];
  await run(name, fn);
}

if (section === "constructor") {
  let n = 0;
  for (; n < 3000; n++) {
    try {
      new ConversationClient(revoked());
    } catch {}
  }
  await run(`a normal call after ${n} caught new ConversationClient(<revoked Proxy>)`, () => client().deleteConversation(del));
}

if (section === "externrefs") {
  const c = new ConversationClient({ ...base, fetch: okFetch, onEvent() { throw new Error("listener"); } });
  await c.deleteConversation(del);
  const x0 = stats()[1];
  for (let i = 0; i < 20_000; i++) await c.deleteConversation(del);
  row("externref slots left by 20,000 calls with a throwing onEvent", stats()[1] - x0);
  const cyc = { ...del };
  cyc.self = cyc;
  const x1 = stats()[1];
  for (let i = 0; i < 5_000; i++) await c.deleteConversation(cyc).catch(() => {});
  row("externref slots left by 5,000 calls with cyclic params", stats()[1] - x1);
  const hostileError = () => new Proxy(new Error("x"), { get() { throw new Error("trap"); } });
  const { maxRequestsPerSecond: _, ...unpaced } = base;
  const failing = new ConversationClient({ ...unpaced, fetch: async () => { throw hostileError(); }, rateLimiter: { acquire: async () => { throw hostileError(); } } });
  await failing.deleteConversation(del).catch(() => {});
  const x2 = stats()[1];
  for (let i = 0; i < 5_000; i++) await failing.deleteConversation(del).catch(() => {});
  row("externref slots left by 5,000 calls whose limiter and fetch reject with a Proxy that throws", stats()[1] - x2);
}

if (section === "oversize") {
  const c = client();
  const items = Array.from({ length: 1e6 }, () => ({ conversation: { type: "c2c", toAccount: "x" }, set: [32] }));
  const name = "x".repeat(50e6);
  const huge = [
    ["markConversations with 1e6 items", () => c.markConversations({ fromAccount: "u", items })],
    ["createConversationGroup with a 50 MB groupName", () => c.createConversationGroup({ fromAccount: "u", groupName: name, conversations: [] })],
  ];
  for (const [what, call] of huge) {
    const before = stats()[0];
    const t0 = performance.now();
    await run(what, call);
    row(`  refused after (ms)${what.includes("1e6") ? ", goal <= 5" : ""}`, (performance.now() - t0).toFixed(2));
    row("  wasm memory growth (KiB), goal <= 128", (stats()[0] - before) / 1024);
  }
  let sent = 0;
  const counting = new ConversationClient({ ...base, fetch: async () => (sent++, new Response(OK)) });
  await run("a 1 MB fromAccount", () => counting.deleteConversation({ ...del, fromAccount: "a".repeat(1 << 20) }));
  row("  requests sent", sent);
}

if (section === "signal") {
  // The README's bulk example at scale: calls sharing one signal on a busy
  // client (one call stays in flight throughout, as on a busy server).
  let hold;
  const c = new ConversationClient({ ...base, fetch: (url, init) => (init.body.includes('"hold"') ? new Promise((r) => (hold = () => r(new Response(OK)))) : okFetch()) });
  const ac = new AbortController();
  const pending = c.deleteConversation({ fromAccount: "hold", conversation: { type: "c2c", toAccount: "x" } }, { signal: ac.signal, timeoutMs: 600_000 });
  const N = 30_000;
  for (let i = 0; i < 500; i++) await c.deleteConversation(del, { signal: ac.signal });
  globalThis.gc();
  const h0 = process.memoryUsage().heapUsed;
  for (let i = 0; i < N; i++) await c.deleteConversation(del, { signal: ac.signal });
  globalThis.gc();
  row(`heap growth per call, ${N} calls sharing one signal on a busy client (B)`, ((process.memoryUsage().heapUsed - h0) / N).toFixed(1));
  hold?.();
  await pending;
}
