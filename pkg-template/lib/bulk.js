// `client.bulk(operations, options)`: any number of operations, run at the
// service's ceiling through the client's pacer, never stopping at one
// failure, with progress, abort, and a report that accounts for every
// operation. Lists longer than one call allows are split here into
// documented-size calls; the single-call methods keep their limits.
//
// What the caller hands it is read once, inside try/catch (CONTRIBUTING,
// "Reading JavaScript"): the iterable when the job starts (a throwing
// iterator is a TimValidationError for `operations`), each operation's
// `method` and `params` when it runs (a throwing getter fails that
// operation alone, with a TimValidationError), the options when it starts.

import { readInput, invalidInput as invalid } from "./input.js";

/**
 * How the methods whose lists have a documented per-call limit split a
 * longer list. `bulk` runs every method of the client that is one call
 * (the endpoint table's, and getConversationGroups); the rest are not split.
 */
const SPLITS = {
  updateConversationGroup: {
    // add + remove: at most 100 conversations per call (51006).
    chunks(p) {
      const all = [...(p.add ?? []).map((c) => ["add", c]), ...(p.remove ?? []).map((c) => ["remove", c])];
      if (all.length <= 100) return [p];
      const { add: _add, remove: _remove, ...rest } = p;
      return slices(all, 100).map((part) => {
        const add = part.filter(([a]) => a === "add").map(([, c]) => c);
        const remove = part.filter(([a]) => a === "remove").map(([, c]) => c);
        return { ...rest, ...(add.length && { add }), ...(remove.length && { remove }) };
      });
    },
    merge: (parts) => ({ ...parts[parts.length - 1], results: parts.flatMap((r) => r.results) }),
  },
  markConversations: {
    // At most 100 items per call.
    chunks: (p) => slices(p.items, 100).map((items) => ({ ...p, items })),
    merge: (parts) => ({ results: parts.flatMap((r) => r.results) }),
  },
  searchConversationGroups: {
    // At most 300 conversations per call.
    chunks: (p) => slices(p.conversations, 300).map((conversations) => ({ ...p, conversations })),
    merge(parts) {
      const seen = new Set();
      const groups = parts.flatMap((r) => r.groups).filter((g) => !seen.has(g.groupId) && seen.add(g.groupId));
      return { groups, conversations: parts.flatMap((r) => r.conversations) };
    },
  },
};

/** The most operations one bulk runs (its report holds one result each). */
const MAX_OPERATIONS = 10_000_000;

/** An async listener's rejection is not an unhandled one (a hostile thenable's `then` is read in try/catch). */
function ignoreRejection(returned) {
  try {
    if (returned !== null && typeof returned === "object" && typeof returned.then === "function") Promise.resolve(returned).catch(() => {});
  } catch {}
}

function slices(list, size) {
  if (!Array.isArray(list) || list.length <= size) return [list];
  const out = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}

/** The client's methods that are one call each, as the wasm class has them (not the pagers, not bulk). */
export function callMethods(proto) {
  const not = new Set(["constructor", "free", "bulk", "paginate", "listConversations"]);
  return Object.getOwnPropertyNames(proto).filter(
    (n) => !not.has(n) && !n.startsWith("__") && typeof Object.getOwnPropertyDescriptor(proto, n).value === "function",
  );
}

export function installBulk(ConversationClient, makeError) {
  const methods = callMethods(ConversationClient.prototype);
  // A params refusal of one operation, named as the caller wrote it: `operations[3].params.items`.
  const withIndex = (e, index) => {
    const field = e.field === "params" ? `operations[${index}].params` : `operations[${index}].params.${e.field}`;
    return invalid(field, e.reason);
  };

  Object.defineProperty(ConversationClient.prototype, "bulk", {
    configurable: true,
    writable: true,
    value: async function bulk(operations, options) {
      let ops;
      try {
        if (operations == null || typeof operations === "string" || typeof operations[Symbol.iterator] !== "function") throw invalid("operations", "must be an array (or iterable) of { method, params }");
        // Counted before (an array) or while (any iterable) it is copied.
        const tooMany = (n) => invalid("operations", `holds ${n} operations; one bulk runs at most ${MAX_OPERATIONS}: split the job`);
        if (Array.isArray(operations) && operations.length > MAX_OPERATIONS) throw tooMany(operations.length);
        ops = [];
        for (const op of operations) {
          if (ops.length === MAX_OPERATIONS) throw tooMany(`more than ${MAX_OPERATIONS}`);
          ops.push(op);
        }
      } catch (e) {
        throw e?.kind === "validation" ? e : invalid("operations", "could not be read (iterating it threw, or a Proxy trap did)");
      }
      let concurrency, signal, onProgress, progressIntervalMs;
      try {
        ({ concurrency = 16, signal, onProgress, progressIntervalMs = 1000 } = options ?? {});
      } catch {
        throw invalid("options", "could not be read (a getter or Proxy trap threw)");
      }
      if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 1000) throw invalid("options.concurrency", "must be a whole number from 1 to 1000");
      if (!(typeof progressIntervalMs === "number" && progressIntervalMs >= 0)) throw invalid("options.progressIntervalMs", "must be a number of milliseconds");
      if (onProgress !== undefined && typeof onProgress !== "function") throw invalid("options.onProgress", "must be a function");
      // The signal's watch (signal.js): read through it alone from here on.
      const watch = readInput({ signal }, "call").signal;
      const callOptions = watch ? { signal: watch } : undefined;

      const started = Date.now();
      const results = new Array(ops.length);
      let next = 0;
      let succeeded = 0;
      let failed = 0;
      let aborted = 0;
      let calls = 0;
      let lastReport = -Infinity;
      const progress = (final) => {
        const now = Date.now();
        if (!onProgress || (!final && now - lastReport < progressIntervalMs)) return;
        lastReport = now;
        const done = succeeded + failed + aborted;
        const seconds = Math.max(now - started, 1) / 1000;
        const opsPerSecond = done / seconds;
        try {
          ignoreRejection(onProgress({
            done, succeeded, failed, aborted, total: ops.length, calls,
            callsPerSecond: calls / seconds,
            etaMs: done === ops.length ? 0 : opsPerSecond > 0 ? Math.round(((ops.length - done) / opsPerSecond) * 1000) : undefined,
            final,
          }));
        } catch {
          // A throwing listener does not stop the job.
        }
      };
      const ticker = onProgress && progressIntervalMs > 0 ? setInterval(() => progress(false), progressIntervalMs) : undefined;

      const runOne = async (index) => {
        const op = ops[index];
        ops[index] = undefined; // what is done is not held
        let method;
        let opParams;
        let unreadable = null;
        try {
          if (op !== null && typeof op === "object") ({ method, params: opParams } = op);
        } catch {
          unreadable = invalid(`operations[${index}]`, "could not be read (a getter or Proxy trap threw)");
        }
        const record = (status, extra) => {
          results[index] = { index, method: typeof method === "string" ? method : undefined, status, calls: extra.calls ?? 0, ...extra };
          if (status === "ok") succeeded += 1;
          else if (status === "aborted") aborted += 1;
          else failed += 1;
        };
        if (watch?.aborted()) return record("aborted", { error: makeError({ kind: "abort", retryable: false, command: "", cause: watch.reason(), message: "bulk: aborted before it ran" }) });
        if (unreadable) return record("failed", { error: unreadable });
        if (typeof method !== "string" || !methods.includes(method)) {
          return record("failed", { error: invalid(`operations[${index}].method`, `must be one of ${methods.join(", ")}`) });
        }
        const split = Object.hasOwn(SPLITS, method) ? SPLITS[method] : null;
        let params;
        try {
          // Read once, with no list limits yet: the split makes documented-size calls.
          params = split ? readInput(opParams, "bulk", method) : opParams;
        } catch (error) {
          return record("failed", { error: error?.kind === "validation" ? withIndex(error, index) : error });
        }
        let parts;
        try {
          parts = split ? split.chunks(params) : [params];
        } catch {
          parts = [params]; // not of the method's shape: the method names the mistake
        }
        const values = [];
        let used = 0;
        for (const params of parts) {
          used += 1;
          try {
            values.push(await this[method](params, callOptions));
            calls += 1;
          } catch (error) {
            calls += 1;
            const partial = values.length && split ? { partial: split.merge(values) } : {};
            return record(error?.kind === "abort" ? "aborted" : "failed", { error, calls: used, ...partial });
          }
        }
        record("ok", { value: split ? split.merge(values) : values[0], calls: used });
      };
      const worker = async () => {
        while (next < ops.length) {
          const i = next++;
          await runOne(i);
          progress(false);
        }
      };
      try {
        await Promise.all(Array.from({ length: Math.min(concurrency, ops.length) }, worker));
      } finally {
        if (ticker !== undefined) clearInterval(ticker);
      }
      progress(true);
      return { total: ops.length, succeeded, failed, aborted, calls, durationMs: Date.now() - started, results };
    },
  });
}
