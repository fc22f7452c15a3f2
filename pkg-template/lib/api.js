// The package's public exports, the same from every entry.
export { ConversationClient, genUserSig, __memoryStats } from "./glue.js";
export { verifyUserSig } from "./usersig.js";
export {
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
} from "./errors.js";
