// End to end in Deno: emulators served with Deno.serve on 127.0.0.1 (the
// package's /emulator subpath, deno condition), the client over real HTTP.
import * as mod from "tim-recentcontact";
import { createEmulator, DEFAULT_CREDENTIALS } from "tim-recentcontact/emulator";
import { e2eCases, EMULATORS } from "./e2e.mjs";

const targets: Record<string, unknown> = { creds: DEFAULT_CREDENTIALS };
const controller = new AbortController();
const servers: Deno.HttpServer[] = [];
for (const [name, options] of Object.entries(EMULATORS)) {
  const emulator = createEmulator(options);
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, signal: controller.signal, onListen() {} }, (request) => emulator.fetch(request));
  servers.push(server);
  targets[name] = `http://127.0.0.1:${server.addr.port}`;
}
const stop = setTimeout(() => controller.abort(), 120_000);

for (const [name, fn] of e2eCases as [string, (m: typeof mod, t: unknown) => Promise<void>][]) {
  Deno.test({ name, sanitizeOps: false, sanitizeResources: false, fn: () => fn(mod, targets) });
}

Deno.test({
  name: "the emulator resolves to its deno entry and stops",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    if (!import.meta.resolve("tim-recentcontact/emulator").endsWith("/emulator/deno.js")) throw new Error("wrong entry");
    clearTimeout(stop);
    controller.abort();
    await Promise.all(servers.map((s) => s.finished));
  },
});
