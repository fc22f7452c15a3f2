// The package as a new user meets it: publint --strict and attw clean, the
// type matrix (tests/types/matrix), bundles made with esbuild (Node ESM and
// CJS, neutral, browser ESM, an IIFE through the manual entry, a Worker with
// wrangler's conditions), webpack 5, Vite (browser, SSR), bun build (Bun,
// Node, --compile) and a Next.js edge route, each run in Node, Bun, Deno,
// workerd or Next's edge sandbox, and the package.json fields.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import { cpSync, mkdirSync, readFileSync, rmSync, symlinkSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { root, startWorkerd, freePort } from "./workerd-harness.mjs";

const bin = (name) => join(root, "node_modules", ".bin", name);
const pkgDir = join(root, "pkg");
const run = (cmd, args, opts = {}) => execFileSync(cmd, args, { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], timeout: 120_000, ...opts });

test("publint --strict finds nothing", () => {
  const out = run(bin("publint"), ["--strict"], { cwd: pkgDir });
  assert.match(out, /All good!/, out);
});

test("attw --pack: every entry resolves in node10, node16 (CJS and ESM) and bundler", () => {
  // The .wasm is exported for bundlers and `?url` imports; it is no JavaScript entry to type.
  const out = run(bin("attw"), ["--pack", ".", "--exclude-entrypoints", "./tim_recentcontact_bg.wasm"], { cwd: pkgDir });
  assert.match(out, /No problems found/, out);
});

test("the .wasm is exported: a user's code (or bundler) reaches it by the package's name", async () => {
  const { createRequire } = await import("node:module");
  const path = createRequire(import.meta.url).resolve("tim-recentcontact/tim_recentcontact_bg.wasm");
  const bytes = readFileSync(path);
  assert.ok(WebAssembly.validate(bytes), path);
  assert.ok(import.meta.resolve("tim-recentcontact/tim_recentcontact_bg.wasm").endsWith("/tim_recentcontact_bg.wasm"));
});

for (const file of readdirSync(join(root, "tests/types/matrix")).filter((f) => f.startsWith("tsconfig."))) {
  test(`types: ${file} compiles`, () => {
    run(bin("tsc"), ["-p", join("tests/types/matrix", file)]);
  });
}

test("types: EMULATOR_LIMITS is declared with every key it has", async () => {
  const { EMULATOR_LIMITS } = await import("tim-recentcontact/emulator");
  const dts = readFileSync(join(pkgDir, "types/emulator.d.ts"), "utf8"); // the declarations (emulator/index.d.ts re-exports them)
  const block = dts.slice(dts.indexOf("EMULATOR_LIMITS"));
  const declared = [...block.slice(0, block.indexOf("}>")).matchAll(/^\s+(\w+): number;/gm)].map((m) => m[1]);
  assert.deepEqual(declared.sort(), Object.keys(EMULATOR_LIMITS).sort());
});

test("package.json: engines, no legacy module field, no placeholder links", () => {
  const text = readFileSync(join(pkgDir, "package.json"), "utf8");
  const pkg = JSON.parse(text);
  // No public repository yet: no repository, homepage or bugs link rather
  // than one that leads nowhere (they pointed at example.invalid).
  assert.doesNotMatch(text, /example\.(invalid|com|org)|localhost/);
  assert.equal(pkg.module, undefined);
  assert.ok(pkg.engines.node && pkg.engines.deno, JSON.stringify(pkg.engines));
});

test("one copy of the glue, the emulator and the limiter per module format (ESM chunks, one CommonJS bundle)", () => {
  const files = JSON.parse(readFileSync(join(pkgDir, "package.json"), "utf8")).files.filter((f) => /\.(c|m)?js$/.test(f));
  // What each of them holds once: the glue's imports, the emulator's and the
  // limiter's classes (in ES modules by name; the CommonJS bundles have their
  // local names shortened, and keep a class's name as a string).
  const markers = {
    glue: ["function __wbg_get_imports(", "__wbindgen_malloc"],
    emulator: ["EmulatorCore = class", '"EmulatorCore"'],
    limiter: ["RedisRateLimiter = class", '"RedisRateLimiter"'],
  };
  for (const [what, [inEsm, inCjs]] of Object.entries(markers)) {
    // (Whitespace minified or not.)
    const holding = (marker) => files.filter((f) => readFileSync(join(pkgDir, f), "utf8").replace(/\s*=\s*class\b/g, " = class").includes(marker));
    const esm = holding(inEsm).filter((f) => !f.endsWith(".cjs"));
    const cjs = holding(inCjs).filter((f) => f.endsWith(".cjs"));
    assert.equal(esm.length, 1, `${what} in ES modules: ${esm}`);
    assert.ok(esm[0].startsWith("chunks/"), `${what}: ${esm[0]}`);
    assert.equal(cjs.length, 1, `${what} in CommonJS: ${cjs}`);
  }
  // No empty chunk, and every chunk an entry imports is in the package.
  for (const f of files) {
    const text = readFileSync(join(pkgDir, f), "utf8");
    if (f.startsWith("chunks/")) assert.ok(text.trim().length > 0, `${f} is empty`);
    for (const [, spec] of text.matchAll(/(?:from|import)\s*"(\.{1,2}\/[^"]*chunks\/[^"]+)"/g)) {
      const target = join(f, "..", spec);
      assert.ok(files.includes(target), `${f} imports ${spec}, not in the package`);
    }
  }
});

// ---- bundlers ---------------------------------------------------------------
const out = join(root, "tests/bundle/out");
const esbuild = (entry, outfile, ...flags) =>
  run(bin("esbuild"), [join("tests/bundle", entry), "--bundle", `--outfile=${join(out, outfile)}`, "--log-level=error", ...flags]);
const wasm = (dir) => cpSync(join(pkgDir, "tim_recentcontact_bg.wasm"), join(out, dir, "tim_recentcontact_bg.wasm"));
const EXPECTED = "ok 1 administrator true";
const DIRNAME_BANNER =
  "import { dirname as __timDirname } from 'node:path'; import { fileURLToPath as __timPath } from 'node:url'; import { createRequire as __timRequire } from 'node:module'; const __dirname = __timDirname(__timPath(import.meta.url)); const require = __timRequire(import.meta.url);";

test("esbuild: Node CommonJS bundle, .wasm beside it", () => {
  rmSync(join(out, "node-cjs"), { recursive: true, force: true });
  esbuild("node-entry.cjs", "node-cjs/app.cjs", "--platform=node", "--format=cjs");
  wasm("node-cjs");
  assert.equal(run("node", [join(out, "node-cjs/app.cjs")]).trim(), EXPECTED);
});

test("esbuild: Node ESM bundle, .wasm beside it (with the README's __dirname banner)", () => {
  rmSync(join(out, "node-esm"), { recursive: true, force: true });
  esbuild("node-entry.mjs", "node-esm/app.mjs", "--platform=node", "--format=esm", `--banner:js=${DIRNAME_BANNER}`);
  wasm("node-esm");
  assert.equal(run("node", [join(out, "node-esm/app.mjs")]).trim(), EXPECTED);
});

test("esbuild: Node ESM bundle of the client alone needs no banner", () => {
  rmSync(join(out, "client-only"), { recursive: true, force: true });
  esbuild("client-only.mjs", "client-only/app.mjs", "--platform=node", "--format=esm");
  wasm("client-only");
  assert.equal(run("node", [join(out, "client-only/app.mjs")]).trim(), "ok client-only");
});

test("a Node bundle without the .wasm beside it, run where the package is installed, reads this version's .wasm by the package's name", () => {
  for (const [dir, entry, format, ext] of [["no-wasm-esm", "client-only.mjs", "esm", "mjs"], ["no-wasm-cjs", "node-entry.cjs", "cjs", "cjs"]]) {
    rmSync(join(out, dir), { recursive: true, force: true });
    esbuild(entry, `${dir}/app.${ext}`, "--platform=node", `--format=${format}`);
    assert.match(run("node", [join(out, dir, `app.${ext}`)]), /^ok /, dir);
  }
});

test("a Node bundle without the .wasm, run where it cannot be found (or another version is installed), says what to copy, not a bare ENOENT", async () => {
  const { spawnSync } = await import("node:child_process");
  const { mkdtempSync, writeFileSync } = await import("node:fs");
  const { tmpdir } = await import("node:os");
  const away = mkdtempSync(join(tmpdir(), "tim-bundle-"));
  try {
    for (const [dir, ext] of [["no-wasm-esm", "mjs"], ["no-wasm-cjs", "cjs"]]) {
      cpSync(join(out, dir), join(away, dir), { recursive: true });
      const r = spawnSync("node", [join(away, dir, `app.${ext}`)], { encoding: "utf8", timeout: 60_000 });
      assert.notEqual(r.status, 0, dir);
      assert.match(r.stderr, /tim-recentcontact: no \/\S+\/tim_recentcontact_bg\.wasm: a bundle must ship this \.wasm \(from node_modules\/tim-recentcontact\/\) beside it/, dir);
    }
    // Another version's .wasm would not match this bundle's glue: not taken.
    const other = join(away, "node_modules/tim-recentcontact");
    mkdirSync(other, { recursive: true });
    writeFileSync(join(other, "package.json"), JSON.stringify({ name: "tim-recentcontact", version: "99.0.0" }));
    cpSync(join(pkgDir, "tim_recentcontact_bg.wasm"), join(other, "tim_recentcontact_bg.wasm"));
    const r = spawnSync("node", [join(away, "no-wasm-esm/app.mjs")], { encoding: "utf8", timeout: 60_000 });
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /a bundle must ship this \.wasm/);
  } finally {
    rmSync(away, { recursive: true, force: true });
  }
});

test("esbuild: platform neutral (the default entry), .wasm beside it, run in Node", () => {
  rmSync(join(out, "neutral"), { recursive: true, force: true });
  esbuild("node-entry.mjs", "neutral/app.mjs", "--platform=neutral", "--format=esm");
  wasm("neutral");
  assert.equal(run("node", [join(out, "neutral/app.mjs")]).trim(), EXPECTED);
});

for (const format of ["cjs", "esm"]) {
  test(`webpack 5: a Node ${format === "cjs" ? "CommonJS" : "ESM"} bundle emits the .wasm as an asset and runs`, () => {
    run("node", ["tests/bundle/webpack.mjs", format]);
    assert.ok(readdirSync(join(out, `webpack-${format}`)).some((f) => f.endsWith(".wasm")));
    assert.equal(run("node", [join(out, `webpack-${format}`, `app.${format === "cjs" ? "cjs" : "mjs"}`)]).trim(), EXPECTED);
  });
}

for (const bundled of [false, true]) {
  test(`Vite SSR build, the package ${bundled ? "bundled (ssr.noExternal)" : "external (the default)"}, run in Node`, () => {
    run(bin("vite"), ["build", "--config", "tests/bundle/vite-ssr.config.mjs"], { env: { ...process.env, VITE_NO_EXTERNAL: bundled ? "1" : "0" } });
    assert.equal(run("node", [join(out, bundled ? "vite-ssr-bundled" : "vite-ssr", "app.mjs")]).trim(), EXPECTED);
  });
}

const bun = join(root, "node_modules/bun/bin/bun.exe");
test("bun build: for Bun (the .wasm copied beside it), for Node, and --compile (the .wasm embedded; run from another directory)", () => {
  rmSync(join(out, "bun"), { recursive: true, force: true });
  run(bun, ["build", "tests/bundle/node-entry.mjs", "--target=bun", `--outdir=${join(out, "bun/bun")}`]);
  assert.equal(run(bun, [join(out, "bun/bun/node-entry.js")], { cwd: "/" }).trim(), EXPECTED);
  run(bun, ["build", "tests/bundle/node-entry.mjs", "--target=node", `--outdir=${join(out, "bun/node")}`]);
  assert.equal(run("node", [join(out, "bun/node/node-entry.js")]).trim(), EXPECTED);
  run(bun, ["build", "tests/bundle/node-entry.mjs", "--compile", `--outfile=${join(out, "bun/app")}`]);
  assert.equal(run(join(out, "bun/app"), [], { cwd: "/" }).trim(), EXPECTED);
});

// A Next.js 16 route with `runtime = "edge"`, built with Turbopack (the
// default) and with webpack, served by `next start` (Next's edge sandbox).
for (const bundler of ["turbopack", "webpack"]) {
  test(`Next.js 16: an edge route built with ${bundler} and served by next start`, { timeout: 300_000 }, async () => {
    const dir = join(out, `next-${bundler}`);
    rmSync(dir, { recursive: true, force: true });
    cpSync(join(root, "tests/bundle/next"), dir, { recursive: true });
    const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1" };
    run(bin("next"), ["build", ...(bundler === "webpack" ? ["--webpack"] : [])], { cwd: dir, env, timeout: 240_000 });
    const port = await freePort();
    const server = spawn(bin("next"), ["start", "-p", String(port), "-H", "127.0.0.1"], { cwd: dir, env, stdio: "ignore", detached: true });
    try {
      let text;
      for (let i = 0; i < 300 && text === undefined; i++) {
        text = await fetch(`http://127.0.0.1:${port}/api/tim`).then((r) => r.text(), () => new Promise((res) => setTimeout(res, 100)));
      }
      assert.equal(text, "ok 1 true string");
    } finally {
      process.kill(-server.pid, "SIGKILL");
    }
  });
}

test("esbuild: Node ESM bundle with the package external", () => {
  rmSync(join(out, "node-ext"), { recursive: true, force: true });
  esbuild("node-entry.mjs", "node-ext/app.mjs", "--platform=node", "--format=esm", "--external:tim-recentcontact");
  symlinkSync(join(root, "node_modules"), join(out, "node-ext/node_modules"));
  assert.equal(run("node", [join(out, "node-ext/app.mjs")]).trim(), EXPECTED);
});

test("esbuild: browser ESM bundle (default entry, top-level await), run in Deno", () => {
  rmSync(join(out, "browser"), { recursive: true, force: true });
  esbuild("node-entry.mjs", "browser/app.mjs", "--platform=browser", "--format=esm");
  wasm("browser");
  // node_modules/.bin/deno may be the minimum version's (deno-min): name the newest one.
  const got = run("node", [join(root, "node_modules/deno/bin.cjs"), "run", `--allow-read=${join(out, "browser")}`, join(out, "browser/app.mjs")]);
  assert.equal(got.trim(), EXPECTED);
});

test("esbuild: IIFE script through tim-recentcontact/manual (no top-level await)", () => {
  rmSync(join(out, "iife"), { recursive: true, force: true });
  esbuild("iife-entry.mjs", "iife/app.js", "--platform=browser", "--format=iife", "--log-override:empty-import-meta=silent");
  const script = readFileSync(join(out, "iife/app.js"), "utf8");
  assert.ok(!/\bawait\s+init\(\{/.test(script.slice(0, 200)), "no top-level await");
  const got = run("node", ["-e", `globalThis.TIM_WASM = require("fs").readFileSync(${JSON.stringify(join(pkgDir, "tim_recentcontact_bg.wasm"))}); require(${JSON.stringify(join(out, "iife/app.js"))})`]);
  assert.equal(got.trim(), "ok 7 true");
});

test("esbuild with wrangler's conditions (workerd, worker, browser): the Worker runs in workerd", async () => {
  rmSync(join(out, "worker"), { recursive: true, force: true });
  mkdirSync(join(out, "worker"), { recursive: true });
  esbuild("worker-entry.mjs", "worker/worker.js", "--platform=neutral", "--conditions=workerd,worker,browser", "--main-fields=module,main", "--format=esm", "--external:*.wasm");
  wasm("worker");
  const w = await startWorkerd("tests/bundle/worker.capnp", { limitMs: 60_000 });
  try {
    const r = await w.fetch("/");
    assert.equal(await r.text(), EXPECTED);
  } finally {
    w.stop();
  }
});

test("Vite: a browser build finds the .wasm itself (emitted as an asset), run in Deno", () => {
  run(bin("vite"), ["build", "--config", "tests/bundle/vite.config.mjs"]);
  const assets = readdirSync(join(out, "vite/assets"));
  assert.ok(assets.some((f) => /^tim_recentcontact_bg-.*\.wasm$/.test(f)), assets.join(", "));
  const got = run("node", [join(root, "node_modules/deno/bin.cjs"), "run", `--allow-read=${join(out, "vite")}`, join(out, "vite/app.mjs")]);
  assert.equal(got.trim(), EXPECTED);
});

test("Deno before 2.6 is told the minimum in one line, not a module it never asked for", async () => {
  const { spawnSync } = await import("node:child_process");
  // The deno entry by path (deno eval has no package.json naming the package).
  const script = `import { ConversationClient } from ${JSON.stringify(new URL("deno.js", `file://${pkgDir}/`).href)}; console.log(typeof ConversationClient);`;
  const old = spawnSync("node", [join(root, "node_modules/deno-old/bin.cjs"), "eval", script], { cwd: root, encoding: "utf8", timeout: 120_000 });
  assert.notEqual(old.status, 0);
  const first = old.stderr.replace(/\x1b\[[0-9;]*m/g, "").split("\n").find((l) => l.includes("error"));
  assert.match(first, /tim-recentcontact needs Deno 2\.6 or newer .*this is Deno 2\.5\.7/);
  assert.doesNotMatch(old.stderr, /tim_recentcontact_bg\.js|Unexpected identifier/);
  // The minimum and the newest load it, with no read permission.
  for (const deno of ["deno-min", "deno"]) {
    const got = run("node", [join(root, `node_modules/${deno}/bin.cjs`), "eval", script]);
    assert.equal(got.trim(), "function", deno);
  }
});
