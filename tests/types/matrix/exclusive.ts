// The types forbid what the client refuses at run time; the emulator has
// `listen` only where it exists (this project resolves without "node").
import { ConversationClient } from "tim-recentcontact";
import { createEmulator, EMULATOR_LIMITS } from "tim-recentcontact/emulator";

// @ts-expect-error secretKey and userSig together
new ConversationClient({ sdkAppId: 1, identifier: "a", secretKey: "k", userSig: "s" });
// @ts-expect-error region and baseUrl together
new ConversationClient({ sdkAppId: 1, identifier: "a", secretKey: "k", region: "china", baseUrl: "http://127.0.0.1:1" });
// @ts-expect-error neither secretKey nor userSig
new ConversationClient({ sdkAppId: 1, identifier: "a" });
// @ts-expect-error userSigTtlSeconds only with secretKey
new ConversationClient({ sdkAppId: 1, identifier: "a", userSig: "s", userSigTtlSeconds: 60 });
new ConversationClient({ sdkAppId: 1, identifier: "a", userSig: "s", baseUrl: ["http://a", "http://b"] });
new ConversationClient({ sdkAppId: 1, identifier: "a", secretKey: "k", region: "riyadh" });

const emulator = createEmulator();
// @ts-expect-error listen exists only in Node
void emulator.listen;
const keys: (keyof typeof EMULATOR_LIMITS)[] = ["groupNameBytes", "requestBodyBytes", "deletedLog"];
void keys;
