// The error names the package exports (errors.js also has internal helpers).
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
