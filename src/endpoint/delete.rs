//! `v4/recentcontact/delete`: delete one conversation of a user (seed 003).

use crate::json_out::Out;
use serde::{Deserialize, Serialize};

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
        self.conversation
            .validate()
            .map_err(|e| e.within(|| "conversation".into()))
    }

    fn body(&self) -> String {
        // Members sorted, as a JSON map writes them.
        let mut o = Out::new();
        o.raw("{");
        if let Some(clear) = self.clear_roaming_messages {
            o.raw(if clear {
                r#""ClearRamble":1,"#
            } else {
                r#""ClearRamble":0,"#
            });
        }
        o.kv_str(r#""From_Account":"#, &self.from_account);
        match &self.conversation {
            Conversation::C2c { to_account } => o.kv_str(r#","To_Account":"#, to_account),
            // This command spells it with a lower-case `id`.
            Conversation::Group { to_group_id } => o.kv_str(r#","ToGroupid":"#, to_group_id),
        }
        o.kv_u64(r#","Type":"#, self.conversation.wire_type().into());
        o.raw("}");
        o.into_string()
    }

    fn parse_ok(&self, body: &[u8]) -> Result<()> {
        // Nothing to read but the envelope; the answer must still be JSON.
        super::read_members(Self::COMMAND, body, |_, _| Ok(false))
    }
}
