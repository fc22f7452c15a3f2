// The fleet's budget under faults, as figures (issue 25's table): peak (most
// arrivals at the service in any sliding 1000 ms window; ceiling 200),
// throttled answers, failed calls and calls/s, for a build's package.
//
//   node bench/fleet-faults.mjs [pkgDir] [--only=name,name]
//
// pkgDir defaults to this checkout's pkg/; another build's (e.g. a worktree
// of 0.2) runs its Redis rows only: the Durable Object rows use workerd's
// config, which embeds this checkout's pkg/. Limiter options as in the fault
// tests: timeoutMs 300, retryAfterMs 1000; the rest are defaults (so 0.2
// falls back at 20/s per process, this build at its share of half the margin).
// Also: a store 20 and 100 ms away (throughput), and fairness — a light
// member (5 calls/s) beside a heavy one (3,000 calls fired at once).
import { resolve } from "node:path";
import { fleetEmulator, runNodeFleet, runWorkerdFleet, arrivedAt } from "../tests/js/fleet.mjs";
import { startRedis, redisServerPath, redisCommand } from "../tests/js/redis-harness.mjs";
import { startWorkerd } from "../tests/js/workerd-harness.mjs";
import { startProxy } from "../tests/js/tcp-proxy.mjs";

const args = process.argv.slice(2);
const pkgArg = args.find((a) => !a.startsWith("--"));
const pkg = pkgArg ? resolve(pkgArg) : undefined;
const only = args.find((a) => a.startsWith("--only="))?.slice(7).split(",");
const wanted = (name) => !only || only.includes(name);

if (!redisServerPath()) {
  console.log("fleet faults: redis-server is not installed (scripts/setup.sh installs it); skipped");
  process.exit(0);
}

const fleet = await fleetEmulator();
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const arrived = (n) => arrivedAt(fleet.emulator, n);

const OPTIONS = { timeoutMs: 300, retryAfterMs: 1000 };
const fire = (url, more = {}) =>
  runNodeFleet(fleet, { processes: 4, calls: 500, concurrency: 40, limiter: "redis", redisUrl: url, limiterOptions: OPTIONS, limitMs: 300_000, ...more, perMember: (i) => ({ pkg, ...more.perMember?.(i) }) });

function row(name, r) {
  const failed = r.results.reduce((n, m) => n + Object.values(m.failed).reduce((a, b) => a + b, 0), 0);
  console.log(`| ${name} | ${r.peak} | ${r.throttled} | ${failed} | ${r.callsPerSecond.toFixed(1)} |`);
}

console.log(`fleet faults, ${pkg ?? "pkg/"} (node bench/fleet-faults.mjs${pkgArg ? ` ${pkgArg}` : ""}):`);
console.log("| fault | peak | throttled | calls failed | calls/s |");
console.log("|---|---|---|---|---|");

async function withRedis(fn, opts) {
  const redis = await startRedis(opts);
  try {
    return await fn(redis);
  } finally {
    await redis.kill();
  }
}

if (wanted("none")) row("none: Redis, 4 × 500", await withRedis((redis) => fire(redis.url)));
for (const [name, pauseMs] of [
  ["restart3s", 3000],
  ["restart0", 0],
]) {
  if (!wanted(name)) continue;
  let redis = await startRedis();
  const port = redis.port;
  const r = await fire(redis.url, {
    async during() {
      await arrived(300);
      await redis.kill();
      await sleep(pauseMs);
      redis = await startRedis({ port });
    },
  });
  await redis.kill();
  row(pauseMs ? "Redis killed, restarted 3 s later" : "Redis killed, restarted at once", r);
}
for (const [name, command] of [
  ["sleep", ["DEBUG", "SLEEP", "2"]],
  ["pause", ["CLIENT", "PAUSE", "2000"]],
  ["flush", ["FLUSHALL"]],
]) {
  if (!wanted(name)) continue;
  const r = await withRedis(
    (redis) =>
      fire(redis.url, {
        async during() {
          await arrived(400);
          await redisCommand(redis.port, ...command);
        },
      }),
    { args: ["--enable-debug-command", "local"] },
  );
  row(command.join(" "), r);
}
if (wanted("sixteen")) {
  // 16 processes; Redis killed once 600 calls arrived, never back.
  const redis = await startRedis();
  const r = await fire(redis.url, {
    processes: 16,
    calls: 60,
    concurrency: 10,
    async during() {
      await arrived(600);
      await redis.kill();
    },
  });
  row("16 processes × 60, Redis killed for good at 600", r);
}
if (wanted("partition")) {
  const r = await withRedis(async (redis) => {
    const proxy = await startProxy(redis.port);
    try {
      return await fire(redis.url, {
        perMember: (i) => (i === 0 ? { redisUrl: proxy.url() } : {}),
        async during() {
          await arrived(300);
          proxy.partition();
          await sleep(3000);
          proxy.heal();
        },
      });
    } finally {
      proxy.close();
    }
  });
  row("one member cut off from Redis for 3 s", r);
}
if (wanted("clock")) row("one member's wall clock steps back 1 s", await withRedis((redis) => fire(redis.url, { perMember: (i) => (i === 0 ? { clockStepAtMs: 1500 } : {}) })));
for (const oneWay of [10, 50]) {
  if (!wanted(`far${oneWay * 2}`)) continue;
  const r = await withRedis(async (redis) => {
    const proxy = await startProxy(redis.port, { delayMs: oneWay });
    try {
      return await fire(proxy.url());
    } finally {
      proxy.close();
    }
  });
  row(`Redis ${oneWay * 2} ms away (round trip)`, r);
}
if (wanted("fair")) {
  // Member 0 fires 3,000 at once; member 1 makes one call every 200 ms.
  const r = await withRedis((redis) =>
    fire(redis.url, { processes: 2, calls: 3000, concurrency: 3000, perMember: (i) => (i === 1 ? { calls: 50, everyMs: 200 } : {}) }),
  );
  row("fairness: 3,000 at once beside 5 calls/s", r);
  console.log(`  the light member's calls took p50 ${r.results[1].p50Ms} ms, p99 ${r.results[1].p99Ms} ms (goal p99 ≤ 2,000 ms)`);
}
if (!pkg && wanted("do")) {
  const workerd = await startWorkerd("tests/workerd/fleet.capnp", { limitMs: 600_000 });
  try {
    for (const fault of [{ mode: "evict" }, { mode: "throw", ms: 2000 }, { mode: "500", ms: 2000 }, { mode: "hang", ms: 3000 }]) {
      const r = await runWorkerdFleet(fleet, workerd, {
        members: 4,
        calls: 500,
        concurrency: 40,
        limiterOptions: OPTIONS,
        async during() {
          await arrived(600);
          await workerd.fetch("/fault", { method: "POST", body: JSON.stringify({ app: fleet.emulator.credentials.sdkAppId, ...fault }) });
        },
      });
      row(`Durable Object ${fault.mode}${fault.ms ? ` for ${fault.ms / 1000} s` : " (storage goes too)"}`, r);
    }
  } finally {
    workerd.stop();
  }
}
await fleet.server.close();
