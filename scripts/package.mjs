// Writes the non-wasm part of pkg/: entries and errors from pkg-template/,
// the CommonJS twin of errors.js, index.d.ts, and package.json with the
// crate's version.
import { readFileSync, writeFileSync, cpSync, rmSync } from "node:fs";

const [dts] = process.argv.slice(2);
const version = readFileSync("Cargo.toml", "utf8").match(/^version = "([^"]+)"/m)[1];

cpSync("pkg-template", "pkg", { recursive: true });
cpSync("LICENSE", "pkg/LICENSE");
rmSync("pkg/package.json");

// CommonJS twins for require(), generated so each module is written once.
function commonJs(path, required) {
  const esm = readFileSync(`pkg/${path}`, "utf8");
  const names = [...esm.matchAll(/^export (?:class|function|const) (\w+)/gm)].map((m) => m[1]);
  for (const n of required) if (!names.includes(n)) throw new Error(`${path} lost its export ${n}`);
  if (/^(import|export \{|export \*)/m.test(esm)) throw new Error(`${path} must be self-contained to become CommonJS`);
  const body = esm.replace(/^\/\* @ts-self-types=.*\n/m, "").replace(/^export (class|function|const) /gm, "$1 ");
  writeFileSync(`pkg/${path.replace(/\.js$/, ".cjs")}`, `"use strict";\n${body}\nmodule.exports = { ${names.join(", ")} };\n`);
}
commonJs("errors.js", ["TimError", "makeError", "isTimError"]);
commonJs("emulator/core.js", ["EmulatorCore", "DEFAULT_CREDENTIALS"]);
commonJs("paging.js", ["installPaging"]);
commonJs("bulk.js", ["installBulk"]);
commonJs("client.js", ["installClient"]);
commonJs("transport.js", ["installTransport"]);

// The npm README: the user-facing part of the repository README, written once.
const readme = readFileSync("README.md", "utf8");
const part = /<!-- npm-readme-start -->\n([\s\S]*)<!-- npm-readme-end -->/.exec(readme);
if (!part) throw new Error("README.md lost its npm-readme markers");
const introAt = readme.indexOf("A client for the conversation service");
if (introAt < 0) throw new Error("README.md lost its introduction");
const about = readme.slice(introAt, readme.indexOf("<!-- npm-readme-start -->"));
writeFileSync("pkg/README.md", `# tim-recentcontact\n\n${about}${part[1]}`);

// index.d.ts: the tsify/wasm-bindgen declarations plus the error classes.
let types = readFileSync(dts, "utf8");
if (!types.includes("export class ConversationClient")) throw new Error("unexpected wasm-bindgen .d.ts");
// `Symbol.dispose` needs lib esnext.disposable (or @types/node): a project
// without them and with skipLibCheck false would fail on it. The method is
// there at run time where the runtime has the symbol; free() is typed.
types = types.replace(/^\s*\[Symbol\.dispose\]\(\): void;\n/m, "");
if (types.includes("Symbol.dispose")) throw new Error("Symbol.dispose is still in the types");
// ClientOptions: one credential and one destination, as the types say it.
const optionsAt = types.indexOf("export interface ClientOptions {");
if (optionsAt < 0) throw new Error("ClientOptions lost");
types = types.replace("export interface ClientOptions {", "export interface ClientOptionsFields {");
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
writeFileSync(
  "pkg/index.d.ts",
  `${types.trimEnd()}

/** Methods written in JavaScript on top of the wasm class. */
export interface ConversationClient {
    /**
     * Every conversation of a user, across all pages of \`get_list\`, for \`for await\`.
     * Starts at \`params.cursor\` when given.
     */
    listConversations(params: ListConversationsParams, options?: CallOptions): AsyncIterableIterator<ConversationListItem>;
    /**
     * Runs any number of operations at the service's ceiling (through the
     * client's pacer), \`concurrency\` at a time, never stopping at one failure.
     * Lists longer than one call allows are split into documented-size calls
     * (update: 100 conversations, mark: 100 items, search: 300). Resolves to a
     * report with every operation's outcome, in order.
     */
    bulk(operations: Iterable<BulkOperation>, options?: BulkOptions): Promise<BulkReport>;
}

/** One operation of \`bulk\`: a method name and its params. */
export type BulkOperation =
    | { method: "deleteConversation"; params: DeleteConversationParams }
    | { method: "createConversationGroup"; params: CreateConversationGroupParams }
    | { method: "renameConversationGroup"; params: RenameConversationGroupParams }
    | { method: "updateConversationGroup"; params: UpdateConversationGroupParams }
    | { method: "deleteConversationGroup"; params: DeleteConversationGroupParams }
    | { method: "markConversations"; params: MarkConversationsParams }
    | { method: "searchConversationGroups"; params: SearchConversationGroupsParams }
    | { method: "getConversationGroups"; params: AllConversationGroupsParams }
    | { method: "getConversationGroupsPage"; params: GetConversationGroupsParams }
    | { method: "listConversationsPage"; params: ListConversationsParams };

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

/** What happened to one operation: \`ok\` with its value, or \`failed\` / \`aborted\` with its error. */
export interface BulkResult {
    index: number;
    method: string;
    status: "ok" | "failed" | "aborted";
    /** Service calls it made. */
    calls: number;
    value?: unknown;
    error?: TimError;
    /** For a split operation that failed part-way: the merged results of the calls that succeeded. */
    partial?: unknown;
}

export interface BulkReport {
    total: number;
    succeeded: number;
    failed: number;
    /** Operations not run, or stopped, because the signal aborted. */
    aborted: number;
    calls: number;
    durationMs: number;
    /** One per operation, in the order given. */
    results: BulkResult[];
}

import type { TimError } from "./errors.js";
export { TimError, TimValidationError, TimApiError, TimAuthError, TimHttpError, TimNetworkError, TimTimeoutError, TimDecodeError, TimAbortError, isTimError, type TimErrorKind, type AnyTimError, type TimErrorInit } from "./errors.js";\n`,
);

// CommonJS twins of the declarations (\`.d.cts\`), for \`require\` under
// module node16/nodenext: the same text with relative imports pointing at
// the twins.
function ctsTwin(path) {
  const text = readFileSync(`pkg/${path}`, "utf8").replace(
    /(from\s+|import\()"(\.{1,2}\/[^"]+?)(\.d\.ts|\.js)"/g,
    (_, head, spec) => `${head}"${spec}.cjs"`,
  );
  writeFileSync(`pkg/${path.replace(/\.d\.ts$/, ".d.cts")}`, text);
}
for (const f of ["index.d.ts", "errors.d.ts", "manual.d.ts", "emulator/index.d.ts", "emulator/node.d.ts"]) ctsTwin(f);

const pkg = JSON.parse(readFileSync("pkg-template/package.json", "utf8"));
pkg.version = version;
for (const f of pkg.files) readFileSync(`pkg/${f}`); // every listed file exists
writeFileSync("pkg/package.json", `${JSON.stringify(pkg, null, 2)}\n`);
