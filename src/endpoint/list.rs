//! `v4/recentcontact/get_list`: one page of a user's conversation list.

use crate::json_out::{Out, ToJson};
use serde::{Deserialize, Serialize};

use super::paging::{decode_cursor, encode_cursor, next_page, Paged};
use super::{read_members, Endpoint};
use crate::error::{Error, Result};
use crate::model::{non_empty, Conversation, WireContactDetail};

const COMMAND: &str = "get_list";

/// All flags the documentation recommends for complete data (63).
pub const FLAGS_COMPLETE: u32 = 63;

/// Where a page of the conversation list starts: the four cursor fields of
/// `get_list`, all 0 for the first page.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ListCursor {
    /// `TimeStamp`.
    pub time_stamp: u64,
    /// `StartIndex`.
    pub start_index: u64,
    /// `TopTimeStamp`.
    pub top_time_stamp: u64,
    /// `TopStartIndex`.
    pub top_start_index: u64,
}

impl ListCursor {
    const PREFIX: &'static str = "l1.";

    /// The opaque form users pass around.
    pub fn encode(&self) -> String {
        encode_cursor(
            Self::PREFIX,
            &[
                self.time_stamp,
                self.start_index,
                self.top_time_stamp,
                self.top_start_index,
            ],
        )
    }

    /// Reads the opaque form; the error names `field`.
    pub fn decode(field: &str, text: &str) -> Result<Self> {
        let [time_stamp, start_index, top_time_stamp, top_start_index] = decode_cursor(Self::PREFIX, text)
            .ok_or_else(|| Error::validation(field, "is not a cursor returned by listConversationsPage"))?;
        Ok(ListCursor {
            time_stamp,
            start_index,
            top_time_stamp,
            top_start_index,
        })
    }
}

/// Parameters of `listConversations` and `listConversationsPage`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ListConversationsParams {
    /// The user whose conversation list is read (wire `From_Account`).
    pub from_account: String,
    /// Where to start: a `nextCursor` from an earlier page; absent for the first page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cursor: Option<String>,
    /// Report pinned conversations as pinned; default true. `false` reports
    /// every conversation as not pinned (applied here: `AssistFlags` stays 63).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub include_pinned: Option<bool>,
    /// Include conversations without messages (`msgTime` 0); default true.
    /// `false` leaves them out (applied here: `AssistFlags` stays 63).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub include_empty: Option<bool>,
    /// The wire `AssistFlags`, 0 to 63, instead of 63: 15 is what the
    /// Chinese pages send (no group and mark extras in the answer).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assist_flags: Option<u32>,
}

impl ListConversationsParams {
    /// The wire `AssistFlags`: 63 unless `assistFlags` says otherwise. The
    /// newest pages ask clients to send one fixed value (63 on the
    /// international site, 15 on the Chinese one; 63 asks for everything 15
    /// does and the group and mark extras), so `includePinned` /
    /// `includeEmpty` are applied to the answer instead of sending a value
    /// the service may reject.
    pub fn assist_flags(&self) -> u32 {
        self.assist_flags.unwrap_or(FLAGS_COMPLETE)
    }

    fn start(&self) -> ListCursor {
        self.cursor
            .as_deref()
            .and_then(|c| ListCursor::decode("cursor", c).ok())
            .unwrap_or_default()
    }
}

/// One conversation of the list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct ConversationListItem {
    /// The conversation (the service names a group `GroupId` here).
    pub conversation: Conversation,
    /// Time of its last message, seconds since the epoch.
    #[cfg_attr(target_arch = "wasm32", tsify(type = "number"))]
    pub msg_time: u64,
    /// Whether it is pinned (wire `TopFlag`).
    pub pinned: bool,
    /// The numbers (0 to 63) of its standard mark bits that are set, when reported.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub standard_marks: Option<Vec<u8>>,
    /// Its custom mark, when it has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub custom_mark: Option<String>,
    /// The conversation groups it is in, when reported.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(type = "number[]"))]
    pub group_ids: Option<Vec<u64>>,
}

/// One page of the conversation list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct ConversationListPage {
    /// The conversations of this page, in the service's order.
    pub conversations: Vec<ConversationListItem>,
    /// Pass as `cursor` for the next page; absent on the last page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
}

/// A `get_list` answer.
#[derive(Default)]
struct Response {
    items: Vec<WireContactDetail>,
    complete: Option<i64>,
    time_stamp: Option<u64>,
    start_index: Option<u64>,
    top_time_stamp: Option<u64>,
    top_start_index: Option<u64>,
}

impl Endpoint for ListConversationsParams {
    const COMMAND: &'static str = COMMAND;
    const IDEMPOTENT: bool = true;
    const READ_ONLY: bool = true;
    type Output = ConversationListPage;

    fn validate(&self) -> Result<()> {
        non_empty("fromAccount", &self.from_account)?;
        if let Some(c) = &self.cursor {
            ListCursor::decode("cursor", c)?;
        }
        if self.assist_flags.is_some_and(|f| f > FLAGS_COMPLETE) {
            return Err(Error::validation("assistFlags", "must be at most 63 (six bits)"));
        }
        Ok(())
    }

    fn body(&self) -> String {
        let c = self.start();
        let mut o = Out::new();
        o.kv_u64(r#"{"AssistFlags":"#, self.assist_flags().into());
        o.kv_str(r#","From_Account":"#, &self.from_account);
        o.kv_u64(r#","StartIndex":"#, c.start_index);
        o.kv_u64(r#","TimeStamp":"#, c.time_stamp);
        o.kv_u64(r#","TopStartIndex":"#, c.top_start_index);
        o.kv_u64(r#","TopTimeStamp":"#, c.top_time_stamp);
        o.raw("}");
        o.into_string()
    }

    fn parse_ok(&self, body: &[u8]) -> Result<Self::Output> {
        let mut r = Response::default();
        read_members(COMMAND, body, |rd, key| {
            match key {
                "SessionItem" => r.items = rd.opt_list(WireContactDetail::read)?,
                "CompleteFlag" => r.complete = rd.opt_int()?,
                "TimeStamp" => r.time_stamp = rd.opt_safe_int()?,
                "StartIndex" => r.start_index = rd.opt_safe_int()?,
                "TopTimeStamp" => r.top_time_stamp = rd.opt_safe_int()?,
                "TopStartIndex" => r.top_start_index = rd.opt_safe_int()?,
                _ => return Ok(false),
            }
            Ok(true)
        })?;
        let (pinned, empty) = (self.include_pinned != Some(false), self.include_empty != Some(false));
        let conversations = std::mem::take(&mut r.items)
            .into_iter()
            .filter(|w| empty || w.msg_time.unwrap_or(0) > 0)
            .filter_map(|mut w| {
                Some(ConversationListItem {
                    conversation: w.conversation()?,
                    msg_time: w.msg_time.unwrap_or(0),
                    pinned: pinned && w.top_flag == Some(1),
                    standard_marks: w.standard_marks,
                    custom_mark: w.custom_mark,
                    group_ids: w.group_ids,
                })
            })
            .collect();
        let start = self.start();
        let fields = [r.time_stamp, r.start_index, r.top_time_stamp, r.top_start_index];
        let next = fields.iter().any(Option::is_some).then(|| ListCursor {
            time_stamp: r.time_stamp.unwrap_or(0),
            start_index: r.start_index.unwrap_or(0),
            top_time_stamp: r.top_time_stamp.unwrap_or(0),
            top_start_index: r.top_start_index.unwrap_or(0),
        });
        let next_cursor = next_page(
            COMMAND,
            r.complete,
            next,
            |next| *next != start,
            || "the next page starts where this one did (CompleteFlag 0 with the same cursor)".into(),
        )?
        .map(|next| next.encode());
        Ok(ConversationListPage {
            conversations,
            next_cursor,
        })
    }
}

impl Paged for ListConversationsParams {
    const ITEMS: &'static str = "conversations";

    fn next_cursor(page: &ConversationListPage) -> Option<&str> {
        page.next_cursor.as_deref()
    }

    fn items(page: &ConversationListPage) -> usize {
        page.conversations.len()
    }

    fn at(&self, cursor: &str) -> Self {
        ListConversationsParams {
            cursor: Some(cursor.into()),
            ..self.clone()
        }
    }
}

impl ToJson for ConversationListItem {
    fn write_json(&self, o: &mut Out) {
        o.raw(r#"{"conversation":"#);
        self.conversation.write_json(o);
        o.raw(r#","msgTime":"#);
        o.u64(self.msg_time);
        o.raw(r#","pinned":"#);
        o.bool(self.pinned);
        o.field(r#","standardMarks":"#, self.standard_marks.as_deref());
        o.field(r#","customMark":"#, self.custom_mark.as_deref());
        o.field(r#","groupIds":"#, self.group_ids.as_deref());
        o.raw("}");
    }
}

impl ToJson for ConversationListPage {
    const JS: u8 = 2;
    fn write_json(&self, o: &mut Out) {
        o.raw(r#"{"conversations":"#);
        self.conversations.write_json(o);
        o.field(r#","nextCursor":"#, self.next_cursor.as_deref());
        o.raw("}");
    }
}
