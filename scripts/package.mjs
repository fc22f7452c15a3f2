// Writes the non-wasm part of pkg/: entries and errors from pkg-template/,
// the CommonJS twin of errors.js, index.d.ts, and package.json with the
// crate's version.
import { readFileSync, writeFileSync, copyFileSync, readdirSync } from "node:fs";

const [dts] = process.argv.slice(2);
const version = readFileSync("Cargo.toml", "utf8").match(/^version = "([^"]+)"/m)[1];

for (const f of readdirSync("pkg-template")) {
  if (f !== "package.json") copyFileSync(`pkg-template/${f}`, `pkg/${f}`);
}

// errors.cjs: the same classes for require(); generated so they are written once.
const esm = readFileSync("pkg-template/errors.js", "utf8");
const names = [...esm.matchAll(/^export (?:class|function) (\w+)/gm)].map((m) => m[1]);
if (!names.includes("TimError") || !names.includes("makeError")) throw new Error("errors.js lost its exports");
const cjs = `"use strict";\n${esm.replace(/^export (class|function) /gm, "$1 ")}\nmodule.exports = { ${names.join(", ")} };\n`;
writeFileSync("pkg/errors.cjs", cjs);

// index.d.ts: the tsify/wasm-bindgen declarations plus the error classes.
const types = readFileSync(dts, "utf8");
if (!types.includes("export class ConversationClient")) throw new Error("unexpected wasm-bindgen .d.ts");
writeFileSync(
  "pkg/index.d.ts",
  `${types.trimEnd()}\n\nexport { TimError, TimValidationError, TimApiError, TimAuthError, TimHttpError, TimNetworkError, TimTimeoutError, TimDecodeError, type TimErrorKind } from "./errors.js";\n`,
);

const pkg = JSON.parse(readFileSync("pkg-template/package.json", "utf8"));
pkg.version = version;
for (const f of pkg.files) readFileSync(`pkg/${f}`); // every listed file exists
writeFileSync("pkg/package.json", `${JSON.stringify(pkg, null, 2)}\n`);
