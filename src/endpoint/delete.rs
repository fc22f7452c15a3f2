//! `v4/recentcontact/delete`: delete one conversation of a user (seed 003).

use serde::{Deserialize, Serialize};
use serde_json::json;

use super::Endpoint;
use crate::error::Result;
use crate::model::{non_empty, Conversation};

/// Parameters of `deleteConversation`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DeleteConversationParams {
    /// The user whose conversation is deleted (wire `From_Account`).
    pub from_account: String,
    /// The conversation to delete.
    pub conversation: Conversation,
    /// Also clear the roaming (cloud) message history (wire `ClearRamble` 1 | 0).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub clear_roaming_messages: Option<bool>,
}

impl Endpoint for DeleteConversationParams {
    const COMMAND: &'static str = "delete";
    const IDEMPOTENT: bool = true;
    type Output = ();

    fn validate(&self) -> Result<()> {
        non_empty("fromAccount", &self.from_account)?;
        self.conversation.validate("conversation")
    }

    fn body(&self) -> String {
        let mut body = json!({ "From_Account": self.from_account, "Type": self.conversation.wire_type() });
        match &self.conversation {
            Conversation::C2c { to_account } => body["To_Account"] = json!(to_account),
            // This command spells it with a lower-case `id`.
            Conversation::Group { to_group_id } => body["ToGroupid"] = json!(to_group_id),
        }
        if let Some(clear) = self.clear_roaming_messages {
            body["ClearRamble"] = json!(u8::from(clear));
        }
        body.to_string()
    }

    fn parse_ok(&self, _body: &[u8]) -> Result<()> {
        Ok(())
    }
}
