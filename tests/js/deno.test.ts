// The package in Deno: resolved through its "deno" export condition; the
// conformance suite, and the default transport against Deno.serve.
import * as mod from "tim-recentcontact";
import { cases, APP, KEY, assert, assertEqual } from "./suite.mjs";

Deno.test("the package resolves to its deno entry", () => {
  assert(import.meta.resolve("tim-recentcontact").endsWith("/deno.js"), import.meta.resolve("tim-recentcontact"));
});

for (const [name, fn] of cases as [string, (m: typeof mod) => Promise<void>][]) Deno.test(name, () => fn(mod));

Deno.test("the default transport POSTs JSON to a real HTTP server", async () => {
  const seen: { method: string; url: URL; type: string | null; body: unknown }[] = [];
  const ac = new AbortController();
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, signal: ac.signal, onListen() {} }, async (req) => {
    seen.push({ method: req.method, url: new URL(req.url), type: req.headers.get("content-type"), body: await req.json() });
    return Response.json({ GroupItem: [{ GroupName: "g", GroupId: 3 }], ActionStatus: "OK", ErrorCode: 0, ErrorInfo: "" });
  });
  const stop = setTimeout(() => ac.abort(), 60_000);
  try {
    const c = new mod.ConversationClient({ sdkAppId: APP, identifier: "admin", secretKey: KEY, baseUrl: `http://127.0.0.1:${server.addr.port}` });
    assertEqual(await c.deleteConversationGroup({ fromAccount: "u", groupName: "g" }), { groupName: "g", groupId: 3 }, "result");
    assertEqual(seen[0].method, "POST", "method");
    assertEqual(seen[0].type, "application/json", "content type");
    assertEqual(seen[0].url.pathname, "/v4/recentcontact/del_contact_group", "path");
    assertEqual(seen[0].body, { From_Account: "u", GroupName: ["g"] }, "body");
    assert((seen[0].url.searchParams.get("usersig") ?? "").length > 20, "usersig sent");
  } finally {
    clearTimeout(stop);
    ac.abort();
    await server.finished;
  }
});

Deno.test("tim-recentcontact/limiter: its deno entry, the package's error classes, and a shared limiter pacing the client", async () => {
  const limiter = await import("tim-recentcontact/limiter");
  assert(import.meta.resolve("tim-recentcontact/limiter").endsWith("/limiter/deno.js"), import.meta.resolve("tim-recentcontact/limiter"));
  try {
    new limiter.RedisRateLimiter({} as never, { sdkAppId: APP });
    throw new Error("accepted a client without eval");
  } catch (e) {
    assert(e instanceof mod.TimValidationError && (e as { field?: string }).field === "redis", String(e));
  }
  // The Durable Object class and its limiter, in process; the client sends
  // when it grants. Its storage holds a budget from before (a fresh one
  // starts after the horizon).
  const object = new limiter.RateLimiterDurableObject({ storage: { get: async () => 0, put: async () => {} } }, {});
  let trips = 0;
  const ns = { idFromName: (n: string) => n, get: () => ({ fetch: (url: string, init?: RequestInit) => (trips++, object.fetch(new Request(url, init))) }) };
  const rateLimiter = new limiter.DurableObjectRateLimiter(ns, { sdkAppId: APP, maxRequestsPerSecond: 100, margin: 0 });
  const sent: number[] = [];
  const fetch = async () => (sent.push(Date.now()), Response.json({ ActionStatus: "OK", ErrorCode: 0, ErrorInfo: "" }));
  const c = new mod.ConversationClient({ sdkAppId: APP, identifier: "admin", secretKey: KEY, baseUrl: "http://127.0.0.1:9", fetch, rateLimiter });
  await Promise.all(Array.from({ length: 30 }, (_, i) => c.deleteConversation({ fromAccount: "u", conversation: { type: "c2c", toAccount: `p${i}` } })));
  assertEqual(sent.length, 30, "every call sent");
  assert(trips <= 3, `${trips} round trips`);
  assert(sent[29] - sent[0] >= 29 * 10 - 20, `spaced 10 ms apart: ${sent[29] - sent[0]}`);
});

Deno.test("a refused connection (Deno's own fetch error) is a network error that says nothing was sent", async () => {
  // A port that was just free: nothing listens there.
  const probe = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (probe.addr as Deno.NetAddr).port;
  probe.close();
  const c = new mod.ConversationClient({ sdkAppId: APP, identifier: "admin", secretKey: KEY, baseUrl: `http://127.0.0.1:${port}`, maxRetries: 0 });
  let error: { name?: string; notSent?: boolean; retryable?: boolean; outcomeUnknown?: boolean } = {};
  await c.createConversationGroup({ fromAccount: "u", groupName: "g", conversations: [] }).catch((e) => (error = e));
  assert(error.name === "TimNetworkError" && error.notSent === true && error.retryable === true && error.outcomeUnknown === undefined, JSON.stringify(error));
});

Deno.test("tim-recentcontact/callbacks in Deno: a signed callback verifies with Web Crypto, a stale one is refused", async () => {
  const { verifyCallback, TimCallbackError } = await import("tim-recentcontact/callbacks");
  const hex = async (text: string) => Array.from(new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text))), (b) => b.toString(16).padStart(2, "0")).join("");
  const url = async (time: number) => `https://app.example/cb?SdkAppid=${APP}&CallbackCommand=State.StateChange&RequestTime=${time}&Sign=${await hex(`tok${time}`)}`;
  const body = JSON.stringify({ CallbackCommand: "State.StateChange", Info: { To_Account: "u", Action: "Login" } });
  const time = Math.floor(Date.now() / 1000);
  const cb = await verifyCallback(new Request(await url(time), { method: "POST", body }), { token: "tok", sdkAppId: APP });
  assertEqual([cb.command, cb.requestTime], ["State.StateChange", time], "verified");
  try {
    await verifyCallback(new Request(await url(time - 120), { method: "POST", body }), { token: "tok", sdkAppId: APP });
    throw new Error("a stale callback verified");
  } catch (e) {
    assert(e instanceof TimCallbackError && e.reason === "stale" && e.status === 401, String(e));
  }
});
