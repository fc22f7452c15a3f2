//! UserSig, TLS signature version 2: sign and verify (SPEC.md, "UserSig").
//!
//! Signatures made here decode to the same JSON as those of the official npm
//! package `tls-sig-api-v2` for the same inputs, and every signature that
//! package makes verifies here.

use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::error::{Error, Result};

/// Largest inflated signature document accepted (a real one is ~200 bytes).
const MAX_DOC_BYTES: usize = 16 * 1024;
/// Largest encoded UserSig accepted.
const MAX_SIG_CHARS: usize = 8 * 1024;

/// The service's code for an expired UserSig.
pub const CODE_EXPIRED: i64 = 70001;
/// The service's code for a UserSig that cannot be decoded.
pub const CODE_MALFORMED: i64 = 70003;
/// The service's code for an empty UserSig.
pub const CODE_EMPTY: i64 = 70002;
/// The service's code for a signature that does not match the secret key.
pub const CODE_BAD_SIGNATURE: i64 = 70009;
/// The service's code for a UserSig of another identifier.
pub const CODE_WRONG_IDENTIFIER: i64 = 70013;
/// The service's code for a UserSig of another SDKAppID.
pub const CODE_WRONG_APP: i64 = 70014;

/// Parameters of `verifyUserSig` (no `Debug`: it holds the secret key).
#[derive(Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct VerifyUserSigParams {
    /// The app's SDKAppID.
    pub sdk_app_id: u32,
    /// The app's secret key.
    pub secret_key: String,
    /// The UserSig to check.
    #[serde(deserialize_with = "crate::model::lossy::string")]
    pub user_sig: String,
    /// Time to check expiry against, seconds since the epoch; default now.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(type = "number"))]
    pub now_seconds: Option<u64>,
}

/// Parameters of `genUserSig` (no `Debug`: it holds the secret key).
#[derive(Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct GenUserSigParams {
    /// The app's SDKAppID.
    pub sdk_app_id: u32,
    /// The app's secret key.
    pub secret_key: String,
    /// The user ID to sign for.
    pub identifier: String,
    /// Lifetime in seconds.
    #[cfg_attr(target_arch = "wasm32", tsify(type = "number"))]
    pub expire_seconds: u64,
    /// Signing time, seconds since the epoch; default now.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(type = "number"))]
    pub now_seconds: Option<u64>,
}

/// What a valid UserSig says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SigInfo {
    /// The signed identifier (user ID).
    pub identifier: String,
    /// The signed SDKAppID.
    pub sdk_app_id: u32,
    /// When it was signed, seconds since the epoch.
    pub time: u64,
    /// Its lifetime in seconds.
    pub expire: u64,
    /// The signed `TLS.userbuf` (base64 text, as signed), when it has one.
    pub userbuf: Option<String>,
}

impl SigInfo {
    /// The second after which it is no longer valid.
    pub fn expires_at(&self) -> u64 {
        self.time.saturating_add(self.expire)
    }
}

fn hmac_content(identifier: &str, sdk_app_id: u32, time: u64, expire: u64, userbuf: Option<&str>) -> String {
    let mut s = crate::json_out::Out::new();
    s.raw("TLS.identifier:");
    s.raw(identifier);
    s.kv_u64("\nTLS.sdkappid:", sdk_app_id.into());
    s.kv_u64("\nTLS.time:", time);
    s.kv_u64("\nTLS.expire:", expire);
    s.raw("\n");
    if let Some(b) = userbuf {
        s.raw("TLS.userbuf:");
        s.raw(b);
        s.raw("\n");
    }
    s.into_string()
}

thread_local! {
    /// The HMAC state after the last key (its padded key blocks already
    /// hashed): a server signs and verifies with one key, and the key's
    /// blocks are a third of an HMAC's work.
    static KEYED: std::cell::RefCell<Option<(String, Hmac<Sha256>)>> = const { std::cell::RefCell::new(None) };
}

fn mac(secret_key: &str, content: &str) -> Hmac<Sha256> {
    let mut m = KEYED.with(|cell| {
        let mut cell = cell.borrow_mut();
        match &*cell {
            Some((key, m)) if key == secret_key => m.clone(),
            _ => {
                // HMAC accepts keys of any length, so this cannot fail.
                let m =
                    <Hmac<Sha256> as Mac>::new_from_slice(secret_key.as_bytes()).expect("HMAC takes any key length");
                *cell = Some((secret_key.to_string(), m.clone()));
                m
            }
        }
    });
    m.update(content.as_bytes());
    m
}

/// Signs a UserSig for `identifier`, valid `expire_seconds` from `now_seconds`.
pub fn sign(sdk_app_id: u32, secret_key: &str, identifier: &str, expire_seconds: u64, now_seconds: u64) -> String {
    let sig = base64(
        &mac(
            secret_key,
            &hmac_content(identifier, sdk_app_id, now_seconds, expire_seconds, None),
        )
        .finalize()
        .into_bytes(),
        STANDARD_ALPHABET,
    );
    // The official package's field order: ver, identifier, sdkappid, time, expire, sig.
    let mut doc = crate::json_out::Out::new();
    doc.kv_str(r#"{"TLS.ver":"2.0","TLS.identifier":"#, identifier);
    doc.kv_u64(r#","TLS.sdkappid":"#, sdk_app_id.into());
    doc.kv_u64(r#","TLS.time":"#, now_seconds);
    doc.kv_u64(r#","TLS.expire":"#, expire_seconds);
    doc.kv_str(r#","TLS.sig":"#, &sig);
    doc.raw("}");
    base64(&zlib_stored(doc.into_string().as_bytes()), ESCAPED_ALPHABET)
}

/// Base64's alphabet and padding character.
const STANDARD_ALPHABET: &[u8; 65] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=";
/// The same made URL-safe the service's way (`+/=` as `*-_`).
const ESCAPED_ALPHABET: &[u8; 65] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789*-_";

/// Padded base64 of `data` in `alphabet` (64 digits, then the padding):
/// written straight in the spelling wanted, and small (the `base64`
/// crate's encoder is ~2.7 KB of wasm compiled during a cold start's
/// first call; its decoder stays for verifying).
fn base64(data: &[u8], alphabet: &[u8; 65]) -> String {
    let digit = |n: u32| alphabet[(n & 63) as usize];
    let pad = alphabet[64];
    let mut out = Vec::with_capacity(data.len().div_ceil(3) * 4);
    let mut chunks = data.chunks_exact(3);
    for c in &mut chunks {
        let n = (u32::from(c[0]) << 16) | (u32::from(c[1]) << 8) | u32::from(c[2]);
        out.extend_from_slice(&[digit(n >> 18), digit(n >> 12), digit(n >> 6), digit(n)]);
    }
    match *chunks.remainder() {
        [a] => out.extend_from_slice(&[digit(u32::from(a) >> 2), digit(u32::from(a) << 4), pad, pad]),
        [a, b] => {
            let n = (u32::from(a) << 8) | u32::from(b);
            out.extend_from_slice(&[digit(n >> 10), digit(n >> 4), digit(n << 2), pad]);
        }
        _ => {}
    }
    // Only ASCII from the alphabets above.
    String::from_utf8(out).unwrap_or_default()
}

/// The bytes of padded base64 `text` (standard alphabet), read exactly as
/// the `base64` crate's `STANDARD` engine reads it: a length that is a
/// multiple of 4, padding only at the end, no bits left over past the
/// last byte; `None` otherwise. (That crate's decoder was 3 KB of wasm.)
fn unbase64(text: &[u8]) -> Option<Vec<u8>> {
    if text.len() % 4 != 0 {
        return None;
    }
    let value = |c: u8| -> Option<u32> {
        Some(u32::from(match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        }))
    };
    let mut out = Vec::with_capacity(text.len() / 4 * 3);
    let quads = text.len() / 4;
    for (q, quad) in text.chunks_exact(4).enumerate() {
        let pads = quad.iter().rev().take_while(|&&c| c == b'=').count();
        if pads > 2 || (pads > 0 && q + 1 != quads) {
            return None;
        }
        let mut n = 0u32;
        for &c in &quad[..4 - pads] {
            n = (n << 6) | value(c)?;
        }
        n <<= 6 * pads as u32;
        let bytes = [(n >> 16) as u8, (n >> 8) as u8, n as u8];
        // Bits past the last byte must be zero (canonical encoding).
        if pads > 0 && n & ((1 << (8 * pads)) - 1) != 0 {
            return None;
        }
        out.extend_from_slice(&bytes[..3 - pads]);
    }
    Some(out)
}

/// `data` as a zlib stream of stored (uncompressed) deflate blocks: valid
/// zlib that every inflater reads, without a compressor's state to set up
/// per signature (that cost most of signing's time, and its code ~10 KB of
/// the .wasm). The document is ~200 bytes, so the UserSig is ~60
/// characters longer than a compressed one; the service documents no
/// limit on its length, and the official package verifies it.
fn zlib_stored(data: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(data.len() + 6 + 5 * (data.len() / 65_535 + 1));
    // CMF: deflate, 32 KiB window; FLG: no dictionary, "fastest", check bits.
    out.extend_from_slice(&[0x78, 0x01]);
    let mut chunks = data.chunks(65_535).peekable();
    if chunks.peek().is_none() {
        out.extend_from_slice(&[0x01, 0x00, 0x00, 0xff, 0xff]);
    }
    while let Some(chunk) = chunks.next() {
        let last = chunks.peek().is_none();
        let len = chunk.len() as u16;
        out.push(u8::from(last)); // BFINAL, BTYPE 00 (stored)
        out.extend_from_slice(&len.to_le_bytes());
        out.extend_from_slice(&(!len).to_le_bytes());
        out.extend_from_slice(chunk);
    }
    let (mut a, mut b) = (1u32, 0u32);
    for &byte in data {
        a = (a + u32::from(byte)) % 65_521;
        b = (b + a) % 65_521;
    }
    out.extend_from_slice(&((b << 16) | a).to_be_bytes());
    out
}

/// The base64 bytes of an escaped UserSig (byte by byte: any other byte,
/// UTF-8 included, is left for the base64 decoder to refuse).
fn unescape(sig: &str) -> Vec<u8> {
    sig.bytes()
        .map(|c| match c {
            b'*' => b'+',
            b'-' => b'/',
            b'_' => b'=',
            c => c,
        })
        .collect()
}

fn auth(code: i64, info: &str) -> Error {
    Error::Auth {
        code,
        info: info.to_string(),
        command: None,
        outcome_unknown: false,
    }
}

/// The fields of a signature document that verification reads: strings
/// (null is absent; escapes decoded, a lone surrogate as U+FFFD) and
/// numbers, which some signers write as strings of digits.
#[derive(Default)]
struct Document {
    ver: Option<String>,
    identifier: Option<String>,
    sdkappid: Option<u64>,
    time: Option<u64>,
    expire: Option<u64>,
    sig: Option<String>,
    userbuf: Option<String>,
}

impl Document {
    /// Reads one; `None` when it is not a JSON object of these members
    /// (each at most once, of its type; others are skipped).
    fn read(text: &str) -> Option<Document> {
        use crate::json_in::Reader;
        let mut d = Document::default();
        let mut seen = [false; 7];
        let mut r = Reader::new(text);
        r.object(|r, key| {
            let i = match key {
                "TLS.ver" => 0,
                "TLS.identifier" => 1,
                "TLS.sdkappid" => 2,
                "TLS.time" => 3,
                "TLS.expire" => 4,
                "TLS.sig" => 5,
                "TLS.userbuf" => 6,
                _ => return r.skip(),
            };
            if std::mem::replace(&mut seen[i], true) {
                return r.fail("duplicate member");
            }
            match i {
                0 => d.ver = r.opt_string()?,
                1 => d.identifier = r.opt_string()?,
                5 => d.sig = r.opt_string()?,
                6 => d.userbuf = r.opt_string()?,
                _ => {
                    let n = r.document_number()?;
                    *[&mut d.sdkappid, &mut d.time, &mut d.expire][i - 2] = n;
                }
            }
            Ok(())
        })
        .and_then(|()| r.finish())
        .ok()?;
        Some(d)
    }
}

/// The inflated JSON bytes of a UserSig.
fn document_bytes(user_sig: &str) -> Result<Vec<u8>> {
    if user_sig.is_empty() {
        return Err(auth(CODE_EMPTY, "UserSig is empty"));
    }
    let malformed = || auth(CODE_MALFORMED, "UserSig is malformed");
    if user_sig.len() > MAX_SIG_CHARS {
        return Err(malformed());
    }
    let raw = unbase64(&unescape(user_sig)).ok_or(()).map_err(|_| malformed())?;
    crate::inflate_small::inflate(&raw, MAX_DOC_BYTES).ok_or_else(malformed)
}

/// Decodes a UserSig's JSON document without checking its signature.
#[cfg(test)]
pub fn decode_document(user_sig: &str) -> Result<serde_json::Map<String, serde_json::Value>> {
    let doc = document_bytes(user_sig)?;
    match serde_json::from_slice::<serde_json::Value>(&doc) {
        Ok(serde_json::Value::Object(map)) => Ok(map),
        _ => Err(auth(CODE_MALFORMED, "UserSig is malformed")),
    }
}

/// Verifies a UserSig against the app's secret key at `now_seconds`.
///
/// Errors are [`Error::Auth`] with the service's codes: 70002 empty,
/// 70003 malformed, 70014 another SDKAppID, 70009 signature does not match the
/// key, 70001 expired.
pub fn verify(sdk_app_id: u32, secret_key: &str, user_sig: &str, now_seconds: u64) -> Result<SigInfo> {
    let bytes = document_bytes(user_sig)?;
    let malformed = || auth(CODE_MALFORMED, "UserSig is malformed");
    // Read straight into the fields (no map of every value).
    let doc = std::str::from_utf8(&bytes)
        .ok()
        .and_then(Document::read)
        .ok_or_else(malformed)?;
    if doc.ver.as_deref() != Some("2.0") {
        return Err(malformed());
    }
    let identifier = doc.identifier.as_deref().ok_or_else(malformed)?;
    let app = doc.sdkappid.ok_or_else(malformed)?;
    let time = doc.time.ok_or_else(malformed)?;
    let expire = doc.expire.ok_or_else(malformed)?;
    let sig = doc.sig.as_deref().ok_or_else(malformed)?;
    let userbuf = doc.userbuf.as_deref();
    if app != u64::from(sdk_app_id) {
        return Err(auth(CODE_WRONG_APP, "UserSig was signed for another SDKAppID"));
    }
    let sig_bytes = unbase64(sig.as_bytes()).ok_or(()).map_err(|_| malformed())?;
    mac(secret_key, &hmac_content(identifier, sdk_app_id, time, expire, userbuf))
        .verify_slice(&sig_bytes)
        .map_err(|_| auth(CODE_BAD_SIGNATURE, "UserSig does not match the secret key"))?;
    let info = SigInfo {
        identifier: identifier.to_string(),
        sdk_app_id,
        time,
        expire,
        userbuf: userbuf.map(str::to_string),
    };
    if now_seconds > info.expires_at() {
        return Err(auth(CODE_EXPIRED, "UserSig has expired"));
    }
    Ok(info)
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::engine::general_purpose::STANDARD;
    use base64::Engine;

    /// The small decoder reads exactly what the `base64` crate reads.
    #[test]
    fn unbase64_agrees_with_the_base64_crate() {
        let mut texts: Vec<String> = (0..40u8)
            .map(|n| STANDARD.encode((0..n).map(|i| i.wrapping_mul(37).wrapping_add(n)).collect::<Vec<u8>>()))
            .collect();
        let bases = texts.clone();
        for base in bases.iter().filter(|b| b.len() <= 16) {
            texts.extend(crate::json_in::one_byte_mutations(base, b"=A/+Qa0_-*z\x80"));
        }
        texts.extend(
            [
                "", "=", "==", "A===", "AA==", "AB==", "AAA=", "AAB=", "AA=A", "AAAA====", " AAA",
            ]
            .map(String::from),
        );
        let mut refused = 0;
        for t in &texts {
            let theirs = STANDARD.decode(t.as_bytes()).ok();
            refused += usize::from(theirs.is_none());
            assert_eq!(unbase64(t.as_bytes()), theirs, "{t:?}");
        }
        assert!(refused > 100, "{refused}");
    }

    const KEY: &str = "5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e";

    #[test]
    fn round_trip() {
        let s = sign(1400000000, KEY, "administrator", 86400, 1_700_000_000);
        assert!(s.chars().all(|c| c.is_ascii_alphanumeric() || "*-_".contains(c)));
        let info = verify(1400000000, KEY, &s, 1_700_000_100).unwrap();
        assert_eq!(
            info,
            SigInfo {
                identifier: "administrator".into(),
                sdk_app_id: 1400000000,
                time: 1_700_000_000,
                expire: 86400,
                userbuf: None,
            }
        );
        let doc = decode_document(&s).unwrap();
        let keys: Vec<_> = doc.keys().cloned().collect();
        assert_eq!(keys.len(), 6);
    }

    #[test]
    fn known_vector_hmac() {
        // HMAC-SHA256 of the documented content, computed independently with
        // `printf 'TLS.identifier:administrator\nTLS.sdkappid:1400000000\nTLS.time:1700000000\nTLS.expire:86400\n' | openssl dgst -sha256 -hmac KEY -binary | base64`.
        let s = sign(1400000000, KEY, "administrator", 86400, 1_700_000_000);
        let doc = decode_document(&s).unwrap();
        assert_eq!(doc["TLS.sig"], "yLAe+w7WUeUuqbV9h/TX78u21oTGi+i9Zp1u3PpnY60=");
    }

    #[test]
    fn refusals_carry_service_codes() {
        let s = sign(1400000000, KEY, "admin", 100, 1000);
        let code = |r: Result<SigInfo>| r.unwrap_err().code();
        assert_eq!(code(verify(1400000000, KEY, &s, 1101)), Some(CODE_EXPIRED));
        assert_eq!(verify(1400000000, KEY, &s, 1100).unwrap().expires_at(), 1100);
        assert_eq!(code(verify(1400000001, KEY, &s, 1000)), Some(CODE_WRONG_APP));
        assert_eq!(code(verify(1400000000, "other", &s, 1000)), Some(CODE_BAD_SIGNATURE));
        assert_eq!(code(verify(1400000000, KEY, "", 1000)), Some(CODE_EMPTY));
        for junk in [
            "abc",
            "eJzz",
            "%%%%",
            "eJyrVgrJTM0rUbJSKkktLlGqBQAxTAXR",
            &"A".repeat(MAX_SIG_CHARS + 4),
        ] {
            assert_eq!(
                code(verify(1400000000, KEY, junk, 1000)),
                Some(CODE_MALFORMED),
                "{junk}"
            );
        }
    }

    #[test]
    fn errors_do_not_contain_the_key_or_sig() {
        let s = sign(1, KEY, "a", 1, 0);
        let e = verify(1, "wrong", &s, 0).unwrap_err();
        let text = format!("{e} {e:?}");
        assert!(!text.contains(KEY) && !text.contains(&s));
    }

    #[test]
    fn documents_read_member_by_member() {
        let d = Document::read(
            r#"{"TLS.ver":"2.0","TLS.identifier":"a\u00e9","TLS.sdkappid":"14","TLS.time":1.5,"TLS.expire":-3,"X":[{}],"TLS.sig":null}"#,
        )
        .unwrap();
        assert_eq!(d.ver.as_deref(), Some("2.0"));
        assert_eq!(d.identifier.as_deref(), Some("aé"));
        assert_eq!((d.sdkappid, d.time, d.expire), (Some(14), None, None));
        assert_eq!((d.sig, d.userbuf), (None, None));
        let d = Document::read(r#"{"TLS.time":18446744073709551615,"TLS.expire":"x","TLS.sdkappid":true}"#).unwrap();
        assert_eq!((d.time, d.expire, d.sdkappid), (Some(u64::MAX), None, None));
        for bad in [
            r#"{"TLS.ver":"2.0","TLS.ver":"2.0"}"#,
            r#"{"TLS.time":[1]}"#,
            r#"{"TLS.identifier":5}"#,
            r#"{"TLS.ver":"2.0"} x"#,
            "[]",
            "",
        ] {
            assert!(Document::read(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn base64_writes_what_the_base64_crate_writes() {
        for n in 0..70usize {
            let data: Vec<u8> = (0..n).map(|i| (i * 73 % 256) as u8 ^ 0xa5).collect();
            let standard = STANDARD.encode(&data);
            assert_eq!(base64(&data, STANDARD_ALPHABET), standard);
            let escaped = standard.replace('+', "*").replace('/', "-").replace('=', "_");
            assert_eq!(base64(&data, ESCAPED_ALPHABET), escaped);
        }
    }

    #[test]
    fn stored_zlib_inflates_to_the_input() {
        for n in [0usize, 1, 200, 65_535, 65_536, 200_000] {
            let data: Vec<u8> = (0..n).map(|i| (i * 7 % 251) as u8).collect();
            let z = zlib_stored(&data);
            assert_eq!(
                (u16::from(z[0]) << 8 | u16::from(z[1])) % 31,
                0,
                "zlib header check bits"
            );
            let back = miniz_oxide::inflate::decompress_to_vec_zlib(&z).unwrap();
            assert_eq!(back, data, "{n} bytes");
        }
    }

    #[test]
    fn a_userbuf_is_verified_and_returned() {
        let content = hmac_content("admin", 1400000000, 1_700_000_000, 86400, Some("AQID"));
        let sig = STANDARD.encode(mac(KEY, &content).finalize().into_bytes());
        let doc = format!(
            r#"{{"TLS.ver":"2.0","TLS.identifier":"admin","TLS.sdkappid":1400000000,"TLS.time":1700000000,"TLS.expire":86400,"TLS.userbuf":"AQID","TLS.sig":"{sig}"}}"#
        );
        let user_sig = base64(&zlib_stored(doc.as_bytes()), ESCAPED_ALPHABET);
        let info = verify(1400000000, KEY, &user_sig, 1_700_000_001).unwrap();
        assert_eq!(info.userbuf.as_deref(), Some("AQID"));
        // The userbuf is signed: another one does not verify.
        let forged = base64(&zlib_stored(doc.replace("AQID", "AQIE").as_bytes()), ESCAPED_ALPHABET);
        assert_eq!(
            verify(1400000000, KEY, &forged, 1_700_000_001).unwrap_err().code(),
            Some(CODE_BAD_SIGNATURE)
        );
    }

    #[test]
    fn numbers_written_as_strings_verify() {
        let content = hmac_content("admin", 1400000000, 1_700_000_000, 86400, None);
        let sig = STANDARD.encode(mac(KEY, &content).finalize().into_bytes());
        let doc = format!(
            r#"{{"TLS.ver":"2.0","TLS.identifier":"admin","TLS.sdkappid":"1400000000","TLS.time":"1700000000","TLS.expire":86400,"TLS.sig":"{sig}"}}"#
        );
        let user_sig = base64(&zlib_stored(doc.as_bytes()), ESCAPED_ALPHABET);
        let info = verify(1400000000, KEY, &user_sig, 1_700_000_001).unwrap();
        assert_eq!((info.time, info.expire), (1_700_000_000, 86400));
        // A number of another kind is a malformed document, not a panic.
        let bad = doc.replace(r#""TLS.expire":86400"#, r#""TLS.expire":-1"#);
        let user_sig = base64(&zlib_stored(bad.as_bytes()), ESCAPED_ALPHABET);
        assert_eq!(
            verify(1400000000, KEY, &user_sig, 1_700_000_001).unwrap_err().code(),
            Some(CODE_MALFORMED)
        );
    }
}
