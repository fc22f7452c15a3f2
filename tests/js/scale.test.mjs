// The README's signal and bulk patterns at scale in Node (tests/js/scale.mjs).
import { test } from "node:test";
import v8 from "node:v8";
import vm from "node:vm";
import * as mod from "tim-recentcontact";
import { scaleCases } from "./scale.mjs";

v8.setFlagsFromString("--expose-gc");
const gc = globalThis.gc ?? vm.runInNewContext("gc");
const env = { gc, memory: () => process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers };

for (const [name, fn] of scaleCases) test(name, { timeout: 300_000 }, async () => console.log(await fn(mod, env)));
