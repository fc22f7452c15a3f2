//! `v4/recentcontact/mark_contact`: set and clear standard marks, set custom marks.

use serde::{Deserialize, Serialize};

use super::{parse_body, Endpoint};
use crate::error::{Error, Result};
use crate::limits::{MAX_CUSTOM_MARK_BYTES, MAX_MARK_ITEMS};
use crate::marks::validate_bits;
use crate::model::{body_text, non_empty, one_to, ContactRef, Conversation, ConversationResult, WireResult};

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

#[derive(Deserialize)]
struct Response {
    #[serde(rename = "ResultItem", default)]
    items: Vec<WireResult>,
}

impl Endpoint for MarkConversationsParams {
    const COMMAND: &'static str = COMMAND;
    const IDEMPOTENT: bool = true;
    type Output = MarkConversationsResult;

    fn validate(&self) -> Result<()> {
        non_empty("fromAccount", &self.from_account)?;
        one_to("items", "items", self.items.len(), MAX_MARK_ITEMS)?;
        for (i, item) in self.items.iter().enumerate() {
            let at = format!("items[{i}]");
            item.conversation.validate(&format!("{at}.conversation"))?;
            validate_bits(&format!("{at}.set"), item.set.as_deref().unwrap_or_default())?;
            validate_bits(&format!("{at}.clear"), item.clear.as_deref().unwrap_or_default())?;
            if let Some(m) = &item.custom_mark {
                if m.len() > MAX_CUSTOM_MARK_BYTES {
                    return Err(Error::validation(
                        format!("{at}.customMark"),
                        format!(
                            "must be at most {MAX_CUSTOM_MARK_BYTES} UTF-8 bytes, got {} bytes",
                            m.len()
                        ),
                    ));
                }
            }
            if !item.standard() && item.custom_mark.is_none() {
                return Err(Error::validation(at, "give bits to set or clear, or a customMark"));
            }
        }
        Ok(())
    }

    fn body(&self) -> String {
        #[derive(Serialize)]
        struct Item<'a> {
            #[serde(rename = "ClearMark", skip_serializing_if = "Option::is_none")]
            clear: Option<&'a [u8]>,
            #[serde(rename = "ContactItem")]
            contact: ContactRef<'a>,
            #[serde(rename = "CustomMark", skip_serializing_if = "Option::is_none")]
            custom: Option<&'a str>,
            #[serde(rename = "OptType")]
            opt: u8,
            #[serde(rename = "SetMark", skip_serializing_if = "Option::is_none")]
            set: Option<&'a [u8]>,
        }
        #[derive(Serialize)]
        struct Body<'a> {
            #[serde(rename = "From_Account")]
            from: &'a str,
            #[serde(rename = "MarkItem")]
            items: Vec<Item<'a>>,
        }
        let items = self
            .items
            .iter()
            .map(|item| Item {
                clear: item.clear.as_deref().filter(|c| !c.is_empty()),
                contact: item.conversation.wire(),
                custom: item.custom_mark.as_deref(),
                opt: item.opt_type(),
                set: item.set.as_deref().filter(|s| !s.is_empty()),
            })
            .collect();
        body_text(&Body {
            from: &self.from_account,
            items,
        })
    }

    fn parse_ok(&self, body: &[u8]) -> Result<Self::Output> {
        let r: Response = parse_body(COMMAND, body)?;
        Ok(MarkConversationsResult {
            results: r.items.iter().map(|w| w.to_result(COMMAND)).collect::<Result<_>>()?,
        })
    }
}
