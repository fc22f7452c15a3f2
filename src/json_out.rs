//! Results as JSON text for JavaScript's `JSON.parse`, written by hand:
//! serde_json's serializer, at the size-first `opt-level` the `.wasm` is
//! built with, costs about a microsecond per result item.

/// JSON text being written.
#[derive(Default)]
pub struct Out(String, bool);

impl Out {
    /// An empty text with room for a small result.
    pub fn new() -> Self {
        Out(String::with_capacity(256), false)
    }
    /// [`Out::new`] for JavaScript: a list of a row type ([`ToJson::ROW`])
    /// is written as rows, `{"$rows":"<tag>","v":[[…],…]}`, each item an
    /// array of its fields in order (a conversation as its wire type and ID,
    /// an absent field as `null`), which `lib/results.js` turns back into
    /// the objects the TypeScript types describe. `JSON.parse` of 100 keyed
    /// items took 67 µs of a 200 µs list call; rows a third of the text,
    /// parsed and rebuilt, about half that.
    pub fn rows() -> Self {
        Out(String::with_capacity(256), true)
    }
    /// Whether lists of rows are written as rows.
    pub fn in_rows(&self) -> bool {
        self.1
    }
    /// The text written.
    pub fn into_string(self) -> String {
        self.0
    }
    /// Text that is already JSON (punctuation, keys).
    #[inline]
    pub fn raw(&mut self, s: &str) {
        self.0.push_str(s);
    }
    /// A JSON string: runs without escapes copied whole.
    pub fn str(&mut self, s: &str) {
        let out = &mut self.0;
        out.push('"');
        let bytes = s.as_bytes();
        let mut start = 0;
        for (i, &b) in bytes.iter().enumerate() {
            if b >= 0x20 && b != b'"' && b != b'\\' {
                continue;
            }
            out.push_str(&s[start..i]);
            match b {
                b'"' => out.push_str("\\\""),
                b'\\' => out.push_str("\\\\"),
                b'\n' => out.push_str("\\n"),
                b'\r' => out.push_str("\\r"),
                b'\t' => out.push_str("\\t"),
                0x08 => out.push_str("\\b"),
                0x0c => out.push_str("\\f"),
                _ => {
                    const HEX: &[u8; 16] = b"0123456789abcdef";
                    out.push_str("\\u00");
                    out.push(HEX[(b >> 4) as usize] as char);
                    out.push(HEX[(b & 15) as usize] as char);
                }
            }
            start = i + 1;
        }
        out.push_str(&s[start..]);
        out.push('"');
    }
    /// A whole number.
    pub fn u64(&mut self, v: u64) {
        push_u64(&mut self.0, v);
    }
    /// A whole number, maybe negative.
    pub fn i64(&mut self, v: i64) {
        if v < 0 {
            self.0.push('-');
        }
        self.u64(v.unsigned_abs());
    }
    /// `true` or `false`.
    pub fn bool(&mut self, v: bool) {
        self.0.push_str(if v { "true" } else { "false" });
    }
    /// `[a,b,…]`, each item written by `f`.
    pub fn list<T>(&mut self, items: &[T], mut f: impl FnMut(&mut Out, &T)) {
        self.0.push('[');
        for (i, item) in items.iter().enumerate() {
            if i > 0 {
                self.0.push(',');
            }
            f(self, item);
        }
        self.0.push(']');
    }
}

use crate::model::{Conversation, ConversationGroup, MarkedConversation};

/// Appends the decimal digits of `v` (no `core::fmt`).
pub fn push_u64(out: &mut String, mut v: u64) {
    let mut buf = [0u8; 20];
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (v % 10) as u8;
        v /= 10;
        if v == 0 {
            break;
        }
    }
    // Digits are ASCII.
    out.push_str(std::str::from_utf8(&buf[i..]).unwrap_or("0"));
}

/// A value that can be written as the JSON its TypeScript type describes.
pub trait ToJson {
    /// The tag of a type written as a row in a list for JavaScript (see
    /// [`Out::rows`]); `None`: always an object.
    const ROW: Option<&'static str> = None;
    /// Appends the value's JSON to `out` (as a row when `out` is in rows
    /// and the type has a [`ToJson::ROW`] tag).
    fn write_json(&self, out: &mut Out);
    /// The value's JSON text.
    fn to_json(&self) -> String {
        let mut out = Out::new();
        self.write_json(&mut out);
        out.into_string()
    }
    /// The value's text for JavaScript (`lib/results.js` reads it).
    fn to_js_json(&self) -> String {
        let mut out = Out::rows();
        self.write_json(&mut out);
        out.into_string()
    }
}

/// A conversation inside a row: its wire type (1, 2) and its ID.
pub(crate) fn conversation_row(o: &mut Out, c: &Conversation) {
    match c {
        Conversation::C2c { to_account } => {
            o.raw("1,");
            o.str(to_account);
        }
        Conversation::Group { to_group_id } => {
            o.raw("2,");
            o.str(to_group_id);
        }
    }
}

/// An optional field inside a row: its value, or `null`.
pub(crate) fn row_field<T: ToJson + ?Sized>(o: &mut Out, value: Option<&T>) {
    o.raw(",");
    match value {
        Some(v) => v.write_json(o),
        None => o.raw("null"),
    }
}

/// A method that resolves to nothing (`Promise<void>`): no JSON at all.
impl ToJson for () {
    fn write_json(&self, _out: &mut Out) {}
}

impl ToJson for Conversation {
    fn write_json(&self, o: &mut Out) {
        match self {
            Self::C2c { to_account } => {
                o.raw(r#"{"type":"c2c","toAccount":"#);
                o.str(to_account);
            }
            Self::Group { to_group_id } => {
                o.raw(r#"{"type":"group","toGroupId":"#);
                o.str(to_group_id);
            }
        }
        o.raw("}");
    }
}

impl ToJson for crate::model::ConversationResult {
    const ROW: Option<&'static str> = Some("R");
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
    if o.in_rows() {
        // [type, id, (action,) ok, resultCode, resultInfo]
        o.raw("[");
        conversation_row(o, conversation);
        if let Some(action) = action {
            o.raw(",");
            o.str(action);
        }
        o.raw(if ok { ",true," } else { ",false," });
        o.i64(code);
        o.raw(",");
        o.str(info);
        o.raw("]");
        return;
    }
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

impl<T: ToJson> ToJson for [T] {
    fn write_json(&self, o: &mut Out) {
        match T::ROW.filter(|_| o.in_rows()) {
            Some(tag) => {
                o.raw(r#"{"$rows":""#);
                o.raw(tag);
                o.raw(r#"","v":"#);
                o.list(self, |o, item| item.write_json(o));
                o.raw("}");
            }
            None => o.list(self, |o, item| item.write_json(o)),
        }
    }
}

impl ToJson for u64 {
    fn write_json(&self, o: &mut Out) {
        o.u64(*self);
    }
}

impl ToJson for u8 {
    fn write_json(&self, o: &mut Out) {
        o.u64(u64::from(*self));
    }
}

impl ToJson for String {
    fn write_json(&self, o: &mut Out) {
        o.str(self);
    }
}

impl ToJson for str {
    fn write_json(&self, o: &mut Out) {
        o.str(self);
    }
}

impl Out {
    /// `key` (JSON punctuation and a key, e.g. `,"GroupName":`) and a string.
    pub fn kv_str(&mut self, key: &str, value: &str) {
        self.raw(key);
        self.str(value);
    }

    /// `key` (JSON punctuation and a key) and a whole number.
    pub fn kv_u64(&mut self, key: &str, value: u64) {
        self.raw(key);
        self.u64(value);
    }

    /// `key` (JSON punctuation and a key) and a value, skipped when `None`.
    pub fn field<T: ToJson + ?Sized>(&mut self, key: &str, value: Option<&T>) {
        if let Some(v) = value {
            self.raw(key);
            v.write_json(self);
        }
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

/// `{"groupName":…,["oldGroupName":…,]"groupId":…` — the head every group
/// write result starts with (the caller closes it).
pub(crate) fn group_head(o: &mut Out, name: &str, old_name: Option<&str>, id: u64) {
    o.raw(r#"{"groupName":"#);
    o.str(name);
    o.field(r#","oldGroupName":"#, old_name);
    o.raw(r#","groupId":"#);
    o.u64(id);
}

impl ToJson for MarkedConversation {
    const ROW: Option<&'static str> = Some("M");
    fn write_json(&self, o: &mut Out) {
        if o.in_rows() {
            // [type, id, standardMarks, customMark, groupIds, timestamp]
            o.raw("[");
            conversation_row(o, &self.conversation);
            o.raw(",");
            self.standard_marks.write_json(o);
            row_field(o, self.custom_mark.as_deref());
            o.raw(",");
            self.group_ids.write_json(o);
            row_field(o, self.timestamp.as_ref());
            o.raw("]");
            return;
        }
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

impl<T: ToJson> ToJson for Vec<T> {
    fn write_json(&self, o: &mut Out) {
        self[..].write_json(o);
    }
}

#[cfg(test)]
mod tests {
    //! The writer against serde's derive (the reference, kept natively):
    //! byte-identical text for every result type, with every optional
    //! field present and absent and every escape JSON has.
    use super::*;
    use crate::endpoint::types::*;
    use crate::model::ConversationResult;

    const NASTY: &str = "q\"b\\s/\u{0}\u{8}\u{c}\n\r\t\u{1f}\u{7f}é😀\u{2028}";

    fn same<T: ToJson + serde::Serialize>(value: &T) {
        assert_eq!(value.to_json(), serde_json::to_string(value).unwrap());
    }

    fn conversations() -> [Conversation; 3] {
        [
            Conversation::C2c {
                to_account: "u1".into(),
            },
            Conversation::Group {
                to_group_id: NASTY.into(),
            },
            Conversation::C2c {
                to_account: String::new(),
            },
        ]
    }

    #[test]
    fn every_result_type_writes_what_serde_writes() {
        let results: Vec<ConversationResult> = conversations()
            .into_iter()
            .zip([0, -1, i64::MIN])
            .map(|(conversation, code)| ConversationResult {
                conversation,
                ok: code == 0,
                result_code: code,
                result_info: NASTY.into(),
            })
            .collect();
        {
            same(&CreateConversationGroupResult {
                group_name: NASTY.into(),
                group_id: u64::MAX,
                results: results.clone(),
            });
            same(&RenameConversationGroupResult {
                group_name: "n".into(),
                old_group_name: NASTY.into(),
                group_id: 0,
            });
            same(&DeleteConversationGroupResult {
                group_name: "".into(),
                group_id: 9_007_199_254_740_993,
            });
            same(&UpdateConversationGroupResult {
                group_name: "g".into(),
                group_id: 7,
                results: results
                    .iter()
                    .zip([
                        ConversationAction::Add,
                        ConversationAction::Remove,
                        ConversationAction::Add,
                    ])
                    .map(|(r, action)| UpdateConversationResult {
                        conversation: r.conversation.clone(),
                        action,
                        ok: r.ok,
                        result_code: r.result_code,
                        result_info: r.result_info.clone(),
                    })
                    .collect(),
            });
        }
        same(&MarkConversationsResult {
            results: results.clone(),
        });
        same(&MarkConversationsResult { results: vec![] });
        let items: Vec<ConversationListItem> = conversations()
            .into_iter()
            .enumerate()
            .map(|(i, conversation)| ConversationListItem {
                conversation,
                msg_time: [0, 1_700_000_000, u64::MAX][i],
                pinned: i == 1,
                standard_marks: [None, Some(vec![]), Some(vec![0, 5, 63])][i].clone(),
                custom_mark: [None, Some(NASTY.to_string()), Some(String::new())][i].clone(),
                group_ids: [None, Some(vec![]), Some(vec![1, u64::MAX])][i].clone(),
            })
            .collect();
        for next_cursor in [None, Some(NASTY.to_string())] {
            same(&ConversationListPage {
                conversations: items.clone(),
                next_cursor: next_cursor.clone(),
            });
        }
        let groups = vec![
            ConversationGroup {
                group_name: NASTY.into(),
                group_id: 1,
            },
            ConversationGroup {
                group_name: "b".into(),
                group_id: u64::MAX,
            },
        ];
        let marked: Vec<MarkedConversation> = conversations()
            .into_iter()
            .enumerate()
            .map(|(i, conversation)| MarkedConversation {
                conversation,
                standard_marks: [vec![], vec![1], vec![0, 63]][i].clone(),
                custom_mark: [None, Some(NASTY.to_string()), Some(String::new())][i].clone(),
                group_ids: [vec![], vec![3], vec![1, 2]][i].clone(),
                timestamp: [None, Some(0), Some(u64::MAX)][i],
            })
            .collect();
        same(&ConversationGroups {
            groups: groups.clone(),
            conversations: marked.clone(),
        });
        same(&ConversationGroups::default());
        for next_cursor in [None, Some("c".to_string())] {
            same(&ConversationGroupsPage {
                groups: groups.clone(),
                conversations: marked.clone(),
                next_cursor,
            });
        }
    }

    /// The row form for JavaScript (`to_js_json`) against the keyed form,
    /// for every row type with every optional field present and absent:
    /// `tests/fixtures/rows.json` holds both texts, and
    /// `tests/js/results.test.mjs` proves `lib/results.js` makes the keyed
    /// value of the rows. (`UPDATE_FIXTURES=1 cargo test` rewrites it.)
    #[test]
    fn rows_for_javascript_match_the_fixture_the_js_reader_is_tested_on() {
        let [a, b, c] = conversations();
        let item = |conversation: Conversation, full: bool| ConversationListItem {
            conversation,
            msg_time: if full { 9_007_199_254_740_991 } else { 0 },
            pinned: full,
            standard_marks: full.then(|| vec![0, 63]),
            custom_mark: full.then(|| NASTY.to_string()),
            group_ids: full.then(|| vec![1, u64::MAX]),
        };
        let marked = |conversation: Conversation, full: bool| MarkedConversation {
            conversation,
            standard_marks: if full { vec![1, 2, 3] } else { Vec::new() },
            custom_mark: full.then(|| NASTY.to_string()),
            group_ids: if full { vec![7] } else { Vec::new() },
            timestamp: full.then_some(1_700_000_000),
        };
        let result = |conversation: Conversation, ok: bool| ConversationResult {
            conversation,
            ok,
            result_code: if ok { 0 } else { 50002 },
            result_info: NASTY.into(),
        };
        let texts: Vec<(String, String)> = [
            (
                ConversationListPage {
                    conversations: vec![item(a.clone(), true), item(b.clone(), false), item(c.clone(), false)],
                    next_cursor: Some("l1.0.1.2.3".into()),
                }
                .to_js_json(),
                ConversationListPage {
                    conversations: vec![item(a.clone(), true), item(b.clone(), false), item(c.clone(), false)],
                    next_cursor: Some("l1.0.1.2.3".into()),
                }
                .to_json(),
            ),
            {
                let v = ConversationGroupsPage {
                    groups: vec![ConversationGroup {
                        group_name: NASTY.into(),
                        group_id: 3,
                    }],
                    conversations: vec![marked(a.clone(), true), marked(b.clone(), false)],
                    next_cursor: None,
                };
                (v.to_js_json(), v.to_json())
            },
            {
                let v = MarkConversationsResult {
                    results: vec![result(a.clone(), true), result(b.clone(), false)],
                };
                (v.to_js_json(), v.to_json())
            },
            {
                let v = UpdateConversationGroupResult {
                    group_name: "g".into(),
                    group_id: 1,
                    results: vec![
                        UpdateConversationResult {
                            conversation: a.clone(),
                            action: ConversationAction::Add,
                            ok: true,
                            result_code: 0,
                            result_info: String::new(),
                        },
                        UpdateConversationResult {
                            conversation: b.clone(),
                            action: ConversationAction::Remove,
                            ok: false,
                            result_code: 51009,
                            result_info: NASTY.into(),
                        },
                    ],
                };
                (v.to_js_json(), v.to_json())
            },
            {
                let v = ConversationListPage {
                    conversations: Vec::new(),
                    next_cursor: None,
                };
                (v.to_js_json(), v.to_json())
            },
        ]
        .into_iter()
        .collect();
        for (rows, keyed) in &texts {
            assert!(serde_json::from_str::<serde_json::Value>(rows).is_ok(), "{rows}");
            assert_ne!(rows, keyed);
        }
        let mut fixture = String::from("[\n");
        for (i, (rows, keyed)) in texts.iter().enumerate() {
            let sep = if i + 1 == texts.len() { "" } else { "," };
            fixture.push_str(&format!(
                "  {{ \"rows\": {}, \"keyed\": {} }}{sep}\n",
                serde_json::to_string(rows).unwrap(),
                serde_json::to_string(keyed).unwrap()
            ));
        }
        fixture.push_str("]\n");
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/rows.json");
        if std::env::var_os("UPDATE_FIXTURES").is_some() {
            std::fs::write(path, &fixture).unwrap();
        }
        assert_eq!(
            std::fs::read_to_string(path).unwrap_or_default(),
            fixture,
            "UPDATE_FIXTURES=1 cargo test rewrites {path}"
        );
    }

    #[test]
    fn every_byte_of_a_string_is_escaped_as_serde_escapes_it() {
        let all: String = (0u32..0x80).filter_map(char::from_u32).collect();
        assert_eq!(all.to_json(), serde_json::to_string(&all).unwrap());
    }
}
