//! Every documented limit of the conversation service, once.

/// The largest integer a JavaScript `number` holds exactly (2^53 - 1).
pub const MAX_SAFE_INTEGER: u64 = (1 << 53) - 1;

/// Longest conversation group name, in UTF-8 bytes (seeds 002 and 004; 51011).
pub const MAX_GROUP_NAME_BYTES: usize = 32;
/// Most conversation groups one user may have (51010).
pub const MAX_GROUPS_PER_USER: usize = 20;
/// Most conversations across all of a user's groups (51008).
pub const MAX_GROUPED_CONVERSATIONS: usize = 1000;
/// Most conversations changed by one `update_contact_group` request (51006).
pub const MAX_UPDATE_CONVERSATIONS: usize = 100;
/// Documented call rate per command, per second.
pub const MAX_CALLS_PER_SECOND: u32 = 200;
/// Largest value of the `random` query parameter (it is a u32).
pub const MAX_RANDOM: u32 = u32::MAX;
/// Most conversations one `search_contact_group` request may name.
pub const MAX_SEARCH_CONVERSATIONS: usize = 300;
/// Most items of one `mark_contact` request (51006).
pub const MAX_MARK_ITEMS: usize = 100;
/// Longest custom conversation mark, in UTF-8 bytes.
pub const MAX_CUSTOM_MARK_BYTES: usize = 256;
/// Most conversations that may carry marks (51008).
pub const MAX_MARKED_CONVERSATIONS: usize = 1000;
/// Most conversations a read returns, by the app's edition: 100 on the base
/// edition, 500 on higher ones (kept 7 days); groups and marks cannot be
/// read completely past it either. A complete read of exactly one of these
/// may have been cut short.
pub const PULL_CAPS: [usize; 2] = [100, 500];

/// Longest account or group ID the client sends, in UTF-8 bytes. Not a
/// limit the service states for these commands (its account pages say a
/// UserID is at most 32 bytes, a group ID at most 48): a local cap, well
/// above both, so that runaway input (a request body passed straight in) is
/// refused before it is copied or sent.
pub const MAX_ID_BYTES: usize = 256;

/// Largest argument (params or options) the JavaScript package reads, as
/// JSON bytes (an estimate made while reading it): no call of this API
/// takes more — 1000 conversations of 256-byte IDs are about 300 KiB.
pub const MAX_ARGUMENT_BYTES: usize = 1024 * 1024;
/// Longest string of any other field (a UserSig, a URL, a cursor), in
/// UTF-8 bytes, before it is copied.
pub const MAX_OTHER_STRING_BYTES: usize = 8192;
/// Longest list of any field without a limit of its own: the largest
/// documented list ([`MAX_GROUPED_CONVERSATIONS`]).
pub const MAX_OTHER_LIST_ITEMS: usize = MAX_GROUPED_CONVERSATIONS;
/// Deepest nesting of an argument (the API's own shapes are 4 deep).
pub const MAX_ARGUMENT_DEPTH: usize = 32;

/// The limits the JavaScript package checks *before* it copies an
/// argument into wasm (`lib/input.js`), as JSON: the same constants the
/// validators use, so the cheap check and the full one cannot disagree.
/// `strings` are UTF-8 byte caps by field name, `lists` item caps by field
/// name, `methodLists` a method's own tighter caps. The package carries
/// them as `pkg-template/lib/caps.js` (written from here, and held to it,
/// by the test below): asking the wasm at load cost a first wasm call and
/// its lazy compilation on every cold start.
pub fn input_caps_json() -> String {
    format!(
        concat!(
            r#"{{"argumentBytes":{},"depth":{},"otherStringBytes":{},"otherListItems":{},"#,
            r#""strings":{{"groupName":{g},"newGroupName":{g},"customMark":{},"fromAccount":{i},"toAccount":{i},"toGroupId":{i}}},"#,
            r#""lists":{{"items":{},"add":{u},"remove":{u},"conversations":{}}},"#,
            r#""methodLists":{{"searchConversationGroups":{{"conversations":{}}}}}}}"#
        ),
        MAX_ARGUMENT_BYTES,
        MAX_ARGUMENT_DEPTH,
        MAX_OTHER_STRING_BYTES,
        MAX_OTHER_LIST_ITEMS,
        MAX_CUSTOM_MARK_BYTES,
        MAX_MARK_ITEMS,
        MAX_GROUPED_CONVERSATIONS,
        MAX_SEARCH_CONVERSATIONS,
        g = MAX_GROUP_NAME_BYTES,
        i = MAX_ID_BYTES,
        u = MAX_UPDATE_CONVERSATIONS,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn input_caps_are_json_with_the_validators_constants() {
        let v: serde_json::Value = serde_json::from_str(&input_caps_json()).unwrap();
        assert_eq!(v["argumentBytes"], 1_048_576);
        assert_eq!(v["strings"]["groupName"], 32);
        assert_eq!(v["strings"]["newGroupName"], 32);
        assert_eq!(v["strings"]["customMark"], 256);
        assert_eq!(v["strings"]["fromAccount"], MAX_ID_BYTES);
        assert_eq!(v["lists"]["items"], 100);
        assert_eq!(v["lists"]["add"], 100);
        assert_eq!(v["lists"]["conversations"], 1000);
        assert_eq!(v["methodLists"]["searchConversationGroups"]["conversations"], 300);
        assert_eq!(v["otherListItems"], 1000);
    }

    /// `lib/caps.js` is these limits and the client's option keys, as this
    /// crate has them; `UPDATE_FIXTURES=1 cargo test` writes it.
    #[test]
    fn the_packages_caps_are_the_validators() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/pkg-template/lib/caps.js");
        let want = format!(
            "// Written by `UPDATE_FIXTURES=1 cargo test` from src/limits.rs\n\
             // (`input_caps_json`, `CLIENT_OPTION_KEYS`), and held to it by that\n\
             // test: the core's limits that lib/input.js checks before it copies an\n\
             // argument, and the client options the core reads (lib/options.js\n\
             // looks for near misses of its own options among the other keys).\n\
             export const INPUT_CAPS = {};\n\
             export const CLIENT_OPTION_KEYS = {};\n",
            input_caps_json(),
            serde_json::to_string(crate::client::CLIENT_OPTION_KEYS).unwrap()
        );
        if std::env::var_os("UPDATE_FIXTURES").is_some() {
            std::fs::write(path, &want).unwrap();
        }
        let have = std::fs::read_to_string(path).unwrap_or_default();
        assert!(
            have == want,
            "{path} is not the core's limits: run `UPDATE_FIXTURES=1 cargo test`"
        );
    }
}
