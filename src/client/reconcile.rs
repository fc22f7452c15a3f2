//! A call from validated parameters to its outcome: sent ([`super::send`]),
//! and after a write got no clear answer, never sent again: the state it
//! meant to change is read back from the origin it went to, and the write
//! rejects as of unknown outcome with what that showed.

use super::send::{abort, Budget};
use super::{CallOptions, Client, Event, Runtime};
use crate::client::paging::get_all_conversation_groups_with;
use crate::endpoint::Call;
use crate::error::{Error, Result};

impl<R: Runtime> Client<R> {
    /// [`Client::call_with`] for any endpoint whose [`Call::validate`]
    /// passed, written once: `parse` takes the answer's bytes and keeps what
    /// it read (one instance of this future in the binary instead of one per
    /// endpoint; the bindings validate before they start it, so a mistake
    /// rejects without one).
    pub async fn call_validated(
        &self,
        endpoint: &dyn Call,
        options: &CallOptions,
        cancel: Option<&R::Cancel>,
        parse: &mut dyn FnMut(&[u8]) -> Result<()>,
    ) -> Result<()> {
        let command = endpoint.command();
        let mut budget = Budget {
            attempt: 0,
            settings: options.resolve(&self.config)?,
            doubt: false,
            sent_to: 0,
        };
        let body = endpoint.body();
        let sent = self
            .send(command, endpoint.idempotent(), &body, &mut budget, cancel, parse)
            .await;
        let error = match sent {
            Ok(()) => return Ok(()),
            // Every error leaves with this client's secrets redacted: a
            // proxy may echo the URL anywhere.
            Err(e) => self.redact_error(e),
        };
        // A write's answer that arrived but could not be read leaves it in
        // doubt as much as no answer does.
        let doubt = budget.doubt || matches!(error, Error::Decode { .. });
        if endpoint.read_only() || !doubt {
            return Err(error);
        }
        if endpoint.idempotent() {
            // Sent again after an attempt that got no clear answer: it may
            // have been applied, whatever came after.
            return Err(error.with_unknown_outcome_noted());
        }
        let aborted = matches!(error, Error::Abort { .. });
        let error = error.with_outcome_unknown();
        let user = match endpoint.reconcile_user() {
            Some(user) if !aborted || budget.settings.reconcile_on_abort => user,
            _ => return Err(error),
        };
        // After an abort, the read-back runs without the signal (it was asked for).
        let read_cancel = if aborted { None } else { cancel };
        // The read-back's requests are not the call's: its errors keep the write's ID.
        read_cancel.inspect(|c| self.runtime.reading_back(c, true));
        let state = self.read_state(user, budget.sent_to, read_cancel).await;
        read_cancel.inspect(|c| self.runtime.reading_back(c, false));
        let seen = state.map(|s| endpoint.read_back(&s));
        self.runtime.event(&Event::Reconcile {
            command,
            looks_applied: seen.as_ref().map(|s| s.looks_applied),
        });
        if !aborted && cancel.is_some_and(|c| self.runtime.is_cancelled(c)) {
            // Aborted while reading back: the write is still in doubt.
            return Err(abort(command).with_unknown_outcome_noted().with_read_back(seen));
        }
        Err(error.with_read_back(seen))
    }

    /// Every group and grouped or marked conversation of `user`, read back
    /// from `origin` after an ambiguous write; `None` when they cannot be
    /// read (the read itself is retried as any read is, at that origin only).
    /// Boxed: reading pages is itself a call, whose future would otherwise
    /// contain this one.
    pub(super) fn read_state<'a>(
        &'a self,
        user: &'a str,
        origin: usize,
        cancel: Option<&'a R::Cancel>,
    ) -> std::pin::Pin<Box<dyn std::future::Future<Output = Option<crate::ConversationGroups>> + 'a>> {
        Box::pin(async move {
            let params = crate::AllConversationGroupsParams {
                from_account: user.to_string(),
            };
            let options = CallOptions {
                origin: Some(origin),
                ..CallOptions::default()
            };
            get_all_conversation_groups_with(self, &params, &options, cancel)
                .await
                .ok()
        })
    }
}
