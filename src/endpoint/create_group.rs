//! `v4/recentcontact/create_contact_group`: create a conversation group (seed 002).

use crate::json_out::{group_head, Out, ToJson};
use crate::model::contact_items;
use serde::{Deserialize, Serialize};

use super::contact_groups::ConversationGroups;
use super::reconcile::{excerpt, group_id, is_member, looks, ReadBack};
use super::{decode_error, read_body, Endpoint};
use crate::error::{Error, Result};
use crate::json_in::{Read, Reader};
use crate::limits::MAX_GROUPED_CONVERSATIONS;
use crate::model::{group_name, non_empty, validate_all, Conversation, ConversationResult, WireGroupItem, WireResult};

/// Parameters of `createConversationGroup`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CreateConversationGroupParams {
    /// The user who owns the group (wire `From_Account`).
    pub from_account: String,
    /// The new group's name: 1 to 32 UTF-8 bytes.
    pub group_name: String,
    /// The conversations to put in it.
    pub conversations: Vec<Conversation>,
}

/// What `createConversationGroup` resolves to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct CreateConversationGroupResult {
    /// The group's name.
    pub group_name: String,
    /// The numeric ID the service gave the group.
    #[cfg_attr(target_arch = "wasm32", tsify(type = "number"))]
    pub group_id: u64,
    /// One result per conversation, in the service's order.
    pub results: Vec<ConversationResult>,
}

/// One `GroupResultItem`: the group and its conversations' results.
struct GroupResultItem {
    group: WireGroupItem,
    results: Vec<WireResult>,
}

impl GroupResultItem {
    fn read(r: &mut Reader) -> Read<Self> {
        let object = r.pos();
        let (mut group, mut results) = (None, Vec::new());
        r.object(|r, key| {
            match key {
                "GroupItem" => group = Some(WireGroupItem::read(r)?),
                "ResultItem" => results = r.opt_list(WireResult::read)?,
                _ => r.skip()?,
            }
            Ok(())
        })?;
        Ok(GroupResultItem {
            group: group.ok_or_else(|| Reader::missing(object, "GroupItem"))?,
            results,
        })
    }
}

impl Endpoint for CreateConversationGroupParams {
    const COMMAND: &'static str = "create_contact_group";
    const IDEMPOTENT: bool = false;
    type Output = CreateConversationGroupResult;

    fn validate(&self) -> Result<()> {
        non_empty("fromAccount", &self.from_account)?;
        group_name("groupName", &self.group_name)?;
        if self.conversations.len() > MAX_GROUPED_CONVERSATIONS {
            return Err(Error::validation(
                "conversations",
                format!(
                    "a user's groups hold at most {MAX_GROUPED_CONVERSATIONS} conversations in all, got {}",
                    self.conversations.len()
                ),
            ));
        }
        validate_all("conversations", &self.conversations)
    }

    fn body(&self) -> String {
        let mut o = Out::new();
        o.kv_str(r#"{"From_Account":"#, &self.from_account);
        o.raw(r#","GroupContactItem":[{"ContactItem":"#);
        contact_items(&mut o, &self.conversations);
        o.kv_str(r#","GroupName":"#, &self.group_name);
        o.raw("}]}");
        o.into_string()
    }

    fn reconcile_user(&self) -> Option<&str> {
        Some(&self.from_account)
    }

    fn read_back(&self, all: &ConversationGroups) -> ReadBack {
        // Looks applied: a group of that name holds every conversation.
        let looks_applied = match group_id(all, &self.group_name) {
            None => Some(false),
            Some(id) => looks(std::iter::once(true).chain(self.conversations.iter().map(|c| is_member(all, c, id)))),
        };
        ReadBack {
            looks_applied,
            state: excerpt(all, &[&self.group_name], self.conversations.iter()),
        }
    }

    fn parse_ok(&self, body: &[u8]) -> Result<Self::Output> {
        let mut items = read_body(Self::COMMAND, body, "GroupResultItem", |r| {
            r.list(GroupResultItem::read)
        })?;
        let at = items
            .iter()
            .position(|i| i.group.group_name == self.group_name)
            .unwrap_or(0);
        if items.is_empty() {
            return Err(decode_error(Self::COMMAND, "GroupResultItem is empty"));
        }
        let item = items.swap_remove(at);
        Ok(CreateConversationGroupResult {
            group_name: item.group.group_name,
            group_id: item.group.group_id,
            results: item
                .results
                .into_iter()
                .map(|w| w.into_result(Self::COMMAND))
                .collect::<Result<_>>()?,
        })
    }
}

impl ToJson for CreateConversationGroupResult {
    const JS: u8 = 4;
    fn write_json(&self, o: &mut Out) {
        group_head(o, &self.group_name, None, self.group_id);
        o.field(r#","results":"#, Some(&self.results[..]));
        o.raw("}");
    }
}
