// Gives the .wasm's imports short names, in the .wasm and in the
// wasm-bindgen glue that provides them: wasm-bindgen names each import
// `__wbg_<name>_<16 hex digits>`, ~110 of them, and hex digits do not
// compress (about 2 KB of the gzipped .wasm).
//
//   node scripts/short-imports.mjs <file.wasm> <glue.js>   (both rewritten in place)
import { readFileSync, writeFileSync } from "node:fs";

const [wasmFile, glueFile] = process.argv.slice(2);
const wasm = readFileSync(wasmFile);
let glue = readFileSync(glueFile, "utf8");

function leb(buf, at) {
  let value = 0;
  let shift = 0;
  for (;;) {
    const b = buf[at++];
    value += (b & 0x7f) * 2 ** shift;
    shift += 7;
    if (b < 0x80) return [value, at];
  }
}
function uleb(n) {
  const out = [];
  do {
    let b = n % 128;
    n = Math.floor(n / 128);
    if (n) b |= 0x80;
    out.push(b);
  } while (n);
  return Buffer.from(out);
}
const text = (s) => Buffer.concat([uleb(Buffer.byteLength(s)), Buffer.from(s)]);

if (wasm.readUInt32LE(0) !== 0x6d736100) throw new Error(`${wasmFile}: not a wasm module`);
const parts = [wasm.subarray(0, 8)];
const renamed = new Map();
let at = 8;
while (at < wasm.length) {
  const id = wasm[at];
  const [size, body] = leb(wasm, at + 1);
  const end = body + size;
  if (id !== 2) {
    parts.push(wasm.subarray(at, end));
    at = end;
    continue;
  }
  // The import section: (module, name, kind, type) entries.
  let [count, p] = leb(wasm, body);
  const entries = [uleb(count)];
  while (count--) {
    const [moduleLen, m] = leb(wasm, p);
    const module = wasm.subarray(m, m + moduleLen).toString();
    const [nameLen, n] = leb(wasm, m + moduleLen);
    const name = wasm.subarray(n, n + nameLen).toString();
    let q = n + nameLen;
    const kind = wasm[q++];
    // Skip the import's description: a type index, a table, a memory or a global.
    if (kind === 0) q = leb(wasm, q)[1];
    else if (kind === 1) {
      q++;
      const flags = wasm[q++];
      q = leb(wasm, q)[1];
      if (flags & 1) q = leb(wasm, q)[1];
    } else if (kind === 2) {
      const flags = wasm[q++];
      q = leb(wasm, q)[1];
      if (flags & 1) q = leb(wasm, q)[1];
    } else if (kind === 3) q += 2;
    else throw new Error(`import ${name}: unknown kind ${kind}`);
    let short = name;
    if (module.endsWith("_bg.js") && /^__wbg|^__wbindgen/.test(name)) {
      short = renamed.get(name) ?? `$${renamed.size.toString(36)}`;
      renamed.set(name, short);
    }
    entries.push(text(module), text(short), wasm.subarray(n + nameLen, q));
    p = q;
  }
  const section = Buffer.concat(entries);
  parts.push(Buffer.from([2]), uleb(section.length), section);
  at = end;
}

// The glue: each name is the key of its function in the imports object.
for (const [name, short] of renamed) {
  const key = new RegExp(`\\b${name.replace(/\$/g, "\\$")}:`, "g");
  const hits = glue.match(key)?.length ?? 0;
  if (hits !== 1) throw new Error(`${glueFile}: ${name} is provided ${hits} times, expected once`);
  glue = glue.replace(key, `${short}:`);
  if (glue.includes(name)) throw new Error(`${glueFile}: ${name} is used beyond its key`);
}
writeFileSync(wasmFile, Buffer.concat(parts));
writeFileSync(glueFile, glue);
console.log(`short-imports: ${renamed.size} imports renamed`);
