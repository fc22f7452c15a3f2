// Loaded before every README snippet the tests run: the "real service" the
// snippets talk to is an in-process emulator (the global fetch is routed to
// it, except other loopback servers the snippet starts itself), and the
// environment variables the snippets read hold its credentials.
import { createEmulator, DEFAULT_CREDENTIALS } from "tim-recentcontact/emulator";

export const emulator = createEmulator();
const env = { TIM_SDKAPPID: String(DEFAULT_CREDENTIALS.sdkAppId), TIM_IDENTIFIER: DEFAULT_CREDENTIALS.identifier, TIM_SECRET_KEY: DEFAULT_CREDENTIALS.secretKey };
if (globalThis.Deno) for (const [k, v] of Object.entries(env)) Deno.env.set(k, v);
else Object.assign(process.env, env);

const realFetch = globalThis.fetch;
globalThis.fetch = (input, init) => {
  const url = new URL(input instanceof Request ? input.url : String(input));
  const local = url.hostname === "127.0.0.1" && url.port !== "8787";
  return local ? realFetch(input, init) : emulator.fetch(input, init);
};
