/* @ts-self-types="./index.d.ts" */
import { verifyUserSig } from "../edge.js";
import { EmulatorCore } from "../lib/emulator-core.js";
export { DEFAULT_CREDENTIALS, EMULATOR_LIMITS, FAULT_KINDS } from "../lib/emulator-core.js";
export const createEmulator = (options) => new EmulatorCore({ verifyUserSig }, options);
