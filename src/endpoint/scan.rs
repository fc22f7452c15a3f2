//! A strict JSON scanner for the envelope: checks that a whole answer is
//! one well-formed JSON object and hands back its top-level members as text,
//! in one tight pass. serde's skipping of the (often large) payload cost
//! about a tenth of a 100-item call at the size-first `opt-level`.

/// How deep arrays and objects may nest (serde_json's own limit).
const MAX_DEPTH: u32 = 128;

struct Scan<'a> {
    b: &'a [u8],
    i: usize,
}

type Fail = &'static str;

impl Scan<'_> {
    #[inline(always)]
    fn ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.b.get(self.i) {
            self.i += 1;
        }
    }

    #[inline(always)]
    fn eat(&mut self, c: u8) -> bool {
        self.ws();
        let hit = self.b.get(self.i) == Some(&c);
        self.i += usize::from(hit);
        hit
    }

    /// A string, the cursor on its opening quote.
    #[inline(always)]
    fn string(&mut self) -> Result<(), Fail> {
        self.i += 1;
        loop {
            match self.b.get(self.i) {
                None => return Err("unterminated string"),
                Some(b'"') => {
                    self.i += 1;
                    return Ok(());
                }
                Some(b'\\') => match self.b.get(self.i + 1) {
                    Some(b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't') => self.i += 2,
                    Some(b'u') => {
                        let hex = self.b.get(self.i + 2..self.i + 6).ok_or("bad escape")?;
                        if !hex.iter().all(u8::is_ascii_hexdigit) {
                            return Err("bad escape");
                        }
                        self.i += 6;
                    }
                    _ => return Err("bad escape"),
                },
                Some(&c) if c < 0x20 => return Err("control character in a string"),
                Some(_) => self.i += 1,
            }
        }
    }

    fn digits(&mut self) -> usize {
        let start = self.i;
        while self.b.get(self.i).is_some_and(u8::is_ascii_digit) {
            self.i += 1;
        }
        self.i - start
    }

    fn number(&mut self) -> Result<(), Fail> {
        self.i += usize::from(self.b.get(self.i) == Some(&b'-'));
        match self.b.get(self.i) {
            Some(b'0') => self.i += 1,
            Some(b'1'..=b'9') => {
                self.digits();
            }
            _ => return Err("bad number"),
        }
        if self.b.get(self.i) == Some(&b'.') {
            self.i += 1;
            if self.digits() == 0 {
                return Err("bad number");
            }
        }
        if let Some(b'e' | b'E') = self.b.get(self.i) {
            self.i += 1;
            if let Some(b'+' | b'-') = self.b.get(self.i) {
                self.i += 1;
            }
            if self.digits() == 0 {
                return Err("bad number");
            }
        }
        Ok(())
    }

    fn literal(&mut self, word: &[u8]) -> Result<(), Fail> {
        if self.b.get(self.i..self.i + word.len()) != Some(word) {
            return Err("unexpected character");
        }
        self.i += word.len();
        Ok(())
    }

    /// One value; the cursor may be on whitespace before it.
    fn value(&mut self, depth: u32) -> Result<(), Fail> {
        self.ws();
        match self.b.get(self.i) {
            Some(b'"') => self.string(),
            Some(b'{') => self.object(depth + 1, &mut |_, _, _, _| {}),
            Some(b'[') => {
                if depth + 1 > MAX_DEPTH {
                    return Err("nested too deeply");
                }
                self.i += 1;
                if self.eat(b']') {
                    return Ok(());
                }
                loop {
                    self.value(depth + 1)?;
                    if self.eat(b']') {
                        return Ok(());
                    }
                    if !self.eat(b',') {
                        return Err("expected , or ]");
                    }
                }
            }
            Some(b't') => self.literal(b"true"),
            Some(b'f') => self.literal(b"false"),
            Some(b'n') => self.literal(b"null"),
            Some(b'-' | b'0'..=b'9') => self.number(),
            Some(_) => Err("unexpected character"),
            None => Err("unexpected end"),
        }
    }

    /// An object, the cursor on its `{`; `member` sees each member as the
    /// spans of its key (quotes included) and value.
    fn object(&mut self, depth: u32, member: &mut dyn FnMut(usize, usize, usize, usize)) -> Result<(), Fail> {
        if depth > MAX_DEPTH {
            return Err("nested too deeply");
        }
        self.i += 1;
        if self.eat(b'}') {
            return Ok(());
        }
        loop {
            self.ws();
            if self.b.get(self.i) != Some(&b'"') {
                return Err("expected a key");
            }
            let key = self.i;
            self.string()?;
            let key_end = self.i;
            if !self.eat(b':') {
                return Err("expected :");
            }
            self.ws();
            let value = self.i;
            self.value(depth)?;
            member(key, key_end, value, self.i);
            if self.eat(b'}') {
                return Ok(());
            }
            if !self.eat(b',') {
                return Err("expected , or }");
            }
        }
    }
}

/// Checks that `text` is exactly one JSON object (whitespace around it
/// allowed) and calls `member(key, value)` for each top-level member: the
/// key's text without its quotes (escapes left as written) and the value's
/// JSON text.
pub fn object_members<'a>(text: &'a str, mut member: impl FnMut(&'a str, &'a str)) -> Result<(), Fail> {
    let mut s = Scan {
        b: text.as_bytes(),
        i: 0,
    };
    s.ws();
    if s.b.get(s.i) != Some(&b'{') {
        return Err("not a JSON object");
    }
    // Spans are char boundaries: each starts or ends next to ASCII punctuation.
    s.object(1, &mut |k0, k1, v0, v1| member(&text[k0 + 1..k1 - 1], &text[v0..v1]))?;
    s.ws();
    if s.i != s.b.len() {
        return Err("trailing characters");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::object_members;

    /// serde_json's verdict: one JSON object, nothing after it.
    fn serde_accepts(text: &str) -> bool {
        serde_json::from_str::<serde::de::IgnoredAny>(text).is_ok() && text.trim_start().starts_with('{')
    }

    #[test]
    fn members_are_the_top_level_spans() {
        let mut seen = Vec::new();
        object_members(
            r#" { "ActionStatus" : "OK" , "Nested":{"ErrorCode":5,"a":[1,{"b":"}"}]}, "ErrorCode":0,"E\"x":-1.5e+3 } "#,
            |k, v| seen.push((k.to_string(), v.to_string())),
        )
        .unwrap();
        assert_eq!(
            seen,
            [
                ("ActionStatus", r#""OK""#),
                ("Nested", r#"{"ErrorCode":5,"a":[1,{"b":"}"}]}"#),
                ("ErrorCode", "0"),
                (r#"E\"x"#, "-1.5e+3"),
            ]
            .map(|(k, v)| (k.to_string(), v.to_string()))
        );
    }

    /// Differential: every one-byte deletion, and every replacement by a
    /// byte of JSON's grammar, of a realistic answer is accepted exactly
    /// when serde_json accepts it.
    #[test]
    fn accepts_exactly_what_serde_json_accepts() {
        let base = r#"{"GroupItem":[{"GroupName":"g\u00e9\"","GroupId":12,"X":[true,false,null,-0.5e-2,{}],"Y":[]}],"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"a\\b\/c\n"}"#;
        let mut cases = vec![
            String::new(),
            "{}".into(),
            "[]".into(),
            "{} {}".into(),
            "{\"a\":01}".into(),
            "{\"a\":1.}".into(),
            "{\"a\":.1}".into(),
            "{\"a\":1e}".into(),
            "{\"a\":\"\t\"}".into(),
            "{\"a\":\"\\x\"}".into(),
            "{\"a\":\"\\u12g4\"}".into(),
            "{\"a\":tru}".into(),
            "{\"a\":1,}".into(),
            "{,}".into(),
            "{\"a\" 1}".into(),
            format!("{{\"a\":{}{}}}", "[".repeat(100), "]".repeat(100)),
        ];
        let bytes = base.as_bytes();
        for i in 0..bytes.len() {
            let mut cut = bytes.to_vec();
            cut.remove(i);
            cases.extend(String::from_utf8(cut).ok());
            for c in b"{}[]\",:\\ 0-.eEtfnu" {
                let mut swapped = bytes.to_vec();
                swapped[i] = *c;
                cases.extend(String::from_utf8(swapped).ok());
            }
        }
        assert!(cases.len() > 2000);
        // Deeper than serde_json's own nesting limit: refused (serde_json
        // skips it when the field is unknown), and no stack is exhausted.
        let deep = format!("{{\"a\":{}{}}}", "[".repeat(100_000), "]".repeat(100_000));
        assert_eq!(object_members(&deep, |_, _| {}), Err("nested too deeply"));
        for text in &cases {
            assert_eq!(object_members(text, |_, _| {}).is_ok(), serde_accepts(text), "{text}");
        }
    }
}
