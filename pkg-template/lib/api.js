// The package's public exports, the same from every entry (node.mjs spells
// them out, since it exports whichever instance of them loaded first).
export { __memoryStats } from "./glue.js";
export { ConversationClient } from "./client.js";
export { genUserSig, verifyUserSig } from "./usersig.js";
export * from "./public-errors.js";
