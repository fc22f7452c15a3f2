// The fleet's budget under store faults (issue 25), against a real
// redis-server and 4 (or 16) Node processes (node-redis and ioredis), and
// real workerd Durable Objects, firing at one HTTP emulator that stamps
// every arrival. These tests assert safety only —
// at most 200 arrivals in any sliding 1000 ms window, none throttled, no
// call lost — never a rate: a slow machine must not fail them.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { fleetEmulator, runNodeFleet, runWorkerdFleet, arrivedAt } from "./fleet.mjs";
import { startWorkerd } from "./workerd-harness.mjs";
import { startRedis, redisServerPath, redisCommand } from "./redis-harness.mjs";
import { startProxy } from "./tcp-proxy.mjs";

const CEILING = 200;
const fleet = await fleetEmulator();
after(() => fleet.server.close());
const noRedis = redisServerPath() ? false : "redis-server is not installed and scripts/setup.sh could not install it here";

const arrived = (n) => arrivedAt(fleet.emulator, n);

function checkSafe(r, calls, label) {
  console.log(`fleet ${label}: most in any second ${r.peak}, throttled ${r.throttled}, requests ${r.requests}, ${r.callsPerSecond.toFixed(1)} calls/s; events ${JSON.stringify(r.results.map((m) => m.events.map((e) => e.type)))}`);
  const summary = JSON.stringify({ ...r, times: undefined, results: r.results.map(({ events, ...m }) => ({ ...m, events: events.map((e) => e.type) })) });
  for (const m of r.results) assert.deepEqual([m.ok, m.failed], [calls, {}], `member ${m.member}: no call lost: ${summary}`);
  assert.equal(r.throttled, 0, `none throttled: ${summary}`);
  assert.ok(r.peak <= CEILING, `at most ${CEILING} in any 1000 ms window: ${summary}`);
}

/**
 * 4 processes × 500 calls through `redis`, with `during` run beside them.
 * The fallback is each member's share of the budget's margin (the store
 * tells each member how many there are).
 */
const fire = (redis, during, more = {}) =>
  runNodeFleet(fleet, {
    processes: 4,
    calls: 500,
    concurrency: 40,
    limiter: "redis",
    redisUrl: redis.url,
    limiterOptions: { timeoutMs: 300, retryAfterMs: 1000 },
    during,
    ...more,
  });

const sleep = (ms) => new Promise((res) => setTimeout(res, ms));

/** Kills Redis once 300 calls arrived and starts it again on its port `pauseMs` later. */
async function restarted(pauseMs, more) {
  let redis = await startRedis();
  const port = redis.port;
  try {
    return await fire(
      redis,
      async () => {
        await arrived(more?.processes > 4 ? 600 : 300);
        await redis.kill();
        if (pauseMs > 0) await sleep(pauseMs);
        redis = await startRedis({ port });
      },
      more,
    );
  } finally {
    await redis.kill();
  }
}

test("Redis killed and restarted 3 s later: the fleet falls back on its share of the margin, comes back, and never exceeds the budget", { skip: noRedis, timeout: 180_000 }, async () => {
  const r = await restarted(3000);
  checkSafe(r, 500, "Redis restarted");
  for (const m of r.results) {
    const down = m.events.find((e) => e.type === "unavailable");
    assert.ok(down, `member ${m.member} saw Redis go`);
    // Half of the 10 % margin of 200 calls/s, split among the 4 members the store counted.
    assert.deepEqual([down.members, down.fallbackRequestsPerSecond.toFixed(6)], [4, "2.500000"], `member ${m.member}'s fallback is its share: ${JSON.stringify(down)}`);
  }
});

test("Redis killed and restarted at once (within the limiter's timeout): the slots booked before it are still pending, the new server's budget starts after them", { skip: noRedis, timeout: 180_000 }, async () => {
  checkSafe(await restarted(0), 500, "Redis restarted at once");
});

test("16 processes, Redis killed for 3 s: each falls back on a sixteenth of the margin, the budget holds", { skip: noRedis, timeout: 240_000 }, async () => {
  const r = await restarted(3000, { processes: 16, calls: 100, concurrency: 10, limitMs: 200_000 });
  checkSafe(r, 100, "16 processes, Redis restarted");
  assert.ok(r.results.every((m) => m.events.some((e) => e.type === "unavailable" && e.members === 16)), "each member knew the fleet's size");
});

test("Redis loses the budget mid-run (FLUSHALL): the store starts again after the horizon, a member reports the reset, the budget holds", { skip: noRedis, timeout: 180_000 }, async () => {
  const redis = await startRedis();
  try {
    const r = await fire(redis, async () => {
      await arrived(600);
      assert.match(await redisCommand(redis.port, "FLUSHALL"), /^\+OK/);
    });
    checkSafe(r, 500, "Redis flushed");
    assert.ok(r.results.some((m) => m.events.some((e) => e.type === "reset")), "the loss was reported");
  } finally {
    await redis.kill();
  }
});

for (const [name, command] of [
  ["DEBUG SLEEP 2 (the server stalls 2 s, then runs what queued)", ["DEBUG", "SLEEP", "2"]],
  ["CLIENT PAUSE 2000 (every client held 2 s)", ["CLIENT", "PAUSE", "2000"]],
]) {
  test(`Redis stalls: ${name}; the members time out, fall back, the queued scripts book slots nobody uses, the budget holds`, { skip: noRedis, timeout: 180_000 }, async () => {
    const redis = await startRedis({ args: ["--enable-debug-command", "local"] });
    try {
      const r = await fire(redis, async () => {
        await arrived(400);
        assert.match(await redisCommand(redis.port, ...command), /^\+OK/);
      });
      checkSafe(r, 500, name.split(" (")[0]);
    } finally {
      await redis.kill();
    }
  });
}

test("a store 100 ms away (a proxy delays each way 50 ms): slots are asked for ahead of the round trip, none is sent late, the budget holds", { skip: noRedis, timeout: 180_000 }, async () => {
  const redis = await startRedis();
  const proxy = await startProxy(redis.port, { delayMs: 50 });
  try {
    checkSafe(await fire({ url: proxy.url() }), 500, "Redis 100 ms away");
  } finally {
    proxy.close();
    await redis.kill();
  }
});

test("one member cut off from Redis for 3 s (its connection holds every byte): it paces on its share of the margin while the others use the store; the budget holds", { skip: noRedis, timeout: 180_000 }, async () => {
  const redis = await startRedis();
  const proxy = await startProxy(redis.port);
  try {
    const r = await fire(
      redis,
      async () => {
        await arrived(300);
        proxy.partition();
        await sleep(3000);
        proxy.heal();
      },
      { perMember: (i) => (i === 0 ? { redisUrl: proxy.url() } : {}) },
    );
    checkSafe(r, 500, "one member cut off");
    assert.ok(r.results[0].events.some((e) => e.type === "unavailable"), "the member cut off noticed");
  } finally {
    proxy.close();
    await redis.kill();
  }
});

test("one member's wall clock steps back 1 s mid-run: its waits run on a monotonic clock, the budget holds", { skip: noRedis, timeout: 180_000 }, async () => {
  const redis = await startRedis();
  try {
    checkSafe(await fire(redis, undefined, { perMember: (i) => (i === 0 ? { clockStepAtMs: 1500 } : {}) }), 500, "a clock stepped back");
  } finally {
    await redis.kill();
  }
});

// The Durable Object limiter in real workerd: 4 member Workers, the object
// hosted by a fifth, made to fail through the router (fleet-limiter.mjs).
const workerd = await startWorkerd("tests/workerd/fleet.capnp", { limitMs: 900_000 });
after(() => workerd.stop());

/** 4 Workers × 500 calls; `fault` is sent to the object once 600 calls arrived. */
async function objectFault(fault) {
  return runWorkerdFleet(fleet, workerd, {
    members: 4,
    calls: 500,
    concurrency: 40,
    limiterOptions: { timeoutMs: 300, retryAfterMs: 1000 },
    async during() {
      await arrived(600);
      const r = await workerd.fetch("/fault", { method: "POST", body: JSON.stringify({ app: fleet.emulator.credentials.sdkAppId, ...fault }) });
      assert.ok(r.ok, await r.text());
    },
  });
}

for (const [fault, what] of [
  // workerd's in-memory storage goes with the object: the budget is lost too
  // (an object that keeps its storage is in limiter.test.mjs).
  [{ mode: "evict" }, "evicted mid-run with its storage (the members' stubs break; the budget starts again after the horizon, reported)"],
  [{ mode: "throw", ms: 2000 }, "throwing for 2 s"],
  [{ mode: "500", ms: 2000 }, "answering HTTP 500 for 2 s"],
  [{ mode: "hang", ms: 3000 }, "hanging 3 s"],
]) {
  test(`Durable Object ${what}: the budget holds, no call lost`, { timeout: 180_000 }, async () => {
    const r = await objectFault(fault);
    checkSafe(r, 500, `Durable Object ${fault.mode}`);
    if (fault.mode === "evict") assert.ok(r.results.some((m) => m.events.some((e) => e.type === "reset")), "the loss was reported");
    if (fault.ms) assert.ok(r.results.some((m) => m.events.some((e) => e.type === "unavailable")), "the failure was reported");
  });
}
