//! Conversations and per-conversation results: the user-facing shapes
//! (camelCase, exported to TypeScript) and the service's wire shapes.

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::json_in::{Read, Reader};
use crate::json_out::{Out, ToJson};
use crate::limits::MAX_GROUP_NAME_BYTES;
pub use crate::shapes::{Conversation, ConversationGroup, MarkedConversation};

/// Read in place, member by member (serde's derive for an internally
/// tagged enum buffers the whole object first, and its errors then carry
/// no position to name the field from).
impl<'de> Deserialize<'de> for Conversation {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        d.deserialize_map(ConversationVisitor)
    }
}

struct ConversationVisitor;

const CONVERSATION_FIELDS: &[&str] = &["type", "toAccount", "toGroupId"];

impl<'de> serde::de::Visitor<'de> for ConversationVisitor {
    type Value = Conversation;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("an object with a \"type\"")
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> std::result::Result<Conversation, A::Error> {
        use serde::de::Error as _;
        let (mut kind, mut to_account, mut to_group_id) = (None::<bool>, None::<String>, None::<String>);
        while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
            match key.as_ref() {
                "type" if kind.is_some() => return Err(A::Error::duplicate_field("type")),
                "type" => {
                    let t = map.next_value::<std::borrow::Cow<'de, str>>()?;
                    kind = Some(match t.as_ref() {
                        "c2c" => true,
                        "group" => false,
                        other => return Err(A::Error::unknown_variant(other, &["c2c", "group"])),
                    });
                }
                "toAccount" if to_account.is_some() => return Err(A::Error::duplicate_field("toAccount")),
                "toAccount" => to_account = Some(map.next_value()?),
                "toGroupId" if to_group_id.is_some() => return Err(A::Error::duplicate_field("toGroupId")),
                "toGroupId" => to_group_id = Some(map.next_value()?),
                other => return Err(A::Error::unknown_field(other, CONVERSATION_FIELDS)),
            }
        }
        match (kind, to_account, to_group_id) {
            (None, _, _) => Err(A::Error::missing_field("type")),
            (Some(true), _, Some(_)) => Err(A::Error::unknown_field("toGroupId", &["type", "toAccount"])),
            (Some(false), Some(_), _) => Err(A::Error::unknown_field("toAccount", &["type", "toGroupId"])),
            (Some(true), Some(to_account), None) => Ok(Conversation::C2c { to_account }),
            (Some(true), None, None) => Err(A::Error::missing_field("toAccount")),
            (Some(false), None, Some(to_group_id)) => Ok(Conversation::Group { to_group_id }),
            (Some(false), None, None) => Err(A::Error::missing_field("toGroupId")),
        }
    }
}

impl Conversation {
    /// The wire `Type`: 1 for one-to-one, 2 for group.
    pub fn wire_type(&self) -> u8 {
        match self {
            Conversation::C2c { .. } => 1,
            Conversation::Group { .. } => 2,
        }
    }

    /// The wire `ContactItem` of the group endpoints.
    pub fn to_wire(&self) -> WireContact {
        match self {
            Conversation::C2c { to_account } => WireContact {
                kind: 1,
                to_account: Some(to_account.clone()),
                to_group_id: None,
            },
            Conversation::Group { to_group_id } => WireContact {
                kind: 2,
                to_account: None,
                to_group_id: Some(to_group_id.clone()),
            },
        }
    }

    /// Checks the identifier is present; the error's field is relative to
    /// this conversation (see [`Error::within`]).
    pub fn validate(&self) -> Result<()> {
        match self {
            Conversation::C2c { to_account } => non_empty("toAccount", to_account),
            Conversation::Group { to_group_id } => non_empty("toGroupId", to_group_id),
        }
    }
}

/// A conversation as the group endpoints write it (`ContactItem`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WireContact {
    /// 1 = one-to-one, 2 = group.
    #[serde(rename = "Type")]
    pub kind: i64,
    /// The peer of a one-to-one conversation.
    #[serde(rename = "To_Account", default, skip_serializing_if = "Option::is_none")]
    pub to_account: Option<String>,
    /// The group of a group conversation (also read as `ToGroupid` or `GroupId`).
    #[serde(
        rename = "ToGroupId",
        alias = "ToGroupid",
        alias = "GroupId",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub to_group_id: Option<String>,
}

impl WireContact {
    /// Reads one (`ToGroupId` is also read as `ToGroupid` or `GroupId`).
    pub fn read(r: &mut Reader) -> Read<Self> {
        let object = r.pos();
        let (mut kind, mut to_account, mut to_group_id) = (None, None, None);
        r.object(|r, key| {
            match key {
                "Type" => kind = Some(r.int()?),
                "To_Account" => to_account = r.opt_string()?,
                "ToGroupId" | "ToGroupid" | "GroupId" => to_group_id = r.opt_string()?,
                _ => r.skip()?,
            }
            Ok(())
        })?;
        Ok(WireContact {
            kind: kind.ok_or_else(|| Reader::missing(object, "Type"))?,
            to_account,
            to_group_id,
        })
    }

    /// The user-facing conversation; a decode error when the item is not one.
    pub fn into_conversation(self, command: &str) -> Result<Conversation> {
        match (self.kind, self.to_account, self.to_group_id) {
            (1, Some(a), _) => Ok(Conversation::C2c { to_account: a }),
            (2, _, Some(g)) => Ok(Conversation::Group { to_group_id: g }),
            (t, _, _) => Err(crate::error::decode_error(
                command,
                format!("ContactItem of Type {t} without its identifier"),
            )),
        }
    }
}

/// The outcome of one conversation in a group operation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct ConversationResult {
    /// The conversation.
    pub conversation: Conversation,
    /// `resultCode === 0`.
    pub ok: bool,
    /// The service's `ResultCode` for this conversation (0 = success).
    pub result_code: i64,
    /// The service's `ResultInfo` for this conversation.
    pub result_info: String,
}

/// One `ResultItem` / `ContactResultItem` as the service writes it.
#[derive(Debug, Clone)]
pub struct WireResult {
    /// The conversation (`ContactItem`).
    pub contact: WireContact,
    /// `ResultCode`: 0 = success (0 when absent).
    pub result_code: i64,
    /// `ResultInfo`: a description ("" when absent or null).
    pub result_info: String,
    /// `ContactOptType` (`update_contact_group`): 1 = added, 2 = removed.
    pub opt: Option<i64>,
}

impl WireResult {
    /// Reads one.
    pub fn read(r: &mut Reader) -> Read<Self> {
        let object = r.pos();
        let (mut contact, mut result_code, mut result_info, mut opt) = (None, 0, String::new(), None);
        r.object(|r, key| {
            match key {
                "ContactItem" => contact = Some(WireContact::read(r)?),
                "ResultCode" => result_code = r.opt_int()?.unwrap_or(0),
                "ResultInfo" => result_info = r.opt_string()?.unwrap_or_default(),
                "ContactOptType" => opt = Some(r.int()?),
                _ => r.skip()?,
            }
            Ok(())
        })?;
        Ok(WireResult {
            contact: contact.ok_or_else(|| Reader::missing(object, "ContactItem"))?,
            result_code,
            result_info,
            opt,
        })
    }

    /// The user-facing result.
    pub fn into_result(self, command: &str) -> Result<ConversationResult> {
        Ok(ConversationResult {
            conversation: self.contact.into_conversation(command)?,
            ok: self.result_code == 0,
            result_code: self.result_code,
            result_info: self.result_info,
        })
    }
}

/// `{GroupName, GroupId}` as the service writes it.
#[derive(Debug, Clone)]
pub struct WireGroupItem {
    /// The group's name.
    pub group_name: String,
    /// The group's numeric ID (at most 2^53 - 1).
    pub group_id: u64,
}

impl WireGroupItem {
    /// Reads one.
    pub fn read(r: &mut Reader) -> Read<Self> {
        let object = r.pos();
        let (mut name, mut id) = (None, None);
        r.object(|r, key| {
            match key {
                "GroupName" => name = Some(r.string()?),
                "GroupId" => id = Some(r.safe_int()?),
                _ => r.skip()?,
            }
            Ok(())
        })?;
        Ok(WireGroupItem {
            group_name: name.ok_or_else(|| Reader::missing(object, "GroupName"))?,
            group_id: id.ok_or_else(|| Reader::missing(object, "GroupId"))?,
        })
    }
}

pub use crate::limits::MAX_SAFE_INTEGER;

/// Readers of strings that may hold a lone UTF-16 surrogate (JavaScript
/// allows them, UTF-8 does not): each one reads as U+FFFD replacement characters instead of failing
/// the whole input, so e.g. such a UserSig is refused as an invalid
/// signature (70003), as the service would, not as a type mistake.
pub mod lossy {
    use std::fmt;

    use serde::de::{Deserializer, Error, Visitor};

    struct Lossy;

    impl Visitor<'_> for Lossy {
        type Value = String;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a string")
        }
        fn visit_str<E: Error>(self, v: &str) -> Result<String, E> {
            Ok(v.to_string())
        }
        fn visit_string<E: Error>(self, v: String) -> Result<String, E> {
            Ok(v)
        }
        fn visit_bytes<E: Error>(self, v: &[u8]) -> Result<String, E> {
            Ok(String::from_utf8_lossy(v).into_owned())
        }
    }

    struct OptLossy;

    impl<'de> Visitor<'de> for OptLossy {
        type Value = Option<String>;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a string")
        }
        fn visit_none<E: Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_unit<E: Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
            string(d).map(Some)
        }
    }

    /// A string; lone surrogates read as U+FFFD.
    pub fn string<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
        // JSON's byte-string reading keeps lone surrogates (as WTF-8) where
        // its string reading refuses them.
        d.deserialize_bytes(Lossy)
    }

    /// An optional one.
    pub fn opt_string<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
        d.deserialize_option(OptLossy)
    }
}

/// One number of an opaque cursor: canonical decimal digits (as this crate
/// writes them) of a value up to 2^53 - 1, so a forged or edited cursor is
/// refused rather than sent.
pub fn cursor_number(text: &str) -> Option<u64> {
    let canonical =
        !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) && (text == "0" || !text.starts_with('0'));
    text.parse().ok().filter(|v| canonical && *v <= MAX_SAFE_INTEGER)
}

/// A required account or group ID: not empty, at most
/// [`MAX_ID_BYTES`](crate::limits::MAX_ID_BYTES) UTF-8 bytes.
pub fn non_empty(field: &str, value: &str) -> Result<()> {
    if value.is_empty() {
        return Err(Error::validation(field, "must not be empty"));
    }
    at_most_bytes(field, value, crate::limits::MAX_ID_BYTES)
}

/// A conversation group name: 1 to 32 UTF-8 bytes.
pub fn group_name(field: &str, value: &str) -> Result<()> {
    non_empty(field, value)?;
    at_most_bytes(field, value, MAX_GROUP_NAME_BYTES)
}

/// A string of at most `max` UTF-8 bytes (the words `lib/input.js` uses too
/// when it refuses a longer one before copying it).
pub fn at_most_bytes(field: impl Into<String>, value: &str, max: usize) -> Result<()> {
    let n = value.len();
    if n > max {
        return Err(Error::validation(
            field,
            format!("must be at most {max} UTF-8 bytes, got {n} bytes"),
        ));
    }
    Ok(())
}

/// A list of `n` entries that must hold 1 to `max` of them.
pub fn one_to(field: &str, what: &str, n: usize, max: usize) -> Result<()> {
    if n == 0 || n > max {
        return Err(Error::validation(field, format!("give 1 to {max} {what}, got {n}")));
    }
    Ok(())
}

/// Validates every conversation of a list, naming `field[i]` on failure.
pub fn validate_all(field: &str, list: &[Conversation]) -> Result<()> {
    list.iter()
        .enumerate()
        .try_for_each(|(i, c)| c.validate().map_err(|e| e.within(|| format!("{field}[{i}]"))))
}

// ---- As JSON (json_out's writer): results for JavaScript, request items.

impl ToJson for Conversation {
    fn write_json(&self, o: &mut Out) {
        match self {
            Self::C2c { to_account } => {
                o.variant(r#"{"type":"c2c","toAccount":"#, 1);
                o.str(to_account);
            }
            Self::Group { to_group_id } => {
                o.variant(r#"{"type":"group","toGroupId":"#, 2);
                o.str(to_group_id);
            }
        }
        o.raw("}");
    }
}

impl ToJson for ConversationResult {
    fn write_json(&self, o: &mut Out) {
        result(
            o,
            &self.conversation,
            None,
            self.ok,
            self.result_code,
            &self.result_info,
        );
    }
}

/// One conversation's outcome, with the action for `updateConversationGroup`.
pub(crate) fn result(o: &mut Out, conversation: &Conversation, action: Option<&str>, ok: bool, code: i64, info: &str) {
    o.raw(r#"{"conversation":"#);
    conversation.write_json(o);
    if let Some(action) = action {
        o.raw(r#","action":"#);
        o.str(action);
    }
    o.raw(r#","ok":"#);
    o.bool(ok);
    o.raw(r#","resultCode":"#);
    o.i64(code);
    o.raw(r#","resultInfo":"#);
    o.str(info);
    o.raw("}");
}

impl ToJson for ConversationGroup {
    fn write_json(&self, o: &mut Out) {
        o.raw(r#"{"groupName":"#);
        o.str(&self.group_name);
        o.raw(r#","groupId":"#);
        o.u64(self.group_id);
        o.raw("}");
    }
}

/// A conversation as request bodies write it (`ContactItem`), members
/// sorted as a JSON map writes them.
pub fn contact_item(o: &mut Out, c: &Conversation) {
    match c {
        Conversation::C2c { to_account } => {
            o.kv_str(r#"{"To_Account":"#, to_account);
            o.raw(r#","Type":1}"#);
        }
        Conversation::Group { to_group_id } => {
            o.kv_str(r#"{"ToGroupId":"#, to_group_id);
            o.raw(r#","Type":2}"#);
        }
    }
}

/// `[ContactItem,…]`.
pub fn contact_items(o: &mut Out, list: &[Conversation]) {
    o.list(list, contact_item);
}

impl ToJson for MarkedConversation {
    fn write_json(&self, o: &mut Out) {
        o.raw(r#"{"conversation":"#);
        self.conversation.write_json(o);
        o.raw(r#","standardMarks":"#);
        self.standard_marks.write_json(o);
        o.field(r#","customMark":"#, self.custom_mark.as_deref());
        o.raw(r#","groupIds":"#);
        self.group_ids.write_json(o);
        o.field(r#","timestamp":"#, self.timestamp.as_ref());
        o.raw("}");
    }
}

/// `{"groups":…,"conversations":…` (the caller closes it).
pub(crate) fn groups_head(o: &mut Out, groups: &[ConversationGroup], conversations: &[MarkedConversation]) {
    o.raw(r#"{"groups":"#);
    groups.write_json(o);
    o.raw(r#","conversations":"#);
    conversations.write_json(o);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_capped_before_anything_is_sent() {
        let id = "x".repeat(crate::limits::MAX_ID_BYTES);
        assert!(non_empty("fromAccount", &id).is_ok());
        let e = non_empty("fromAccount", &format!("{id}x")).unwrap_err();
        assert_eq!(
            e.to_string(),
            "invalid `fromAccount`: must be at most 256 UTF-8 bytes, got 257 bytes"
        );
        // Bytes, not characters: 86 three-byte characters are 258 bytes.
        assert!(non_empty("toAccount", &"分".repeat(86)).is_err());
    }

    #[test]
    fn wire_form_of_conversations() {
        let c = Conversation::C2c {
            to_account: "user0".into(),
        };
        assert_eq!(
            serde_json::to_string(&c.to_wire()).unwrap(),
            r#"{"Type":1,"To_Account":"user0"}"#
        );
        let g = Conversation::Group {
            to_group_id: "@TGS#1".into(),
        };
        assert_eq!(
            serde_json::to_string(&g.to_wire()).unwrap(),
            r#"{"Type":2,"ToGroupId":"@TGS#1"}"#
        );
        assert_eq!(
            serde_json::to_string(&g).unwrap(),
            r#"{"type":"group","toGroupId":"@TGS#1"}"#
        );
    }

    #[test]
    fn group_names_count_bytes() {
        assert!(group_name("groupName", &"a".repeat(32)).is_ok());
        assert!(group_name("groupName", &"a".repeat(33)).is_err());
        assert!(group_name("groupName", &"分".repeat(10)).is_ok()); // 30 bytes
        let e = group_name("groupName", &"分".repeat(11)).unwrap_err(); // 33 bytes
        assert_eq!(
            e,
            Error::validation("groupName", "must be at most 32 UTF-8 bytes, got 33 bytes")
        );
        assert!(group_name("groupName", "").is_err());
    }

    #[test]
    fn wire_contact_decoding() {
        let read = |t: &str| WireContact::read(&mut Reader::new(t));
        let w = read(r#"{"Type":2,"ToGroupid":"g"}"#).unwrap();
        assert_eq!(
            w.into_conversation("x").unwrap(),
            Conversation::Group {
                to_group_id: "g".into()
            }
        );
        let w = read(r#"{"Type":1}"#).unwrap();
        assert!(matches!(w.into_conversation("x"), Err(Error::Decode { .. })));
        assert_eq!(
            read(r#"{"To_Account":"a"}"#).unwrap_err().message,
            "missing field `Type`"
        );
        assert_eq!(read(r#"{"Type":1.5}"#).unwrap_err().message, "expected a whole number");
    }
}

impl From<&WireGroupItem> for ConversationGroup {
    fn from(g: &WireGroupItem) -> Self {
        ConversationGroup {
            group_name: g.group_name.clone(),
            group_id: g.group_id,
        }
    }
}

/// A conversation as `get_list`, `get_contact_group` and
/// `search_contact_group` write it: identity plus whatever marks, groups and
/// times the command reports.
///
/// Read leniently, field by field, so that one odd item never costs the
/// caller the rest of the page: a field of the wrong type (or an integer
/// above 2^53 - 1) reads as absent, a `ContactGroupId` keeps its valid IDs,
/// and an item whose `Type` and identifier do not name a conversation is
/// left out of the page (README, "Listing").
#[derive(Debug, Clone, Default)]
pub struct WireContactDetail {
    /// `Type`: 1 = one-to-one, 2 = group.
    pub kind: Option<i64>,
    /// `To_Account`: the peer of a one-to-one conversation.
    pub to_account: Option<String>,
    /// The group (`GroupId` in `get_list`, `ToGroupId` elsewhere, `ToGroupid` too).
    pub to_group_id: Option<String>,
    /// `StandardMark`, a binary string, as the numbers of its set bits
    /// (`None` when absent or not a binary string of at most 64 digits;
    /// `""` is no bits).
    pub standard_marks: Option<Vec<u8>>,
    /// `CustomMark`.
    pub custom_mark: Option<String>,
    /// `ContactGroupId`: conversation group IDs.
    pub group_ids: Option<Vec<u64>>,
    /// `Timestamp`: last change of group/mark data.
    pub timestamp: Option<u64>,
    /// `MsgTime`: time of the last message (`get_list`).
    pub msg_time: Option<u64>,
    /// `TopFlag`: 1 when pinned (`get_list`).
    pub top_flag: Option<i64>,
}

impl WireContactDetail {
    /// Reads one, field by field, tolerantly (see the type's description).
    pub fn read(r: &mut Reader) -> Read<Self> {
        let mut d = WireContactDetail::default();
        r.object(|r, key| {
            // By length first: at opt-level "z" each string comparison is a
            // call, and a list of 100 details has ~800 keys.
            match (key.len(), key) {
                (4, "Type") => d.kind = r.lenient_int()?,
                (10, "To_Account") => d.to_account = r.lenient_string()?,
                (9, "ToGroupId" | "ToGroupid") | (7, "GroupId") => d.to_group_id = r.lenient_string()?,
                (12, "StandardMark") => d.standard_marks = r.lenient_str(crate::marks::parse_standard_mark)?.flatten(),
                (10, "CustomMark") => d.custom_mark = r.lenient_string()?,
                (14, "ContactGroupId") => d.group_ids = r.lenient_safe_ints()?,
                (9, "Timestamp") => d.timestamp = r.lenient_safe_int()?,
                (7, "MsgTime") => d.msg_time = r.lenient_safe_int()?,
                (7, "TopFlag") => d.top_flag = r.lenient_int()?,
                _ => r.skip()?,
            }
            Ok(())
        })?;
        Ok(d)
    }

    /// The conversation it names, when its `Type` and identifier name one.
    pub fn conversation(&mut self) -> Option<Conversation> {
        match (self.kind, &mut self.to_account, &mut self.to_group_id) {
            (Some(1), Some(a), _) if !a.is_empty() => Some(Conversation::C2c {
                to_account: std::mem::take(a),
            }),
            (Some(2), _, Some(g)) if !g.is_empty() => Some(Conversation::Group {
                to_group_id: std::mem::take(g),
            }),
            _ => None,
        }
    }

    /// As a [`MarkedConversation`]; `None` when it names no conversation.
    pub fn into_marked(mut self) -> Option<MarkedConversation> {
        Some(MarkedConversation {
            conversation: self.conversation()?,
            standard_marks: self.standard_marks.unwrap_or_default(),
            custom_mark: self.custom_mark,
            group_ids: self.group_ids.unwrap_or_default(),
            timestamp: self.timestamp,
        })
    }
}

#[cfg(test)]
mod any_bytes {
    use super::*;

    /// Any bytes: an item read or refused, never a panic.
    #[test]
    fn any_text_reads_as_an_item_without_panicking() {
        let alphabet = b"{}[]\":,\\u0123456789abcdefnrtl-+.eE \xc3\xa9TypeTo_AccountMsgTime";
        for text in crate::json_in::random_texts(alphabet, 20_000, 60) {
            let _ = WireContactDetail::read(&mut Reader::new(&text));
            let _ = WireResult::read(&mut Reader::new(&text));
        }
    }
}
