import { createRequire } from "node:module";
const m = createRequire(import.meta.url)("./node.cjs");
export const { createEmulator, DEFAULT_CREDENTIALS, EMULATOR_LIMITS, FAULT_KINDS } = m;
