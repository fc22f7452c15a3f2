// Writes the non-wasm part of pkg/: every entry of pkg-template/ bundled
// with the modules it takes from pkg-template/lib/ (and the wasm-bindgen
// glue) into one file, the declarations, and package.json with the crate's
// version and the list of files. An entry's import of anything outside
// lib/ (another entry, the .wasm, node:*) stays an import.
import { readFileSync, writeFileSync, cpSync, rmSync, mkdirSync, readdirSync, renameSync } from "node:fs";
import { dirname, join, relative, resolve, sep, posix as posixPath } from "node:path";
import { build } from "esbuild";

const [glueDir] = process.argv.slice(2);
const name = "tim_recentcontact";
const version = readFileSync("Cargo.toml", "utf8").match(/^version = "([^"]+)"/m)[1];

// Staging: the template plus the web glue as lib/glue.js.
const stage = "target/pkg-src";
rmSync(stage, { recursive: true, force: true });
cpSync("pkg-template", stage, { recursive: true });
// The glue's default .wasm URL is never used (every entry passes its own),
// but bundlers resolve it where the glue ends up, chunks/: pointed there.
const glueDefault = `new URL('${name}_bg.wasm', import.meta.url)`;
const glue = readFileSync(`${glueDir}/${name}.js`, "utf8").replace(/^\/\* @ts-self-types=.*\n/m, "");
if (!glue.includes(glueDefault)) throw new Error("the glue lost its default .wasm URL");
writeFileSync(`${stage}/lib/glue.js`, glue.replace(glueDefault, `new URL('../${name}_bg.wasm', import.meta.url)`));

const walk = (dir) => readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]));
const lib = resolve(stage, "lib") + sep;
const keepOutside = {
  name: "entries-stay-apart",
  setup(b) {
    b.onResolve({ filter: /^(\.|node:)/ }, (a) => {
      if (a.kind === "entry-point") return undefined;
      if (a.path.startsWith("node:") || /\.wasm(\?module)?$/.test(a.path) || a.path.endsWith(".json")) return { path: a.path, external: true };
      return resolve(a.resolveDir, a.path).startsWith(lib) ? undefined : { path: a.path, external: true };
    });
  },
};
// CommonJS entries are bundled one by one (each holds what it needs); the
// ES module entries in one build that splits what they share into chunks,
// so the package holds one ES copy of the glue, the emulator and the
// limiter instead of one per runtime.
const posix = (path) => relative(stage, path).split(sep).join("/");
const cjsEntries = [];
const esmEntries = [];
const heads = new Map();
for (const file of walk(stage)) {
  const rel = relative(stage, file);
  if (rel.startsWith(`lib${sep}`) || rel === "package.json") continue;
  mkdirSync(dirname(`pkg/${rel}`), { recursive: true });
  if (!/\.(c|m)?js$/.test(rel)) {
    cpSync(file, `pkg/${rel}`);
    continue;
  }
  const source = readFileSync(file, "utf8");
  // The entry's leading comments (and @ts-self-types) head its bundle.
  heads.set(posix(file), source.match(/^(?:#!.*\n)?((?:(?:\/\/|\/\*).*\n)*)/)[1].trimEnd());
  (rel.endsWith(".cjs") ? cjsEntries : esmEntries).push(file);
}
const common = {
  bundle: true,
  platform: "neutral",
  target: "esnext",
  // ASCII output: one non-ASCII character makes V8 hold the whole source
  // as a two-byte string (twice the memory, a slower scan at start-up).
  charset: "ascii",
  define: { PACKAGE_VERSION: JSON.stringify(version) },
  // The web glue's default wasm URL (import.meta) is never used by node.cjs.
  logOverride: { "empty-import-meta": "silent" },
  logLevel: "warning",
  plugins: [keepOutside],
  // Whitespace and syntax, never identifiers: names, and so the error
  // classes' names, stay; the tarball is ~15 KB smaller.
  minifyWhitespace: true,
  minifySyntax: true,
};
const entries = cjsEntries.map((file) =>
  build({
    ...common,
    entryPoints: [file],
    outfile: `pkg/${relative(stage, file)}`,
    format: "cjs",
    banner: { js: heads.get(posix(file)) },
    // The CommonJS entries are whole copies (no chunks to share a helper):
    // local names shortened, every function's and class's `name` kept
    // (keepNames), which takes ~4 KB off the tarball.
    minifyIdentifiers: true,
    keepNames: true,
  }),
);
const esm = await build({
  ...common,
  entryPoints: esmEntries,
  outdir: "pkg",
  outbase: stage,
  format: "esm",
  splitting: true,
  chunkNames: "chunks/[name]-[hash]",
  metafile: true,
});
// Chunks named for what they hold (stable names: a workerd config lists
// its modules by name), every import of them rewritten. A module of
// re-exports alone (api.js) becomes an empty chunk that entries import for
// its (no) side effects: neither the chunk nor those imports are written.
const chunkName = new Map();
const empty = [];
for (const [out, meta] of Object.entries(esm.metafile.outputs)) {
  if (!out.startsWith("pkg/chunks/")) continue;
  const from = out.slice("pkg/chunks/".length);
  if (readFileSync(out, "utf8").trim() === "") {
    empty.push(from);
    continue;
  }
  const libs = Object.keys(meta.inputs).map((p) => p.match(/lib\/([\w-]+)\.js$/)?.[1]).filter(Boolean);
  let base = libs.includes("glue") ? "client" : libs.includes("emulator-core") ? "emulator" : libs.includes("limiter") ? "limiter" : libs.sort().join("-") || "shared";
  for (let n = 2; [...chunkName.values()].includes(`${base}.js`); n++) base = `${base.replace(/-\d+$/, "")}-${n}`;
  chunkName.set(from, `${base}.js`);
}
const bareImport = (from) => new RegExp(`import\\s*"(?:\\.\\.?/)+chunks/${from.replace(/[.$]/g, "\\$&")}";?`, "g");
for (const out of Object.keys(esm.metafile.outputs).filter((o) => o.endsWith(".js"))) {
  if (empty.some((from) => out === `pkg/chunks/${from}`)) continue;
  let text = readFileSync(out, "utf8");
  for (const from of empty) text = text.replace(bareImport(from), "");
  for (const [from, to] of chunkName) text = text.split(`/${from}"`).join(`/${to}"`);
  const entry = esm.metafile.outputs[out].entryPoint;
  const head = entry && heads.get(posix(entry));
  writeFileSync(out, head && !text.startsWith(head) ? `${head}\n${text}` : text);
}
for (const from of empty) rmSync(`pkg/chunks/${from}`);
for (const [from, to] of chunkName) renameSync(`pkg/chunks/${from}`, `pkg/chunks/${to}`);
// An outdir build writes `.js`: `.mjs` entries get their extension back.
for (const [out, meta] of Object.entries(esm.metafile.outputs)) {
  if (meta.entryPoint?.endsWith(".mjs")) renameSync(out, out.replace(/\.js$/, ".mjs"));
}
await Promise.all(entries);
// A bundle must keep the error classes' names (their `name` comes from
// them): esbuild renames a clashing top-level name with a digit suffix.
// (Whitespace minified: a declaration is anywhere on a line, `=class`.)
for (const f of walk("pkg").filter((f) => /\.(c|m)?js$/.test(f))) {
  const renamed = readFileSync(f, "utf8").match(/(?:\bclass\s+|\b(?:var|let|const)\s+)(?:Tim[A-Za-z]*Error|EmulatorCore)\d+(?:\s*=\s*class\b|\s+extends\b|\s*\{)/);
  if (renamed) throw new Error(`${f}: the bundle renamed ${renamed[0]}`);
}
cpSync("LICENSE", "pkg/LICENSE");

// The npm README: the user-facing part of the repository README, written once.
const readme = readFileSync("README.md", "utf8");
const part = /<!-- npm-readme-start -->\n([\s\S]*)<!-- npm-readme-end -->/.exec(readme);
if (!part) throw new Error("README.md lost its npm-readme markers");
const introAt = readme.indexOf("A client for the conversation service");
if (introAt < 0) throw new Error("README.md lost its introduction");
const about = readme.slice(introAt, readme.indexOf("<!-- npm-readme-start -->"));
writeFileSync("pkg/README.md", `# tim-recentcontact\n\n${about}${part[1]}`);

// index.d.ts: the tsify/wasm-bindgen declarations (less the web glue's
// loader types) plus the error classes.
let types = readFileSync(`${glueDir}/${name}.d.ts`, "utf8");
if (!types.includes("export type InitInput")) throw new Error("unexpected wasm-bindgen .d.ts (web target)");
types = types.slice(0, types.indexOf("export type InitInput"));
if (!types.includes("export class ConversationClient")) throw new Error("unexpected wasm-bindgen .d.ts");
// `Symbol.dispose` (from the glue) and `Symbol.asyncDispose` (client.js) need
// lib esnext.disposable: the declarations reference it (TypeScript 5.2 or
// newer), so `using` and `await using` type-check whatever the project's lib.
if (!/^\s*\[Symbol\.dispose\]\(\): void;$/m.test(types)) throw new Error("the glue's declarations lost [Symbol.dispose]");
// ClientOptions: one credential and one destination, as the types say it.
const optionsAt = types.indexOf("export interface ClientOptions {");
if (optionsAt < 0) throw new Error("ClientOptions lost");
// Options lib/options.js handles in JavaScript (the core never sees them).
types = types.replace(
  "export interface ClientOptions {",
  `export interface ClientOptionsFields {
    /** Appended to the \`User-Agent\` (\`tim-recentcontact/<version>\`). */
    userAgent?: string;
    /** Called with every HTTP answer, before its body is read. */
    onResponse?: (response: { command: string; url: string; status: number; headers: Headers; durationMs: number }) => void;
    /** Where events are logged, a line each; \`console\` when only \`logLevel\` is given. */
    logger?: { debug?(...args: unknown[]): void; info?(...args: unknown[]): void; warn?(...args: unknown[]): void; error?(...args: unknown[]): void };
    /** The least level logged; default \`"warn"\`. */
    logLevel?: "debug" | "info" | "warn" | "error" | "off";`,
);
types = `${types.trimEnd()}

/**
 * Options of \`new ConversationClient(…)\`: \`secretKey\` or \`userSig\` (not
 * both), and \`region\` or \`baseUrl\` (not both; neither means \`"china"\`).
 */
export type ClientOptions = Omit<ClientOptionsFields, "secretKey" | "userSig" | "region" | "baseUrl"> &
    (
        | { /** The app's secret key: the client signs, caches and renews its own admin UserSig. */ secretKey: string; userSig?: never }
        | { /** A ready admin UserSig (no renewal is possible). */ userSig: string; secretKey?: never; userSigTtlSeconds?: never }
    ) &
    (
        | { /** The SDKAppID's data centre; default \`"china"\`. */ region?: ClientOptionsFields["region"]; baseUrl?: never }
        | { /** Instead of \`region\`: an origin, or origins main first (failover). */ baseUrl: string | string[]; region?: never }
    );
`;
// BulkOperation: one member per method of the class that is one call
// (what bulk.js's callMethods finds at run time), read from its declaration.
const classBody = types.slice(types.indexOf("export class ConversationClient"), types.indexOf("\n}\n", types.indexOf("export class ConversationClient")));
const calls = [...classBody.matchAll(/^ {4}(\w+)\(params: (\w+), options\?: CallOptions \| null\): Promise<([^\n]*)>;$/gm)].map((m) => [m[1], m[2], m[3]]);
if (!calls.some(([m]) => m === "getConversationGroups")) throw new Error(`unexpected methods in the glue's declarations: ${calls.map(([m]) => m)}`);
const bulkOperations = calls.map(([method, params]) => `    | { method: "${method}"; params: ${params} }`).join("\n") + ";";
const bulkValues = calls.map(([method, , value]) => `    ${method}: ${value};`).join("\n");

writeFileSync(
  "pkg/index.d.ts",
  `/// <reference lib="esnext.disposable" />
${types.trimEnd()}

/** Methods written in JavaScript on top of the wasm class. */
export interface ConversationClient {
    /** For \`await using\`: \`free()\`, settled once the client is freed (after its last call). */
    [Symbol.asyncDispose](): Promise<void>;
    /**
     * Every conversation of a user, across all pages of \`get_list\`, for \`for await\`.
     * Starts at \`params.cursor\` when given.
     */
    listConversations(params: ListConversationsParams, options?: CallOptions): AsyncIterableIterator<ConversationListItem>;
    /**
     * The pages of a paged read, for \`for await\`: each page is one call of
     * \`method\` with \`options\`, from \`params.cursor\` when given, until the
     * last page. Stops with \`TimDecodeError\` past the client's \`maxPages\`
     * or \`maxItems\`, or when the service's cursor does not advance.
     */
    paginate(method: "listConversationsPage", params: ListConversationsParams, options?: CallOptions): AsyncIterableIterator<ConversationListPage>;
    paginate(method: "getConversationGroupsPage", params: GetConversationGroupsParams, options?: CallOptions): AsyncIterableIterator<ConversationGroupsPage>;
    /**
     * Runs any number of operations at the service's ceiling (through the
     * client's pacer), \`concurrency\` at a time, never stopping at one failure.
     * Lists longer than one call allows are split into documented-size calls
     * (update: 100 conversations, mark: 100 items, search: 300). Resolves to a
     * report with every operation's outcome, in order.
     */
    bulk<O extends BulkOperation>(operations: Iterable<O>, options?: BulkOptions): Promise<BulkReport<O["method"]>>;
    /**
     * Acts on the service's \`Alert.RequestOverLimit\` callback (sent when an
     * API is called at 80 % of its limit; verify it with
     * \`tim-recentcontact/callbacks\` first): when it names one of this
     * service's commands (\`ServiceName\` "recentcontact"), that command's
     * rate is halved, as a 60007 would halve it (with a \`rateLimiter\`: its
     * \`penalize\`), and a \`rate-alert\` event is sent. Returns whether it did.
     * A body of another shape is a TimValidationError naming the field.
     */
    observeRateAlert(alert: RequestOverLimitAlert): boolean;
}

/** The body of the service's \`Alert.RequestOverLimit\` callback. */
export interface RequestOverLimitAlert {
    CallbackCommand: "Alert.RequestOverLimit";
    /** The API's service, the first part of its path: "recentcontact" for this package's commands. */
    ServiceName: string;
    /** The API's command, e.g. "get_list". */
    Command: string;
    /** Its calls per second now. */
    Request: number;
    /** Its calls-per-second limit. */
    Limit: number;
}

/** One operation of \`bulk\`: a method name and its params. */
export type BulkOperation =
${bulkOperations}

export interface BulkOptions {
    /** Operations in flight at once, 1 to 1000; default 16. */
    concurrency?: number;
    /** Stops starting operations and aborts those in flight; the report says which ran. */
    signal?: AbortSignal;
    /** Called every \`progressIntervalMs\` while work goes on, and once at the end (\`final: true\`). */
    onProgress?: (progress: BulkProgress) => void;
    /** Default 1000. */
    progressIntervalMs?: number;
}

export interface BulkProgress {
    done: number;
    succeeded: number;
    failed: number;
    aborted: number;
    total: number;
    /** Method calls finished so far (a split operation makes several). */
    calls: number;
    callsPerSecond: number;
    /** Estimated time left; undefined until something is done. */
    etaMs?: number;
    final: boolean;
}

/** A method \`bulk\` runs. */
export type BulkMethod = BulkOperation["method"];

/** What each method of \`bulk\` resolves to. */
export interface BulkValues {
${bulkValues}
}

interface BulkResultOf<M extends BulkMethod> {
    index: number;
    method: M;
    /** Service calls it made. */
    calls: number;
}

/** One operation's outcome; narrows on \`status\` and \`method\`. \`partial\`: a split operation's merged results before it failed. */
export type BulkResult<M extends BulkMethod = BulkMethod> = M extends BulkMethod
    ?
          | (BulkResultOf<M> & { status: "ok"; value: BulkValues[M]; error?: undefined; partial?: undefined })
          | (BulkResultOf<M> & { status: "failed"; error: TimError; value?: undefined; partial?: BulkValues[M] })
          | (BulkResultOf<M> & { status: "aborted"; error: TimAbortError; value?: undefined; partial?: BulkValues[M] })
    : never;

export interface BulkReport<M extends BulkMethod = BulkMethod> {
    total: number;
    succeeded: number;
    failed: number;
    /** Operations not run, or stopped, because the signal aborted. */
    aborted: number;
    calls: number;
    durationMs: number;
    /** One per operation, in the order given. */
    results: BulkResult<M>[];
}


// ---- Error classes (pkg-template/lib/errors.d.ts) ----

${readFileSync("pkg-template/lib/errors.d.ts", "utf8").trimEnd()}\n`,
);

// The declarations are written once, in types/ (a CommonJS folder: its
// package.json says so), and every entry's \`.d.ts\` (ES) and \`.d.cts\`
// (CommonJS, for \`require\` under module node16/nodenext) re-exports them:
// an ES module may take a CommonJS module's types, not the other way round,
// and a \`.js\` specifier is one that TypeScript and Deno both map to a
// \`.d.ts\`. (Two full copies cost ~13 KB of the tarball.)
const DECLARATIONS = {
  "index.d.ts": "index",
  "manual.d.ts": "manual",
  "emulator/index.d.ts": "emulator",
  "emulator/node.d.ts": "emulator-node",
  "limiter/index.d.ts": "limiter",
  "otel.d.ts": "otel",
  "callbacks.d.ts": "callbacks",
};
mkdirSync("pkg/types", { recursive: true });
writeFileSync("pkg/types/package.json", `${JSON.stringify({ type: "commonjs" })}\n`);
// A type-only import names the file (\`./x.d.ts\`); any other import or
// re-export names the module (\`./x.js\`, as TypeScript wants) after Deno's
// \`@ts-types\` pragma naming the file (Deno maps no \`.js\` to a \`.d.ts\`).
// \`text\` was written as pkg/\`original\` and goes to directory \`outDir\`.
function linkDeclarations(text, original, outDir) {
  const types = posixPath.relative(outDir, "types") || ".";
  const prefix = types.startsWith(".") ? types : `./${types}`;
  return text
    .split("\n")
    .map((line) => {
      const m = /^(import|export)\b(.*?\bfrom\s+)"(\.{1,2}\/[^"]+?)(?:\.d\.ts|\.js)"(.*)$/.exec(line);
      if (!m) {
        if (/from\s+"\.|import\("\./.test(line)) throw new Error(`${original}: a relative import this build cannot link: ${line}`);
        return line;
      }
      const [, keyword, middle, spec, tail] = m;
      const target = DECLARATIONS[`${posixPath.normalize(posixPath.join(posixPath.dirname(original), spec))}.d.ts`];
      if (!target) throw new Error(`${original}: ${line} names no declaration file`);
      const to = `${prefix}/${target}`;
      if (/^\s*type\b/.test(middle)) return `${keyword}${middle}"${to}.d.ts"${tail}`;
      return `// @ts-types="${to}.d.ts"\n${keyword}${middle}"${to}.js"${tail}`;
    })
    .join("\n");
}
for (const [path, name] of Object.entries(DECLARATIONS)) {
  writeFileSync(`pkg/types/${name}.d.ts`, linkDeclarations(readFileSync(`pkg/${path}`, "utf8"), path, "types"));
  const stub = linkDeclarations(`export * from "./${posixPath.basename(path)}";\n`, path, posixPath.dirname(path));
  writeFileSync(`pkg/${path}`, stub);
  writeFileSync(`pkg/${path.replace(/\.d\.ts$/, ".d.cts")}`, stub);
}

const pkg = JSON.parse(readFileSync("pkg-template/package.json", "utf8"));
pkg.version = version;
// Every file written above, and nothing else.
pkg.files = walk("pkg").map((f) => relative("pkg", f).split(sep).join("/")).filter((f) => f !== "package.json" && !f.startsWith(".")).sort();
writeFileSync("pkg/package.json", `${JSON.stringify(pkg, null, 2)}\n`);
