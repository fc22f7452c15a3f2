// The package in Bun (run by `npm test` with the devDependency's bun: `bun
// test ./tests/bun`): resolved through its exports as Bun resolves them
// (the "bun" condition: bun.js, whose .wasm import Bun's bundler copies or
// embeds), the conformance suite every runtime runs, one
// instance through `import` and `require`, and the default transport
// against Bun.serve. (tests/js/node.test.mjs's parity checks need
// tls-sig-api-v2, whose package.json names its "main" twice: Bun reads the
// first, a file that does not exist.)
import { test, expect } from "bun:test";
import { createRequire } from "node:module";
import * as mod from "tim-recentcontact";
import { cases, APP, KEY } from "../js/suite.mjs";

const require = createRequire(import.meta.url);

test("the package resolves to its Bun entries", () => {
  expect(import.meta.resolve("tim-recentcontact")).toEndWith("/bun.js");
  expect(import.meta.resolve("tim-recentcontact/emulator")).toEndWith("/emulator/bun.js");
});

for (const [name, fn] of cases) test(name, () => fn(mod), 60_000);

test("require() and import share one instance and one set of classes", () => {
  const cjs = require("tim-recentcontact");
  expect(cjs.ConversationClient).toBe(mod.ConversationClient);
  expect(cjs.TimError).toBe(mod.TimError);
  expect(() => new cjs.ConversationClient({})).toThrow(mod.TimValidationError);
});

/** Bun.serve on 127.0.0.1 answering from `answer`, recording requests; stops after 60 s. */
function server(answer) {
  const seen = [];
  const s = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    async fetch(req) {
      const body = await req.text();
      seen.push({ method: req.method, url: new URL(req.url), type: req.headers.get("content-type"), body });
      const [status, text] = answer();
      return new Response(text, { status, headers: { "content-type": "application/json" } });
    },
  });
  const timer = setTimeout(() => s.stop(true), 60_000);
  return { url: `http://127.0.0.1:${s.port}`, seen, close: () => (clearTimeout(timer), s.stop(true)) };
}

test("the default transport POSTs JSON to a real HTTP server", async () => {
  const srv = server(() => [200, JSON.stringify({ GroupItem: [{ GroupName: "g", GroupId: 9 }], ActionStatus: "OK", ErrorCode: 0, ErrorInfo: "" })]);
  try {
    const c = new mod.ConversationClient({ sdkAppId: APP, identifier: "admin", secretKey: KEY, baseUrl: srv.url });
    expect(await c.deleteConversationGroup({ fromAccount: "u", groupName: "g" })).toEqual({ groupName: "g", groupId: 9 });
    const req = srv.seen[0];
    expect(req.method).toBe("POST");
    expect(req.url.pathname).toBe("/v4/recentcontact/del_contact_group");
    expect(req.type).toBe("application/json");
    expect(JSON.parse(req.body)).toEqual({ From_Account: "u", GroupName: ["g"] });
    expect(req.url.searchParams.get("sdkappid")).toBe(String(APP));
  } finally {
    srv.close();
  }
});

test("HTTP errors are retried once and refused connections are network errors", async () => {
  const srv = server(() => [503, "unavailable"]);
  const c = new mod.ConversationClient({ sdkAppId: APP, identifier: "admin", secretKey: KEY, baseUrl: srv.url, maxRetries: 1 });
  const e = await c.deleteConversation({ fromAccount: "u", conversation: { type: "c2c", toAccount: "x" } }).catch((x) => x);
  expect(e).toBeInstanceOf(mod.TimHttpError);
  expect(e.status).toBe(503);
  expect(srv.seen.length).toBe(2);
  srv.close();
  const gone = new mod.ConversationClient({ sdkAppId: APP, identifier: "admin", secretKey: KEY, baseUrl: srv.url, maxRetries: 0 });
  const down = await gone.deleteConversation({ fromAccount: "u", conversation: { type: "c2c", toAccount: "x" } }).catch((x) => x);
  expect(down).toBeInstanceOf(mod.TimNetworkError);
});

test("a timeout aborts the default transport's request", async () => {
  const hang = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: () => new Promise(() => {}) });
  try {
    const c = new mod.ConversationClient({ sdkAppId: APP, identifier: "admin", secretKey: KEY, baseUrl: `http://127.0.0.1:${hang.port}`, timeoutMs: 100 });
    const e = await c.createConversationGroup({ fromAccount: "u", groupName: "g", conversations: [] }).catch((x) => x);
    expect(e).toBeInstanceOf(mod.TimTimeoutError);
  } finally {
    hang.stop(true);
  }
});

test("tim-recentcontact/callbacks in Bun: a signed callback verifies with Web Crypto, a forged and a stale one are refused", async () => {
  const { verifyCallback, callbackSign, TimCallbackError } = await import("tim-recentcontact/callbacks");
  const url = async (time, sign) => `https://app.example/cb?SdkAppid=${APP}&CallbackCommand=State.StateChange&RequestTime=${time}&Sign=${sign ?? (await callbackSign("tok", time))}`;
  const body = JSON.stringify({ CallbackCommand: "State.StateChange", Info: { To_Account: "u", Action: "Login" } });
  const time = Math.floor(Date.now() / 1000);
  // callbackSign is the service's Sign: hex SHA-256 of the token and the time.
  const hex = new Bun.CryptoHasher("sha256").update(`tok${time}`).digest("hex");
  expect(await callbackSign("tok", time)).toBe(hex);
  const cb = await verifyCallback(new Request(await url(time), { method: "POST", body }), { token: "tok", sdkAppId: APP });
  expect([cb.command, cb.requestTime]).toEqual(["State.StateChange", time]);
  for (const [u, reason] of [[await url(time, "0".repeat(64)), "bad-signature"], [await url(time - 120), "stale"]]) {
    const e = await verifyCallback(new Request(u, { method: "POST", body }), { token: "tok", sdkAppId: APP }).catch((x) => x);
    expect(e).toBeInstanceOf(TimCallbackError);
    expect([e.reason, e.status]).toEqual([reason, 401]);
  }
});
