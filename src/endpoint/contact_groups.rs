//! Reading groups and marks: `v4/recentcontact/get_contact_group` (all of a
//! user's, page by page) and `search_contact_group` (of given conversations).

use crate::json_out::{contact_items, Out};
use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use super::{decode_error, read_members, Endpoint};
use crate::client::{CallOptions, Client, Runtime};
use crate::error::{Error, Result};
use crate::limits::MAX_SEARCH_CONVERSATIONS;
use crate::model::{
    cursor_number, non_empty, one_to, validate_all, Conversation, ConversationGroup, MarkedConversation,
    WireContactDetail, WireGroupItem,
};

const GET: &str = "get_contact_group";
const SEARCH: &str = "search_contact_group";
const CURSOR_PREFIX: &str = "g1.";

fn decode_cursor(text: &str) -> Result<u64> {
    text.strip_prefix(CURSOR_PREFIX)
        .and_then(cursor_number)
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

/// A user's conversation groups and grouped or marked conversations.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct ConversationGroups {
    /// The groups.
    pub groups: Vec<ConversationGroup>,
    /// Every conversation that is in a group or carries a mark.
    pub conversations: Vec<MarkedConversation>,
}

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
        self.cursor.as_deref().and_then(|c| decode_cursor(c).ok()).unwrap_or(0)
    }
}

impl Endpoint for GetConversationGroupsParams {
    const COMMAND: &'static str = GET;
    const IDEMPOTENT: bool = true;
    type Output = ConversationGroupsPage;

    fn read_fast(text: &str) -> Option<Self> {
        let (mut from, mut cursor) = (None, None);
        super::read_fast_object(text, |r, key| {
            match key {
                "fromAccount" if from.is_none() => from = Some(r.plain_str()?),
                "cursor" if cursor.is_none() => cursor = Some(if r.null() { None } else { Some(r.plain_str()?) }),
                _ => return Ok(false),
            }
            Ok(true)
        })?;
        Some(GetConversationGroupsParams {
            from_account: from?.into(),
            cursor: cursor.flatten().map(String::from),
        })
    }

    fn validate(&self) -> Result<()> {
        non_empty("fromAccount", &self.from_account)?;
        self.cursor.as_deref().map(decode_cursor).transpose().map(|_| ())
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
        let next_cursor = match (r.complete, r.next) {
            (Some(1), _) => None,
            // Without CompleteFlag, a NextStartIndex that moves on means
            // more pages; anything else means this was the last one.
            (None, Some(next)) if next > start => Some(next),
            (None, _) => None,
            (Some(_), Some(next)) if next > start => Some(next),
            // An index that does not move forward would make paging endless.
            (Some(_), next) => {
                return Err(decode_error(
                    GET,
                    format!("NextStartIndex {} does not advance past {start}", next.unwrap_or(0)),
                ))
            }
        }
        .map(|next| format!("{CURSOR_PREFIX}{next}"));
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

/// Reads every page of `get_contact_group`: groups once each (by ID), and
/// all conversations. Stops with a decode error past the client's
/// `maxPages` pages or `maxItems` items, so a service that keeps paging
/// cannot exhaust memory.
pub async fn get_all_conversation_groups<R: Runtime>(
    client: &Client<R>,
    first: &AllConversationGroupsParams,
) -> Result<ConversationGroups> {
    get_all_conversation_groups_with(client, first, &CallOptions::default(), None).await
}

/// [`get_all_conversation_groups`] with per-call options and a cancel handle
/// (each page is one call with them).
pub async fn get_all_conversation_groups_with<R: Runtime>(
    client: &Client<R>,
    first: &AllConversationGroupsParams,
    options: &CallOptions,
    cancel: Option<&R::Cancel>,
) -> Result<ConversationGroups> {
    non_empty("fromAccount", &first.from_account)?;
    let (max_pages, max_items) = (client.config().max_pages, client.config().max_items as usize);
    let mut all = ConversationGroups::default();
    let mut seen = BTreeSet::new();
    let mut params = GetConversationGroupsParams {
        from_account: first.from_account.clone(),
        cursor: None,
    };
    for _ in 0..max_pages {
        let page = client.call_with(&params, options, cancel).await?;
        all.groups
            .extend(page.groups.into_iter().filter(|g| seen.insert(g.group_id)));
        all.conversations.extend(page.conversations);
        if all.groups.len() + all.conversations.len() > max_items {
            return Err(decode_error(
                GET,
                format!("more than maxItems ({max_items}) groups and conversations; stopped reading"),
            ));
        }
        match page.next_cursor {
            Some(c) => params.cursor = Some(c),
            None => return Ok(all),
        }
    }
    Err(decode_error(
        GET,
        format!("still not complete after maxPages ({max_pages}) pages; stopped reading"),
    ))
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
    type Output = ConversationGroups;

    fn read_fast(text: &str) -> Option<Self> {
        let (mut from, mut list) = (None, None);
        super::read_fast_object(text, |r, key| {
            match key {
                "fromAccount" if from.is_none() => from = Some(r.plain_str()?),
                "conversations" if list.is_none() => list = Some(super::read_fast_conversations(r)?),
                _ => return Ok(false),
            }
            Ok(true)
        })?;
        Some(SearchConversationGroupsParams {
            from_account: from?.into(),
            conversations: list?,
        })
    }

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
