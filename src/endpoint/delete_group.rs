//! `v4/recentcontact/del_contact_group`: delete a conversation group (seeds 000, 001).

use crate::json_out::{group_head, Out, ToJson};
use serde::{Deserialize, Serialize};

use super::contact_groups::ConversationGroups;
use super::reconcile::{excerpt, group_id, ReadBack};
use super::{decode_error, read_body, Endpoint};
use crate::error::Result;
use crate::model::{group_name, non_empty, WireGroupItem};

/// Parameters of `deleteConversationGroup`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DeleteConversationGroupParams {
    /// The user who owns the group (wire `From_Account`).
    pub from_account: String,
    /// The group to delete.
    pub group_name: String,
}

/// What `deleteConversationGroup` resolves to: the deleted group.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct DeleteConversationGroupResult {
    /// The deleted group's name.
    pub group_name: String,
    /// The deleted group's ID.
    #[cfg_attr(target_arch = "wasm32", tsify(type = "number"))]
    pub group_id: u64,
}

impl Endpoint for DeleteConversationGroupParams {
    const COMMAND: &'static str = "del_contact_group";
    const IDEMPOTENT: bool = false;
    type Output = DeleteConversationGroupResult;

    fn validate(&self) -> Result<()> {
        non_empty("fromAccount", &self.from_account)?;
        group_name("groupName", &self.group_name)
    }

    fn body(&self) -> String {
        // The service takes a list but deletes one group per call.
        let mut o = Out::new();
        o.kv_str(r#"{"From_Account":"#, &self.from_account);
        o.kv_str(r#","GroupName":["#, &self.group_name);
        o.raw("]}");
        o.into_string()
    }

    fn reconcile_user(&self) -> Option<&str> {
        Some(&self.from_account)
    }

    fn read_back(&self, all: &ConversationGroups) -> ReadBack {
        ReadBack {
            looks_applied: Some(group_id(all, &self.group_name).is_none()),
            state: excerpt(all, &[&self.group_name], std::iter::empty()),
        }
    }

    fn parse_ok(&self, body: &[u8]) -> Result<Self::Output> {
        let items = read_body(Self::COMMAND, body, "GroupItem", |r| r.list(WireGroupItem::read))?;
        let item = items
            .iter()
            .find(|i| i.group_name == self.group_name)
            .or_else(|| items.first())
            .ok_or_else(|| decode_error(Self::COMMAND, "GroupItem is empty"))?;
        Ok(DeleteConversationGroupResult {
            group_name: item.group_name.clone(),
            group_id: item.group_id,
        })
    }
}

impl ToJson for DeleteConversationGroupResult {
    const JS: u8 = 3;
    fn write_json(&self, o: &mut Out) {
        group_head(o, &self.group_name, None, self.group_id);
        o.raw("}");
    }
}
