// Starts a real redis-server (or valkey-server) on a free loopback port for
// a test, with no persistence; it is killed after `limitMs` even if a test
// forgets it.
import { spawn, execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { createConnection } from "node:net";
import { freePort } from "./workerd-harness.mjs";

/** The binary `name` (redis-server, valkey-server), or undefined where it is not installed. */
export function redisServerPath(name = "redis-server") {
  for (const dir of ["/usr/bin", "/usr/sbin", "/usr/local/bin"]) if (existsSync(`${dir}/${name}`)) return `${dir}/${name}`;
  try {
    return execFileSync("sh", ["-c", `command -v ${name}`], { encoding: "utf8" }).trim() || undefined;
  } catch {
    return undefined;
  }
}

/** Resolves to `{ url, port, kill() }` once the server (`server`: redis-server or valkey-server) answers PING. */
export async function startRedis({ limitMs = 300_000, port, args = [], server = "redis-server" } = {}) {
  const bin = redisServerPath(server);
  if (!bin) throw new Error(`${server} is not installed (scripts/setup.sh installs Debian's package where there is one)`);
  port ??= await freePort();
  const child = spawn(bin, ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--protected-mode", "yes", ...args], { stdio: ["ignore", "ignore", "inherit"] });
  const exited = new Promise((r) => child.once("exit", r));
  const killer = setTimeout(() => child.kill("SIGKILL"), limitMs);
  killer.unref();
  // Never keep the test process alive, nor outlive it.
  child.unref();
  const onExit = () => child.kill("SIGKILL");
  process.once("exit", onExit);
  child.once("exit", () => process.off("exit", onExit));
  for (let i = 0; ; i++) {
    const ok = await new Promise((resolve) => {
      const s = createConnection({ port, host: "127.0.0.1" }, () => s.write("PING\r\n"));
      s.once("data", (d) => (s.destroy(), resolve(String(d).startsWith("+PONG"))));
      s.once("error", () => resolve(false));
    });
    if (ok) break;
    if (i > 100 || child.exitCode !== null) throw new Error("redis-server did not start");
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    /** Kills the server at once (SIGKILL: no goodbye to its clients). */
    async kill() {
      clearTimeout(killer);
      // Waiting for its exit must keep the process alive.
      child.ref();
      if (child.exitCode === null) child.kill("SIGKILL");
      await exited;
    },
  };
}

/**
 * A Redis Cluster of `nodes` masters (no replicas) on loopback, made with
 * `redis-cli --cluster create`; resolves to `{ nodes: [{ host, port }], kill() }`
 * once every node says `cluster_state:ok`.
 */
export async function startRedisCluster({ nodes = 3 } = {}) {
  const { mkdtempSync } = await import("node:fs");
  const { tmpdir } = await import("node:os");
  const dir = mkdtempSync(`${tmpdir()}/tim-cluster-`);
  const servers = [];
  try {
    for (let i = 0; i < nodes; i++) {
      const port = await freePort();
      servers.push(await startRedis({ port, args: ["--cluster-enabled", "yes", "--cluster-config-file", `${dir}/nodes-${port}.conf`, "--dir", dir] }));
    }
    const cli = redisServerPath().replace(/redis-server$/, "redis-cli");
    execFileSync(cli, ["--cluster", "create", ...servers.map((s) => `127.0.0.1:${s.port}`), "--cluster-replicas", "0", "--cluster-yes"], { stdio: "ignore" });
    for (let i = 0; ; i++) {
      const states = servers.map((s) => execFileSync(cli, ["-p", String(s.port), "cluster", "info"], { encoding: "utf8" }));
      if (states.every((t) => t.includes("cluster_state:ok"))) break;
      if (i > 100) throw new Error("the cluster did not come up");
      await new Promise((r) => setTimeout(r, 100));
    }
  } catch (e) {
    await Promise.all(servers.map((s) => s.kill()));
    throw e;
  }
  return {
    nodes: servers.map((s) => ({ host: "127.0.0.1", port: s.port })),
    async kill() {
      await Promise.all(servers.map((s) => s.kill()));
    },
  };
}

/** Sends one command to the Redis on `port` over a raw socket and resolves to its raw answer. */
export function redisCommand(port, ...args) {
  return new Promise((resolve, reject) => {
    const s = createConnection({ port, host: "127.0.0.1" }, () => s.write(`*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join("")}`));
    s.once("data", (d) => (s.destroy(), resolve(String(d))));
    s.once("error", reject);
  });
}
