// npm run size: raw, gzip -9 and brotli (quality 11) bytes of the client
// .wasm and of the whole package (every file in package.json "files"), the
// npm tarball, and the budgets: the .wasm at most 95,000 B gzip -9 and the
// tarball at most 200,000 B, or this exits 1. Run after npm run build.
import { readFileSync, existsSync } from "node:fs";
import { gzipSync, brotliCompressSync, constants } from "node:zlib";
import { execFileSync } from "node:child_process";

export const BUDGET_GZIP = 95_000;
export const BUDGET_TARBALL = 200_000;

const gzip = (b) => gzipSync(b, { level: 9 }).length;

/** The npm tarball's bytes and its unpacked size (`npm pack --dry-run`). */
function tarballSize(dir) {
  const npm = process.platform === "win32" ? "npm.cmd" : "npm";
  const [packed] = JSON.parse(execFileSync(npm, ["pack", "--dry-run", "--json", "--ignore-scripts"], { cwd: dir, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }));
  return { tarball: packed.size, unpacked: packed.unpackedSize };
}

/** The .wasm's gzip -9 bytes and the npm tarball's bytes (for the bench). */
export function packageSizes(dir = "pkg") {
  const wasm = JSON.parse(readFileSync(`${dir}/package.json`, "utf8")).files.find((f) => f.endsWith(".wasm"));
  return { wasmGzip: gzip(readFileSync(`${dir}/${wasm}`)), ...tarballSize(dir) };
}

/** The table and the budgets (`npm run size`). */
function main() {
  if (!existsSync("pkg/package.json")) {
    console.error("pkg/ is missing: run `npm run build` first");
    process.exit(1);
  }
  const pkg = JSON.parse(readFileSync("pkg/package.json", "utf8"));
  const files = ["package.json", ...pkg.files];
  const brotli = (b) => brotliCompressSync(b, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
  const row = (name, ...cells) => console.log(`${name.padEnd(34)} ${cells.map((c) => String(c).padStart(9)).join(" ")}`);
  row("file", "raw B", "gzip B", "brotli B");
  const sum = [0, 0, 0];
  let wasmGzip = null;
  for (const f of files) {
    const b = readFileSync(`pkg/${f}`);
    const sizes = [b.length, gzip(b), brotli(b)];
    sizes.forEach((s, i) => (sum[i] += s));
    if (f.endsWith(".wasm")) {
      row(f, ...sizes);
      wasmGzip = sizes[1];
    }
  }
  row("whole package (sum of files)", ...sum);
  if (wasmGzip === null) {
    console.error("size: no .wasm in the package's files");
    process.exit(1);
  }
  const { tarball, unpacked } = tarballSize("pkg");
  row("npm tarball (npm pack)", unpacked, tarball, "");
  const verdict = (n, budget) => (n <= budget ? "within" : "OVER");
  console.log(`\nbudget: the .wasm is ${wasmGzip.toLocaleString("en")} B gzip -9, ${verdict(wasmGzip, BUDGET_GZIP)} the ${BUDGET_GZIP.toLocaleString("en")} B budget`);
  console.log(`budget: the tarball is ${tarball.toLocaleString("en")} B, ${verdict(tarball, BUDGET_TARBALL)} the ${BUDGET_TARBALL.toLocaleString("en")} B budget`);
  if (wasmGzip > BUDGET_GZIP || tarball > BUDGET_TARBALL) process.exit(1);
}

if (import.meta.url === `file://${process.argv[1]}`) main();
