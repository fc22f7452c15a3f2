// "Survive anything" in Node: tests/js/robust.mjs with Node's GC, heap
// gauge, emulator and unhandled-rejection record.
import { test } from "node:test";
import assert from "node:assert/strict";
import http from "node:http";
import v8 from "node:v8";
import vm from "node:vm";
import * as mod from "tim-recentcontact";
import { createEmulator } from "tim-recentcontact/emulator";
import { cases, APP, KEY } from "./robust.mjs";

v8.setFlagsFromString("--expose-gc");
const gc = globalThis.gc ?? vm.runInNewContext("gc");
const unhandled = [];
process.on("unhandledRejection", (reason) => unhandled.push(reason));
const env = { gc, heapUsed: () => process.memoryUsage().heapUsed, createEmulator, unhandled };

for (const [name, fn] of cases) test(name, () => fn(mod, env));

/** A loopback server; closes itself after 60 s. */
async function serve(handler) {
  const s = http.createServer(handler);
  await new Promise((r) => s.listen(0, "127.0.0.1", r));
  const timer = setTimeout(() => s.close(), 60_000);
  timer.unref();
  return { url: `http://127.0.0.1:${s.address().port}`, close: () => { clearTimeout(timer); s.closeAllConnections(); s.close(); } };
}

test("the default transport stops reading a 200 MB answer at the cap and the connection is dropped", async () => {
  let written = 0;
  let closed = false;
  const chunk = Buffer.alloc(64 * 1024, 0x20);
  const srv = await serve((req, res) => {
    req.resume();
    res.writeHead(200, { "content-type": "application/json" });
    res.on("close", () => (closed = true));
    const pump = () => {
      while (written < 200 * 1024 * 1024 && !res.destroyed) {
        written += chunk.length;
        if (!res.write(chunk)) return res.once("drain", pump);
      }
      res.end();
    };
    pump();
  });
  try {
    const c = new mod.ConversationClient({ sdkAppId: APP, identifier: "admin", secretKey: KEY, baseUrl: srv.url, maxRetries: 0 });
    await assert.rejects(c.deleteConversation({ fromAccount: "u", conversation: { type: "c2c", toAccount: "x" } }), (e) => {
      assert.ok(e instanceof mod.TimDecodeError, e.message);
      assert.match(e.message, /maxResponseBytes/);
      return true;
    });
    for (let i = 0; i < 50 && !closed; i++) await new Promise((r) => setTimeout(r, 20));
    assert.ok(closed, "the server saw the connection close");
    assert.ok(written < 64 * 1024 * 1024, `the server wrote ${written} bytes before the client hung up`);
  } finally {
    srv.close();
  }
});

test("the emulator's HTTP server answers 413 past its body cap without buffering the rest", async () => {
  const emulator = createEmulator();
  const { url, close } = await emulator.listen({ stopAfterMs: 30_000 });
  try {
    const r = await fetch(`${url}/v4/recentcontact/delete?sdkappid=1`, { method: "POST", body: "x".repeat(3 * 1024 * 1024) }).catch((e) => e);
    // Either the 413 arrives, or the connection is dropped while the client is still sending.
    if (r instanceof Response) assert.equal(r.status, 413);
    else assert.ok(r instanceof TypeError, String(r));
    const ok = await fetch(`${url}/__emulator/state?user=u`);
    assert.equal(ok.status, 200, "the server keeps serving");
  } finally {
    await close();
  }
});

test("a refused connection (Node's own fetch error) is a network error that says nothing was sent", async () => {
  // A port that was just free: nothing listens there.
  const probe = http.createServer();
  await new Promise((r) => probe.listen(0, "127.0.0.1", r));
  const { port } = probe.address();
  await new Promise((r) => probe.close(r));
  const c = new mod.ConversationClient({ sdkAppId: APP, identifier: "admin", secretKey: KEY, baseUrl: `http://127.0.0.1:${port}`, maxRetries: 0 });
  const e = await c.createConversationGroup({ fromAccount: "u", groupName: "g", conversations: [] }).catch((x) => x);
  assert.ok(e instanceof mod.TimNetworkError, String(e));
  assert.deepEqual([e.notSent, e.retryable, e.outcomeUnknown], [true, true, undefined]);
  assert.match(e.message, /nothing was sent/);
});
