//! One reader per input: the parameters of every method and the client's
//! and a call's options, read from the JSON text the binding layer makes
//! of a JavaScript argument straight into their structs. A mismatch is a
//! [`Error::Validation`] naming the field (`items[2].conversation.type`)
//! and saying what it must be and what kind of value it received, never
//! the value itself.
//!
//! The shipped `.wasm` has no other reader of inputs: serde's derive (kept
//! on the types for native Rust callers, [`crate::parse_input`]) was a third
//! of the binary. `tests` below holds each reader to serde's reading: the
//! same values for every text serde reads, an error for every text it
//! refuses, naming the same field.

use crate::client::{BaseUrl, CallOptions, ClientOptions, External};
use crate::endpoint::types::*;
use crate::error::{Error, Result};
use crate::json_in::{Fail, Read, Reader};
use crate::messages::{nearest, unknown_key};
use crate::model::Conversation;
use crate::usersig::{GenUserSigParams, VerifyUserSigParams};

/// A value read from JavaScript input.
pub trait Input: Sized {
    /// Reads one from `r`, naming the mistake with a [`Fail`] at its value.
    fn read(r: &mut Reader) -> Read<Self>;
}

/// Reads JSON `text` as `T`; a mismatch is a validation error naming the
/// field (`root` when it is the whole value).
pub fn parse<T: Input>(root: &str, text: &str) -> Result<T> {
    let mut value = None;
    parse_dyn(root, text, &mut |r| T::read(r).map(|v| value = Some(v)))?;
    value.ok_or_else(|| Error::validation(root, "could not be read"))
}

/// [`parse`], once in the binary.
fn parse_dyn(root: &str, text: &str, read: &mut dyn FnMut(&mut Reader) -> Read<()>) -> Result<()> {
    let mut r = Reader::new(text);
    let read = read(&mut r).and_then(|()| r.finish());
    read.map_err(|fail| {
        let mut field = crate::endpoint::path_at(text, fail.at);
        let reason = match member_of(&fail.message) {
            Some((name, reason)) => {
                if !field.is_empty() {
                    field.push('.');
                }
                field.push_str(name);
                reason.to_string()
            }
            None => fail.message.into_owned(),
        };
        if field.is_empty() {
            field = root.to_string();
        }
        Error::validation(field, reason)
    })
}

/// A failure about a member of the object that starts at `object`, not
/// about a value in the text (a missing one, or one the others rule out).
fn member_fail(object: usize, name: &str, reason: &str) -> Box<Fail> {
    Box::new(Fail {
        at: object + 1,
        message: format!("{name}\0{reason}").into(),
    })
}

/// `(member, reason)` of a [`member_fail`] (or of the reader's own
/// "missing field `x`").
fn member_of(message: &str) -> Option<(&str, &str)> {
    if let Some(rest) = message.strip_prefix("missing field `") {
        return Some((rest.trim_end_matches('`'), "is required"));
    }
    message.split_once('\0')
}

/// What the next value is, in JavaScript's words (never the value).
fn received(r: &mut Reader) -> &'static str {
    match r.next_byte() {
        b'"' => "a string",
        b't' | b'f' => "a boolean",
        b'n' => "null",
        b'[' => "an array",
        b'{' => "an object",
        _ => match r.number_token() {
            Ok((_, Some(_))) => "a number",
            _ => "a number that is not a whole number",
        },
    }
}

/// "must be `expected`, received …" at the next value.
fn mismatch<T>(r: &mut Reader, expected: &str) -> Read<T> {
    let at = r.pos();
    let got = received(r);
    Err(Box::new(Fail {
        at,
        message: format!("must be {expected}, received {got}").into(),
    }))
}

/// `null` as `None`, else what `read` reads (a missing member is `None` too).
pub fn opt<T>(r: &mut Reader, read: impl FnOnce(&mut Reader) -> Read<T>) -> Read<Option<T>> {
    if r.null() {
        Ok(None)
    } else {
        read(r).map(Some)
    }
}

/// A string; a lone surrogate is a mistake (it would be sent changed).
fn string(r: &mut Reader) -> Read<String> {
    if r.next_byte() != b'"' {
        return mismatch(r, "a string");
    }
    r.strict_string()
}

/// A string whose lone surrogates read as U+FFFD: a UserSig, which such a
/// character makes invalid (70003) rather than of the wrong type.
fn lossy_string(r: &mut Reader) -> Read<String> {
    if r.next_byte() != b'"' {
        return mismatch(r, "a string");
    }
    r.string()
}

/// A whole number from 0 to `max` (`words` says so).
fn unsigned(r: &mut Reader, max: u64, words: &str) -> Read<u64> {
    if !matches!(r.next_byte(), b'-' | b'0'..=b'9') {
        return mismatch(r, words);
    }
    let at = r.pos();
    let got = match r.number_token()?.1 {
        // serde_json reads `-0` as a float.
        Some((negative, v)) if !negative || v != 0 => match v {
            v if !negative && v <= max => return Ok(v),
            _ => "a number outside that range",
        },
        _ => "a number that is not a whole number",
    };
    Err(Box::new(Fail {
        at,
        message: format!("must be {words}, received {got}").into(),
    }))
}

fn u32_of(r: &mut Reader) -> Read<u32> {
    unsigned(r, u32::MAX.into(), "a whole number from 0 to 4294967295").map(|v| v as u32)
}

fn u64_of(r: &mut Reader) -> Read<u64> {
    unsigned(r, u64::MAX, "a whole number from 0 to 9007199254740991")
}

fn u8_of(r: &mut Reader) -> Read<u8> {
    unsigned(r, u8::MAX.into(), "a whole number from 0 to 255").map(|v| v as u8)
}

/// Any number.
fn f64_of(r: &mut Reader) -> Read<f64> {
    if !matches!(r.next_byte(), b'-' | b'0'..=b'9') {
        return mismatch(r, "a number");
    }
    let (text, _) = r.number_token()?;
    Ok(decimal_f64(text))
}

/// A JSON number's value. Exact (one correctly rounded operation, Clinger's
/// fast path) for up to 15 significant digits times 10^±22, which covers
/// every number a person writes as an option; within a few units in the
/// last place beyond that. (`str::parse` is exact always, and brought 14 KB
/// of tables into the `.wasm` for the one `maxRequestsPerSecond` option.)
fn decimal_f64(text: &str) -> f64 {
    let (mut mantissa, mut digits, mut exp, mut negative) = (0u64, 0u32, 0i64, false);
    let mut bytes = text.bytes();
    let mut fraction = false;
    for b in bytes.by_ref() {
        match b {
            b'-' => negative = true,
            b'.' => fraction = true,
            b'0'..=b'9' => {
                if digits < 19 {
                    mantissa = mantissa * 10 + u64::from(b - b'0');
                    digits += u32::from(mantissa != 0);
                    exp -= i64::from(fraction);
                } else {
                    exp += i64::from(!fraction);
                }
            }
            _ => break, // `e` or `E`
        }
    }
    let (mut e, mut e_negative) = (0i64, false);
    for b in bytes {
        match b {
            b'-' => e_negative = true,
            b'0'..=b'9' => e = (e * 10 + i64::from(b - b'0')).min(100_000),
            _ => {}
        }
    }
    let exp = (exp + if e_negative { -e } else { e }).clamp(-400, 400) as i32;
    let mut v = mantissa as f64;
    // In steps of at most 10^22 (exact powers), so that small exponents
    // take one rounding.
    let mut left = exp;
    while left != 0 && v != 0.0 && v.is_finite() {
        let step = left.clamp(-22, 22);
        let p = 10f64.powi(step.abs());
        v = if step > 0 { v * p } else { v / p };
        left -= step;
    }
    if negative {
        -v
    } else {
        v
    }
}

fn bool_of(r: &mut Reader) -> Read<bool> {
    match r.next_byte() {
        b't' | b'f' => r.opt_bool().map(|b| b == Some(true)),
        _ => mismatch(r, "true or false"),
    }
}

/// An array of what `read` reads.
fn list<T>(r: &mut Reader, read: impl FnMut(&mut Reader) -> Read<T>) -> Read<Vec<T>> {
    if r.next_byte() != b'[' {
        return mismatch(r, "an array");
    }
    r.list(read)
}

/// Any value, for a member only the binding layer reads (`fetch`).
fn external(r: &mut Reader) -> Read<Option<External>> {
    opt(r, |r| r.skip().map(|()| External))
}

/// An object of the members `known`, each at most once: `member` reads the
/// value of `known[i]`. Returns where the object starts (for
/// [`required`]).
fn object<'a>(
    r: &mut Reader<'a>,
    known: &[&str],
    mut member: impl FnMut(&mut Reader<'a>, usize) -> Read<()>,
) -> Read<usize> {
    object_dyn(r, "an object", known, &mut member)
}

/// [`object`], once in the binary; `what` is what a non-object is told.
fn object_dyn<'a>(
    r: &mut Reader<'a>,
    what: &str,
    known: &[&str],
    member: &mut dyn FnMut(&mut Reader<'a>, usize) -> Read<()>,
) -> Read<usize> {
    if r.next_byte() != b'{' {
        return mismatch(r, what);
    }
    let start = r.pos();
    let mut seen = 0u32;
    r.object(|r, key| {
        // A key as written; its escapes decoded (JSON.stringify writes none
        // in a plain name, but `"\u0066romAccount"` is `fromAccount`).
        let decoded;
        let key = if key.as_bytes().contains(&b'\\') {
            decoded = Reader::new(&format!("\"{key}\"")).string().unwrap_or_default();
            decoded.as_str()
        } else {
            key
        };
        let Some(i) = known.iter().position(|k| *k == key) else {
            return r.fail(unknown_key(key, known));
        };
        if seen & (1 << i) != 0 {
            return r.fail("is given twice");
        }
        seen |= 1 << i;
        member(r, i)
    })?;
    Ok(start)
}

/// A required member's value, or "is required" at the object.
fn required<T>(object: usize, name: &'static str, value: Option<T>) -> Read<T> {
    value.ok_or_else(|| Reader::missing(object, name))
}

impl Input for Conversation {
    fn read(r: &mut Reader) -> Read<Self> {
        const FIELDS: &[&str] = &["type", "toAccount", "toGroupId"];
        let (mut kind, mut account, mut group) = (None, None, None);
        let start = object_dyn(r, "an object with a \"type\"", FIELDS, &mut |r, i| {
            match i {
                // The two right answers without making a string of them.
                0 if r.eat_literal(b"\"c2c\"") => kind = Some(true),
                0 if r.eat_literal(b"\"group\"") => kind = Some(false),
                0 => {
                    let at = r.pos();
                    let t = string(r)?;
                    kind = Some(match t.as_str() {
                        "c2c" => true,
                        "group" => false,
                        other => {
                            let hint = nearest(other, &["c2c", "group"])
                                .map(|n| format!("; did you mean \"{n}\"?"))
                                .unwrap_or_default();
                            return Err(Box::new(Fail {
                                at,
                                message: format!("must be \"c2c\" or \"group\"{hint}").into(),
                            }));
                        }
                    })
                }
                1 => account = Some(string(r)?),
                _ => group = Some(string(r)?),
            }
            Ok(())
        })?;
        let other = |name: &str, known: &[&str]| Err(member_fail(start, name, &unknown_key(name, known)));
        match (kind, account, group) {
            (None, _, _) => Err(Reader::missing(start, "type")),
            (Some(true), _, Some(_)) => other("toGroupId", &["type", "toAccount"]),
            (Some(false), Some(_), _) => other("toAccount", &["type", "toGroupId"]),
            (Some(true), Some(to_account), None) => Ok(Conversation::C2c { to_account }),
            (Some(true), None, None) => Err(Reader::missing(start, "toAccount")),
            (Some(false), None, Some(to_group_id)) => Ok(Conversation::Group { to_group_id }),
            (Some(false), None, None) => Err(Reader::missing(start, "toGroupId")),
        }
    }
}

fn conversations(r: &mut Reader) -> Read<Vec<Conversation>> {
    list(r, Conversation::read)
}

/// The inputs that are `{ fromAccount, groupName?, … }`: members after the
/// first two read by `more` (index from 2), the two checked present.
macro_rules! account_params {
    ($r:ident, $known:expr, |$rr:ident, $i:ident| $more:expr) => {{
        let (mut from, mut group) = (None, None);
        let start = object($r, $known, |$rr, $i| {
            match $i {
                0 => from = Some(string($rr)?),
                1 if $known.get(1) == Some(&"groupName") => group = Some(string($rr)?),
                _ => $more,
            }
            Ok(())
        })?;
        (start, from, group)
    }};
}

impl Input for DeleteConversationParams {
    fn read(r: &mut Reader) -> Read<Self> {
        let (mut conversation, mut clear) = (None, None);
        let (start, from, _) = account_params!(r, &["fromAccount", "conversation", "clearRoamingMessages"], |r, i| {
            if i == 1 {
                conversation = Some(Conversation::read(r)?)
            } else {
                clear = opt(r, bool_of)?
            }
        });
        Ok(DeleteConversationParams {
            from_account: required(start, "fromAccount", from)?,
            conversation: required(start, "conversation", conversation)?,
            clear_roaming_messages: clear,
        })
    }
}

impl Input for CreateConversationGroupParams {
    fn read(r: &mut Reader) -> Read<Self> {
        let mut list = None;
        let (start, from, group) = account_params!(r, &["fromAccount", "groupName", "conversations"], |r, _i| {
            list = Some(conversations(r)?)
        });
        Ok(CreateConversationGroupParams {
            from_account: required(start, "fromAccount", from)?,
            group_name: required(start, "groupName", group)?,
            conversations: required(start, "conversations", list)?,
        })
    }
}

impl Input for RenameConversationGroupParams {
    fn read(r: &mut Reader) -> Read<Self> {
        let mut new_name = None;
        let (start, from, group) = account_params!(r, &["fromAccount", "groupName", "newGroupName"], |r, _i| {
            new_name = Some(string(r)?)
        });
        Ok(RenameConversationGroupParams {
            from_account: required(start, "fromAccount", from)?,
            group_name: required(start, "groupName", group)?,
            new_group_name: required(start, "newGroupName", new_name)?,
        })
    }
}

impl Input for UpdateConversationGroupParams {
    fn read(r: &mut Reader) -> Read<Self> {
        let (mut add, mut remove) = (None, None);
        let (start, from, group) = account_params!(r, &["fromAccount", "groupName", "add", "remove"], |r, i| {
            if i == 2 {
                add = opt(r, conversations)?
            } else {
                remove = opt(r, conversations)?
            }
        });
        Ok(UpdateConversationGroupParams {
            from_account: required(start, "fromAccount", from)?,
            group_name: required(start, "groupName", group)?,
            add,
            remove,
        })
    }
}

impl Input for DeleteConversationGroupParams {
    fn read(r: &mut Reader) -> Read<Self> {
        let (start, from, group) = account_params!(r, &["fromAccount", "groupName"], |_r, _i| ());
        Ok(DeleteConversationGroupParams {
            from_account: required(start, "fromAccount", from)?,
            group_name: required(start, "groupName", group)?,
        })
    }
}

impl Input for ListConversationsParams {
    fn read(r: &mut Reader) -> Read<Self> {
        let (mut cursor, mut pinned, mut empty, mut flags) = (None, None, None, None);
        let known = ["fromAccount", "cursor", "includePinned", "includeEmpty", "assistFlags"];
        let (start, from, _) = account_params!(r, &known, |r, i| match i {
            1 => cursor = opt(r, string)?,
            2 => pinned = opt(r, bool_of)?,
            3 => empty = opt(r, bool_of)?,
            _ => flags = opt(r, u8_of)?.map(u32::from),
        });
        Ok(ListConversationsParams {
            from_account: required(start, "fromAccount", from)?,
            cursor,
            include_pinned: pinned,
            include_empty: empty,
            assist_flags: flags,
        })
    }
}

impl Input for GetConversationGroupsParams {
    fn read(r: &mut Reader) -> Read<Self> {
        let mut cursor = None;
        let (start, from, _) = account_params!(r, &["fromAccount", "cursor"], |r, _i| cursor = opt(r, string)?);
        Ok(GetConversationGroupsParams {
            from_account: required(start, "fromAccount", from)?,
            cursor,
        })
    }
}

impl Input for AllConversationGroupsParams {
    fn read(r: &mut Reader) -> Read<Self> {
        let (start, from, _) = account_params!(r, &["fromAccount"], |_r, _i| ());
        Ok(AllConversationGroupsParams {
            from_account: required(start, "fromAccount", from)?,
        })
    }
}

impl Input for SearchConversationGroupsParams {
    fn read(r: &mut Reader) -> Read<Self> {
        let mut list = None;
        let (start, from, _) = account_params!(r, &["fromAccount", "conversations"], |r, _i| {
            list = Some(conversations(r)?)
        });
        Ok(SearchConversationGroupsParams {
            from_account: required(start, "fromAccount", from)?,
            conversations: required(start, "conversations", list)?,
        })
    }
}

impl Input for MarkItem {
    fn read(r: &mut Reader) -> Read<Self> {
        let (mut conversation, mut set, mut clear, mut custom) = (None, None, None, None);
        let start = object(r, &["conversation", "set", "clear", "customMark"], |r, i| {
            match i {
                0 => conversation = Some(Conversation::read(r)?),
                1 => set = opt(r, |r| list(r, u8_of))?,
                2 => clear = opt(r, |r| list(r, u8_of))?,
                _ => custom = opt(r, string)?,
            }
            Ok(())
        })?;
        Ok(MarkItem {
            conversation: required(start, "conversation", conversation)?,
            set,
            clear,
            custom_mark: custom,
        })
    }
}

impl Input for MarkConversationsParams {
    fn read(r: &mut Reader) -> Read<Self> {
        let mut items = None;
        let (start, from, _) = account_params!(r, &["fromAccount", "items"], |r, _i| {
            items = Some(list(r, MarkItem::read)?)
        });
        Ok(MarkConversationsParams {
            from_account: required(start, "fromAccount", from)?,
            items: required(start, "items", items)?,
        })
    }
}

impl Input for ClientOptions {
    fn read(r: &mut Reader) -> Read<Self> {
        let mut o = ClientOptions::default();
        let (mut app, mut identifier) = (None, None);
        let start = object(r, crate::client::CLIENT_OPTION_KEYS, |r, i| {
            // By index into CLIENT_OPTION_KEYS: the differential test (every
            // key given a value of its own) holds the two in step.
            match i {
                0 => app = Some(u32_of(r)?),
                1 => identifier = Some(string(r)?),
                2 => o.secret_key = opt(r, string)?,
                3 => o.user_sig = opt(r, lossy_string)?,
                4 => o.region = opt(r, string)?,
                5 => {
                    o.base_url = opt(r, |r| match r.next_byte() {
                        b'"' => string(r).map(BaseUrl::One),
                        b'[' => list(r, string).map(BaseUrl::Many),
                        _ => mismatch(r, "a URL string or an array of 1 to 4 URL strings"),
                    })?
                }
                6 => o.on_event = external(r)?,
                7 => o.fetch = external(r)?,
                8 => o.rate_limiter = external(r)?,
                12 => o.max_requests_per_second = opt(r, f64_of)?,
                16 => o.reconcile_on_abort = opt(r, bool_of)?,
                _ => {
                    let slot = match i {
                        9 => &mut o.timeout_ms,
                        10 => &mut o.max_retries,
                        11 => &mut o.user_sig_ttl_seconds,
                        13 => &mut o.max_response_bytes,
                        14 => &mut o.max_pages,
                        _ => &mut o.max_items,
                    };
                    *slot = opt(r, u32_of)?;
                }
            }
            Ok(())
        })?;
        o.sdk_app_id = required(start, "sdkAppId", app)?;
        o.identifier = required(start, "identifier", identifier)?;
        Ok(o)
    }
}

impl Input for CallOptions {
    fn read(r: &mut Reader) -> Read<Self> {
        let mut o = CallOptions::default();
        object(r, crate::client::CALL_OPTION_KEYS, |r, i| {
            match i {
                0 => o.signal = external(r)?,
                1 => o.timeout_ms = opt(r, u32_of)?,
                2 => o.max_retries = opt(r, u32_of)?,
                _ => o.reconcile_on_abort = opt(r, bool_of)?,
            }
            Ok(())
        })?;
        Ok(o)
    }
}

impl Input for GenUserSigParams {
    fn read(r: &mut Reader) -> Read<Self> {
        let (mut app, mut key, mut id, mut expire, mut now) = (None, None, None, None, None);
        let known = ["sdkAppId", "secretKey", "identifier", "expireSeconds", "nowSeconds"];
        let start = object(r, &known, |r, i| {
            match i {
                0 => app = Some(u32_of(r)?),
                1 => key = Some(string(r)?),
                2 => id = Some(string(r)?),
                3 => expire = Some(u64_of(r)?),
                _ => now = opt(r, u64_of)?,
            }
            Ok(())
        })?;
        Ok(GenUserSigParams {
            sdk_app_id: required(start, "sdkAppId", app)?,
            secret_key: required(start, "secretKey", key)?,
            identifier: required(start, "identifier", id)?,
            expire_seconds: required(start, "expireSeconds", expire)?,
            now_seconds: now,
        })
    }
}

impl Input for VerifyUserSigParams {
    fn read(r: &mut Reader) -> Read<Self> {
        let (mut app, mut key, mut sig, mut now) = (None, None, None, None);
        let start = object(r, &["sdkAppId", "secretKey", "userSig", "nowSeconds"], |r, i| {
            match i {
                0 => app = Some(u32_of(r)?),
                1 => key = Some(string(r)?),
                2 => sig = Some(lossy_string(r)?),
                _ => now = opt(r, u64_of)?,
            }
            Ok(())
        })?;
        Ok(VerifyUserSigParams {
            sdk_app_id: required(start, "sdkAppId", app)?,
            secret_key: required(start, "secretKey", key)?,
            user_sig: required(start, "userSig", sig)?,
            now_seconds: now,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::endpoint::parse_input;
    use serde::de::DeserializeOwned;

    /// Over `valid` and every one-byte deletion or replacement of them (by
    /// bytes of `alphabet`): the reader reads what serde reads, the same
    /// value; refuses what serde refuses; and for JSON text (what
    /// JavaScript hands over) names the same field with the same reason.
    fn agrees_with_serde<T: Input + DeserializeOwned + PartialEq>(root: &str, valid: &[&str], alphabet: &[u8]) {
        let (mut read, mut refused) = (0, 0);
        for base in valid {
            assert!(parse::<T>(root, base).is_ok(), "reads {base}");
            let mut texts = vec![base.to_string()];
            texts.extend(crate::json_in::one_byte_mutations(base, alphabet));
            for text in &texts {
                let ours = parse::<T>(root, text);
                match parse_input::<T>(root, text) {
                    Ok(v) => {
                        read += 1;
                        assert!(ours.as_ref().ok() == Some(&v), "{text}");
                    }
                    Err(theirs) => {
                        let Err(ours) = ours else {
                            panic!("serde refuses {text}: {theirs}")
                        };
                        // (serde names a made-up key that holds a `.` twice.)
                        let doubled = matches!((&theirs, &ours), (Error::Validation { field: t, .. }, Error::Validation { field: o, .. })
                            if t.len() > o.len() && o.contains('.'));
                        if serde_json::from_str::<serde_json::Value>(text).is_ok() && !doubled {
                            refused += 1;
                            assert_eq!(ours, theirs, "{text}");
                        }
                    }
                }
            }
        }
        assert!(read > valid.len() && refused > 10, "read {read}, refused {refused}");
    }

    const ALPHABET: &[u8] = b"{}[]\",:\\ 0-1.e9nulxtypeacgr";

    #[test]
    fn endpoint_params_read_as_serde_reads_them() {
        agrees_with_serde::<CreateConversationGroupParams>(
            "params",
            &[
                r#"{"fromAccount":"u","groupName":"g","conversations":[{"type":"c2c","toAccount":"a"},{"toGroupId":"@g","type":"group"}]}"#,
                r#"{"conversations":[],"groupName":"é中\n","fromAccount":"u"}"#,
            ],
            ALPHABET,
        );
        agrees_with_serde::<SearchConversationGroupsParams>(
            "params",
            &[
                r#"{"fromAccount":"u","conversations":[{"type":"c2c","toAccount":"a"},{"type":"group","toGroupId":"g"}]}"#,
            ],
            ALPHABET,
        );
        agrees_with_serde::<DeleteConversationParams>(
            "params",
            &[
                r#"{"fromAccount":"u","conversation":{"type":"c2c","toAccount":"a"},"clearRoamingMessages":true}"#,
                r#"{"conversation":{"type":"group","toGroupId":"g"},"fromAccount":"u","clearRoamingMessages":null}"#,
            ],
            ALPHABET,
        );
        agrees_with_serde::<DeleteConversationGroupParams>(
            "params",
            &[r#"{"fromAccount":"u","groupName":"g"}"#],
            ALPHABET,
        );
        agrees_with_serde::<RenameConversationGroupParams>(
            "params",
            &[r#"{"fromAccount":"u","groupName":"g","newGroupName":"h"}"#],
            ALPHABET,
        );
        agrees_with_serde::<ListConversationsParams>(
            "params",
            &[
                r#"{"fromAccount":"u","cursor":"l1.1.2.3.4","includePinned":false,"includeEmpty":true}"#,
                r#"{"fromAccount":"u","cursor":null}"#,
            ],
            ALPHABET,
        );
        agrees_with_serde::<GetConversationGroupsParams>(
            "params",
            &[r#"{"fromAccount":"u","cursor":"g1.5"}"#, r#"{"fromAccount":"u"}"#],
            ALPHABET,
        );
        agrees_with_serde::<AllConversationGroupsParams>("params", &[r#"{"fromAccount":"u"}"#], ALPHABET);
        agrees_with_serde::<UpdateConversationGroupParams>(
            "params",
            &[
                r#"{"fromAccount":"u","groupName":"g","add":[{"type":"c2c","toAccount":"a"}],"remove":null}"#,
                r#"{"fromAccount":"u","groupName":"g","remove":[{"type":"group","toGroupId":"x"}]}"#,
            ],
            ALPHABET,
        );
        agrees_with_serde::<MarkConversationsParams>(
            "params",
            &[
                r#"{"fromAccount":"u","items":[{"conversation":{"type":"c2c","toAccount":"a"},"set":[1,63],"clear":[],"customMark":"m"}]}"#,
                r#"{"items":[{"customMark":null,"conversation":{"type":"group","toGroupId":"g"},"clear":[255]}],"fromAccount":"u"}"#,
            ],
            ALPHABET,
        );
    }

    #[test]
    fn options_read_as_serde_reads_them() {
        agrees_with_serde::<ClientOptions>(
            "options",
            &[
                r#"{"sdkAppId":1400000000,"identifier":"admin","secretKey":"k","baseUrl":"http://127.0.0.1:1"}"#,
                r#"{"sdkAppId":1,"identifier":"a","userSig":"s","region":"tokyo","timeoutMs":50,"maxRetries":0,"userSigTtlSeconds":600,"maxRequestsPerSecond":2.5,"maxResponseBytes":2048,"maxPages":3,"maxItems":9,"fetch":{},"onEvent":null,"rateLimiter":{"x":[1,{"y":"z"}]},"reconcileOnAbort":true}"#,
                r#"{ "identifier" : "a\u0062" , "sdkAppId" : 7 , "baseUrl" : [ "http://a" , "http://b" ] , "secretKey" : null , "region" : null }"#,
                r#"{"sdkAppId":4294967295,"identifier":"","baseUrl":[],"maxRequestsPerSecond":0.5}"#,
            ],
            b"{}[]\",:\\ 0-.e9nul1xtyp",
        );
        agrees_with_serde::<CallOptions>(
            "options",
            &[
                r#"{"timeoutMs":5,"maxRetries":1,"reconcileOnAbort":false,"signal":{}}"#,
                "{}",
            ],
            ALPHABET,
        );
    }

    #[test]
    fn usersig_params_read_as_serde_reads_them() {
        agrees_with_serde::<VerifyUserSigParams>(
            "params",
            &[
                r#"{"sdkAppId":1400000000,"secretKey":"k","userSig":"eJy*-_x","nowSeconds":1700000000}"#,
                r#"{"userSig":"s","sdkAppId":0,"secretKey":"é","nowSeconds":null}"#,
            ],
            b"{}[]\",:\\ 0-9.enul",
        );
        agrees_with_serde::<GenUserSigParams>(
            "params",
            &[r#"{"sdkAppId":1,"secretKey":"k","identifier":"a","expireSeconds":86400,"nowSeconds":5}"#],
            b"{}[]\",:\\ 0-9.enul",
        );
    }

    #[test]
    fn decimals_read_as_rust_reads_them() {
        for text in [
            "0",
            "-0",
            "1",
            "2.5",
            "0.1",
            "1e-3",
            "1E+2",
            "120",
            "0.000123",
            "123456789012345",
            "1.7976931348623157e308",
            "1e-300",
            "1e400",
            "-1e-400",
            "0.30000000000000004",
            "9007199254740993",
            "123.456e-7",
            "100000000000000000000000",
        ] {
            let exact: f64 = text.parse().unwrap();
            let ours = decimal_f64(text);
            assert!(
                ours == exact || (ours - exact).abs() <= exact.abs() * 1e-14,
                "{text}: {ours} vs {exact}"
            );
            if text.len() <= 12 {
                assert_eq!(ours.to_bits(), exact.to_bits(), "{text}");
            }
        }
    }

    #[test]
    fn mistakes_name_the_field_and_never_the_value() {
        let e = |text: &str| parse::<MarkConversationsParams>("params", text).unwrap_err();
        assert_eq!(
            e(
                r#"{"fromAccount":"u","items":[{"conversation":{"type":"c2c","toAccount":"a"}},{"conversation":{"type":"C2C","toAccount":"b"}}]}"#
            ),
            Error::validation(
                "items[1].conversation.type",
                "must be \"c2c\" or \"group\"; did you mean \"c2c\"?"
            )
        );
        assert_eq!(
            e(r#"{"fromAccount":"u","items":[{"conversation":{"type":"group","toAccount":"secret-ish"}}]}"#),
            Error::validation(
                "items[0].conversation.toAccount",
                "is not a known field (known: type, toGroupId)"
            )
        );
        assert_eq!(
            e(r#"{"fromAccount":"u","items":[{"conversation":{"type":"c2c","toAccount":"a"},"set":[1,256]}]}"#),
            Error::validation(
                "items[0].set[1]",
                "must be a whole number from 0 to 255, received a number outside that range"
            )
        );
        assert_eq!(e(r#"{"items":[]}"#), Error::validation("fromAccount", "is required"));
        assert_eq!(
            e(r#"{"fromAccount":"\ud800","items":[]}"#),
            Error::validation(
                "fromAccount",
                "must be well-formed text, received a string with a lone UTF-16 surrogate"
            )
        );
        assert_eq!(
            e("null"),
            Error::validation("params", "must be an object, received null")
        );
        assert_eq!(
            parse::<GetConversationGroupsParams>("params", r#"{"\u0066romAccount":"u"}"#).map(|p| p.from_account),
            Ok("u".to_string())
        );
        // A UserSig's lone surrogate reads as U+FFFD (then fails as an invalid signature).
        let v =
            parse::<VerifyUserSigParams>("params", r#"{"sdkAppId":1,"secretKey":"k","userSig":"a\udc00"}"#).unwrap();
        assert_eq!(v.user_sig, "a\u{fffd}");
        let e = parse::<ClientOptions>("options", r#"{"sdkAppId":"a3f1deadbeef","identifier":"a"}"#).unwrap_err();
        assert!(!e.to_string().contains("a3f1"), "{e}");
    }
}
