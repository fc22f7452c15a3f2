// tim-recentcontact/manual in Node.js, import: the package is loaded
// synchronously already; init() and initSync() have nothing left to do.
export * from "./node.mjs";
export async function init() {}
export function initSync() {}
