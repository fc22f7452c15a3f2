//! Every documented limit of the conversation service, once.

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
