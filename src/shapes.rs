//! The shapes of what the service keeps — conversations, groups, marks,
//! what a read-back saw: plain data on a low floor (no behaviour, nothing
//! of the crate used), so that `error` can carry a read-back without
//! reaching up. Their parsers, validation and JSON writers live with their
//! users (`model`, `endpoint::*`); the old paths re-export them.

use serde::{Deserialize, Serialize};

/// A conversation: one-to-one with a user, or a group chat.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[serde(tag = "type", deny_unknown_fields)]
pub enum Conversation {
    /// A one-to-one conversation (wire `Type` 1), identified by the peer's user ID.
    #[serde(rename = "c2c", rename_all = "camelCase")]
    C2c {
        /// The peer's user ID (wire `To_Account`).
        to_account: String,
    },
    /// A group conversation (wire `Type` 2), identified by the group ID.
    #[serde(rename = "group", rename_all = "camelCase")]
    Group {
        /// The group ID (wire `ToGroupId`, `ToGroupid` on delete).
        to_group_id: String,
    },
}

/// A conversation group: name and numeric ID.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct ConversationGroup {
    /// The group's name.
    pub group_name: String,
    /// The group's ID.
    #[cfg_attr(target_arch = "wasm32", tsify(type = "number"))]
    pub group_id: u64,
}

/// A conversation with its groups and marks (`get_contact_group`, `search_contact_group`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct MarkedConversation {
    /// The conversation.
    pub conversation: Conversation,
    /// The numbers (0 to 63) of its standard mark bits that are set, ascending.
    pub standard_marks: Vec<u8>,
    /// Its custom mark, when it has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub custom_mark: Option<String>,
    /// The IDs of the conversation groups it is in.
    #[cfg_attr(target_arch = "wasm32", tsify(type = "number[]"))]
    pub group_ids: Vec<u64>,
    /// When its group and mark data last changed (seconds), when given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(type = "number"))]
    pub timestamp: Option<u64>,
}

/// A user's conversation groups and grouped or marked conversations.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct ConversationGroups {
    /// The groups.
    pub groups: Vec<ConversationGroup>,
    /// Every conversation that is in a group or carries a mark.
    pub conversations: Vec<MarkedConversation>,
}

/// The state read back after an ambiguous write: the parts of the user's
/// groups and marks the write concerns, and whether they look as the write
/// asked. Attached to the error (`readBack` in JavaScript).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadBack {
    /// `Some(true)`: everything the write asked for shows; `Some(false)`:
    /// none of it does; `None`: part of it. What the state *looks like*, not
    /// what happened: another writer can make it look either way.
    pub looks_applied: Option<bool>,
    /// The groups the write names and the conversations it names, as read
    /// (a group or conversation absent here was not found).
    pub state: ConversationGroups,
}
