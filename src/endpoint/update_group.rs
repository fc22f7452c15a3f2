//! `v4/recentcontact/update_contact_group`: rename a conversation group
//! (`UpdateGroupType` 1) or add and remove its conversations (type 2) (seed 004).

use crate::json_out::{group_head, Out, ToJson};
use crate::model::{contact_item, result};
use serde::{Deserialize, Serialize};

use super::contact_groups::ConversationGroups;
use super::reconcile::{excerpt, group_id, is_member, looks, ReadBack};
use super::{read_body, Endpoint};
use crate::error::{Error, Result};
use crate::json_in::Reader;
use crate::limits::MAX_UPDATE_CONVERSATIONS;
use crate::model::{group_name, non_empty, validate_all, Conversation, WireResult};

/// Parameters of `renameConversationGroup`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RenameConversationGroupParams {
    /// The user who owns the group (wire `From_Account`).
    pub from_account: String,
    /// The group's current name (wire `OldGroupName`).
    pub group_name: String,
    /// Its new name: 1 to 32 UTF-8 bytes (wire `NewGroupName`).
    pub new_group_name: String,
}

/// What `renameConversationGroup` resolves to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct RenameConversationGroupResult {
    /// The group's name now.
    pub group_name: String,
    /// Its name before.
    pub old_group_name: String,
    /// The group's ID.
    #[cfg_attr(target_arch = "wasm32", tsify(type = "number"))]
    pub group_id: u64,
}

/// Parameters of `updateConversationGroup`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct UpdateConversationGroupParams {
    /// The user who owns the group (wire `From_Account`).
    pub from_account: String,
    /// The group to change (wire `OldGroupName`).
    pub group_name: String,
    /// Conversations to add (wire `ContactOptType` 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub add: Option<Vec<Conversation>>,
    /// Conversations to remove (wire `ContactOptType` 2). With `add`: 1 to 100 in all.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remove: Option<Vec<Conversation>>,
}

/// Whether a conversation was being added to or removed from the group.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[serde(rename_all = "lowercase")]
pub enum ConversationAction {
    /// `ContactOptType` 1.
    Add,
    /// `ContactOptType` 2.
    Remove,
}

/// The outcome of adding or removing one conversation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct UpdateConversationResult {
    /// The conversation.
    pub conversation: Conversation,
    /// Whether it was being added or removed.
    pub action: ConversationAction,
    /// `resultCode === 0`.
    pub ok: bool,
    /// The service's `ResultCode` for this conversation (0 = success).
    pub result_code: i64,
    /// The service's `ResultInfo` for this conversation.
    pub result_info: String,
}

/// What `updateConversationGroup` resolves to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct UpdateConversationGroupResult {
    /// The group's name.
    pub group_name: String,
    /// The group's ID.
    #[cfg_attr(target_arch = "wasm32", tsify(type = "number"))]
    pub group_id: u64,
    /// One result per conversation, in the service's order.
    pub results: Vec<UpdateConversationResult>,
}

/// `UpdateGroupResult`.
struct WireUpdateGroupResult {
    group_name: String,
    group_id: u64,
    old_group_name: Option<String>,
    items: Vec<(i64, WireResult)>,
}

fn read_answer(body: &[u8]) -> Result<WireUpdateGroupResult> {
    read_body(COMMAND, body, "UpdateGroupResult", |r| {
        let object = r.pos();
        let (mut name, mut id, mut old, mut items) = (None, None, None, Vec::new());
        r.object(|r, key| {
            match key {
                "GroupName" => name = Some(r.string()?),
                "GroupId" => id = Some(r.safe_int()?),
                "OldGroupName" => old = r.opt_string()?,
                "ContactResultItem" => {
                    items = r.opt_list(|r| {
                        let object = r.pos();
                        let w = WireResult::read(r)?;
                        Ok((w.opt.ok_or_else(|| Reader::missing(object, "ContactOptType"))?, w))
                    })?
                }
                _ => r.skip()?,
            }
            Ok(())
        })?;
        Ok(WireUpdateGroupResult {
            group_name: name.ok_or_else(|| Reader::missing(object, "GroupName"))?,
            group_id: id.ok_or_else(|| Reader::missing(object, "GroupId"))?,
            old_group_name: old,
            items,
        })
    })
}

const COMMAND: &str = "update_contact_group";

impl Endpoint for RenameConversationGroupParams {
    const COMMAND: &'static str = COMMAND;
    const IDEMPOTENT: bool = false;
    type Output = RenameConversationGroupResult;

    fn validate(&self) -> Result<()> {
        non_empty("fromAccount", &self.from_account)?;
        group_name("groupName", &self.group_name)?;
        group_name("newGroupName", &self.new_group_name)
    }

    fn body(&self) -> String {
        let mut o = Out::new();
        o.kv_str(r#"{"From_Account":"#, &self.from_account);
        o.kv_str(r#","UpdateGroup":{"NewGroupName":"#, &self.new_group_name);
        o.kv_str(r#","OldGroupName":"#, &self.group_name);
        o.raw(r#","UpdateGroupType":1},"UpdateType":1}"#);
        o.into_string()
    }

    fn reconcile_user(&self) -> Option<&str> {
        Some(&self.from_account)
    }

    fn read_back(&self, all: &ConversationGroups) -> ReadBack {
        let (old, new) = (group_id(all, &self.group_name), group_id(all, &self.new_group_name));
        ReadBack {
            looks_applied: looks([old.is_none(), new.is_some()]),
            state: excerpt(all, &[&self.group_name, &self.new_group_name], std::iter::empty()),
        }
    }

    fn parse_ok(&self, body: &[u8]) -> Result<Self::Output> {
        let r = read_answer(body)?;
        Ok(RenameConversationGroupResult {
            old_group_name: r.old_group_name.unwrap_or_else(|| self.group_name.clone()),
            group_name: r.group_name,
            group_id: r.group_id,
        })
    }
}

impl UpdateConversationGroupParams {
    fn ops(&self) -> impl Iterator<Item = (ConversationAction, &Conversation)> + Clone {
        let add = self.add.iter().flatten().map(|c| (ConversationAction::Add, c));
        let remove = self.remove.iter().flatten().map(|c| (ConversationAction::Remove, c));
        add.chain(remove)
    }
}

impl Endpoint for UpdateConversationGroupParams {
    const COMMAND: &'static str = COMMAND;
    const IDEMPOTENT: bool = false;
    type Output = UpdateConversationGroupResult;

    fn validate(&self) -> Result<()> {
        non_empty("fromAccount", &self.from_account)?;
        group_name("groupName", &self.group_name)?;
        let (adds, removes) = (
            self.add.as_ref().map_or(0, Vec::len),
            self.remove.as_ref().map_or(0, Vec::len),
        );
        if adds + removes == 0 {
            return Err(Error::validation(
                "add",
                "give at least one conversation to add or remove",
            ));
        }
        if adds + removes > MAX_UPDATE_CONVERSATIONS {
            let field = if adds >= removes { "add" } else { "remove" };
            return Err(Error::validation(
                field,
                format!(
                    "add and remove hold {} conversations together; at most {MAX_UPDATE_CONVERSATIONS} per call",
                    adds + removes
                ),
            ));
        }
        validate_all("add", self.add.as_deref().unwrap_or_default())?;
        validate_all("remove", self.remove.as_deref().unwrap_or_default())
    }

    fn body(&self) -> String {
        let mut o = Out::new();
        o.kv_str(r#"{"From_Account":"#, &self.from_account);
        o.raw(r#","UpdateGroup":{"ContactUpdateItem":["#);
        for (i, (action, c)) in self.ops().enumerate() {
            o.raw(if i == 0 {
                r#"{"ContactItem":"#
            } else {
                r#",{"ContactItem":"#
            });
            contact_item(&mut o, c);
            o.raw(match action {
                ConversationAction::Add => r#","ContactOptType":1}"#,
                ConversationAction::Remove => r#","ContactOptType":2}"#,
            });
        }
        o.kv_str(r#"],"OldGroupName":"#, &self.group_name);
        o.raw(r#","UpdateGroupType":2},"UpdateType":1}"#);
        o.into_string()
    }

    fn reconcile_user(&self) -> Option<&str> {
        Some(&self.from_account)
    }

    fn read_back(&self, all: &ConversationGroups) -> ReadBack {
        let state = excerpt(all, &[&self.group_name], self.ops().map(|(_, c)| c));
        // A group that is not there shows nothing either way.
        let looks_applied = group_id(all, &self.group_name).and_then(|id| {
            looks(
                self.ops()
                    .map(|(action, c)| is_member(all, c, id) == (action == ConversationAction::Add)),
            )
        });
        ReadBack { looks_applied, state }
    }

    fn parse_ok(&self, body: &[u8]) -> Result<Self::Output> {
        let r = read_answer(body)?;
        let results = r
            .items
            .into_iter()
            .map(|(opt, w)| {
                let action = match opt {
                    1 => ConversationAction::Add,
                    2 => ConversationAction::Remove,
                    other => return Err(super::decode_error(COMMAND, format!("unknown ContactOptType {other}"))),
                };
                Ok(UpdateConversationResult {
                    conversation: w.contact.into_conversation(COMMAND)?,
                    action,
                    ok: w.result_code == 0,
                    result_code: w.result_code,
                    result_info: w.result_info,
                })
            })
            .collect::<Result<_>>()?;
        Ok(UpdateConversationGroupResult {
            group_name: r.group_name,
            group_id: r.group_id,
            results,
        })
    }
}

impl ToJson for UpdateConversationResult {
    fn write_json(&self, o: &mut Out) {
        let action = match self.action {
            ConversationAction::Add => "add",
            ConversationAction::Remove => "remove",
        };
        result(
            o,
            &self.conversation,
            Some(action),
            self.ok,
            self.result_code,
            &self.result_info,
        );
    }
}

impl ToJson for RenameConversationGroupResult {
    const JS: u8 = 3;
    fn write_json(&self, o: &mut Out) {
        group_head(o, &self.group_name, Some(&self.old_group_name), self.group_id);
        o.raw("}");
    }
}

impl ToJson for UpdateConversationGroupResult {
    const JS: u8 = 7;
    fn write_json(&self, o: &mut Out) {
        group_head(o, &self.group_name, None, self.group_id);
        o.field(r#","results":"#, Some(&self.results[..]));
        o.raw("}");
    }
}
