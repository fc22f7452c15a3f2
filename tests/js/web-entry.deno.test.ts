// The package's "default" entry (web.js: other ES module runtimes, browsers,
// bundlers), which fetches the .wasm next to it at import. Deno can run it
// with read access to pkg/; the conformance suite must pass there too.
import * as mod from "../../pkg/web.js";
import { cases } from "./suite.mjs";

for (const [name, fn] of cases as [string, (m: typeof mod) => Promise<void>][]) {
  Deno.test(`web entry: ${name}`, () => fn(mod));
}
