//! Judging a write from the state read back after it failed ambiguously
//! (timeout, lost connection, 5xx, a service timeout code): what each
//! write's [`Endpoint::reconcile`](super::Endpoint::reconcile) shares.

use super::contact_groups::ConversationGroups;
use crate::model::{Conversation, ConversationResult};

/// "Invalid parameter": among others, a group of that name already exists.
pub const CODE_INVALID_PARAMETER: i64 = 50002;
/// The conversation group does not exist.
pub const CODE_NO_SUCH_GROUP: i64 = 51009;

/// Whether `conversation` is (`want_member`) or is not (`!want_member`) in
/// group `group_id`, as a per-conversation result: `ok` when it is as wanted.
pub fn membership(
    all: &ConversationGroups,
    conversation: &Conversation,
    group_id: u64,
    want_member: bool,
) -> ConversationResult {
    let member = all
        .conversations
        .iter()
        .any(|m| &m.conversation == conversation && m.group_ids.contains(&group_id));
    let ok = member == want_member;
    ConversationResult {
        conversation: conversation.clone(),
        ok,
        result_code: if ok { 0 } else { -1 },
        result_info: if ok {
            String::new()
        } else if want_member {
            "not in the group when the state was read back".into()
        } else {
            "still in the group when the state was read back".into()
        },
    }
}
