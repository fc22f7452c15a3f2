//! A one-pass JSON reader for the service's answers: each endpoint reads
//! the members it knows straight into its wire structs, skips (and checks)
//! the rest, and nothing else is built — no `serde_json::Value`, no visitor
//! machinery. At the size-first `opt-level` the `.wasm` is built with,
//! serde's derive cost about half of a 100-item answer's time and a tenth
//! of the binary. Failures carry the byte offset of the value that failed;
//! [`crate::endpoint::path_at`] names its path from there.

use std::borrow::Cow;

use crate::limits::MAX_SAFE_INTEGER;

/// How deep arrays and objects may nest (serde_json's own limit).
const MAX_DEPTH: u32 = 128;

/// Why reading stopped, and where (a byte offset into the text).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fail {
    /// Byte offset of the value (or object) that failed.
    pub at: usize,
    /// What was wrong.
    pub message: Cow<'static, str>,
}

/// Reading result.
/// Boxed: a `Read<()>` is then one pointer, returned in a register rather
/// than through memory by every reader on the way.
pub type Read<T> = std::result::Result<T, Box<Fail>>;

/// A cursor over JSON text.
pub struct Reader<'a> {
    text: &'a str,
    b: &'a [u8],
    i: usize,
    depth: u32,
}

impl<'a> Reader<'a> {
    /// A reader at the start of `text`.
    pub fn new(text: &'a str) -> Self {
        Reader {
            text,
            b: text.as_bytes(),
            i: 0,
            depth: 0,
        }
    }

    /// A failure at the current value.
    pub fn fail<T>(&self, message: impl Into<Cow<'static, str>>) -> Read<T> {
        Err(Box::new(Fail {
            at: self.i,
            message: message.into(),
        }))
    }

    /// A required member that an object (which started at `object`) lacked.
    pub fn missing(object: usize, field: &'static str) -> Box<Fail> {
        Box::new(Fail {
            at: object + 1,
            message: format!("missing field `{field}`").into(),
        })
    }

    /// Where the next value starts (after whitespace).
    pub fn pos(&mut self) -> usize {
        self.ws();
        self.i
    }

    /// Only whitespace may follow the value read.
    pub fn finish(&mut self) -> Read<()> {
        self.ws();
        if self.i != self.b.len() {
            return self.fail("trailing characters");
        }
        Ok(())
    }

    #[inline(always)]
    fn ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.b.get(self.i) {
            self.i += 1;
        }
    }

    #[inline(always)]
    fn peek(&mut self) -> u8 {
        self.ws();
        self.b.get(self.i).copied().unwrap_or(0)
    }

    #[inline(always)]
    fn eat(&mut self, c: u8) -> bool {
        let hit = self.peek() == c;
        self.i += usize::from(hit);
        hit
    }

    fn enter(&mut self) -> Read<()> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return self.fail("nested too deeply");
        }
        Ok(())
    }

    /// An object: `member` is called with each key (as written, escapes
    /// not decoded) and must read or skip its value.
    pub fn object(&mut self, mut member: impl FnMut(&mut Self, &'a str) -> Read<()>) -> Read<()> {
        self.object_dyn(&mut member)
    }

    /// [`Reader::object`], once in the binary (callers' closures are many).
    fn object_dyn(&mut self, member: &mut dyn FnMut(&mut Self, &'a str) -> Read<()>) -> Read<()> {
        if self.peek() != b'{' {
            return self.fail("expected an object");
        }
        self.enter()?;
        self.i += 1;
        if !self.eat(b'}') {
            loop {
                if self.peek() != b'"' {
                    return self.fail("expected a key");
                }
                let start = self.i + 1;
                self.skip_string()?;
                let key = &self.text[start..self.i - 1];
                if !self.eat(b':') {
                    return self.fail("expected `:`");
                }
                self.ws();
                member(self, key)?;
                if self.eat(b'}') {
                    break;
                }
                if !self.eat(b',') {
                    return self.fail("expected `,` or `}`");
                }
            }
        }
        self.depth -= 1;
        Ok(())
    }

    /// An array: `item` is called once per element and must read or skip it.
    pub fn array(&mut self, mut item: impl FnMut(&mut Self) -> Read<()>) -> Read<()> {
        self.array_dyn(&mut item)
    }

    /// [`Reader::array`], once in the binary.
    fn array_dyn(&mut self, item: &mut dyn FnMut(&mut Self) -> Read<()>) -> Read<()> {
        if self.peek() != b'[' {
            return self.fail("expected an array");
        }
        self.enter()?;
        self.i += 1;
        if !self.eat(b']') {
            loop {
                self.ws();
                item(self)?;
                if self.eat(b']') {
                    break;
                }
                if !self.eat(b',') {
                    return self.fail("expected `,` or `]`");
                }
            }
        }
        self.depth -= 1;
        Ok(())
    }

    /// A list of values read by `read`.
    pub fn list<T>(&mut self, mut read: impl FnMut(&mut Self) -> Read<T>) -> Read<Vec<T>> {
        let mut out = Vec::new();
        self.array(|r| read(r).map(|v| out.push(v)))?;
        Ok(out)
    }

    /// Steps over a string, the cursor on its opening quote; checks its escapes.
    #[inline(always)]
    fn skip_string(&mut self) -> Read<bool> {
        self.i += 1;
        let mut escaped = false;
        loop {
            match self.b.get(self.i) {
                None => return self.fail("unterminated string"),
                Some(b'"') => {
                    self.i += 1;
                    return Ok(escaped);
                }
                Some(b'\\') => {
                    escaped = true;
                    match self.b.get(self.i + 1) {
                        Some(b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't') => self.i += 2,
                        Some(b'u') if self.hex4(self.i + 2).is_some() => self.i += 6,
                        _ => return self.fail("bad escape in a string"),
                    }
                }
                Some(&c) if c < 0x20 => return self.fail("control character in a string"),
                Some(_) => self.i += 1,
            }
        }
    }

    fn hex4(&self, at: usize) -> Option<u32> {
        let digits = self.b.get(at..at + 4)?;
        let text = std::str::from_utf8(digits).ok()?;
        if !digits.iter().all(u8::is_ascii_hexdigit) {
            return None;
        }
        u32::from_str_radix(text, 16).ok()
    }

    /// A string, escapes decoded; a lone UTF-16 surrogate reads as U+FFFD.
    pub fn string(&mut self) -> Read<String> {
        self.string_with(false)
    }

    /// A string, escapes decoded; a lone UTF-16 surrogate (JavaScript
    /// allows one, UTF-8 cannot hold it) is a failure.
    pub fn strict_string(&mut self) -> Read<String> {
        self.string_with(true)
    }

    fn string_with(&mut self, strict: bool) -> Read<String> {
        let at = self.pos();
        if self.peek() != b'"' {
            return self.fail("expected a string");
        }
        let start = self.i + 1;
        if !self.skip_string()? {
            return Ok(self.text[start..self.i - 1].to_string());
        }
        let raw = &self.b[start..self.i - 1];
        let mut out = String::with_capacity(raw.len());
        let mut run = 0;
        let mut k = 0;
        while k < raw.len() {
            if raw[k] != b'\\' {
                k += 1;
                continue;
            }
            out.push_str(&self.text[start + run..start + k]);
            let c = raw[k + 1];
            k += 2;
            let ch = match c {
                b'b' => '\u{8}',
                b'f' => '\u{c}',
                b'n' => '\n',
                b'r' => '\r',
                b't' => '\t',
                b'u' => {
                    let hi = self.hex4(start + k).unwrap_or(0xfffd);
                    k += 4;
                    let pair = (0xd800..0xdc00).contains(&hi)
                        && raw.get(k..k + 2) == Some(b"\\u")
                        && self
                            .hex4(start + k + 2)
                            .is_some_and(|lo| (0xdc00..0xe000).contains(&lo));
                    if pair {
                        let lo = self.hex4(start + k + 2).unwrap_or(0xdc00);
                        k += 6;
                        char::from_u32(0x10000 + ((hi - 0xd800) << 10) + (lo - 0xdc00)).unwrap_or('\u{fffd}')
                    } else if strict && (0xd800..0xe000).contains(&hi) {
                        return Err(Box::new(Fail {
                            at,
                            message: "must be well-formed text, received a string with a lone UTF-16 surrogate".into(),
                        }));
                    } else {
                        char::from_u32(hi).unwrap_or('\u{fffd}')
                    }
                }
                other => char::from(other),
            };
            out.push(ch);
            run = k;
        }
        out.push_str(&self.text[start + run..start + raw.len()]);
        Ok(out)
    }

    /// The next value when it is exactly the JSON text `literal` (`null`,
    /// `true`, a short string without escapes: consumed, `true`); else
    /// nothing is consumed.
    pub fn eat_literal(&mut self, literal: &[u8]) -> bool {
        self.ws();
        let hit = self.b.get(self.i..self.i + literal.len()) == Some(literal);
        self.i += if hit { literal.len() } else { 0 };
        hit
    }

    /// `null` (consumed: `true`) or anything else (left: `false`).
    pub fn null(&mut self) -> bool {
        self.eat_literal(b"null")
    }

    /// A number, checked against JSON's grammar; its sign and magnitude
    /// when it is an integer literal (no fraction or exponent) below 2^64.
    #[inline(always)]
    fn number(&mut self) -> Read<Option<(bool, u64)>> {
        let start = self.i;
        let negative = self.b.get(self.i) == Some(&b'-');
        self.i += usize::from(negative);
        let mut value = Some(0u64);
        match self.b.get(self.i) {
            Some(b'0') => self.i += 1,
            Some(b'1'..=b'9') => {
                while let Some(&d) = self.b.get(self.i).filter(|d| d.is_ascii_digit()) {
                    // Not `checked_mul`: at opt-level "z" it is a 128-bit
                    // multiplication call per digit.
                    value = value
                        .filter(|v| *v <= u64::MAX / 10)
                        .and_then(|v| (v * 10).checked_add(u64::from(d - b'0')));
                    self.i += 1;
                }
            }
            _ => {
                self.i = start;
                return self.fail("bad number");
            }
        }
        let mut whole = true;
        if self.b.get(self.i) == Some(&b'.') {
            whole = false;
            self.i += 1;
            if !self.digits() {
                return self.fail("bad number");
            }
        }
        if let Some(b'e' | b'E') = self.b.get(self.i) {
            whole = false;
            self.i += 1;
            if let Some(b'+' | b'-') = self.b.get(self.i) {
                self.i += 1;
            }
            if !self.digits() {
                return self.fail("bad number");
            }
        }
        Ok(value.filter(|_| whole).map(|v| (negative, v)))
    }

    /// The next value's first byte (0 at the end), after whitespace.
    pub fn next_byte(&mut self) -> u8 {
        self.peek()
    }

    /// A number: its text, and its sign and magnitude when it is an
    /// integer literal (no fraction or exponent) below 2^64.
    pub fn number_token(&mut self) -> Read<(&'a str, Option<(bool, u64)>)> {
        let at = self.pos();
        let n = self.number()?;
        Ok((&self.text[at..self.i], n))
    }

    /// A signed integer literal's value, when it fits an `i64`.
    fn signed(n: Option<(bool, u64)>) -> Option<i64> {
        let (negative, v) = n?;
        if negative {
            0i64.checked_sub_unsigned(v)
        } else {
            i64::try_from(v).ok()
        }
    }

    fn digits(&mut self) -> bool {
        let start = self.i;
        while self.b.get(self.i).is_some_and(u8::is_ascii_digit) {
            self.i += 1;
        }
        self.i > start
    }

    /// A whole number that fits an `i64`.
    pub fn int(&mut self) -> Read<i64> {
        let at = self.pos();
        match self.peek() {
            b'-' | b'0'..=b'9' => match Self::signed(self.number()?) {
                Some(v) => Ok(v),
                None => Err(Box::new(Fail {
                    at,
                    message: "expected a whole number".into(),
                })),
            },
            _ => self.fail("expected a whole number"),
        }
    }

    /// A whole number from 0 to 2^53 - 1 (JavaScript rounds larger ones:
    /// a `GroupId` would silently become another ID).
    pub fn safe_int(&mut self) -> Read<u64> {
        let at = self.pos();
        let v = match self.peek() {
            b'-' | b'0'..=b'9' => self.number()?,
            _ => None,
        };
        let message: Cow<'static, str> = match v {
            Some((false, v)) if v <= MAX_SAFE_INTEGER => return Ok(v),
            Some((false, v)) => format!("{v} is above 2^53 - 1, the largest integer JavaScript holds exactly").into(),
            // -0 is 0.
            Some((true, 0)) => return Ok(0),
            _ => "expected a whole number from 0 to 2^53 - 1".into(),
        };
        Err(Box::new(Fail { at, message }))
    }

    /// `null` as `None`, else `true` or `false`.
    pub fn opt_bool(&mut self) -> Read<Option<bool>> {
        if self.null() {
            return Ok(None);
        }
        match self.peek() {
            b't' => self.literal(b"true").map(|()| Some(true)),
            b'f' => self.literal(b"false").map(|()| Some(false)),
            _ => self.fail("expected true or false"),
        }
    }

    /// `null` as `None`, else a string.
    pub fn opt_string(&mut self) -> Read<Option<String>> {
        if self.null() {
            return Ok(None);
        }
        self.string().map(Some)
    }

    /// `null` as `None`, else a whole number.
    pub fn opt_int(&mut self) -> Read<Option<i64>> {
        if self.null() {
            return Ok(None);
        }
        self.int().map(Some)
    }

    /// `null` as `None`, else a whole number from 0 to 2^53 - 1.
    pub fn opt_safe_int(&mut self) -> Read<Option<u64>> {
        if self.null() {
            return Ok(None);
        }
        self.safe_int().map(Some)
    }

    /// Tolerant: `f` of a string (borrowed when it has no escapes), or
    /// `None` for any other value (which is skipped).
    pub fn lenient_str<T>(&mut self, f: impl FnOnce(&str) -> T) -> Read<Option<T>> {
        if self.peek() != b'"' {
            return self.skip().map(|()| None);
        }
        let start = self.i;
        if !self.skip_string()? {
            return Ok(Some(f(&self.text[start + 1..self.i - 1])));
        }
        self.i = start;
        self.string().map(|s| Some(f(&s)))
    }

    /// Tolerant: a string, or `None` for any other value (which is skipped).
    #[inline(always)]
    pub fn lenient_string(&mut self) -> Read<Option<String>> {
        if self.peek() == b'"' {
            return self.string().map(Some);
        }
        self.skip().map(|()| None)
    }

    /// Tolerant: an integer literal that fits an `i64`, or `None`.
    #[inline(always)]
    pub fn lenient_int(&mut self) -> Read<Option<i64>> {
        if let b'-' | b'0'..=b'9' = self.peek() {
            return Ok(Self::signed(self.number()?));
        }
        self.skip().map(|()| None)
    }

    /// Tolerant: a whole number from 0 to 2^53 - 1, or `None`.
    pub fn lenient_safe_int(&mut self) -> Read<Option<u64>> {
        Ok(self
            .lenient_int()?
            .and_then(|v| u64::try_from(v).ok())
            .filter(|v| *v <= MAX_SAFE_INTEGER))
    }

    /// Tolerant: the valid IDs of a list, or `None` when it is not a list.
    pub fn lenient_safe_ints(&mut self) -> Read<Option<Vec<u64>>> {
        if self.peek() != b'[' {
            return self.skip().map(|()| None);
        }
        let mut out = Vec::new();
        self.array(|r| r.lenient_safe_int().map(|v| out.extend(v)))?;
        Ok(Some(out))
    }

    /// A UserSig document's number: a whole number from 0, or a string that
    /// parses as one (some signers write them so); `None` for any other
    /// number, `null`, `true`, `false` or string; a failure for objects and arrays.
    pub fn document_number(&mut self) -> Read<Option<u64>> {
        match self.peek() {
            b'"' => Ok(self.string()?.parse().ok()),
            b'-' | b'0'..=b'9' => Ok(match self.number()? {
                Some((false, v)) => Some(v),
                _ => None,
            }),
            b'{' | b'[' => self.fail("expected a number"),
            _ => self.skip().map(|()| None),
        }
    }

    /// `f`'s value, or `None` (the value skipped) when `f` refuses it.
    pub fn attempt<T>(&mut self, f: impl FnOnce(&mut Self) -> Read<T>) -> Read<Option<T>> {
        let (i, depth) = (self.i, self.depth);
        match f(self) {
            Ok(v) => Ok(Some(v)),
            Err(_) => {
                self.i = i;
                self.depth = depth;
                self.skip().map(|()| None)
            }
        }
    }

    /// A list, or `null` as an empty one.
    pub fn opt_list<T>(&mut self, read: impl FnMut(&mut Self) -> Read<T>) -> Read<Vec<T>> {
        if self.null() {
            return Ok(Vec::new());
        }
        self.list(read)
    }

    /// Steps over one value, checking it is well-formed JSON.
    pub fn skip(&mut self) -> Read<()> {
        match self.peek() {
            b'"' => self.skip_string().map(|_| ()),
            b'{' => self.object(|r, _| r.skip()),
            b'[' => self.array(Reader::skip),
            b't' => self.literal(b"true"),
            b'f' => self.literal(b"false"),
            b'n' => self.literal(b"null"),
            b'-' | b'0'..=b'9' => self.number().map(|_| ()),
            0 if self.i >= self.b.len() => self.fail("unexpected end"),
            _ => self.fail("unexpected character"),
        }
    }

    fn literal(&mut self, word: &[u8]) -> Read<()> {
        if !self.eat_literal(word) {
            return self.fail("unexpected character");
        }
        Ok(())
    }
}

/// `count` texts of up to `max_len - 1` bytes drawn from `alphabet` by a
/// fixed xorshift (the same texts every run), lossily made UTF-8: the
/// inputs of the "any bytes, never a panic" tests of the readers.
#[cfg(test)]
pub(crate) fn random_texts(alphabet: &[u8], count: usize, max_len: u64) -> impl Iterator<Item = String> + '_ {
    let mut seed = 0x2545_f491_4f6c_dd1du64;
    (0..count).map(move |_| {
        let mut bytes = Vec::new();
        for _ in 0..(seed % max_len) {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            bytes.push(alphabet[(seed % alphabet.len() as u64) as usize]);
        }
        String::from_utf8_lossy(&bytes).into_owned()
    })
}

/// Every one-byte deletion of `base`, and every replacement of one byte by
/// a byte of `alphabet`, that is still UTF-8: the inputs of the
/// differential tests of the readers and fast paths.
#[cfg(test)]
pub(crate) fn one_byte_mutations(base: &str, alphabet: &[u8]) -> Vec<String> {
    let bytes = base.as_bytes();
    let mut out = Vec::new();
    for i in 0..bytes.len() {
        let mut cut = bytes.to_vec();
        cut.remove(i);
        out.extend(String::from_utf8(cut).ok());
        for c in alphabet {
            let mut swapped = bytes.to_vec();
            swapped[i] = *c;
            out.extend(String::from_utf8(swapped).ok());
        }
    }
    out
}

#[cfg(test)]
mod tests {

    #[test]
    fn integer_literals_up_to_u64_max_keep_their_value() {
        let read = |t: &str| Reader::new(t).number().ok().flatten();
        assert_eq!(read("18446744073709551615"), Some((false, u64::MAX)));
        assert_eq!(read("18446744073709551616"), None);
        assert_eq!(read("18446744073709551620"), None);
        assert_eq!(read("99999999999999999999"), None);
        assert_eq!(read("1844674407370955161"), Some((false, 1_844_674_407_370_955_161)));
        assert_eq!(read("-9007199254740993"), Some((true, 9_007_199_254_740_993)));
        assert_eq!(read("12.5"), None);
    }

    use super::*;

    /// serde_json's verdict on one JSON value with nothing after it.
    fn serde_accepts(text: &str) -> bool {
        serde_json::from_str::<serde::de::IgnoredAny>(text).is_ok()
    }

    fn skips(text: &str) -> bool {
        let mut r = Reader::new(text);
        r.skip().and_then(|()| r.finish()).is_ok()
    }

    /// Differential: every one-byte deletion, and every replacement by a
    /// byte of JSON's grammar, of a realistic answer is accepted exactly
    /// when serde_json accepts it.
    #[test]
    fn skip_accepts_exactly_what_serde_json_accepts() {
        let base = r#"{"GroupItem":[{"GroupName":"g\u00e9\"","GroupId":12,"X":[true,false,null,-0.5e-2,{}],"Y":[]}],"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"a\\b\/c\n"}"#;
        let mut cases: Vec<String> = [
            "",
            "{}",
            "[]",
            "{} {}",
            "01",
            "1.",
            ".1",
            "1e",
            "-",
            "\"\t\"",
            "\"\\x\"",
            "\"\\u12g4\"",
            "tru",
            "[1,]",
            "{,}",
            "{\"a\" 1}",
            "1e+5",
            "-0",
            "\"\\ud800\"",
        ]
        .map(String::from)
        .to_vec();
        cases.push(format!("{}{}", "[".repeat(100), "]".repeat(100)));
        cases.extend(one_byte_mutations(base, b"{}[]\",:\\ 0-.eEtfnu"));
        assert!(cases.len() > 2000);
        for text in &cases {
            assert_eq!(skips(text), serde_accepts(text), "{text}");
        }
        // Deeper than serde_json's nesting limit: refused, and no stack is exhausted.
        let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
        assert!(!skips(&deep));
    }

    #[test]
    fn strings_decode_as_serde_json_decodes_them() {
        for raw in [
            r#""plain""#,
            r#""""#,
            r#""q\"b\\s\/\b\f\n\r\t""#,
            r#""\u00e9\u4e2d\ud83d\ude00 é中😀""#,
            r#""a\u0000b""#,
        ] {
            let want: String = serde_json::from_str(raw).unwrap();
            assert_eq!(Reader::new(raw).string().unwrap(), want, "{raw}");
        }
        // A lone surrogate (which serde_json refuses) reads as U+FFFD.
        assert_eq!(Reader::new(r#""a\ud800b""#).string().unwrap(), "a\u{fffd}b");
        assert_eq!(Reader::new(r#""\udc00\ud800""#).string().unwrap(), "\u{fffd}\u{fffd}");
    }

    #[test]
    fn numbers_strict_and_tolerant() {
        let int = |t: &str| Reader::new(t).int();
        assert_eq!(int("-42").unwrap(), -42);
        assert_eq!(int("9223372036854775807").unwrap(), i64::MAX);
        for bad in ["1.0", "1e3", "9223372036854775808", "\"1\"", "null", "true"] {
            assert!(int(bad).is_err(), "{bad}");
        }
        let safe = |t: &str| Reader::new(t).safe_int();
        assert_eq!(safe("9007199254740991").unwrap(), (1 << 53) - 1);
        assert!(safe("9007199254740992").unwrap_err().message.contains("2^53 - 1"));
        assert!(safe("-1").is_err());
        let lenient = |t: &str| {
            let mut r = Reader::new(t);
            let v = r.lenient_safe_int().unwrap();
            r.finish().unwrap();
            v
        };
        assert_eq!(lenient("7"), Some(7));
        for other in ["7.5", "-1", "9007199254740992", "\"7\"", "[7]", "{\"a\":7}", "null"] {
            assert_eq!(lenient(other), None, "{other}");
        }
        let mut r = Reader::new("[1,\"x\",9007199254740992,2.0,3]");
        assert_eq!(r.lenient_safe_ints().unwrap(), Some(vec![1, 3]));
    }

    #[test]
    fn failures_point_at_the_value() {
        let text = r#"{"a":[{"b":1},{"b":"x"}]}"#;
        let mut r = Reader::new(text);
        let fail = r
            .object(|r, _| r.array(|r| r.object(|r, _| r.int().map(|_| ()))))
            .unwrap_err();
        // (endpoint::path_at names it "a[1].b": its own test.)
        assert_eq!(&text[fail.at..fail.at + 3], "\"x\"");
    }

    /// Any bytes: an answer, never a panic.
    #[test]
    fn any_text_reads_without_panicking() {
        for text in random_texts(b"{}[]\":,\\u0123456789abcdefnrtl-+.eE \xc3\xa9", 20_000, 40) {
            let mut r = Reader::new(&text);
            let _ = r.skip();
            let mut r = Reader::new(&text);
            let _ = r.string();
        }
    }
}
