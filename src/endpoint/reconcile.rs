//! What the state read back after a write failed ambiguously (timeout, lost
//! connection, 5xx, a service timeout code) shows — and why it never
//! settles the write's outcome.
//!
//! Every write of this service names its group by *name*, and names move:
//! another writer may rename, delete or re-create a group between our
//! request and our read-back, and no answer carries a version. So whatever
//! the read-back shows, someone else could have made it so (or undone what
//! we did): the state is evidence of what *is*, never of what *our request
//! did*. A group ID cannot tie the effect to us either, because the answer
//! that would have told us ours is the one that was lost. The client
//! therefore reports the read-back as it saw it ([`ReadBack`]) on an error
//! whose outcome is unknown, and never sends the write again (README,
//! "Ambiguous writes", has the rule table).

use crate::json_out::{Out, ToJson};
use crate::model::Conversation;
use crate::shapes::ConversationGroups;
pub use crate::shapes::ReadBack;

impl ToJson for ReadBack {
    fn write_json(&self, o: &mut Out) {
        o.raw(r#"{"looksApplied":"#);
        match self.looks_applied {
            Some(applied) => o.bool(applied),
            None => o.null(),
        }
        o.raw(r#","groups":"#);
        self.state.groups.write_json(o);
        o.raw(r#","conversations":"#);
        self.state.conversations.write_json(o);
        o.raw("}");
    }
}

/// `Some(true)` when every check holds, `Some(false)` when none does, `None`
/// for a mix (or no checks at all).
pub fn looks(checks: impl IntoIterator<Item = bool>) -> Option<bool> {
    let (mut yes, mut no) = (0usize, 0usize);
    for c in checks {
        if c {
            yes += 1;
        } else {
            no += 1;
        }
    }
    match (yes, no) {
        (0, 0) => None,
        (_, 0) => Some(true),
        (0, _) => Some(false),
        _ => None,
    }
}

/// The part of `all` a write concerns: the groups named `names` and the
/// conversations in `conversations`.
pub fn excerpt<'a>(
    all: &ConversationGroups,
    names: &[&str],
    conversations: impl Iterator<Item = &'a Conversation> + Clone,
) -> ConversationGroups {
    ConversationGroups {
        groups: all
            .groups
            .iter()
            .filter(|g| names.contains(&g.group_name.as_str()))
            .cloned()
            .collect(),
        conversations: all
            .conversations
            .iter()
            .filter(|m| conversations.clone().any(|c| *c == m.conversation))
            .cloned()
            .collect(),
    }
}

/// The ID of the group named `name` in `all`.
pub fn group_id(all: &ConversationGroups, name: &str) -> Option<u64> {
    all.groups.iter().find(|g| g.group_name == name).map(|g| g.group_id)
}

/// Whether `conversation` is in group `group_id` in `all`.
pub fn is_member(all: &ConversationGroups, conversation: &Conversation, group_id: u64) -> bool {
    all.conversations
        .iter()
        .any(|m| &m.conversation == conversation && m.group_ids.contains(&group_id))
}
