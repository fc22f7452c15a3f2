// The fleet's budget under store faults (issue 25), against a real
// redis-server and 4 Node processes (node-redis and ioredis) firing at one
// HTTP emulator that stamps every arrival. These tests assert safety only —
// at most 200 arrivals in any sliding 1000 ms window, none throttled, no
// call lost — never a rate: a slow machine must not fail them.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import net from "node:net";
import { fleetEmulator, runNodeFleet, COMMAND } from "./fleet.mjs";
import { startRedis, redisServerPath } from "./redis-harness.mjs";

const CEILING = 200;
const fleet = await fleetEmulator();
after(() => fleet.server.close());
const noRedis = redisServerPath() ? false : "redis-server is not installed and scripts/setup.sh could not install it here";

/** Sends one command to Redis on `port` and resolves to its raw answer. */
function redisCommand(port, ...args) {
  return new Promise((resolve, reject) => {
    const s = net.createConnection({ port, host: "127.0.0.1" }, () => s.write(`*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join("")}`));
    s.once("data", (d) => (s.destroy(), resolve(String(d))));
    s.once("error", reject);
  });
}

/** Waits until `n` calls of the fleet reached the emulator. */
async function arrived(n) {
  while (fleet.emulator.requestLog.filter((x) => x.command === COMMAND).length < n) await new Promise((r) => setTimeout(r, 10));
}

function checkSafe(r, calls, label) {
  console.log(`fleet ${label}: most in any second ${r.peak}, throttled ${r.throttled}, requests ${r.requests}, ${r.callsPerSecond.toFixed(1)} calls/s; events ${JSON.stringify(r.results.map((m) => m.events.map((e) => e.type)))}`);
  const summary = JSON.stringify({ ...r, times: undefined, results: r.results.map(({ events, ...m }) => ({ ...m, events: events.map((e) => e.type) })) });
  for (const m of r.results) assert.deepEqual([m.ok, m.failed], [calls, {}], `member ${m.member}: no call lost: ${summary}`);
  assert.equal(r.throttled, 0, `none throttled: ${summary}`);
  assert.ok(r.peak <= CEILING, `at most ${CEILING} in any 1000 ms window: ${summary}`);
}

/**
 * 4 processes × 500 calls through `redis`, with `during` run beside them.
 * The fallback pace is sized as the README says: the fleet's fallback
 * (4 × 2/s) fits in the budget's margin (7 % of 200), because members return
 * to the store one by one and, until the last is back, the fallback's sends
 * and the store's slots overlap. (A fallback that knows the fleet's size is
 * issue 25's open part.)
 */
const fire = (redis, during) =>
  runNodeFleet(fleet, {
    processes: 4,
    calls: 500,
    concurrency: 40,
    limiter: "redis",
    redisUrl: redis.url,
    limiterOptions: { timeoutMs: 300, retryAfterMs: 1000, fallbackRequestsPerSecond: 2 },
    during,
  });

/** Kills Redis once 300 calls arrived and starts it again on its port `pauseMs` later. */
async function restarted(pauseMs) {
  let redis = await startRedis();
  const port = redis.port;
  try {
    return await fire(redis, async () => {
      await arrived(300);
      await redis.kill();
      if (pauseMs > 0) await new Promise((res) => setTimeout(res, pauseMs));
      redis = await startRedis({ port });
    });
  } finally {
    await redis.kill();
  }
}

test("Redis killed and restarted 3 s later: the fleet falls back, comes back, and never exceeds the budget", { skip: noRedis, timeout: 180_000 }, async () => {
  const r = await restarted(3000);
  checkSafe(r, 500, "Redis restarted");
  assert.ok(r.results.every((m) => m.events.some((e) => e.type === "unavailable")), "every member saw Redis go");
});

test("Redis killed and restarted at once (within the limiter's timeout): the slots booked before it are still pending, the new server's budget starts after them", { skip: noRedis, timeout: 180_000 }, async () => {
  checkSafe(await restarted(0), 500, "Redis restarted at once");
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
