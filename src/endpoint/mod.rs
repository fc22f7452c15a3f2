//! One module per command of `v4/recentcontact`: its parameters (validated
//! before anything is sent), its wire request, and its response parser.

use serde::de::DeserializeOwned;

use crate::json_in::{Read, Reader};

use crate::error::{Error, Result};

pub mod contact_groups;
pub mod create_group;
pub mod delete;
pub mod delete_group;
pub mod list;
pub mod mark;
pub mod paging;
pub mod reconcile;
pub mod update_group;

/// Every command of the service this crate calls (`v4/recentcontact/…`).
pub const COMMANDS: [&str; 8] = [
    delete::DeleteConversationParams::COMMAND,
    create_group::CreateConversationGroupParams::COMMAND,
    update_group::UpdateConversationGroupParams::COMMAND,
    delete_group::DeleteConversationGroupParams::COMMAND,
    list::ListConversationsParams::COMMAND,
    contact_groups::GetConversationGroupsParams::COMMAND,
    contact_groups::SearchConversationGroupsParams::COMMAND,
    mark::MarkConversationsParams::COMMAND,
];

/// Every endpoint's public types, re-exported at the crate root.
pub mod types {
    pub use super::contact_groups::{
        AllConversationGroupsParams, ConversationGroups, ConversationGroupsPage, GetConversationGroupsParams,
        SearchConversationGroupsParams,
    };
    pub use super::create_group::{CreateConversationGroupParams, CreateConversationGroupResult};
    pub use super::delete::DeleteConversationParams;
    pub use super::delete_group::{DeleteConversationGroupParams, DeleteConversationGroupResult};
    pub use super::list::{ConversationListItem, ConversationListPage, ListConversationsParams, ListCursor};
    pub use super::mark::{MarkConversationsParams, MarkConversationsResult, MarkItem};
    pub use super::paging::Paged;
    pub use super::update_group::{
        ConversationAction, RenameConversationGroupParams, RenameConversationGroupResult,
        UpdateConversationGroupParams, UpdateConversationGroupResult, UpdateConversationResult,
    };
}

/// The endpoint table: every client method that is one call of one command,
/// as `jsName => rust_name(Params) -> "TypeScript result";`, each with its
/// doc comment (as `#[doc = "…"]`: a `///` passed through `macro_rules!`
/// reaches wasm-bindgen as a raw string and shows as `r"…"` in the .d.ts).
/// The bindings expand it (`endpoint_table!(methods)`) into the
/// `ConversationClient` methods and, through wasm-bindgen, their TypeScript
/// signatures. Adding an endpoint: its module, `pub mod`/`pub use` above,
/// and one row here.
#[macro_export]
#[doc(hidden)]
macro_rules! endpoint_table {
    ($then:ident) => {
        $then! {
            #[doc = "Deletes one conversation of a user (`v4/recentcontact/delete`)."]
            deleteConversation => delete_conversation(DeleteConversationParams) -> "Promise<void>";
            #[doc = "Creates a conversation group with conversations in it (`create_contact_group`)."]
            createConversationGroup => create_conversation_group(CreateConversationGroupParams)
                -> "Promise<CreateConversationGroupResult>";
            #[doc = "Renames a conversation group (`update_contact_group`, `UpdateGroupType` 1)."]
            renameConversationGroup => rename_conversation_group(RenameConversationGroupParams)
                -> "Promise<RenameConversationGroupResult>";
            #[doc = "Adds conversations to and removes them from a group (`update_contact_group`, type 2)."]
            updateConversationGroup => update_conversation_group(UpdateConversationGroupParams)
                -> "Promise<UpdateConversationGroupResult>";
            #[doc = "Deletes a conversation group (`del_contact_group`)."]
            deleteConversationGroup => delete_conversation_group(DeleteConversationGroupParams)
                -> "Promise<DeleteConversationGroupResult>";
            #[doc = "One page of a user's conversation list (`get_list`); pass `nextCursor` back as `cursor`."]
            #[doc = "`listConversations` and `paginate` iterate over all pages."]
            listConversationsPage => list_conversations_page(ListConversationsParams)
                -> "Promise<ConversationListPage>";
            #[doc = "One page of `get_contact_group`; pass `nextCursor` back as `cursor`."]
            #[doc = "`getConversationGroups` reads all pages, `paginate` iterates over them."]
            getConversationGroupsPage => get_conversation_groups_page(GetConversationGroupsParams)
                -> "Promise<ConversationGroupsPage>";
            #[doc = "Groups and marks of up to 300 given conversations (`search_contact_group`)."]
            searchConversationGroups => search_conversation_groups(SearchConversationGroupsParams)
                -> "Promise<ConversationGroups>";
            #[doc = "Sets and clears standard marks and sets custom marks of up to 100 conversations (`mark_contact`)."]
            markConversations => mark_conversations(MarkConversationsParams) -> "Promise<MarkConversationsResult>";
        }
    };
}

/// A call of one command: plain data that knows how to build its request
/// body and parse its answer. The transport only moves bytes; the client
/// does the reading (of pages, and of the state after an ambiguous write).
pub trait Endpoint {
    /// The command, the last segment of `v4/recentcontact/{command}`.
    const COMMAND: &'static str;
    /// Whether repeating the call after an ambiguous failure (timeout, lost
    /// connection, 5xx) is harmless.
    const IDEMPOTENT: bool;
    /// Whether the call only reads (its failures never leave a write in doubt).
    const READ_ONLY: bool = false;
    /// What a successful call returns.
    type Output;

    /// Checks every documented rule; run before anything is sent.
    fn validate(&self) -> Result<()>;
    /// The JSON request body (wire field names).
    fn body(&self) -> String;
    /// Parses an answer, envelope and payload in one pass (see
    /// [`read_members`]): service errors become [`Error::Api`] or
    /// [`Error::Auth`]; anything but the documented JSON is [`Error::Decode`].
    fn parse_ok(&self, body: &[u8]) -> Result<Self::Output>;

    /// After an ambiguous failure of a write (or an abort of one in flight,
    /// with `reconcileOnAbort`): the user whose groups and marks the client
    /// reads back to show the caller; `None` (the default) when it reads none.
    fn reconcile_user(&self) -> Option<&str> {
        None
    }

    /// What `state`, the user's groups and marks as read back, shows of this
    /// write: the parts it concerns and whether they look applied
    /// ([`reconcile`] says why that never settles the outcome).
    fn read_back(&self, _state: &contact_groups::ConversationGroups) -> reconcile::ReadBack {
        reconcile::ReadBack {
            looks_applied: None,
            state: Default::default(),
        }
    }

    /// Parses any response body: service errors become [`Error::Api`] or
    /// [`Error::Auth`]; anything but the documented JSON is [`Error::Decode`].
    fn parse(&self, bytes: &[u8]) -> Result<Self::Output> {
        self.parse_ok(bytes)
    }
}

/// What the client needs of an endpoint to send it, as an object (the
/// parsing of its answer is handed over separately, see
/// [`crate::client::Client::call_validated`]): one send loop in the binary for
/// every endpoint.
pub trait Call {
    /// [`Endpoint::COMMAND`].
    fn command(&self) -> &'static str;
    /// [`Endpoint::IDEMPOTENT`].
    fn idempotent(&self) -> bool;
    /// [`Endpoint::READ_ONLY`].
    fn read_only(&self) -> bool;
    /// [`Endpoint::validate`].
    fn validate(&self) -> Result<()>;
    /// [`Endpoint::body`].
    fn body(&self) -> String;
    /// [`Endpoint::reconcile_user`].
    fn reconcile_user(&self) -> Option<&str>;
    /// [`Endpoint::read_back`].
    fn read_back(&self, state: &contact_groups::ConversationGroups) -> reconcile::ReadBack;
}

impl<E: Endpoint> Call for E {
    fn command(&self) -> &'static str {
        E::COMMAND
    }
    fn idempotent(&self) -> bool {
        E::IDEMPOTENT
    }
    fn read_only(&self) -> bool {
        E::READ_ONLY
    }
    fn validate(&self) -> Result<()> {
        Endpoint::validate(self)
    }
    fn body(&self) -> String {
        Endpoint::body(self)
    }
    fn reconcile_user(&self) -> Option<&str> {
        Endpoint::reconcile_user(self)
    }
    fn read_back(&self, state: &contact_groups::ConversationGroups) -> reconcile::ReadBack {
        Endpoint::read_back(self, state)
    }
}

pub use crate::error::decode_error;

/// The common members of every answer, as read (a member of the wrong
/// type is kept as its name, reported once the whole text is known to be
/// JSON).
#[derive(Default)]
struct Envelope {
    status: Option<std::result::Result<Option<String>, &'static str>>,
    code: Option<std::result::Result<Option<i64>, &'static str>>,
    info: Option<std::result::Result<Option<String>, &'static str>>,
    display: Option<std::result::Result<Option<String>, &'static str>>,
}

impl Envelope {
    /// Reads `key`'s value when it is a member of the envelope.
    fn member(&mut self, r: &mut Reader, key: &str) -> Read<bool> {
        match key {
            "ActionStatus" => self.status = Some(r.attempt(Reader::opt_string)?.ok_or("ActionStatus")),
            "ErrorCode" => self.code = Some(r.attempt(Reader::opt_int)?.ok_or("ErrorCode")),
            "ErrorInfo" => self.info = Some(r.attempt(Reader::opt_string)?.ok_or("ErrorInfo")),
            "ErrorDisplay" => self.display = Some(r.attempt(Reader::opt_string)?.ok_or("ErrorDisplay")),
            _ => return Ok(false),
        }
        Ok(true)
    }

    /// `Ok` when the answer says OK; else the service's error (or a decode
    /// error for an envelope that says nothing or the wrong types).
    fn verdict(self, command: &str) -> Result<()> {
        fn field<T>(command: &str, v: Option<std::result::Result<Option<T>, &str>>) -> Result<Option<T>> {
            match v {
                Some(Err(name)) => Err(decode_error(command, format!("bad {name}"))),
                Some(Ok(v)) => Ok(v),
                None => Ok(None),
            }
        }
        let status = field(command, self.status)?;
        let code = match (status.as_deref(), field(command, self.code)?) {
            (None, None) => return Err(decode_error(command, "no ActionStatus and no ErrorCode")),
            (_, Some(c)) if c != 0 => c,
            (Some("FAIL"), _) => -1,
            _ => return Ok(()),
        };
        Err(Error::from_service(
            code,
            field(command, self.info)?.unwrap_or_default(),
            field(command, self.display)?,
            command,
        ))
    }
}

/// Reads the common part of every answer (`ActionStatus`, `ErrorCode`,
/// `ErrorInfo`, `ErrorDisplay`) straight from the bytes, stepping over the
/// rest; `Ok` when the answer says OK. (Endpoints read the envelope and
/// their payload in one pass, [`read_members`]; this is its fallback when
/// the payload cannot be read, and a reader for tests.)
pub fn parse_envelope(command: &str, bytes: &[u8]) -> Result<()> {
    let text = std::str::from_utf8(bytes).map_err(|e| decode_error(command, format!("not UTF-8 ({e})")))?;
    if text.trim_start().is_empty() {
        return Err(decode_error(command, "empty"));
    }
    if !text.trim_start().starts_with('{') {
        return Err(decode_error(command, "not a JSON object"));
    }
    let mut r = Reader::new(text);
    let mut envelope = Envelope::default();
    let read = r
        .object(|r, key| {
            if !envelope.member(r, key)? {
                r.skip()?;
            }
            Ok(())
        })
        .and_then(|()| r.finish());
    if let Err(fail) = read {
        return Err(decode_error(command, format!("not JSON ({})", fail.message)));
    }
    envelope.verdict(command)
}

/// Reads an answer in one pass: the envelope, and the payload's top-level
/// members with `member`, which reads the ones it knows and returns `false`
/// for the rest (skipped, and checked). An answer that says FAIL is the
/// service's error, whatever its payload; a payload that cannot be read is
/// a decode error naming the path of the value that failed
/// (`GroupItem[2].GroupId`).
pub fn read_members(command: &str, body: &[u8], mut member: impl FnMut(&mut Reader, &str) -> Read<bool>) -> Result<()> {
    let Ok(text) = std::str::from_utf8(body) else {
        return parse_envelope(command, body);
    };
    let mut r = Reader::new(text);
    let mut envelope = Envelope::default();
    let read = r
        .object(|r, key| {
            if envelope.member(r, key)? || member(r, key)? {
                return Ok(());
            }
            r.skip()
        })
        .and_then(|()| r.finish());
    match read {
        Ok(()) => envelope.verdict(command),
        Err(fail) => {
            // What the envelope says comes first: a refusal, or not JSON at all.
            parse_envelope(command, body)?;
            let path = path_at(text, fail.at);
            let path = if path.is_empty() { "." } else { path.as_str() };
            Err(decode_error(command, format!("at {path}: {}", fail.message)))
        }
    }
}

/// Reads the one top-level member `key` of an OK answer with `read`; an
/// answer without it is a decode error.
pub fn read_body<T>(
    command: &str,
    body: &[u8],
    key: &'static str,
    mut read: impl FnMut(&mut Reader) -> Read<T>,
) -> Result<T> {
    let mut value = None;
    read_members(command, body, |r, k| {
        if k != key {
            return Ok(false);
        }
        value = Some(read(r)?);
        Ok(true)
    })?;
    value.ok_or_else(|| decode_error(command, format!("at .: missing field `{key}`")))
}

/// Parses JSON `text` as `T`; on failure, the path of the value where it
/// failed (`conversations[2].type`, from the error's position: no path is
/// tracked while parsing succeeds) and serde's message.
fn parse_text<T: DeserializeOwned>(text: &str) -> std::result::Result<T, (String, String)> {
    let mut de = serde_json::Deserializer::from_str(text);
    let result = T::deserialize(&mut de).and_then(|v| de.end().map(|()| v));
    result.map_err(|e| {
        let offset = offset_of(text, e.line(), e.column());
        (path_at(text, offset), e.to_string())
    })
}

/// The byte offset just past serde_json's 1-based (line, column).
fn offset_of(text: &str, line: usize, column: usize) -> usize {
    let start: usize = text
        .split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum();
    (start + column).min(text.len())
}

/// The path of the value being read at byte `offset` of JSON `text`:
/// `a.b[2].c`, or "" at the top. A small scanner: strings (with escapes),
/// objects, arrays; everything else is skipped.
pub fn path_at(text: &str, offset: usize) -> String {
    enum Frame {
        Object(Option<String>),
        Array(usize),
    }
    let bytes = text.as_bytes();
    let end = offset.min(bytes.len());
    let mut stack: Vec<Frame> = Vec::new();
    let mut expect_key = false;
    let mut i = 0;
    while i < end {
        match bytes[i] {
            b'{' => {
                stack.push(Frame::Object(None));
                expect_key = true;
            }
            b'[' => stack.push(Frame::Array(0)),
            b'}' | b']' => {
                stack.pop();
                expect_key = false;
            }
            b',' => match stack.last_mut() {
                Some(Frame::Array(n)) => *n += 1,
                Some(Frame::Object(_)) => expect_key = true,
                None => {}
            },
            b':' => expect_key = false,
            b'"' => {
                let start = i;
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
                if expect_key {
                    if let Some(Frame::Object(key)) = stack.last_mut() {
                        let raw = &text[start..(i + 1).min(text.len())];
                        *key = Some(
                            Reader::new(raw)
                                .string()
                                .unwrap_or_else(|_| raw.trim_matches('"').to_string()),
                        );
                    }
                }
            }
            _ => {}
        }
        i += 1;
    }
    let mut path = String::new();
    for frame in &stack {
        match frame {
            Frame::Object(Some(key)) => {
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(key);
            }
            Frame::Object(None) => {}
            Frame::Array(n) => path.push_str(&format!("[{n}]")),
        }
    }
    path
}

/// Reads user input (the parameters of a method, or the client options) as
/// JSON text, turning every mismatch into a [`Error::Validation`] that
/// names the field (`conversations[2].type`).
pub fn parse_input<T: DeserializeOwned>(root: &str, text: &str) -> Result<T> {
    parse_text(text).map_err(|(path, message)| {
        let mut field = path;
        // serde reports a missing or unknown member at its container: name the member.
        let named = ["missing field `", "unknown field `"]
            .iter()
            .find_map(|p| message.strip_prefix(p))
            .and_then(|rest| rest.split('`').next());
        let member = named.or(message.starts_with("unknown variant").then_some("type"));
        // Depending on the deserializer the path may already end at the member.
        if let Some(name) = member.filter(|n| field.rsplit('.').next() != Some(*n)) {
            if !field.is_empty() {
                field.push('.');
            }
            field.push_str(name);
        }
        if field.is_empty() {
            field = root.to_string();
        }
        let reason = crate::messages::reason(&message);
        Error::validation(field, reason)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;

    #[test]
    fn path_at_names_the_value_being_read() {
        let t = r#"{"a":1,"list":[{"x":"s"},{"y":[10,20,30]}],"k\"q":{}}"#;
        let at = |needle: &str| path_at(t, t.find(needle).unwrap() + needle.len());
        assert_eq!(at(r#""a":1"#), "a");
        assert_eq!(at(r#""x":"s""#), "list[0].x");
        assert_eq!(at("[10,20"), "list[1].y[1]");
        assert_eq!(at("30]"), "list[1].y");
        assert_eq!(at(r#""k\"q":{"#), "k\"q");
        assert_eq!(path_at(t, t.len()), "");
        assert_eq!(path_at("", 5), "");
        // Any bytes: never a panic.
        for junk in ["\"\\", "{\"", "[[[", "}}]]", "{\"a\":\"\\u12"] {
            let _ = path_at(junk, junk.len());
        }
    }

    #[test]
    fn input_errors_name_the_field_from_the_text() {
        let e = parse_input::<crate::DeleteConversationParams>(
            "params",
            r#"{"fromAccount":"a","conversation":{"type":"c2c","toAccount":5}}"#,
        )
        .unwrap_err();
        assert!(
            matches!(&e, Error::Validation { field, .. } if field == "conversation.toAccount"),
            "{e:?}"
        );
        let e = parse_input::<crate::CreateConversationGroupParams>(
            "params",
            "{\n \"fromAccount\": \"a\",\n \"groupName\": 7,\n \"conversations\": []}",
        )
        .unwrap_err();
        assert!(
            matches!(&e, Error::Validation { field, .. } if field == "groupName"),
            "{e:?}"
        );
    }

    #[test]
    fn envelope_ok_fail_and_garbage() {
        assert!(parse_envelope("delete", br#"{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"","X":1}"#).is_ok());
        let e = parse_envelope(
            "delete",
            br#"{"ActionStatus":"FAIL","ErrorCode":50002,"ErrorInfo":"bad","ErrorDisplay":"shown"}"#,
        )
        .unwrap_err();
        assert_eq!(
            e,
            Error::Api {
                code: 50002,
                info: "bad".into(),
                display: Some("shown".into()),
                command: "v4/recentcontact/delete".into(),
                retryable: false,
                outcome_unknown: false,
                read_back: None,
            }
        );
        let e = parse_envelope(
            "delete",
            br#"{"ActionStatus":"FAIL","ErrorCode":70001,"ErrorInfo":"expired"}"#,
        )
        .unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Auth);
        for junk in [
            &b""[..],
            b"<html>",
            b"[]",
            b"{}",
            b"null",
            b"{\"ErrorCode\":\"x\"}",
            b"\xff\xfe",
            b"{\"ActionStatus\":\"OK\"",
        ] {
            let e = parse_envelope("delete", junk).unwrap_err();
            assert_eq!(e.kind(), ErrorKind::Decode, "{junk:?}");
        }
        // One pass over envelope and payload: a refusal is the service's
        // error whatever its payload holds, broken or not.
        let groups = contact_groups::GetConversationGroupsParams {
            from_account: "u".into(),
            cursor: None,
        };
        for body in [
            r#"{"GroupItem":[{"GroupName":"g","GroupId":"not a number"}],"ActionStatus":"FAIL","ErrorCode":50002,"ErrorInfo":"x"}"#,
            r#"{"ActionStatus":"FAIL","ErrorCode":50002,"ErrorInfo":"x","ContactItem":7}"#,
            r#"{"ContactItem":[],"GroupItem":[],"CompleteFlag":1,"ActionStatus":"FAIL","ErrorCode":50002,"ErrorInfo":"x"}"#,
        ] {
            assert_eq!(groups.parse(body.as_bytes()).unwrap_err().code(), Some(50002), "{body}");
        }
        // An OK answer with a broken payload names the value; broken JSON is "not JSON".
        let e = groups
            .parse(br#"{"GroupItem":[{"GroupName":"g","GroupId":-1}],"ActionStatus":"OK","ErrorCode":0}"#)
            .unwrap_err();
        assert!(e.to_string().contains("at GroupItem[0].GroupId"), "{e}");
        let e = groups
            .parse(br#"{"GroupItem":[1,],"ActionStatus":"OK","ErrorCode":0}"#)
            .unwrap_err();
        assert!(e.to_string().contains("not JSON"), "{e}");
        // FAIL without a code is still a failure.
        assert_eq!(
            parse_envelope("delete", br#"{"ActionStatus":"FAIL"}"#)
                .unwrap_err()
                .kind(),
            ErrorKind::Api
        );
    }
}
