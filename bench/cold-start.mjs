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

async function paired(run, n) {
  await run("with");
  await run("without");
  const diffs = [];
  for (let i = 0; i < n; i++) {
    if (i % 2) {
      const b = await run("without");
      diffs.push((await run("with")) - b);
    } else {
      const a = await run("with");
      diffs.push(a - (await run("without")));
    }
  }
  return stats(diffs);
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

/** [label, { median, q1, q3 } extra ms, goal ms or null]. */
export async function coldStart() {
  const node = process.execPath;
  const deno = "node_modules/deno/deno";
  const rows = [
    ["Node ESM: import + first call", await paired((k) => timed(node, ["bench/cold.mjs", k]), 31), 15],
    ["Node CJS: require + first call", await paired((k) => timed(node, ["bench/cold.cjs", k]), 31), null],
  ];
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
