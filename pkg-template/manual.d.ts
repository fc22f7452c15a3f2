export * from "./index.js";
/** Loads the .wasm once (a URL, a Response, bytes or a compiled module; default: next to this file). */
export declare function init(wasm?: URL | string | Response | BufferSource | WebAssembly.Module): Promise<void>;
/** Loads the .wasm synchronously. */
export declare function initSync(wasm: BufferSource | WebAssembly.Module): void;
