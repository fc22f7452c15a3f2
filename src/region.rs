//! The service's regions, their domains, and the request URL.

use crate::error::{Error, Result};

/// A data centre of Tencent Cloud Chat; pick the one of your SDKAppID.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Region {
    /// China (`console.tim.qq.com`), the default.
    China,
    /// Singapore.
    Singapore,
    /// Seoul.
    Seoul,
    /// Tokyo.
    Tokyo,
    /// Frankfurt.
    Frankfurt,
    /// Mumbai.
    Mumbai,
    /// Silicon Valley.
    SiliconValley,
    /// Jakarta.
    Jakarta,
    /// Riyadh (the international site's REST overview).
    Riyadh,
}

impl Region {
    /// All regions, in the order of SPEC.md.
    pub const ALL: [Region; 9] = [
        Region::China,
        Region::Singapore,
        Region::Seoul,
        Region::Tokyo,
        Region::Frankfurt,
        Region::Mumbai,
        Region::SiliconValley,
        Region::Jakarta,
        Region::Riyadh,
    ];

    /// The name used in the client options (`"silicon-valley"`, …).
    pub fn name(self) -> &'static str {
        match self {
            Region::China => "china",
            Region::Singapore => "singapore",
            Region::Seoul => "seoul",
            Region::Tokyo => "tokyo",
            Region::Frankfurt => "frankfurt",
            Region::Mumbai => "mumbai",
            Region::SiliconValley => "silicon-valley",
            Region::Jakarta => "jakarta",
            Region::Riyadh => "riyadh",
        }
    }

    /// Parses a region name; the error names the `region` field.
    pub fn parse(name: &str) -> Result<Region> {
        Region::ALL
            .into_iter()
            .find(|r| r.name() == name)
            .ok_or_else(|| unknown_region_error(name))
    }

    /// The primary API domain.
    pub fn domain(self) -> &'static str {
        match self {
            Region::China => "console.tim.qq.com",
            Region::Singapore => "adminapisgp.im.qcloud.com",
            Region::Seoul => "adminapikr.im.qcloud.com",
            Region::Tokyo => "adminapijpn.im.qcloud.com",
            Region::Frankfurt => "adminapiger.im.qcloud.com",
            Region::Mumbai => "adminapiind.im.qcloud.com",
            Region::SiliconValley => "adminapiusa.im.qcloud.com",
            Region::Jakarta => "adminapiidn.im.qcloud.com",
            Region::Riyadh => "adminapiksa.im.qcloud.com",
        }
    }

    /// The backup domain: the same name under `my-imcloud.com` (documented
    /// for seven regions; Tokyo's and Riyadh's follow the pattern, not
    /// confirmed — give `baseUrl: [main, backup]` to use another).
    pub fn backup_domain(self) -> &'static str {
        match self {
            Region::China => "adminapi.my-imcloud.com",
            Region::Singapore => "adminapisgp.my-imcloud.com",
            Region::Seoul => "adminapikr.my-imcloud.com",
            Region::Tokyo => "adminapijpn.my-imcloud.com",
            Region::Frankfurt => "adminapiger.my-imcloud.com",
            Region::Mumbai => "adminapiind.my-imcloud.com",
            Region::SiliconValley => "adminapiusa.my-imcloud.com",
            Region::Jakarta => "adminapiidn.my-imcloud.com",
            Region::Riyadh => "adminapiksa.my-imcloud.com",
        }
    }

    /// `https://{domain}`.
    pub fn origin(self) -> String {
        https(self.domain())
    }

    /// The main origin, then the backup one.
    pub fn origins(self) -> Vec<String> {
        vec![self.origin(), https(self.backup_domain())]
    }
}

/// The error for a region name that is not one (out of line: see
/// CONTRIBUTING, "Cold code"). The value itself is not quoted: it may be a
/// secret in the wrong place.
#[cold]
#[inline(never)]
fn unknown_region_error(name: &str) -> Error {
    let known: Vec<&str> = Region::ALL.iter().map(|r| r.name()).collect();
    let names: Vec<_> = known.iter().map(|n| format!("\"{n}\"")).collect();
    let mut reason = format!("must be one of {}", names.join(", "));
    if let Some(near) = crate::messages::nearest(name, &known) {
        reason.push_str(&format!("; did you mean \"{near}\"?"));
    }
    Error::validation("region", reason)
}

/// `https://` and the domain (no `format!`: `new ConversationClient` runs this).
fn https(domain: &str) -> String {
    let mut origin = String::with_capacity(8 + domain.len());
    origin.push_str("https://");
    origin.push_str(domain);
    origin
}

/// Checks and normalises a `baseUrl` option: an `http(s)://` origin with an
/// optional path prefix, no query or fragment, no trailing slash.
pub fn normalize_base_url(base: &str) -> Result<String> {
    // Byte by byte, not with `str::split` and friends: this runs in every
    // `new ConversationClient`, and a cold start compiles what it calls.
    // Every byte searched for is ASCII, so every cut is on a character
    // boundary.
    let bad = |reason: &str| Error::validation("baseUrl", reason.to_string());
    let has = |s: &str, byte: u8| s.bytes().any(|b| b == byte);
    let rest = base
        .strip_prefix("https://")
        .or_else(|| base.strip_prefix("http://"))
        .ok_or_else(|| bad("must start with http:// or https://"))?;
    let host = &rest[..rest.bytes().position(|b| b == b'/').unwrap_or(rest.len())];
    if host.is_empty() {
        return Err(bad("has no host"));
    }
    if has(base, b'?') || has(base, b'#') {
        return Err(bad("must not contain a query or a fragment"));
    }
    if base.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(bad("must not contain white space"));
    }
    if has(host, b'@') {
        return Err(bad("must not contain credentials"));
    }
    // Checked here so that no runtime's URL parser gets to fail on it (and
    // quote the whole request URL, UserSig included, in its own error).
    let (name, port) = match host.bytes().rposition(|b| b == b':') {
        Some(i) if !has(&host[i + 1..], b']') => (&host[..i], Some(&host[i + 1..])),
        _ => (host, None),
    };
    let n = name.as_bytes();
    let name_ok = if n.first() == Some(&b'[') && n.last() == Some(&b']') {
        n[1..n.len() - 1]
            .iter()
            .all(|&b| b.is_ascii_hexdigit() || b == b':' || b == b'.')
    } else {
        !n.is_empty()
            && n.iter()
                .all(|&b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_'))
    };
    if !name_ok {
        return Err(bad("has a host name that is not valid"));
    }
    if let Some(p) = port {
        // Digits only, leading zeros allowed (an empty port is 0); past
        // 65535 the value only has to stay too big.
        let value = p.bytes().try_fold(0u32, |v, b| {
            b.is_ascii_digit().then(|| (v * 10 + u32::from(b - b'0')).min(65536))
        });
        if !value.is_some_and(|v| (1..=65535).contains(&v)) {
            return Err(bad("has a port that is not a number from 1 to 65535"));
        }
    }
    let mut end = base.len();
    while end > 0 && base.as_bytes()[end - 1] == b'/' {
        end -= 1;
    }
    let trimmed = &base[..end];
    if trimmed.ends_with("/v4") || crate::text::contains(trimmed, "/v4/") {
        return Err(bad(
            "must be the origin only (e.g. https://console.tim.qq.com): the client adds /v4/recentcontact/…",
        ));
    }
    Ok(trimmed.to_string())
}

/// Percent-encodes a query value (RFC 3986 unreserved characters stay).
pub fn encode_query_value(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    push_query_value(&mut out, value);
    out
}

/// Appends `value` percent-encoded; runs of unreserved characters (a
/// UserSig is all of them) are copied whole.
fn push_query_value(out: &mut String, value: &str) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let unreserved = |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~' | b'*');
    let mut start = 0;
    for (i, b) in value.bytes().enumerate() {
        if unreserved(b) {
            continue;
        }
        // A run of unreserved (ASCII) bytes starts and ends on character
        // boundaries; an empty one may sit inside a character being escaped.
        if i > start {
            out.push_str(&value[start..i]);
        }
        out.push('%');
        out.push(char::from(HEX[usize::from(b >> 4)]));
        out.push(char::from(HEX[usize::from(b & 15)]));
        start = i + 1;
    }
    out.push_str(&value[start..]);
}

/// The full request URL of one call.
pub fn request_url(
    origin: &str,
    command: &str,
    sdk_app_id: u32,
    identifier: &str,
    user_sig: &str,
    random: u32,
) -> String {
    request_url_with(origin, command, &signed_query(sdk_app_id, identifier, user_sig), random)
}

/// The part of a request's query that stays the same while the UserSig
/// does: `?sdkappid=…&identifier=…&usersig=…&random=` (a client makes it
/// once per signature, not once per attempt).
pub fn signed_query(sdk_app_id: u32, identifier: &str, user_sig: &str) -> String {
    use crate::json_out::push_u64;
    let mut query = String::with_capacity(identifier.len() + user_sig.len() + 48);
    query.push_str("?sdkappid=");
    push_u64(&mut query, sdk_app_id.into());
    query.push_str("&identifier=");
    push_query_value(&mut query, identifier);
    query.push_str("&usersig=");
    push_query_value(&mut query, user_sig);
    query.push_str("&random=");
    query
}

/// The full request URL of one call from its [`signed_query`].
pub fn request_url_with(origin: &str, command: &str, signed_query: &str, random: u32) -> String {
    let mut url = String::with_capacity(origin.len() + command.len() + signed_query.len() + 48);
    url.push_str(origin);
    url.push_str("/v4/recentcontact/");
    url.push_str(command);
    url.push_str(signed_query);
    crate::json_out::push_u64(&mut url, random.into());
    url.push_str("&contenttype=json");
    url
}

/// The URL with the value of its `usersig` parameter replaced by `REDACTED`:
/// the only form of a URL that errors and logs may show. One pass over the
/// bytes into one string: it runs on every attempt, and without `format!`
/// and `str::split` a first call compiles no formatting machinery.
pub fn redact_url(url: &str) -> String {
    let Some(q) = url.bytes().position(|b| b == b'?') else {
        return url.to_string();
    };
    let mut out = String::with_capacity(url.len());
    // `?`, `&` and `=` are ASCII: every cut below is on a character boundary.
    out.push_str(&url[..=q]);
    let mut rest = &url[q + 1..];
    loop {
        let end = rest.bytes().position(|b| b == b'&').unwrap_or(rest.len());
        let part = &rest[..end];
        match part.bytes().position(|b| b == b'=') {
            Some(k) if part[..k].eq_ignore_ascii_case("usersig") => {
                out.push_str(&part[..=k]);
                out.push_str("REDACTED");
            }
            _ => out.push_str(part),
        }
        if end == rest.len() {
            return out;
        }
        out.push('&');
        rest = &rest[end + 1..];
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_values_are_percent_encoded_byte_by_byte() {
        assert_eq!(encode_query_value("aZ09-_.~*"), "aZ09-_.~*");
        assert_eq!(encode_query_value("a b&c=d/é+%"), "a%20b%26c%3Dd%2F%C3%A9%2B%25");
        assert_eq!(encode_query_value(""), "");
        // Against a byte-by-byte reference, on every mix of one- to
        // four-byte characters (a slice inside a character would panic).
        let reference = |v: &str| -> String {
            v.bytes()
                .map(|b| match b {
                    b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'*' => {
                        (b as char).to_string()
                    }
                    _ => format!("%{b:02X}"),
                })
                .collect()
        };
        let parts = ["a", "é", "中", "😀", " ", "*", "%"];
        for x in parts {
            for y in parts {
                for z in parts {
                    let v = format!("{x}{y}{z}");
                    assert_eq!(encode_query_value(&v), reference(&v), "{v}");
                }
            }
        }
        assert_eq!(
            request_url("https://h", "get_list", 1400000000, "ad min", "s*g_", 7),
            "https://h/v4/recentcontact/get_list?sdkappid=1400000000&identifier=ad%20min&usersig=s*g_&random=7&contenttype=json"
        );
    }

    #[test]
    fn every_region_parses_and_has_domains() {
        for r in Region::ALL {
            assert_eq!(Region::parse(r.name()).unwrap(), r);
            assert!(r.backup_domain().ends_with("my-imcloud.com"));
        }
        assert_eq!(
            Region::parse("silicon-valley").unwrap().domain(),
            "adminapiusa.im.qcloud.com"
        );
        assert_eq!(Region::Jakarta.domain(), "adminapiidn.im.qcloud.com");
        assert_eq!(
            Region::parse("riyadh").unwrap().origin(),
            "https://adminapiksa.im.qcloud.com"
        );
        assert_eq!(Region::Riyadh.backup_domain(), "adminapiksa.my-imcloud.com");
        assert_eq!(Region::Tokyo.origin(), "https://adminapijpn.im.qcloud.com");
        let e = Region::parse("mars").unwrap_err();
        assert!(matches!(e, Error::Validation { ref field, .. } if field == "region"));
    }

    #[test]
    fn url_and_redaction() {
        let url = request_url(
            "https://console.tim.qq.com",
            "delete",
            88888888,
            "ad min&x",
            "ab*c-d_",
            99999999,
        );
        assert_eq!(
            url,
            "https://console.tim.qq.com/v4/recentcontact/delete?sdkappid=88888888&identifier=ad%20min%26x&usersig=ab*c-d_&random=99999999&contenttype=json"
        );
        let r = redact_url(&url);
        assert!(!r.contains("ab*c-d_"));
        assert!(r.contains("usersig=REDACTED&random=99999999"));
    }

    /// Every choice of one piece from each list.
    fn triples<'a>(xs: &[&'a str], ys: &[&'a str], zs: &[&'a str]) -> Vec<(&'a str, &'a str, &'a str)> {
        xs.iter()
            .flat_map(|&x| ys.iter().flat_map(move |&y| zs.iter().map(move |&z| (x, y, z))))
            .collect()
    }

    #[test]
    fn redaction_agrees_with_the_obvious_version() {
        // The first version: split, rebuild, join.
        let reference = |url: &str| -> String {
            let Some((base, query)) = url.split_once('?') else {
                return url.to_string();
            };
            let parts: Vec<String> = query
                .split('&')
                .map(|p| match p.split_once('=') {
                    Some((k, _)) if k.eq_ignore_ascii_case("usersig") => format!("{k}=REDACTED"),
                    _ => p.to_string(),
                })
                .collect();
            format!("{base}?{}", parts.join("&"))
        };
        let pieces = [
            "",
            "?",
            "&",
            "=",
            "usersig",
            "UserSig",
            "usersig=",
            "=usersig",
            "s3cr3t",
            "é",
            "\u{1F600}",
            "a=b",
            "x",
            "%26",
        ];
        let triples = triples(&pieces, &pieces, &pieces);
        assert_eq!(triples.len(), pieces.len().pow(3));
        for (a, b, c) in triples {
            for url in [format!("https://h/v4?{a}{b}&{c}=v&usersig{b}"), format!("{a}{b}{c}")] {
                assert_eq!(redact_url(&url), reference(&url), "{url:?}");
            }
        }
        assert_eq!(
            redact_url("http://h?UsErSiG=x=y&usersig&z"),
            "http://h?UsErSiG=REDACTED&usersig&z"
        );
    }

    #[test]
    fn base_url_checks_agree_with_the_obvious_version() {
        // The first version, on `str` methods.
        let reference = |base: &str| -> Result<String> {
            let bad = |reason: &str| Error::validation("baseUrl", reason.to_string());
            let rest = base
                .strip_prefix("https://")
                .or_else(|| base.strip_prefix("http://"))
                .ok_or_else(|| bad("must start with http:// or https://"))?;
            let host = rest.split('/').next().unwrap_or("");
            if host.is_empty() {
                return Err(bad("has no host"));
            }
            if base.contains('?') || base.contains('#') {
                return Err(bad("must not contain a query or a fragment"));
            }
            if base.chars().any(|c| c.is_whitespace() || c.is_control()) {
                return Err(bad("must not contain white space"));
            }
            if host.contains('@') {
                return Err(bad("must not contain credentials"));
            }
            let (name, port) = match host.rsplit_once(':') {
                Some((n, p)) if !p.contains(']') => (n, Some(p)),
                _ => (host, None),
            };
            let name_ok = if name.starts_with('[') && name.ends_with(']') {
                name[1..name.len() - 1]
                    .chars()
                    .all(|c| c.is_ascii_hexdigit() || c == ':' || c == '.')
            } else {
                !name.is_empty()
                    && name
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
            };
            if !name_ok {
                return Err(bad("has a host name that is not valid"));
            }
            if let Some(p) = port {
                if !(p.bytes().all(|b| b.is_ascii_digit()) && p.parse::<u32>().is_ok_and(|n| (1..=65535).contains(&n)))
                {
                    return Err(bad("has a port that is not a number from 1 to 65535"));
                }
            }
            let trimmed = base.trim_end_matches('/');
            if trimmed.ends_with("/v4") || trimmed.contains("/v4/") {
                return Err(bad(
                    "must be the origin only (e.g. https://console.tim.qq.com): the client adds /v4/recentcontact/…",
                ));
            }
            Ok(trimmed.to_string())
        };
        let message = |r: Result<String>| r.map_err(|e| e.to_string());
        let schemes = ["https://", "http://", "ftp://", "", "HTTP://"];
        let hosts = [
            "",
            "x",
            "console.tim.qq.com",
            "127.0.0.1",
            "[::1]",
            "[]",
            "[",
            "]",
            "[::1",
            "[g::1]",
            "a_b-c.d",
            "é.example",
            "u:p@x",
            "x@",
            "a b",
            "a\u{3000}b",
            "a\u{7f}",
            "[::1]:80",
            "x:",
            "x:0",
            "x:1",
            "x:65535",
            "x:65536",
            "x:000080",
            "x:99999999999",
            "x:8a",
            "x:+80",
            "x:-1",
            "x:\u{0661}",
            ":80",
            "x:80:90",
            "x]:80",
            "[::1]]",
        ];
        let tails = [
            "",
            "/",
            "//",
            "/tim",
            "/tim/",
            "/v4",
            "/v4/",
            "/a/v4/b",
            "/v40",
            "?a=1",
            "#f",
            "/\u{1F600}",
            "/ ",
        ];
        let triples = triples(&schemes, &hosts, &tails);
        assert_eq!(triples.len(), schemes.len() * hosts.len() * tails.len());
        for (scheme, host, tail) in triples {
            let base = format!("{scheme}{host}{tail}");
            assert_eq!(
                message(normalize_base_url(&base)),
                message(reference(&base)),
                "{base:?}"
            );
        }
        assert_eq!(normalize_base_url("http://x:000080/").unwrap(), "http://x:000080");
    }

    #[test]
    fn base_urls() {
        assert_eq!(
            normalize_base_url("http://127.0.0.1:8787/").unwrap(),
            "http://127.0.0.1:8787"
        );
        assert_eq!(
            normalize_base_url("https://proxy.example/tim").unwrap(),
            "https://proxy.example/tim"
        );
        for bad in ["", "ftp://x", "http://", "http://x?a=1", "https://u:p@x", "http://a b"] {
            let e = normalize_base_url(bad).unwrap_err();
            assert!(
                matches!(e, Error::Validation { ref field, .. } if field == "baseUrl"),
                "{bad}"
            );
        }
    }
}
