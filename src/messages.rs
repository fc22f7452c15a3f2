//! Validation reasons in the words a JavaScript developer uses.
//!
//! serde describes a mismatch in Rust terms and quotes the value it got
//! (`invalid type: string "a3f1…", expected u32 at line 1 column 24`). A
//! quoted value may be a secret (a secret key passed as the SDKAppID), so
//! [`reason`] rewrites every such message as "must be …, received …" naming
//! only the JavaScript type of what was received, and suggests the known
//! name closest to a misspelt key.

/// The reason for a serde `message` about one field, never quoting a value.
pub fn reason(message: &str) -> String {
    let message = strip_position(message);
    if message.starts_with("missing field") {
        return "is required".into();
    }
    if message.starts_with("duplicate field") {
        return "is given twice".into();
    }
    if let Some(rest) = message.strip_prefix("unknown field `") {
        let (name, known) = rest
            .split_once('`')
            .map(|(n, k)| (n, names(k)))
            .unwrap_or((rest, Vec::new()));
        return unknown_key(name, &known);
    }
    if let Some(rest) = message.strip_prefix("unknown variant `") {
        let (name, known) = rest
            .split_once('`')
            .map(|(n, k)| (n, names(k)))
            .unwrap_or((rest, Vec::new()));
        let quoted: Vec<String> = known.iter().map(|k| format!("\"{k}\"")).collect();
        let mut out = format!("must be {}", either(&quoted));
        if let Some(near) = nearest(name, &known) {
            out.push_str(&format!("; did you mean \"{near}\"?"));
        }
        return out;
    }
    for prefix in ["invalid type: ", "invalid value: "] {
        if let Some(rest) = message.strip_prefix(prefix) {
            if let Some((got, expected)) = rest.rsplit_once(", expected ") {
                let out_of_range = prefix == "invalid value: " && is_number(got);
                let got = if out_of_range {
                    "a number outside that range".to_string()
                } else {
                    received(got)
                };
                return format!("must be {}, received {got}", expected_words(expected));
            }
        }
    }
    if let Some(rest) = message.strip_prefix("invalid length ") {
        if let Some((n, expected)) = rest.split_once(", expected ") {
            return format!("must be {}, received {n} items", expected_words(expected));
        }
    }
    if message.starts_with("data did not match any variant") {
        return "is not of any accepted shape".into();
    }
    message.to_string()
}

/// The reason for a key nobody knows, with the nearest known one.
pub fn unknown_key(name: &str, known: &[&str]) -> String {
    match nearest(name, known) {
        Some(near) => format!("is not a known field; did you mean `{near}`?"),
        None if known.is_empty() => "is not a known field".into(),
        None => format!("is not a known field (known: {})", known.join(", ")),
    }
}

/// Longest field path an error names, in characters; a longer one (a key
/// the caller made up) is cut, with `…` where it was cut.
pub const MAX_FIELD_CHARS: usize = 120;

/// A field path as an error may show it: a path that holds a key the
/// caller made up is cut to [`MAX_FIELD_CHARS`], and control and
/// formatting characters (newlines, ANSI escapes, bidi overrides) are
/// written as `\u{…}`, so a hostile key can neither flood a log nor
/// rewrite the line it is printed on.
pub fn printable_field(field: String) -> String {
    let plain = |c: char| {
        !c.is_control()
            && !matches!(c, '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{feff}')
    };
    if field.len() <= MAX_FIELD_CHARS && field.chars().all(plain) {
        return field;
    }
    let mut out = String::new();
    for (i, c) in field.chars().enumerate() {
        if i == MAX_FIELD_CHARS {
            out.push('…');
            break;
        }
        if plain(c) {
            out.push(c);
        } else {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        }
    }
    out
}

/// serde_json appends " at line 1 column 24"; users never see that text.
fn strip_position(message: &str) -> &str {
    match message.rfind(" at line ") {
        Some(at) if crate::text::contains(&message[at + 9..], " column ") => &message[..at],
        _ => message,
    }
}

/// The backticked names of serde's "expected one of `a`, `b`" tail.
fn names(tail: &str) -> Vec<&str> {
    tail.split('`').skip(1).step_by(2).collect()
}

fn either(items: &[String]) -> String {
    match items {
        [] => "another value".into(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    }
}

fn is_number(got: &str) -> bool {
    got.starts_with("integer") || got.starts_with("floating point")
}

/// serde's description of a value (`string "…"`, `integer `5``) → its
/// JavaScript type, without the value.
fn received(got: &str) -> String {
    let words = [
        ("string", "a string"),
        ("char", "a string"),
        ("integer", "a number"),
        ("floating point", "a number that is not a whole number"),
        ("boolean", "a boolean"),
        ("null", "null"),
        ("unit", "null"),
        ("sequence", "an array"),
        ("map", "an object"),
        ("Option value", "a value"),
        ("newtype struct", "a value"),
        ("byte array", "bytes"),
    ];
    let got = got.trim();
    for (prefix, word) in words {
        if got.starts_with(prefix) {
            if prefix == "floating point" && crate::text::contains(got, "inf") {
                return "Infinity".into();
            }
            return word.into();
        }
    }
    "a value of another type".into()
}

/// serde's "expected" (`u32`, `struct ClientOptions`) → plain words.
fn expected_words(expected: &str) -> String {
    let e = expected.trim();
    let fixed = match e {
        "u8" => Some("a whole number from 0 to 255"),
        "u16" => Some("a whole number from 0 to 65535"),
        "u32" => Some("a whole number from 0 to 4294967295"),
        "u64" | "usize" => Some("a whole number from 0 to 9007199254740991"),
        "i8" | "i16" | "i32" | "i64" | "isize" | "an integer" => Some("a whole number"),
        "f32" | "f64" => Some("a number"),
        "a string" | "a borrowed string" | "a char" => Some("a string"),
        "a boolean" => Some("true or false"),
        "a sequence" => Some("an array"),
        "a map" => Some("an object"),
        "unit" => Some("null"),
        _ => None,
    };
    if let Some(f) = fixed {
        return f.into();
    }
    if e.starts_with("internally tagged enum") {
        return "an object with a \"type\"".into();
    }
    if e.starts_with("struct ") || e.starts_with("tuple struct") {
        return "an object".into();
    }
    if e.starts_with("a sequence") || e.starts_with("an array") || e.starts_with("a tuple") {
        return e.replace("a sequence", "an array");
    }
    e.to_string()
}

/// The known name closest to `name`: the same letters in another case, or
/// at most two edits away (one for short names).
pub fn nearest<'a>(name: &str, known: &[&'a str]) -> Option<&'a str> {
    // No known name is that long; and the distance is quadratic.
    if name.len() > 64 {
        return None;
    }
    let lower = name.to_ascii_lowercase();
    if let Some(k) = known.iter().find(|k| k.to_ascii_lowercase() == lower) {
        return Some(k);
    }
    // `expire` for `expireSeconds`, `timeout` for `timeoutMs`.
    if lower.len() >= 4 {
        if let Some(k) = known.iter().find(|k| k.to_ascii_lowercase().starts_with(&lower)) {
            return Some(k);
        }
    }
    let limit = if name.len() <= 4 { 1 } else { 2 };
    known
        .iter()
        .map(|k| (distance(&lower, &k.to_ascii_lowercase()), *k))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| k)
}

/// Levenshtein distance with adjacent transpositions (optimal string
/// alignment), over bytes: the known names are ASCII, so a name with other
/// characters is only ever near one by its ASCII part.
fn distance(a: &str, b: &str) -> usize {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let w = b.len() + 1;
    // Three rows of the table: two back, one back, this one.
    let mut rows = vec![0usize; 3 * w];
    for (j, cell) in rows[2 * w..].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        rows.copy_within(w.., 0);
        let (done, this) = rows.split_at_mut(2 * w);
        let (back2, back) = done.split_at(w);
        this[0] = i;
        for j in 1..w {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (back[j] + 1).min(this[j - 1] + 1).min(back[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(back2[j - 2] + 1);
            }
            this[j] = best;
        }
    }
    rows[2 * w + b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_paths_from_made_up_keys_are_cut_and_escaped() {
        assert_eq!(
            printable_field("conversations[2].toAccount".into()),
            "conversations[2].toAccount"
        );
        assert_eq!(printable_field("分组".into()), "分组");
        assert_eq!(printable_field("a\nb\u{1b}[31m".into()), "a\\u{a}b\\u{1b}[31m");
        assert_eq!(printable_field("x\u{202e}y".into()), "x\\u{202e}y");
        let long = printable_field("k".repeat(10_000));
        assert_eq!(long.chars().count(), MAX_FIELD_CHARS + 1);
        assert!(long.ends_with('…'));
        assert_eq!(nearest(&"t".repeat(100_000), &["timeoutMs"]), None);
    }

    #[test]
    fn never_quotes_the_value() {
        let r = reason("invalid type: string \"a3f1deadbeef\", expected u32 at line 1 column 24");
        assert_eq!(r, "must be a whole number from 0 to 4294967295, received a string");
        assert!(!r.contains("a3f1"));
        assert_eq!(
            reason("invalid type: integer `12345678`, expected a string at line 1 column 64"),
            "must be a string, received a number"
        );
        assert_eq!(
            reason("invalid value: integer `5000000000`, expected u32"),
            "must be a whole number from 0 to 4294967295, received a number outside that range"
        );
    }

    #[test]
    fn suggests_the_near_miss() {
        let m = "unknown field `sdkAppID`, expected one of `sdkAppId`, `identifier`, `secretKey`";
        assert_eq!(reason(m), "is not a known field; did you mean `sdkAppId`?");
        assert_eq!(
            reason("unknown field `fecth`, expected one of `fetch`, `onEvent`"),
            "is not a known field; did you mean `fetch`?"
        );
        assert_eq!(
            reason("unknown field `zzz`, expected `toAccount`"),
            "is not a known field (known: toAccount)"
        );
        assert_eq!(
            reason("unknown variant `C2C`, expected `c2c` or `group`"),
            "must be \"c2c\" or \"group\"; did you mean \"c2c\"?"
        );
        assert_eq!(reason("missing field `fromAccount`"), "is required");
        assert_eq!(
            reason("invalid type: string \"x\", expected struct ClientOptions at line 1 column 3"),
            "must be an object, received a string"
        );
        assert_eq!(
            reason("invalid type: map, expected internally tagged enum Conversation"),
            "must be an object with a \"type\", received an object"
        );
    }

    #[test]
    fn distances() {
        assert_eq!(distance("fecth", "fetch"), 1);
        assert_eq!(distance("abc", "abc"), 0);
        assert_eq!(nearest("timeout", &["timeoutMs", "maxRetries"]), Some("timeoutMs"));
        assert_eq!(nearest("xyz", &["timeoutMs", "maxRetries"]), None);
        assert_eq!(
            nearest("expire", &["identifier", "expireSeconds"]),
            Some("expireSeconds")
        );
        assert_eq!(nearest("timeoutMS", &["timeoutMs", "maxRetries"]), Some("timeoutMs"));
        assert_eq!(distance("ca", "abc"), 3);
        assert_eq!(distance("abcd", "acbd"), 1);
        assert_eq!(distance("", "abc"), 3);
        assert_eq!(distance("kitten", "sitting"), 3);
    }
}
