// verifyUserSig: params that are plain (a whole sdkAppId in u32 range,
// well-formed strings, nowSeconds a non-negative safe integer or absent, no
// other key) cross into wasm as arguments, and the result comes back as one
// JSON text; anything else takes the glue's full path, which reads the
// params the same way and names the mistake. The emulator verifies every
// request with it, so the saving counts there too.
import { genUserSig as sign, verifyUserSig as full, __verifyUserSigArgs as byArgs } from "./glue.js";
import { readInput } from "./input.js";
import { retakeStack } from "./client.js";

const wellFormed = typeof String.prototype.isWellFormed === "function" ? (s) => s.isWellFormed() : () => false;

/** The params' fields when they are plain, read once (a getter is not asked twice); else null. */
function plain(params) {
  if (params === null || typeof params !== "object") return null;
  for (const k in params) if (k !== "sdkAppId" && k !== "secretKey" && k !== "userSig" && k !== "nowSeconds") return null;
  const { sdkAppId, secretKey, userSig, nowSeconds } = params;
  const ok =
    Number.isInteger(sdkAppId) &&
    sdkAppId >= 0 &&
    sdkAppId <= 0xffffffff &&
    typeof secretKey === "string" &&
    wellFormed(secretKey) &&
    typeof userSig === "string" &&
    wellFormed(userSig) &&
    (nowSeconds == null || (Number.isSafeInteger(nowSeconds) && nowSeconds >= 0));
  return ok ? [sdkAppId, secretKey, userSig, nowSeconds ?? NaN] : null;
}

/** Verifies a UserSig; throws TimAuthError (invalid, wrong app, wrong key, expired). */
export function verifyUserSig(params) {
  try {
    const copy = readInput(params, "params");
    const fields = plain(copy);
    return fields === null ? full(copy) : JSON.parse(byArgs(...fields));
  } catch (e) {
    retakeStack(e, verifyUserSig); // the caller's line first
    throw e;
  }
}

/** Signs a UserSig (TLS signature version 2). */
export function genUserSig(params) {
  try {
    return sign(readInput(params, "params"));
  } catch (e) {
    retakeStack(e, genUserSig);
    throw e;
  }
}
