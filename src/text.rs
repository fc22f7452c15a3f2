//! Substring search and replacement for this crate's short needles, on the
//! ground floor (it uses no other module of the crate): `str`'s own
//! searchers bring kilobytes of wasm that a first call would compile.

/// `haystack.contains(needle)` for the short needles of this crate:
/// `str::contains` with a string pattern brings in the Two-Way searcher
/// (about 2.5 KB of wasm, compiled during a cold start's first call).
pub fn contains(haystack: &str, needle: &str) -> bool {
    needle.is_empty() || find_from(haystack, needle, 0).is_some()
}

/// Where `needle` first occurs in `haystack` from byte `from` on (`None`
/// when `from` is not a character boundary): a byte loop (core's substring
/// searcher is 3 KB of wasm, and its per-character searcher was slower on
/// a short key than the loop). A match starts at the needle's first byte,
/// never a UTF-8 continuation byte, so it is a character boundary.
pub fn find_from(haystack: &str, needle: &str, from: usize) -> Option<usize> {
    let n = needle.as_bytes();
    let first = *n.first()?;
    if !haystack.is_char_boundary(from) {
        return None;
    }
    haystack.as_bytes()[from..]
        .windows(n.len())
        .position(|w| w[0] == first && w == n)
        .map(|at| from + at)
}

/// `haystack` with every `needle` (not empty) replaced by `with`.
pub fn replace_all(haystack: &str, needle: &str, with: &str) -> String {
    let mut out = String::with_capacity(haystack.len());
    let mut from = 0;
    while let Some(at) = find_from(haystack, needle, from).filter(|_| !needle.is_empty()) {
        out.push_str(&haystack[from..at]);
        out.push_str(with);
        from = at + needle.len();
    }
    out.push_str(&haystack[from..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replace_all_is_str_replace() {
        for (h, n, w) in [
            ("a secret, secret", "secret", "REDACTED"),
            ("aaaa", "aa", "b"),
            ("xyz", "q", "r"),
            ("密钥密钥x", "密钥", "-"),
            ("", "a", "b"),
            ("abc", "abc", ""),
        ] {
            assert_eq!(replace_all(h, n, w), h.replace(n, w), "{h} {n}");
            assert_eq!(find_from(h, n, 0), h.find(n), "{h} {n}");
        }
    }

    #[test]
    fn find_from_agrees_with_str_find_from_every_offset() {
        for h in [
            "",
            "aaaa",
            "a null b nul null",
            "\u{e9}\u{4e2d}null\u{e9}",
            "\u{5bc6}\u{94a5}\u{5bc6}\u{94a5}x",
        ] {
            for n in ["", "a", "aa", "null", "\u{4e2d}n", "\u{94a5}", "\u{e9}"] {
                for from in 0..=h.len() + 1 {
                    let std = h.get(from..).and_then(|rest| rest.find(n)).map(|at| from + at);
                    let expected = if n.is_empty() { None } else { std };
                    assert_eq!(find_from(h, n, from), expected, "{h:?} {n:?} {from}");
                }
            }
        }
    }

    #[test]
    fn contains_agrees_with_str_contains() {
        for h in [
            "",
            "n",
            "nul",
            "null",
            "xnnull",
            "a null b",
            "nulnull",
            "é中null",
            "/v4",
            "a/v4/b",
        ] {
            for n in ["", "null", "/v4/", "n", "中n"] {
                assert_eq!(contains(h, n), h.contains(n), "{h:?} {n:?}");
            }
        }
    }
}
