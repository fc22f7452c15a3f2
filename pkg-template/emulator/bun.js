/* @ts-self-types="./node.d.ts" */
// Bun: the client's Bun entry loads the .wasm first, then Node's emulator.
import "../bun.js";
export * from "./node.mjs";
