// Node.js, import: the same instance as require(), so classes and
// `instanceof` agree whichever way the package is loaded.
import { createRequire } from "node:module";
const m = createRequire(import.meta.url)("./node.cjs");
export const {
  ConversationClient,
  genUserSig,
  verifyUserSig,
  __memoryStats,
  TimError,
  TimValidationError,
  TimApiError,
  TimAuthError,
  TimHttpError,
  TimNetworkError,
  TimTimeoutError,
  TimDecodeError,
  TimAbortError,
  isTimError,
} = m;
