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

/// `{"groupName":…,["oldGroupName":…,]"groupId":…` — the head every group
/// write result starts with (the caller closes it).
pub(crate) fn group_head(o: &mut Out, name: &str, old_name: Option<&str>, id: u64) {
    o.raw(r#"{"groupName":"#);
    o.str(name);
    o.field(r#","oldGroupName":"#, old_name);
    o.raw(r#","groupId":"#);
    o.u64(id);
}

impl<T: ToJson> ToJson for Vec<T> {
    fn write_json(&self, o: &mut Out) {
        self[..].write_json(o);
    }
}
