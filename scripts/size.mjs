// npm run size: raw, gzip -9 and brotli (quality 11) bytes of the client
// .wasm and of the whole package (every file in package.json "files"), and
// the budget: the .wasm at most 140,000 B gzip -9, or this exits 1.
// Run after npm run build.
import { readFileSync, existsSync } from "node:fs";
import { gzipSync, brotliCompressSync, constants } from "node:zlib";

const BUDGET_GZIP = 140_000;

if (!existsSync("pkg/package.json")) {
  console.error("pkg/ is missing: run `npm run build` first");
  process.exit(1);
}
const pkg = JSON.parse(readFileSync("pkg/package.json", "utf8"));
const files = ["package.json", ...pkg.files];
const gzip = (b) => gzipSync(b, { level: 9 }).length;
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
const verdict = wasmGzip <= BUDGET_GZIP ? "within" : "OVER";
console.log(`\nbudget: the .wasm is ${wasmGzip.toLocaleString("en")} B gzip -9, ${verdict} the ${BUDGET_GZIP.toLocaleString("en")} B budget`);
if (wasmGzip > BUDGET_GZIP) process.exit(1);
