// The limiters of tim-recentcontact/limiter one by one: their options, the
// local pacing, batching and the server's clock on a real redis-server
// (through node-redis, ioredis and @upstash/redis), the fallback and its
// end, and the Durable Object's grants. The fleets are in fleet.test.mjs.
import { test } from "node:test";
import assert from "node:assert/strict";
import http from "node:http";
import { createClient } from "redis";
import IORedis from "ioredis";
import { Redis as Upstash } from "@upstash/redis";
import { TimValidationError, ConversationClient } from "tim-recentcontact";
import { LocalRateLimiter, RedisRateLimiter, DurableObjectRateLimiter, RateLimiterDurableObject } from "tim-recentcontact/limiter";
import { startRedis, redisServerPath } from "./redis-harness.mjs";

const APP = 1400000000;
const noRedis = redisServerPath() ? false : "redis-server is not installed and scripts/setup.sh could not install it here";

const isValidation = (field) => (e) => {
  assert.ok(e instanceof TimValidationError, `${e}`);
  assert.equal(e.field, field, e.message);
  return true;
};

test("bad options are TimValidationErrors naming the field", async () => {
  const ns = { idFromName: () => 1, get: () => ({ fetch: async () => Response.json({ waitMs: 0 }) }) };
  const cases = [
    [() => new RedisRateLimiter(null, { sdkAppId: APP }), "redis"],
    [() => new RedisRateLimiter({}, { sdkAppId: APP }), "redis"],
    [() => new RedisRateLimiter(async () => 0, {}), "sdkAppId"],
    [() => new RedisRateLimiter(async () => 0, { sdkAppId: 0 }), "sdkAppId"],
    [() => new RedisRateLimiter(async () => 0, { sdkAppId: APP, keyPrefix: "" }), "keyPrefix"],
    [() => new RedisRateLimiter(async () => 0, { sdkAppId: APP, batch: 0 }), "batch"],
    [() => new RedisRateLimiter(async () => 0, { sdkAppId: APP, margin: 0.9 }), "margin"],
    [() => new RedisRateLimiter(async () => 0, { sdkAppId: APP, timeoutMs: 0 }), "timeoutMs"],
    [() => new RedisRateLimiter(async () => 0, { sdkAppId: APP, maxRequestsPerSecond: NaN }), "maxRequestsPerSecond"],
    [() => new RedisRateLimiter(async () => 0, { sdkAppId: APP, onEvent: "log" }), "onEvent"],
    [() => new RedisRateLimiter(async () => 0, { sdkAppID: APP }), "sdkAppID"],
    [() => new RedisRateLimiter(async () => 0, "app"), "RedisRateLimiter options"],
    [() => new DurableObjectRateLimiter({}, { sdkAppId: APP }), "namespace"],
    [() => new DurableObjectRateLimiter(ns, { sdkAppId: APP, keyPrefix: "x" }), "keyPrefix"],
    [() => new LocalRateLimiter({ maxRequestsPerSecond: 0 }), "maxRequestsPerSecond"],
  ];
  for (const [make, field] of cases) assert.throws(make, isValidation(field));
  const l = new RedisRateLimiter(async () => 0, { sdkAppId: APP });
  await assert.rejects(l.acquire("", {}), isValidation("command"));
  await assert.rejects(l.acquire("v4/recentcontact/delete", {}), isValidation("command"));
  assert.throws(() => new LocalRateLimiter().penalize(5), isValidation("command"));
});

test("LocalRateLimiter: calls leave one interval apart; an abort rejects with its reason and gives its place back", async () => {
  const l = new LocalRateLimiter({ maxRequestsPerSecond: 100, margin: 0 });
  const t0 = Date.now();
  const times = await Promise.all(Array.from({ length: 11 }, () => l.acquire("delete").then(() => Date.now() - t0)));
  assert.ok(times[0] < 10, `the first goes at once: ${times}`);
  assert.ok(times[10] >= 99, `the eleventh waits ten intervals: ${times}`);
  // Another command has its own queue.
  const other = Date.now();
  await l.acquire("get_list");
  assert.ok(Date.now() - other < 10);
  const ac = new AbortController();
  const reason = new Error("user left");
  const waiting = l.acquire("delete", { signal: ac.signal });
  ac.abort(reason);
  await assert.rejects(waiting, (e) => e === reason);
  await assert.rejects(l.acquire("delete", { signal: ac.signal }), (e) => e === reason);
});

test("a shared limiter that cannot reach its store reports it once, paces on its share of the margin, and takes the store's slots again when it answers", async () => {
  let up = false;
  let asked = 0;
  const events = [];
  // Answers like the Redis script: wait 0, its clock, all granted, not fresh, 5 members.
  const store = async (script, keys, args) => {
    asked++;
    if (!up) throw new Error("connection refused");
    return [0, Date.now() * 1000, Number(args[0]), 0, 5];
  };
  const l = new RedisRateLimiter(store, { sdkAppId: APP, margin: 0.5, retryAfterMs: 1000, fallbackRequestsPerSecond: 50, onEvent: (e) => events.push(e) });
  // Never heard from the store: a quarter of half the margin (200 × 0.5 / 2 / 4 = 12.5/s), under the cap.
  assert.equal(l.fallbackRequestsPerSecond, 12.5);
  const t0 = Date.now();
  await Promise.all(Array.from({ length: 10 }, () => l.acquire("delete")));
  assert.ok(l.degraded);
  assert.deepEqual(events.map((e) => [e.type, e.fallbackRequestsPerSecond, e.members]), [["unavailable", 12.5, undefined]]);
  assert.equal(asked, 1, "one failed round trip for the whole burst");
  assert.ok(Date.now() - t0 >= 9 * 80 - 5, `paced at 12.5/s: ${Date.now() - t0} ms`);
  // Calls still queued on the fallback when retryAfterMs is over try the store; it answers now.
  up = true;
  const t1 = Date.now();
  await Promise.all(Array.from({ length: 40 }, () => l.acquire("delete")));
  // (On the fallback alone, 40 calls at 12.5/s take at least 39 × 80 ms.)
  assert.ok(Date.now() - t1 < 39 * 80, `the queue left the fallback when the store answered: ${Date.now() - t1} ms`);
  assert.ok(!l.degraded);
  assert.deepEqual(events.map((e) => e.type), ["unavailable", "restored"]);
  // The store counted 5 members: the share is a fifth of half the margin from now on.
  assert.equal(l.fallbackRequestsPerSecond, 10);
  up = false;
  await new Promise((r) => setTimeout(r, 20));
  await l.acquire("get_list");
  assert.deepEqual([events.at(-1).type, events.at(-1).fallbackRequestsPerSecond, events.at(-1).members], ["unavailable", 10, 5]);
  // A cap below the share wins.
  assert.equal(new RedisRateLimiter(store, { sdkAppId: APP, fallbackRequestsPerSecond: 2, onEvent() {} }).fallbackRequestsPerSecond, 2);
  // A store that never answers is given up on after timeoutMs.
  const hang = new RedisRateLimiter(() => new Promise(() => {}), { sdkAppId: APP, timeoutMs: 50, onEvent: () => {} });
  const t2 = Date.now();
  await hang.acquire("delete");
  assert.ok(Date.now() - t2 < 1000 && hang.degraded);
});

test("Redis: one round trip per batch of waiting calls (and one per wait while the store is booked half a horizon ahead), slots spaced from the server's clock, penalize holds the fleet back a second", { skip: noRedis, timeout: 60_000 }, async () => {
  const redis = await startRedis();
  const client = createClient({ url: redis.url });
  client.on("error", () => {});
  await client.connect();
  try {
    let trips = 0;
    const counted = (script, keys, args) => (trips++, client.eval(script, { keys, arguments: args }));
    const l = new RedisRateLimiter(counted, { sdkAppId: APP, keyPrefix: "batch", maxRequestsPerSecond: 100, margin: 0, batch: 20 });
    const t0 = Date.now();
    const times = await Promise.all(Array.from({ length: 100 }, () => l.acquire("delete").then(() => Date.now() - t0)));
    // A fresh key starts one horizon (500 ms) ahead; then grants of 20 while
    // the budget is booked less than 250 ms ahead, and a wait in between.
    assert.ok(trips <= 12, `${trips} round trips for 100 calls`);
    const ahead = Number(await client.get(`batch:${APP}:delete`)) / 1000 - Date.now();
    assert.ok(ahead <= 500, `never booked more than the horizon ahead: ${ahead} ms`);
    times.sort((a, b) => a - b);
    assert.ok(times[99] >= 990 - 5, `100 calls at 100/s take 99 intervals: ${times[99]}`);
    // Two limiters (two processes' worth) share the key.
    const a = new RedisRateLimiter(client, { sdkAppId: APP, keyPrefix: "two", maxRequestsPerSecond: 50, margin: 0 });
    const b = new RedisRateLimiter(client, { sdkAppId: APP, keyPrefix: "two", maxRequestsPerSecond: 50, margin: 0 });
    const t1 = Date.now();
    await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? a : b).acquire("delete")));
    assert.ok(Date.now() - t1 >= 9 * 20 - 5, "ten calls from two limiters are spaced as one queue");
    a.penalize("delete");
    await new Promise((r) => setTimeout(r, 20));
    const t2 = Date.now();
    await b.acquire("delete");
    assert.ok(Date.now() - t2 >= 900, `after penalize the next call waits about a second: ${Date.now() - t2}`);
  } finally {
    await client.quit().catch(() => {});
    await redis.kill();
  }
});

test("Redis: the client objects of ioredis and @upstash/redis (through a REST front to the same server) are used as they are", { skip: noRedis, timeout: 60_000 }, async () => {
  const redis = await startRedis();
  const backend = createClient({ url: redis.url });
  backend.on("error", () => {});
  await backend.connect();
  // Upstash's REST protocol, served from the real redis-server.
  const run = async (cmd) => {
    try {
      const result = await backend.sendCommand(cmd.map(String));
      return { result: typeof result === "string" ? Buffer.from(result).toString("base64") : result };
    } catch (e) {
      return { error: e.message };
    }
  };
  const rest = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", async () => {
      const parsed = JSON.parse(body);
      const out = req.url === "/pipeline" ? await Promise.all(parsed.map(run)) : await run(parsed);
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify(out));
    });
  });
  await new Promise((r) => rest.listen(0, "127.0.0.1", r));
  const io = new IORedis(redis.url);
  try {
    const upstash = new Upstash({ url: `http://127.0.0.1:${rest.address().port}`, token: "test", enableTelemetry: false });
    for (const [name, c] of [["ioredis", io], ["upstash", upstash]]) {
      const l = new RedisRateLimiter(c, { sdkAppId: APP, keyPrefix: name, maxRequestsPerSecond: 100, margin: 0, onEvent: (e) => assert.fail(`${name}: ${e.type} ${e.message}`) });
      const t0 = Date.now();
      await Promise.all(Array.from({ length: 20 }, () => l.acquire("delete")));
      assert.ok(Date.now() - t0 >= 190 - 5, `${name}: 20 calls at 100/s`);
      assert.ok(Number(await backend.get(`${name}:${APP}:delete`)) > 0, `${name}: the budget lives in Redis`);
    }
  } finally {
    io.disconnect();
    rest.close();
    await backend.quit().catch(() => {});
    await redis.kill();
  }
});

/** A Durable Object's `state.storage`, in memory. */
function memoryStorage(entries = []) {
  const m = new Map(entries);
  return { map: m, get: async (k) => m.get(k), put: async (k, v) => void m.set(k, v) };
}

test("RateLimiterDurableObject grants slots one interval apart per command, within the horizon, pauses after penalize, and keeps its budget in storage", async () => {
  // A budget in storage from before (an eviction): no wait.
  const storage = memoryStorage([["next:delete", 0], ["next:get_list", 0]]);
  const d = new RateLimiterDurableObject({ storage }, {});
  const ask = async (body) => {
    const r = await d.fetch(new Request("https://x/grant", { method: "POST", body: JSON.stringify(body) }));
    return r.ok ? r.json() : r.status;
  };
  const grant = async (body) => {
    const r = await ask(body);
    return typeof r === "number" ? r : r.waitMs;
  };
  assert.equal(await grant({ command: "delete", count: 3, intervalMs: 10, pauseMs: 1000 }), 0);
  const w = await grant({ command: "delete", count: 1, intervalMs: 10, pauseMs: 1000 });
  assert.ok(w > 20 && w <= 30, `${w}`);
  assert.ok(storage.map.get("next:delete") > Date.now(), "the next free slot is stored");
  assert.equal(await grant({ command: "get_list", count: 1, intervalMs: 10, pauseMs: 1000 }), 0);
  await grant({ command: "get_list", count: 0, intervalMs: 10, pauseMs: 1000 });
  assert.ok((await grant({ command: "get_list", count: 1, intervalMs: 10, pauseMs: 1000 })) > 990);
  assert.equal(await grant({ command: "delete", count: -1, intervalMs: 10, pauseMs: 0 }), 400);
  assert.equal(await d.fetch(new Request("https://x/grant", { method: "POST", body: "{" })).then((r) => r.status), 400);
  // At most half the horizon (250 ms) in one grant, none while booked past it.
  const big = await ask({ command: "mark_contact", count: 1000, intervalMs: 1, pauseMs: 0, horizonMs: 500 });
  assert.deepEqual([big.fresh, big.granted, big.waitMs], [true, 0, 500], "nothing stored: it starts after the horizon");
  // An evicted object (a new instance on the same storage) picks up where it was.
  const again = new RateLimiterDurableObject({ storage }, {});
  const r = await again.fetch(new Request("https://x/grant", { method: "POST", body: JSON.stringify({ command: "delete", count: 1, intervalMs: 10, pauseMs: 0 }) })).then((x) => x.json());
  assert.equal(r.fresh, false);
  assert.ok(r.waitMs > 20, `after the slots handed out before the eviction: ${r.waitMs}`);
  // Members are counted per command; a slot is asked for a round trip ahead (leadMs).
  const m = (member, leadMs = 0) => again.fetch(new Request("https://x/grant", { method: "POST", body: JSON.stringify({ command: "get_msg", count: 1, intervalMs: 10, pauseMs: 0, member, leadMs }) })).then((x) => x.json());
  await m("a");
  assert.equal((await m("b")).members, 2);
  assert.equal((await m("a")).members, 2, "a member that asks again is counted once");
  const ahead = await m("c", 100);
  assert.deepEqual([ahead.members, ahead.waitMs >= 100], [3, true], JSON.stringify(ahead));
});

test("DurableObjectRateLimiter asks the object for slots in batches and the client sends when it grants", async () => {
  const object = new RateLimiterDurableObject({ storage: memoryStorage([["next:delete", 0]]) }, {});
  let trips = 0;
  const ns = { idFromName: (n) => n, get: () => ({ fetch: (url, init) => (trips++, object.fetch(new Request(url, init))) }) };
  const sent = [];
  const l = new DurableObjectRateLimiter(ns, { sdkAppId: APP, maxRequestsPerSecond: 200, batch: 20 });
  const c = new ConversationClient({ sdkAppId: APP, identifier: "admin", secretKey: "k", baseUrl: "http://127.0.0.1:9", rateLimiter: l, fetch: async () => (sent.push(Date.now()), Response.json({ ActionStatus: "OK", ErrorCode: 0, ErrorInfo: "" })) });
  await Promise.all(Array.from({ length: 60 }, (_, i) => c.deleteConversation({ fromAccount: "u", conversation: { type: "c2c", toAccount: `p${i}` } })));
  assert.equal(sent.length, 60);
  assert.ok(trips <= 5, `${trips} round trips for 60 calls`);
  // Each send within LATE_MS (20 ms) after its slot.
  assert.ok(sent.at(-1) - sent[0] >= 59 * l.intervalMs - 20, `spaced one interval apart: ${sent.at(-1) - sent[0]}`);
});

test("Redis: the script runs by its SHA-1 (EVALSHA) and is sent whole only when the server does not know it (NOSCRIPT: a new server, SCRIPT FLUSH)", { skip: noRedis, timeout: 60_000 }, async () => {
  const redis = await startRedis();
  const nr = createClient({ url: redis.url });
  nr.on("error", () => {});
  await nr.connect();
  const io = new IORedis(redis.url);
  const stats = async () => {
    const info = await nr.sendCommand(["INFO", "commandstats"]);
    const calls = (name) => Number(new RegExp(`cmdstat_${name}:calls=(\\d+)`).exec(info)?.[1] ?? 0);
    return { eval: calls("eval"), evalsha: calls("evalsha") };
  };
  try {
    for (const [name, c] of [["node-redis", nr], ["ioredis", io]]) {
      const events = [];
      const l = new RedisRateLimiter(c, { sdkAppId: APP, keyPrefix: name, onEvent: (e) => events.push(e.type) });
      const before = await stats();
      for (let i = 0; i < 5; i++) await l.acquire("delete");
      await nr.sendCommand(["SCRIPT", "FLUSH"]);
      for (let i = 0; i < 5; i++) await l.acquire("delete");
      const after = await stats();
      assert.deepEqual(events, [], name);
      // Ten round trips by SHA-1 (a flush makes one of them NOSCRIPT), and the
      // whole script at most once per server state (the first, and after the flush).
      assert.ok(after.evalsha - before.evalsha >= 10, `${name}: ${JSON.stringify([before, after])}`);
      assert.ok(after.eval - before.eval <= 2, `${name}: ${JSON.stringify([before, after])}`);
    }
  } finally {
    io.disconnect();
    await nr.quit().catch(() => {});
    await redis.kill();
  }
});

test("Redis Cluster (3 masters): each command's two keys share a slot, so the script runs through ioredis's and node-redis's cluster clients; members are counted", { skip: noRedis, timeout: 120_000 }, async () => {
  const { startRedisCluster } = await import("./redis-harness.mjs");
  const cluster = await startRedisCluster();
  const { createCluster } = await import("redis");
  const nr = createCluster({ rootNodes: cluster.nodes.map((n) => ({ url: `redis://${n.host}:${n.port}` })) });
  nr.on("error", () => {});
  await nr.connect();
  const io = new IORedis.Cluster(cluster.nodes);
  try {
    for (const [name, c, prefix] of [["node-redis", nr, "tim-recentcontact"], ["ioredis", io, "{tim}"]]) {
      const events = [];
      const a = new RedisRateLimiter(c, { sdkAppId: APP, keyPrefix: prefix, onEvent: (e) => events.push(`${e.type} ${e.message ?? ""}`) });
      const b = new RedisRateLimiter(c, { sdkAppId: APP, keyPrefix: prefix, onEvent: (e) => events.push(`${e.type} ${e.message ?? ""}`) });
      // Commands whose keys land on different nodes.
      for (const command of ["delete", "get_list", "mark_contact", "create_contact_group", "search_contact_group"]) {
        await Promise.all([a.acquire(command), b.acquire(command)]);
      }
      assert.deepEqual(events, [], name);
      // Both limiters are members of the fleet now: a cut-off one would fall back on half of half the margin (200 × 0.1 / 2 / 2).
      assert.equal(a.fallbackRequestsPerSecond.toFixed(6), (5).toFixed(6), name);
    }
  } finally {
    await io.quit().catch(() => {});
    await nr.close?.().catch?.(() => {});
    await cluster.kill();
  }
});

test("keyPrefix may hold a Redis Cluster hash tag, but no stray brace", () => {
  for (const prefix of ["{tim}", "a{b}c", "x{"]) new RedisRateLimiter(async () => 0, { sdkAppId: APP, keyPrefix: prefix });
  for (const prefix of ["a}b", "{}x}"]) assert.throws(() => new RedisRateLimiter(async () => 0, { sdkAppId: APP, keyPrefix: prefix }), isValidation("keyPrefix"));
});

test("Redis 300 ms away: slots are asked for a round trip ahead (none arrives stale), more per trip, and the limiter says once that it cannot keep up", { skip: noRedis, timeout: 60_000 }, async () => {
  const redis = await startRedis();
  const client = createClient({ url: redis.url });
  client.on("error", () => {});
  await client.connect();
  try {
    const far = async (script, keys, args) => {
      await new Promise((r) => setTimeout(r, 150));
      const answer = await client.eval(script, { keys, arguments: args });
      await new Promise((r) => setTimeout(r, 150));
      return answer;
    };
    const events = [];
    let trips = 0;
    const l = new RedisRateLimiter((...a) => (trips++, far(...a)), { sdkAppId: APP, keyPrefix: "far", onEvent: (e) => events.push(e) });
    const sent = [];
    await Promise.all(Array.from({ length: 120 }, () => l.acquire("delete").then(() => sent.push(performance.now()))));
    const slow = events.filter((e) => e.type === "slow");
    assert.equal(slow.length, 1, JSON.stringify(events));
    assert.ok(slow[0].roundTripMs >= 290 && slow[0].maxRequestsPerSecond < 186, JSON.stringify(slow[0]));
    // Each trip brought up to 46 slots (250 ms of them), not batch's 20.
    assert.ok(trips <= 6, `${trips} round trips for 120 calls`);
    // Never early: the last send is at or after its slot, the first at most 20 ms late.
    sent.sort((a, b) => a - b);
    assert.ok(sent.at(-1) - sent[0] >= 119 * l.intervalMs - 20, `spaced: ${sent.at(-1) - sent[0]} ms`);
  } finally {
    await client.quit().catch(() => {});
    await redis.kill();
  }
});

test("Valkey: the same script through node-redis and ioredis — two limiters share one budget, EVALSHA after the first, members counted", { skip: redisServerPath("valkey-server") ? false : "valkey-server is not installed (Debian ships it from trixie on; scripts/setup.sh installs it where apt has it)", timeout: 60_000 }, async () => {
  const valkey = await startRedis({ server: "valkey-server" });
  const nr = createClient({ url: valkey.url });
  nr.on("error", () => {});
  await nr.connect();
  const io = new IORedis(valkey.url);
  try {
    const events = [];
    const a = new RedisRateLimiter(nr, { sdkAppId: APP, maxRequestsPerSecond: 50, margin: 0, onEvent: (e) => events.push(e.type) });
    const b = new RedisRateLimiter(io, { sdkAppId: APP, maxRequestsPerSecond: 50, margin: 0, onEvent: (e) => events.push(e.type) });
    await Promise.all([a.acquire("delete"), b.acquire("delete")]);
    const t0 = Date.now();
    await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? a : b).acquire("delete")));
    assert.ok(Date.now() - t0 >= 9 * 20 - 5, `ten calls of two limiters are spaced as one queue: ${Date.now() - t0} ms`);
    assert.deepEqual(events, []);
    assert.equal(a.fallbackRequestsPerSecond, 0.01, "margin 0: no room for a fallback, the least pace");
    const info = await nr.sendCommand(["INFO", "commandstats"]);
    assert.match(info, /cmdstat_evalsha:calls=\d+/);
    assert.equal(await nr.sendCommand(["ZCARD", `{tim-recentcontact:${APP}:delete}:members`]), 2);
  } finally {
    io.disconnect();
    await nr.quit().catch(() => {});
    await valkey.kill();
  }
});
