// Every ```js and ```ts snippet of README.md and docs/*.md runs, as written, against an
// in-process emulator standing in for the real service (tests/readme/):
// JavaScript in Node (twice: the quick start must be rerunnable), TypeScript
// in Deno with type checking. The Worker snippet is called with a good and
// a bad request and must answer proper HTTP statuses.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { pathToFileURL } from "node:url";
import { writeSnippets } from "../readme/snippets.mjs";
import { root } from "./workerd-harness.mjs";
import { redisServerPath } from "./redis-harness.mjs";

const all = writeSnippets();

test("README: every snippet imports what it uses (no undeclared client, emulator or helper)", () => {
  assert.ok(all.length >= 10, `${all.length} snippets`);
  for (const s of all) {
    for (const name of ["ConversationClient", "createEmulator", "genUserSig", "TimApiError", "TimAbortError", "init"]) {
      if (new RegExp(`\\b${name}\\(`).test(s.code) || new RegExp(`new ${name}\\b`).test(s.code) || new RegExp(`instanceof ${name}\\b`).test(s.code)) {
        assert.match(s.code, new RegExp(`import \\{[^}]*\\b${name}\\b`), `${s.doc} line ${s.line} uses ${name} without importing it`);
      }
    }
  }
});

async function quietly(fn) {
  const saved = [console.log, console.warn];
  console.log = console.warn = () => {};
  try {
    return await fn();
  } finally {
    [console.log, console.warn] = saved;
  }
}

const noRedis = redisServerPath() ? false : "redis-server is not installed and scripts/setup.sh could not install it here";
for (const s of all.filter((x) => x.lang === "js")) {
  const skip = s.code.includes("process.env.REDIS_URL") && noRedis;
  test(`${s.doc} line ${s.line} (${s.heading}) runs in Node, twice`, { skip }, async () => {
    for (const run of [1, 2]) {
      const mod = await quietly(() => import(`${pathToFileURL(s.file).href}?run=${run}`));
      if (typeof mod.start === "function") assert.equal(typeof (await mod.start()).deleteConversation, "function");
      if (mod.default?.fetch) {
        const call = (body) => mod.default.fetch(new Request("http://worker.test/", { method: "POST", body }), { TIM_SDKAPPID: process.env.TIM_SDKAPPID, TIM_IDENTIFIER: process.env.TIM_IDENTIFIER, TIM_SECRET_KEY: process.env.TIM_SECRET_KEY });
        assert.equal((await call(JSON.stringify({ fromAccount: "u", groupName: "none" }))).status, 404);
        assert.equal((await call("not json")).status, 400);
        assert.equal((await call(JSON.stringify({ fromAccount: "u" }))).status, 400);
      }
    }
  });
}

test("README: the TypeScript snippets type-check and run in Deno", async () => {
  const ts = all.filter((x) => x.lang === "ts");
  assert.ok(ts.length >= 2);
  for (const s of ts) {
    const { stderr } = await promisify(execFile)("node", [`${root}node_modules/deno/bin.cjs`, "run", "--check", "--allow-env", "--allow-net=127.0.0.1", s.file], { cwd: root, timeout: 120_000 }).catch((e) => {
      throw new Error(`${s.doc} line ${s.line}: ${e.stderr || e.message}`);
    });
    void stderr;
  }
});
