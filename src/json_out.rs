//! JSON text (request bodies, error descriptions, results natively) and,
//! for JavaScript, results as a tape ([`Out::tape`]), written by hand:
//! serde_json's serializer, at the size-first `opt-level` the `.wasm` is
//! built with, costs about a microsecond per result item.

/// JSON text being written, or a result's tape for JavaScript.
#[derive(Default)]
pub struct Out(String, Option<Vec<f64>>);

impl Out {
    /// An empty text with room for a small result.
    pub fn new() -> Self {
        Out(String::with_capacity(256), None)
    }
    /// [`Out::new`] for JavaScript's `lib/results.js`: no text, but a tape
    /// of numbers and the strings one after another. The same writers fill
    /// it: JSON punctuation and keys ([`Out::raw`]) are left out; a string
    /// is its UTF-16 length on the tape and its text in the strings; a
    /// number, a bool (0 or 1), a list's length and a variant's tag
    /// ([`Out::variant`]) are numbers; an absent field ([`Out::field`]) or
    /// a `null` is NaN. The reader knows the result's shape from the tag
    /// the tape starts with ([`ToJson::JS`]) and makes its objects from
    /// numbers read out of wasm memory and slices of one string:
    /// `JSON.parse` of a single-item search result's text was a tenth of
    /// the call (it makes and looks up every key).
    #[inline(never)]
    pub fn tape(tag: u8) -> Self {
        let mut tape = Vec::with_capacity(32);
        tape.push(f64::from(tag));
        Out(String::with_capacity(64), Some(tape))
    }
    /// The text written (for a tape, its strings).
    pub fn into_string(self) -> String {
        self.0
    }
    /// The text written (for a tape, its strings).
    pub fn text(&self) -> &str {
        &self.0
    }
    /// The tape ([`Out::tape`]); empty for a text.
    pub fn numbers(&self) -> &[f64] {
        self.1.as_deref().unwrap_or(&[])
    }
    /// `v` on the tape; false when this is a text.
    #[inline]
    fn on_tape(&mut self, v: f64) -> bool {
        match &mut self.1 {
            Some(tape) => {
                tape.push(v);
                true
            }
            None => false,
        }
    }
    /// Text that is already JSON (punctuation, keys): nothing on a tape.
    #[inline]
    pub fn raw(&mut self, s: &str) {
        if self.1.is_none() {
            self.0.push_str(s);
        }
    }
    /// A variant of an enum: its JSON text (`raw`), or `tag` on a tape.
    pub fn variant(&mut self, raw: &str, tag: u8) {
        if !self.on_tape(f64::from(tag)) {
            self.0.push_str(raw);
        }
    }
    /// `null`.
    pub fn null(&mut self) {
        if !self.on_tape(f64::NAN) {
            self.0.push_str("null");
        }
    }
    /// A JSON string: runs without escapes copied whole.
    pub fn str(&mut self, s: &str) {
        if let Some(tape) = &mut self.1 {
            // UTF-16 units: one per byte that starts a character, two for
            // a four-byte one.
            let units: usize = s
                .bytes()
                .map(|b| usize::from(b & 0xc0 != 0x80) + usize::from(b >= 0xf0))
                .sum();
            tape.push(units as f64);
            self.0.push_str(s);
            return;
        }
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
        if !self.on_tape(v as f64) {
            push_u64(&mut self.0, v);
        }
    }
    /// A whole number, maybe negative.
    pub fn i64(&mut self, v: i64) {
        if self.on_tape(v as f64) {
            return;
        }
        if v < 0 {
            self.0.push('-');
        }
        self.u64(v.unsigned_abs());
    }
    /// `true` or `false`.
    pub fn bool(&mut self, v: bool) {
        if !self.on_tape(f64::from(u8::from(v))) {
            self.0.push_str(if v { "true" } else { "false" });
        }
    }
    /// `[a,b,…]`, each item written by `f`.
    pub fn list<T>(&mut self, items: &[T], mut f: impl FnMut(&mut Out, &T)) {
        // On a tape, its length; one loop for both (`f` inlined once).
        if !self.on_tape(items.len() as f64) {
            self.0.push('[');
        }
        for (i, item) in items.iter().enumerate() {
            if i > 0 {
                self.raw(",");
            }
            f(self, item);
        }
        self.raw("]");
    }
}

/// Appends the decimal digits of `v` (no `core::fmt`).
pub fn push_u64(out: &mut String, mut v: u64) {
    // Most numbers written are one digit (a type, a mark, an option).
    if v < 10 {
        out.push(char::from(b'0' + v as u8));
        return;
    }
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
    /// The tag of the reader `lib/results.js` makes this result with from a
    /// tape ([`Out::tape`]); 0: none, it is read as JSON text.
    const JS: u8 = 0;
    /// Appends the value's JSON to `out` (or its part of a tape).
    fn write_json(&self, out: &mut Out);
    /// The value's JSON text.
    fn to_json(&self) -> String {
        let mut out = Out::new();
        self.write_json(&mut out);
        out.into_string()
    }
    /// The value for JavaScript (`lib/results.js` reads it): its tape, or
    /// (no [`ToJson::JS`] tag) its JSON text.
    fn to_js(&self) -> Out {
        let mut out = if Self::JS == 0 { Out::new() } else { Out::tape(Self::JS) };
        self.write_json(&mut out);
        out
    }
}

/// A method that resolves to nothing (`Promise<void>`): no JSON at all.
impl ToJson for () {
    fn write_json(&self, _out: &mut Out) {}
}

impl<T: ToJson> ToJson for [T] {
    fn write_json(&self, o: &mut Out) {
        o.list(self, |o, item| item.write_json(o));
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

    /// `key` (JSON punctuation and a key) and a value, skipped when
    /// `None` (NaN on a tape).
    pub fn field<T: ToJson + ?Sized>(&mut self, key: &str, value: Option<&T>) {
        match value {
            Some(v) => {
                self.raw(key);
                v.write_json(self);
            }
            None => {
                self.on_tape(f64::NAN);
            }
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
