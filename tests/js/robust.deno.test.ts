// "Survive anything" in Deno: tests/js/robust.mjs with Deno's GC (run with
// --v8-flags=--expose-gc), heap gauge, emulator and unhandled-rejection record.
import * as mod from "tim-recentcontact";
import { createEmulator } from "tim-recentcontact/emulator";
import { cases, APP, KEY, assertOk } from "./robust.mjs";
import { gc, unhandled } from "./deno-env.ts";
const env = { gc, heapUsed: () => Deno.memoryUsage().heapUsed, createEmulator, unhandled };

for (const [name, fn] of cases as [string, (m: typeof mod, e: typeof env) => Promise<void>][]) {
  Deno.test({ name, sanitizeOps: false, sanitizeResources: false, fn: () => fn(mod, env) });
}

Deno.test("the default transport stops reading a 200 MB answer at the cap and the connection is dropped", async () => {
  let written = 0;
  let cancelled = false;
  const chunk = new Uint8Array(64 * 1024).fill(0x20);
  const ac = new AbortController();
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, signal: ac.signal, onListen() {} }, () =>
    new Response(new ReadableStream({
      pull(c) {
        if (written >= 200 * 1024 * 1024) return c.close();
        written += chunk.length;
        c.enqueue(chunk.slice());
      },
      cancel() {
        cancelled = true;
      },
    })));
  const stop = setTimeout(() => ac.abort(), 60_000);
  try {
    const c = new mod.ConversationClient({ sdkAppId: APP, identifier: "admin", secretKey: KEY, baseUrl: `http://127.0.0.1:${server.addr.port}`, maxRetries: 0 });
    let error: unknown;
    await c.deleteConversation({ fromAccount: "u", conversation: { type: "c2c", toAccount: "x" } }).catch((e) => (error = e));
    assertOk(error instanceof mod.TimDecodeError && /maxResponseBytes/.test(error.message), String(error));
    for (let i = 0; i < 50 && !cancelled; i++) await new Promise((r) => setTimeout(r, 20));
    assertOk(cancelled, "the server's body stream was cancelled");
    assertOk(written < 64 * 1024 * 1024, `the server produced ${written} bytes before the client hung up`);
  } finally {
    clearTimeout(stop);
    ac.abort();
    await server.finished;
  }
});
