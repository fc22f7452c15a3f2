// Starts a real redis-server on a free loopback port for a test, with no
// persistence; it is killed after `limitMs` even if a test forgets it.
import { spawn, execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { freePort } from "./workerd-harness.mjs";

/** The redis-server binary, or undefined where it is not installed. */
export function redisServerPath() {
  for (const p of ["/usr/bin/redis-server", "/usr/sbin/redis-server", "/usr/local/bin/redis-server"]) if (existsSync(p)) return p;
  try {
    return execFileSync("sh", ["-c", "command -v redis-server"], { encoding: "utf8" }).trim() || undefined;
  } catch {
    return undefined;
  }
}

/** Resolves to `{ url, port, kill() }` once the server answers PING. */
export async function startRedis({ limitMs = 300_000, port, args = [] } = {}) {
  const bin = redisServerPath();
  if (!bin) throw new Error("redis-server is not installed (scripts/setup.sh installs Debian's redis-server)");
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
  const { createConnection } = await import("node:net");
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
