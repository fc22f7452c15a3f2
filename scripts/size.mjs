// npm run size: raw and gzip bytes of the .wasm and of the whole package
// (every file in package.json "files"). Run after npm run build.
import { readFileSync, existsSync } from "node:fs";
import { gzipSync } from "node:zlib";

if (!existsSync("pkg/package.json")) {
  console.error("pkg/ is missing: run `npm run build` first");
  process.exit(1);
}
const pkg = JSON.parse(readFileSync("pkg/package.json", "utf8"));
const files = ["package.json", ...pkg.files];
const row = (name, raw, gz) => console.log(`${name.padEnd(34)} ${String(raw).padStart(9)} ${String(gz).padStart(9)}`);
row("file", "raw B", "gzip B");
let raw = 0, gz = 0;
for (const f of files) {
  const b = readFileSync(`pkg/${f}`);
  const g = gzipSync(b, { level: 9 }).length;
  raw += b.length;
  gz += g;
  if (f.endsWith(".wasm")) row(f, b.length, g);
}
row("whole package (sum of files)", raw, gz);
