// Extracts every ```js and ```ts block of README.md and docs/*.md and writes each as a
// module under tests/readme/out/ that loads the preamble first. A Deno
// snippet's `npm:tim-recentcontact` becomes `tim-recentcontact` (the same
// package, resolved from node_modules instead of the registry).
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../..", import.meta.url));

export function snippets() {
  const docs = ["README.md", ...readdirSync(`${root}docs`).filter((f) => f.endsWith(".md")).map((f) => `docs/${f}`)];
  const out = [];
  for (const doc of docs) {
    const text = readFileSync(`${root}${doc}`, "utf8");
    for (const m of text.matchAll(/^```(js|ts)\n([\s\S]*?)^```$/gm)) {
      const line = text.slice(0, m.index).split("\n").length;
      const heading = [...text.slice(0, m.index).matchAll(/^#+ (.*)$/gm)].pop()?.[1] ?? "";
      out.push({ lang: m[1], code: m[2], line, heading, doc });
    }
  }
  return out;
}

export function writeSnippets() {
  const dir = `${root}tests/readme/out`;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  return snippets().map((s, i) => {
    const file = `${dir}/snippet-${i}-${s.doc.replace(/\W+/g, "-")}-line-${s.line}.${s.lang === "ts" ? "ts" : "mjs"}`;
    const code = s.code.replaceAll('"npm:tim-recentcontact"', '"tim-recentcontact"');
    // A snippet that talks to Redis gets a real redis-server first.
    const redis = code.includes("process.env.REDIS_URL") ? `import "../preamble-redis.mjs";\n` : "";
    writeFileSync(file, `${redis}import "../preamble.mjs";\n${code}`);
    return { ...s, file };
  });
}
