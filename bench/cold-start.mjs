// Cold start for npm run bench: whole processes (Node ESM, Node CJS, Deno)
// that import the package and make one call through an injected fetch,
// against the same script making the same call without the package; and
// the first request of a workerd Worker with and without it (from starting
// workerd to the first answer). Each figure is the median of paired
// differences, run back to back with the order alternating, so drift in the
// machine's speed cancels out.
import { execFileSync, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { freePort } from "../tests/js/workerd-harness.mjs";

/** Median and quartiles: the machine's noise shows in the spread. */
function stats(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return { median: s[s.length >> 1], q1: s[s.length >> 2], q3: s[(3 * s.length) >> 2] };
}

function timed(cmd, args) {
  const t0 = performance.now();
  execFileSync(cmd, args, { stdio: "ignore" });
  return performance.now() - t0;
}

async function paired(run, n, base = "without") {
  await run("with");
  await run(base);
  const diffs = [];
  for (let i = 0; i < n; i++) {
    if (i % 2) {
      const b = await run(base);
      diffs.push((await run("with")) - b);
    } else {
      const a = await run("with");
      diffs.push(a - (await run(base)));
    }
  }
  return stats(diffs);
}

/** The major version of the Node at `path`. */
function major(path) {
  return Number(execFileSync(path, ["-p", "process.versions.node.split('.')[0]"], { encoding: "utf8" }).trim());
}

/** Milliseconds from starting workerd to the first answer of the worker. */
async function workerdFirst(which) {
  const port = await freePort();
  const t0 = performance.now();
  const child = spawn("node_modules/.bin/workerd", ["serve", `bench/cold/${which}.capnp`, "--socket-addr", `http=127.0.0.1:${port}`], { stdio: "ignore" });
  const killer = setTimeout(() => child.kill("SIGKILL"), 30_000);
  try {
    for (;;) {
      try {
        const r = await fetch(`http://127.0.0.1:${port}/`);
        if ((await r.text()) !== "ok") throw new Error(`the ${which} worker failed`);
        return performance.now() - t0;
      } catch (e) {
        if (child.exitCode !== null || performance.now() - t0 > 25_000) throw e;
        await new Promise((r) => setTimeout(r, 2));
      }
    }
  } finally {
    clearTimeout(killer);
    child.kill();
  }
}

/**
 * [label, { median, q1, q3 } extra ms, goal ms or null]. The goal is Node
 * 24's (the current LTS; `npm run bench` runs on it): import + new + first
 * call at most 5 ms over a plain JavaScript client's; every other row is
 * reported only, Node 20 (past end-of-life) among them when it is on PATH.
 */
export async function coldStart() {
  const node = process.execPath;
  const deno = "node_modules/deno/deno";
  const v = major(node);
  const rows = [
    [`Node ${v} ESM: import + new + first call, over a plain client`, await paired((k) => timed(node, ["bench/cold.mjs", k]), 31, "plain"), v === 24 ? 5 : null],
    [`Node ${v} ESM: import + new + first call, over the fetch alone`, await paired((k) => timed(node, ["bench/cold.mjs", k]), 21), null],
    [`Node ${v} CJS: require + first call, over the fetch alone`, await paired((k) => timed(node, ["bench/cold.cjs", k]), 21), null],
  ];
  let pathNode = null;
  try {
    pathNode = execFileSync("sh", ["-c", "command -v node"], { encoding: "utf8" }).trim();
  } catch {}
  if (pathNode && v !== 20 && major(pathNode) === 20) {
    rows.push(["Node 20 ESM: import + new + first call, over a plain client", await paired((k) => timed(pathNode, ["bench/cold.mjs", k]), 21, "plain"), null]);
  }
  if (existsSync(deno)) rows.push(["Deno: import + first call", await paired((k) => timed(deno, ["run", "--quiet", "bench/cold.mjs", k]), 9), null]);
  rows.push(["workerd: start to the first request's answer", await paired(workerdFirst, 5), null]);
  return rows;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const row of await coldStart()) console.log(formatColdStart(row));
}

/** One line of the bench: the median, its goal, and the middle half of the runs. */
export function formatColdStart([label, { median, q1, q3 }, goal]) {
  const verdict = goal ? `   goal <= ${goal} ms${median <= goal ? "" : "   (not met)"}` : "";
  return `  ${label.padEnd(56)} +${median.toFixed(1)} ms${verdict}   (middle half of the runs: +${q1.toFixed(1)} to +${q3.toFixed(1)})`;
}
