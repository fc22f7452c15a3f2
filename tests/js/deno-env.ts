// What the Deno growth tests share: V8's GC (run with
// --v8-flags=--expose-gc) and a record of unhandled rejections.
export const gc = (globalThis as { gc?: () => void }).gc as () => void;
if (!gc) throw new Error("run with --v8-flags=--expose-gc");

export const unhandled: unknown[] = [];
globalThis.addEventListener("unhandledrejection", (e) => {
  e.preventDefault();
  unhandled.push(e.reason);
});
