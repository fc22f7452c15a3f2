//! Reading groups and marks: `v4/recentcontact/get_contact_group` (all of a
//! user's, page by page) and `search_contact_group` (of given conversations).

use crate::json_out::{Out, ToJson};
use crate::model::{contact_items, groups_head};

use serde::{Deserialize, Serialize};

use super::paging::{decode_cursor, encode_cursor, next_page, Paged};
use super::{read_members, Endpoint};
use crate::error::{Error, Result};
use crate::limits::MAX_SEARCH_CONVERSATIONS;
use crate::model::{
    non_empty, one_to, validate_all, Conversation, ConversationGroup, MarkedConversation, WireContactDetail,
    WireGroupItem,
};

const GET: &str = "get_contact_group";
const SEARCH: &str = "search_contact_group";
const CURSOR_PREFIX: &str = "g1.";

fn decode_start(text: &str) -> Result<u64> {
    decode_cursor(CURSOR_PREFIX, text)
        .map(|[start]| start)
        .ok_or_else(|| Error::validation("cursor", "is not a cursor returned by getConversationGroupsPage"))
}

/// Parameters of `getConversationGroups` and `getConversationGroupsPage`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct GetConversationGroupsParams {
    /// The user whose groups and marks are read (wire `From_Account`).
    pub from_account: String,
    /// Page form only: a `nextCursor` from an earlier page; absent for the first.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cursor: Option<String>,
}

pub use crate::shapes::ConversationGroups;

/// One page of `get_contact_group`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct ConversationGroupsPage {
    /// The groups this page reports.
    pub groups: Vec<ConversationGroup>,
    /// The conversations of this page.
    pub conversations: Vec<MarkedConversation>,
    /// Pass as `cursor` for the next page; absent on the last page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
}

/// A `get_contact_group` answer.
#[derive(Default)]
struct GetResponse {
    items: Vec<WireContactDetail>,
    groups: Vec<WireGroupItem>,
    complete: Option<i64>,
    next: Option<u64>,
}

impl GetConversationGroupsParams {
    fn start(&self) -> u64 {
        self.cursor.as_deref().and_then(|c| decode_start(c).ok()).unwrap_or(0)
    }
}

impl Endpoint for GetConversationGroupsParams {
    const COMMAND: &'static str = GET;
    const IDEMPOTENT: bool = true;
    const READ_ONLY: bool = true;
    type Output = ConversationGroupsPage;

    fn validate(&self) -> Result<()> {
        non_empty("fromAccount", &self.from_account)?;
        self.cursor.as_deref().map(decode_start).transpose().map(|_| ())
    }

    fn body(&self) -> String {
        let mut o = Out::new();
        o.kv_str(r#"{"From_Account":"#, &self.from_account);
        o.kv_u64(r#","StartIndex":"#, self.start());
        o.raw("}");
        o.into_string()
    }

    fn parse_ok(&self, body: &[u8]) -> Result<Self::Output> {
        let mut r = GetResponse::default();
        read_members(GET, body, |rd, key| {
            match key {
                "ContactItem" => r.items = rd.opt_list(WireContactDetail::read)?,
                "GroupItem" => r.groups = rd.opt_list(WireGroupItem::read)?,
                "CompleteFlag" => r.complete = rd.opt_int()?,
                "NextStartIndex" => r.next = rd.opt_safe_int()?,
                _ => return Ok(false),
            }
            Ok(true)
        })?;
        let start = self.start();
        let next_cursor = next_page(
            GET,
            r.complete,
            r.next,
            |next| *next > start,
            || format!("NextStartIndex {} does not advance past {start}", r.next.unwrap_or(0)),
        )?
        .map(|next| encode_cursor(CURSOR_PREFIX, &[next]));
        Ok(ConversationGroupsPage {
            groups: r.groups.iter().map(ConversationGroup::from).collect(),
            conversations: r.items.into_iter().filter_map(WireContactDetail::into_marked).collect(),
            next_cursor,
        })
    }
}

/// Parameters of `getConversationGroups` (every page at once).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AllConversationGroupsParams {
    /// The user whose groups and marks are read (wire `From_Account`).
    pub from_account: String,
}

impl Paged for GetConversationGroupsParams {
    const ITEMS: &'static str = "groups and conversations";

    fn next_cursor(page: &ConversationGroupsPage) -> Option<&str> {
        page.next_cursor.as_deref()
    }

    fn items(page: &ConversationGroupsPage) -> usize {
        page.groups.len() + page.conversations.len()
    }

    fn at(&self, cursor: &str) -> Self {
        GetConversationGroupsParams {
            from_account: self.from_account.clone(),
            cursor: Some(cursor.into()),
        }
    }
}

impl ConversationGroups {
    /// Adds a page: each group once (by ID), every conversation.
    pub fn add_page(&mut self, page: ConversationGroupsPage, seen: &mut Vec<u64>) {
        self.groups.extend(
            page.groups
                .into_iter()
                .filter(|g| match seen.binary_search(&g.group_id) {
                    Ok(_) => false,
                    Err(at) => {
                        seen.insert(at, g.group_id);
                        true
                    }
                }),
        );
        self.conversations.extend(page.conversations);
    }
}

/// Parameters of `searchConversationGroups`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SearchConversationGroupsParams {
    /// The user whose data is searched (wire `From_Account`).
    pub from_account: String,
    /// The conversations to look up: 1 to 300.
    pub conversations: Vec<Conversation>,
}

impl Endpoint for SearchConversationGroupsParams {
    const COMMAND: &'static str = SEARCH;
    const IDEMPOTENT: bool = true;
    const READ_ONLY: bool = true;
    type Output = ConversationGroups;

    fn validate(&self) -> Result<()> {
        non_empty("fromAccount", &self.from_account)?;
        one_to(
            "conversations",
            "conversations",
            self.conversations.len(),
            MAX_SEARCH_CONVERSATIONS,
        )?;
        validate_all("conversations", &self.conversations)
    }

    fn body(&self) -> String {
        let mut o = Out::new();
        o.raw(r#"{"ContactItem":"#);
        contact_items(&mut o, &self.conversations);
        o.kv_str(r#","From_Account":"#, &self.from_account);
        o.raw("}");
        o.into_string()
    }

    fn parse_ok(&self, body: &[u8]) -> Result<Self::Output> {
        let (mut items, mut groups) = (Vec::new(), Vec::new());
        read_members(SEARCH, body, |rd, key| {
            match key {
                "ContactResultItem" => items = rd.opt_list(WireContactDetail::read)?,
                "GroupItem" => groups = rd.opt_list(WireGroupItem::read)?,
                _ => return Ok(false),
            }
            Ok(true)
        })?;
        Ok(ConversationGroups {
            groups: groups.iter().map(ConversationGroup::from).collect(),
            conversations: items.into_iter().filter_map(WireContactDetail::into_marked).collect(),
        })
    }
}

impl ToJson for ConversationGroups {
    const JS: u8 = 5;
    fn write_json(&self, o: &mut Out) {
        groups_head(o, &self.groups, &self.conversations);
        o.raw("}");
    }
}

impl ToJson for ConversationGroupsPage {
    const JS: u8 = 6;
    fn write_json(&self, o: &mut Out) {
        groups_head(o, &self.groups, &self.conversations);
        o.field(r#","nextCursor":"#, self.next_cursor.as_deref());
        o.raw("}");
    }
}
