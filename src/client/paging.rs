//! The one pager: it follows any [`Paged`] command's cursors page by page,
//! and stops with a decode error past the client's `maxPages` pages or
//! `maxItems` items, so a service that keeps paging cannot exhaust memory
//! or loop for ever. `getConversationGroups`, the read-back after an
//! ambiguous write, and JavaScript's `paginate` / `listConversations` all
//! page through it.

use super::{CallOptions, Client, Event, Runtime};
use crate::endpoint::contact_groups::{AllConversationGroupsParams, ConversationGroups, GetConversationGroupsParams};
use crate::endpoint::decode_error;
use crate::endpoint::paging::Paged;
use crate::error::Result;
use crate::model::non_empty;

/// Where paging through one command stands.
pub struct Pages<E> {
    next: Option<E>,
    pages: u32,
    items: usize,
    max_pages: u32,
    max_items: usize,
}

impl<E: Paged> Pages<E> {
    /// From the first page's parameters (which may hold a cursor), with the
    /// limits of `client`'s configuration.
    pub fn new<R: Runtime>(client: &Client<R>, first: E) -> Self {
        Pages {
            next: Some(first),
            pages: 0,
            items: 0,
            max_pages: client.config().max_pages,
            max_items: client.config().max_items as usize,
        }
    }

    /// The next page, `None` after the last one. Each page is one call with
    /// `options` and `cancel`.
    pub async fn next<R: Runtime>(
        &mut self,
        client: &Client<R>,
        options: &CallOptions,
        cancel: Option<&R::Cancel>,
    ) -> Result<Option<E::Output>> {
        let Some(params) = self.next.take() else {
            return Ok(None);
        };
        if self.pages >= self.max_pages {
            return Err(decode_error(
                E::COMMAND,
                format!(
                    "still not complete after maxPages ({}) pages; stopped reading",
                    self.max_pages
                ),
            ));
        }
        let page = client.call_with(&params, options, cancel).await?;
        self.pages += 1;
        self.items += E::items(&page);
        if self.items > self.max_items {
            return Err(decode_error(
                E::COMMAND,
                format!("more than maxItems ({}) {}; stopped reading", self.max_items, E::ITEMS),
            ));
        }
        self.next = E::next_cursor(&page).map(|c| params.at(c));
        if self.next.is_none() && crate::limits::PULL_CAPS.contains(&self.items) {
            client.runtime.event(&Event::PullCap {
                command: E::COMMAND,
                count: self.items,
            });
        }
        Ok(Some(page))
    }
}

/// Reads every page of `get_contact_group`: groups once each (by ID), and
/// all conversations, within the client's `maxPages` and `maxItems`.
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
    let params = GetConversationGroupsParams {
        from_account: first.from_account.clone(),
        cursor: None,
    };
    let mut pages = Pages::new(client, params);
    let (mut all, mut seen) = (ConversationGroups::default(), Vec::new());
    while let Some(page) = pages.next(client, options, cancel).await? {
        all.add_page(page, &mut seen);
    }
    Ok(all)
}
