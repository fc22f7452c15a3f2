// Node.js, import: the same instance as require(), so classes and
// `instanceof` agree whichever way the package is loaded.
// A static import (not createRequire) so bundlers follow it.
import m from "./node.cjs";
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
