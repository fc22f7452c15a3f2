// Fleets of clients against one HTTP emulator, for the fleet tests and the
// bench: N Node processes (tests/js/fleet-member.mjs) or N workerd Workers
// (tests/workerd/fleet.capnp) fire calls of one command together; the
// figures come from the emulator's log of arrivals (arrivals in workloads.mjs).
import { spawn } from "node:child_process";
import { setPriority } from "node:os";
import { fileURLToPath } from "node:url";
import { createEmulator } from "tim-recentcontact/emulator";
import { arrivals } from "./workloads.mjs";

const MEMBER = fileURLToPath(new URL("./fleet-member.mjs", import.meta.url));
export const COMMAND = "delete";

/** Resolves once `n` calls of the fleet's command reached `emulator`. */
export async function arrivedAt(emulator, n) {
  while (emulator.requestLog.filter((x) => x.command === COMMAND).length < n) await new Promise((r) => setTimeout(r, 10));
}

/**
 * `workerd.fetch(path, init)`, failing after `ms` with what the emulator saw
 * by then: a hung fleet is a failure that says how far it got, not a
 * test's silent timeout.
 */
export async function fetchWithin(workerd, emulator, path, init, ms = 100_000) {
  const signal = AbortSignal.timeout(ms);
  try {
    return await workerd.fetch(path, { ...init, signal });
  } catch (e) {
    if (!signal.aborted) throw e;
    const seen = emulator.requestLog.filter((x) => x.command === COMMAND).length;
    throw new Error(`workerd did not answer ${path} within ${ms} ms; the emulator had seen ${seen} calls`, { cause: e });
  }
}

/** An emulator listening on loopback that records every request. */
export async function fleetEmulator() {
  const emulator = createEmulator({ recordRequests: true });
  const server = await emulator.listen({ stopAfterMs: 600_000 });
  return { emulator, server };
}

/**
 * The service runs on other machines than the fleet; here all share 2
 * cores. Members run at a lower priority so that their CPU bursts do not
 * stall the emulator, whose clock stamps each arrival (a stalled emulator
 * stamps a queue of requests with one time, as no real service would).
 */
export function lowerPriority(pid) {
  try {
    setPriority(pid, 10);
  } catch {
    // Not allowed here: the figures are then noisier.
  }
}

/** Runs one member process; resolves to its summary (rejects if it fails or outlives `limitMs`). */
function member(config, limitMs) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [MEMBER, JSON.stringify(config)], { stdio: ["ignore", "pipe", "inherit"] });
    lowerPriority(child.pid);
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    const killer = setTimeout(() => child.kill("SIGKILL"), limitMs);
    child.once("exit", (code, signal) => {
      clearTimeout(killer);
      const last = out.trim().split("\n").at(-1);
      if (code === 0 && last) resolve(JSON.parse(last));
      else reject(new Error(`fleet member ${config.member} ended with ${signal ?? code}: ${out.slice(-500)}`));
    });
  });
}

/**
 * `processes` Node processes with `limiter` ("builtin", "redis" (node-redis)
 * or "ioredis"), each firing `calls` calls at once (or `concurrency` at a
 * time). `during(startAt)` runs alongside (e.g. to kill Redis mid-run);
 * `perMember(i)` adds to member i's config (its own `redisUrl`, a
 * `clockStepAtMs`). Members start together 1.5 s from now (more for many).
 */
export async function runNodeFleet({ emulator, server }, { processes = 4, calls = 1000, limiter = "builtin", redisUrl, concurrency, limiterOptions, limitMs = 120_000, during, perMember }) {
  emulator.reset();
  const startAt = Date.now() + 1500 + 250 * Math.max(0, processes - 4);
  const members = Array.from({ length: processes }, (_, i) =>
    member(
      { member: i, base: server.url, credentials: emulator.credentials, limiter: i % 2 && limiter === "redis" ? "ioredis" : limiter, redisUrl, calls, concurrency, limiterOptions, startAt, ...perMember?.(i) },
      limitMs,
    ),
  );
  const side = during?.(startAt);
  const results = await Promise.all(members);
  await side;
  return { results, ...arrivals(emulator.requestLog, COMMAND) };
}


/**
 * `members` (at most 4) Workers in workerd (tests/workerd/fleet.capnp, started
 * with startWorkerd) with `limiter` "do" (the Durable Object limiter) or
 * "builtin", each firing `calls` calls at once (or `concurrency` at a time),
 * with `during()` run beside them (e.g. to make the object fail).
 */
export async function runWorkerdFleet({ emulator, server }, workerd, { members = 4, calls = 1000, limiter = "do", limiterOptions, concurrency, during }) {
  emulator.reset();
  const config = { base: server.url, credentials: emulator.credentials, limiter, calls, concurrency, limiterOptions, startAt: Date.now() + 1500 };
  const side = during?.();
  const res = await fetchWithin(workerd, emulator, "/fleet", { method: "POST", body: JSON.stringify({ members, config }) });
  if (!res.ok) throw new Error(`workerd fleet answered ${res.status}: ${await res.text()}`);
  const results = await res.json();
  await side;
  return { results, ...arrivals(emulator.requestLog, COMMAND) };
}
