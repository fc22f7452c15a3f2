/* @ts-self-types="./index.d.ts" */
// Deno: checks the version, then loads deno-load.js. Deno before 2.6 cannot
// read deno-load.js's source phase import of the .wasm and fails with an
// error that names a module the package never asked for (2.5: "Module not
// found ...tim_recentcontact_bg.js"; 2.5.0: "Unexpected identifier"), so
// that import is only reached once the version is known to read it.
const [major, minor] = Deno.version.deno.split(".").map(Number);
if (major < 2 || (major === 2 && minor < 6)) {
  throw new Error(
    `tim-recentcontact needs Deno 2.6 or newer (it imports its .wasm as a compiled module); this is Deno ${Deno.version.deno}: run \`deno upgrade\``,
  );
}
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
} = await import("./deno-load.js");
