//! Standard conversation marks: 64 bits that the service writes as a binary
//! string (`"111001"`, most significant bit first) and takes as bit numbers
//! (`SetMark: [1, 2, 3]`). Users see and give the numbers of the set bits,
//! which JavaScript holds exactly (a 64-bit value as a `number` would not).

use crate::error::{Error, Result};

/// Bit numbers run from 0 to this (64 bits; the first 32 are used by the service itself).
pub const MAX_MARK_BIT: u8 = 63;

/// The set bits of a `StandardMark` string, ascending; `None` when it is not
/// a binary string of at most 64 digits. An empty string means no bits (the
/// service writes one for a conversation without standard marks).
pub fn parse_standard_mark(text: &str) -> Option<Vec<u8>> {
    if text.len() > 64 || !text.bytes().all(|b| b == b'0' || b == b'1') {
        return None;
    }
    Some(
        text.bytes()
            .rev()
            .enumerate()
            .filter(|(_, b)| *b == b'1')
            .map(|(i, _)| i as u8)
            .collect(),
    )
}

/// The `StandardMark` string of a set of bit numbers (the emulator's and the tests' direction).
pub fn format_standard_mark(bits: &[u8]) -> String {
    let value = bits
        .iter()
        .filter(|b| **b <= MAX_MARK_BIT)
        .fold(0u64, |v, b| v | (1u64 << b));
    format!("{value:b}")
}

/// Checks every bit number of `field` is 0 to 63.
pub fn validate_bits(field: &str, bits: &[u8]) -> Result<()> {
    match bits.iter().position(|b| *b > MAX_MARK_BIT) {
        Some(i) => Err(Error::validation(
            format!("{field}[{i}]"),
            format!(
                "a standard mark is a bit number from 0 to {MAX_MARK_BIT}, got {}",
                bits[i]
            ),
        )),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documented_examples() {
        assert_eq!(parse_standard_mark("111001"), Some(vec![0, 3, 4, 5]));
        assert_eq!(parse_standard_mark("11111110"), Some(vec![1, 2, 3, 4, 5, 6, 7]));
        assert_eq!(parse_standard_mark("0"), Some(vec![]));
        assert_eq!(parse_standard_mark(""), Some(vec![]), "empty: no bits");
    }

    #[test]
    fn all_64_bits_survive() {
        let top = format!("1{}", "0".repeat(63));
        assert_eq!(parse_standard_mark(&top), Some(vec![63]));
        let all: Vec<u8> = (0..=63).collect();
        assert_eq!(format_standard_mark(&all), "1".repeat(64));
        assert_eq!(parse_standard_mark(&"1".repeat(64)), Some(all));
        assert_eq!(format_standard_mark(&[0, 3, 4, 5]), "111001");
    }

    #[test]
    fn garbage_is_refused() {
        for bad in ["12", "1 0", &"1".repeat(65), "0b11", "-1"] {
            assert_eq!(parse_standard_mark(bad), None, "{bad}");
        }
        assert!(validate_bits("set", &[0, 63]).is_ok());
        assert_eq!(
            validate_bits("items[0].set", &[1, 64]).unwrap_err(),
            Error::validation(
                "items[0].set[1]",
                "a standard mark is a bit number from 0 to 63, got 64"
            )
        );
    }
}
