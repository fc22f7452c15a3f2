// Extracts every ```js and ```ts block of README.md and writes each as a
// module under tests/readme/out/ that loads the preamble first. A Deno
// snippet's `npm:tim-recentcontact` becomes `tim-recentcontact` (the same
// package, resolved from node_modules instead of the registry).
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../..", import.meta.url));

export function snippets() {
  const readme = readFileSync(`${root}README.md`, "utf8");
  const out = [];
  for (const m of readme.matchAll(/^```(js|ts)\n([\s\S]*?)^```$/gm)) {
    const line = readme.slice(0, m.index).split("\n").length;
    const heading = [...readme.slice(0, m.index).matchAll(/^#+ (.*)$/gm)].pop()?.[1] ?? "";
    out.push({ lang: m[1], code: m[2], line, heading });
  }
  return out;
}

export function writeSnippets() {
  const dir = `${root}tests/readme/out`;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  return snippets().map((s, i) => {
    const file = `${dir}/snippet-${i}-line-${s.line}.${s.lang === "ts" ? "ts" : "mjs"}`;
    const code = s.code.replaceAll('"npm:tim-recentcontact"', '"tim-recentcontact"');
    // A snippet that talks to Redis gets a real redis-server first.
    const redis = code.includes("process.env.REDIS_URL") ? `import "../preamble-redis.mjs";\n` : "";
    writeFileSync(file, `${redis}import "../preamble.mjs";\n${code}`);
    return { ...s, file };
  });
}
