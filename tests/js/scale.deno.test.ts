// The README's signal and bulk patterns at scale in Deno (tests/js/scale.mjs);
// run with --v8-flags=--expose-gc.
import * as mod from "tim-recentcontact";
import { scaleCases } from "./scale.mjs";

import { gc } from "./deno-env.ts";

const env = { gc, memory: () => Deno.memoryUsage().heapUsed + Deno.memoryUsage().external };

for (const [name, fn] of scaleCases as [string, (m: typeof mod, e: typeof env) => Promise<string>][]) {
  Deno.test({ name, sanitizeOps: false, sanitizeResources: false, fn: async () => console.log(await fn(mod, env)) });
}
