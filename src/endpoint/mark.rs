//! `v4/recentcontact/mark_contact`: set and clear standard marks, set custom marks.

use crate::json_out::{Out, ToJson};
use crate::model::contact_item;
use serde::{Deserialize, Serialize};

use super::contact_groups::ConversationGroups;
use super::reconcile::{excerpt, looks, ReadBack};
use super::{read_members, Endpoint};
use crate::error::{Error, Result};
use crate::limits::{MAX_CUSTOM_MARK_BYTES, MAX_MARK_ITEMS};
use crate::marks::validate_bits;
use crate::model::{at_most_bytes, non_empty, one_to, Conversation, ConversationResult, WireResult};

const COMMAND: &str = "mark_contact";

/// One conversation's mark change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct MarkItem {
    /// The conversation.
    pub conversation: Conversation,
    /// Standard mark bits (0 to 63) to set (wire `SetMark`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub set: Option<Vec<u8>>,
    /// Standard mark bits (0 to 63) to clear (wire `ClearMark`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub clear: Option<Vec<u8>>,
    /// The custom mark to store, at most 256 UTF-8 bytes (wire `CustomMark`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub custom_mark: Option<String>,
}

impl MarkItem {
    fn standard(&self) -> bool {
        self.set.as_ref().is_some_and(|s| !s.is_empty()) || self.clear.as_ref().is_some_and(|c| !c.is_empty())
    }

    /// The wire `OptType`: 1 standard, 2 custom, 3 both.
    pub fn opt_type(&self) -> u8 {
        match (self.standard(), self.custom_mark.is_some()) {
            (true, true) => 3,
            (false, true) => 2,
            _ => 1,
        }
    }
}

/// Parameters of `markConversations`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct MarkConversationsParams {
    /// The user whose conversations are marked (wire `From_Account`).
    pub from_account: String,
    /// 1 to 100 changes.
    pub items: Vec<MarkItem>,
}

/// What `markConversations` resolves to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct MarkConversationsResult {
    /// One result per item, in the service's order.
    pub results: Vec<ConversationResult>,
}

impl Endpoint for MarkConversationsParams {
    const COMMAND: &'static str = COMMAND;
    // Sent again after an ambiguous failure, it would set a bit another
    // writer cleared meanwhile: never resent (README, "Ambiguous writes").
    const IDEMPOTENT: bool = false;
    type Output = MarkConversationsResult;

    fn validate(&self) -> Result<()> {
        non_empty("fromAccount", &self.from_account)?;
        one_to("items", "items", self.items.len(), MAX_MARK_ITEMS)?;
        for (i, item) in self.items.iter().enumerate() {
            let at = || format!("items[{i}]");
            let within = |name: &'static str| move |e: Error| e.within(|| format!("{}.{name}", at()));
            item.conversation.validate().map_err(within("conversation"))?;
            validate_bits("", item.set.as_deref().unwrap_or_default()).map_err(within("set"))?;
            validate_bits("", item.clear.as_deref().unwrap_or_default()).map_err(within("clear"))?;
            if let Some(m) = &item.custom_mark {
                at_most_bytes("", m, MAX_CUSTOM_MARK_BYTES).map_err(within("customMark"))?;
            }
            if !item.standard() && item.custom_mark.is_none() {
                return Err(Error::validation(at(), "give bits to set or clear, or a customMark"));
            }
        }
        Ok(())
    }

    fn body(&self) -> String {
        let mut o = Out::new();
        o.kv_str(r#"{"From_Account":"#, &self.from_account);
        o.raw(r#","MarkItem":["#);
        for (i, item) in self.items.iter().enumerate() {
            o.raw(if i == 0 { "{" } else { ",{" });
            if let Some(clear) = item.clear.as_deref().filter(|c| !c.is_empty()) {
                o.field(r#""ClearMark":"#, Some(clear));
                o.raw(",");
            }
            o.raw(r#""ContactItem":"#);
            contact_item(&mut o, &item.conversation);
            o.field(r#","CustomMark":"#, item.custom_mark.as_deref());
            o.kv_u64(r#","OptType":"#, item.opt_type().into());
            o.field(r#","SetMark":"#, item.set.as_deref().filter(|s| !s.is_empty()));
            o.raw("}");
        }
        o.raw("]}");
        o.into_string()
    }

    fn reconcile_user(&self) -> Option<&str> {
        Some(&self.from_account)
    }

    fn read_back(&self, all: &ConversationGroups) -> ReadBack {
        let mut checks = Vec::new();
        for item in &self.items {
            let seen = all.conversations.iter().find(|m| m.conversation == item.conversation);
            let marks = seen.map_or(&[][..], |m| &m.standard_marks[..]);
            checks.extend(item.set.iter().flatten().map(|b| marks.contains(b)));
            checks.extend(item.clear.iter().flatten().map(|b| !marks.contains(b)));
            if let Some(custom) = &item.custom_mark {
                checks.push(seen.and_then(|m| m.custom_mark.as_deref()).unwrap_or("") == custom);
            }
        }
        ReadBack {
            looks_applied: looks(checks),
            state: excerpt(all, &[], self.items.iter().map(|i| &i.conversation)),
        }
    }

    fn parse_ok(&self, body: &[u8]) -> Result<Self::Output> {
        let items = {
            let mut items = Vec::new();
            read_members(COMMAND, body, |r, key| match key {
                "ResultItem" => r.opt_list(WireResult::read).map(|v| items = v).map(|()| true),
                _ => Ok(false),
            })?;
            items
        };
        Ok(MarkConversationsResult {
            results: items
                .into_iter()
                .map(|w| w.into_result(COMMAND))
                .collect::<Result<_>>()?,
        })
    }
}

impl ToJson for MarkConversationsResult {
    const JS: u8 = 1;
    fn write_json(&self, o: &mut Out) {
        o.raw(r#"{"results":"#);
        self.results.write_json(o);
        o.raw("}");
    }
}
