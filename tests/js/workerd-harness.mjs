// Starts workerd with a capnp config on a free loopback port, for tests.
// The process is killed after `limitMs` even if a test forgets to stop it.
import { spawn } from "node:child_process";
import net from "node:net";
import { fileURLToPath } from "node:url";

export const root = fileURLToPath(new URL("../..", import.meta.url));

export async function freePort() {
  const s = net.createServer();
  await new Promise((r) => s.listen(0, "127.0.0.1", r));
  const { port } = s.address();
  await new Promise((r) => s.close(r));
  return port;
}

/** Returns `{ get(path, init?) → parsed JSON, fetch(path, init?) → Response, stop() }`. */
export async function startWorkerd(config, { env = process.env, limitMs = 120_000 } = {}) {
  const port = await freePort();
  const child = spawn(`${root}node_modules/.bin/workerd`, ["serve", config, "--socket-addr", `http=127.0.0.1:${port}`], {
    cwd: root,
    env,
    stdio: ["ignore", "inherit", "inherit"],
  });
  const killer = setTimeout(() => child.kill("SIGKILL"), limitMs);
  killer.unref();
  // Retries until workerd listens (it needs a moment to compile the worker).
  const request = async (path, init) => {
    for (let i = 0; ; i++) {
      try {
        return await fetch(`http://127.0.0.1:${port}${path}`, init);
      } catch (e) {
        if (i > 100 || child.exitCode !== null || init?.signal?.aborted) throw e;
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  };
  return {
    fetch: request,
    get: async (path) => (await request(path)).json(),
    stop() {
      clearTimeout(killer);
      child.kill();
    },
  };
}
