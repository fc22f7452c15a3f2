import m from "./node.cjs";
export const { createEmulator, DEFAULT_CREDENTIALS, EMULATOR_LIMITS, FAULT_KINDS } = m;
