//! What every paged command (`get_list`, `get_contact_group`) shares: the
//! opaque cursor codec, the rule that turns an answer's `CompleteFlag` and
//! next position into the next page's cursor (with the guard against a
//! position that does not advance), and the [`Paged`] trait the one pager
//! ([`crate::client::Pages`]) drives.

use super::{decode_error, Endpoint};
use crate::error::Result;
use crate::model::cursor_number;

/// A paged command: its parameters can start at a cursor, and its page says
/// where the next one starts.
pub trait Paged: Endpoint + Sized {
    /// What the pager counts against the client's `maxItems`, for its message.
    const ITEMS: &'static str;
    /// The page's `nextCursor`; `None` on the last page.
    fn next_cursor(page: &Self::Output) -> Option<&str>;
    /// How many items the page holds.
    fn items(page: &Self::Output) -> usize;
    /// These parameters for the page at `cursor`.
    fn at(&self, cursor: &str) -> Self;
}

/// The opaque form of a position: `prefix` and the numbers, dot-separated
/// (`l1.0.0.0.0`, `g1.100`).
pub fn encode_cursor(prefix: &str, numbers: &[u64]) -> String {
    let mut s = String::from(prefix);
    for (i, n) in numbers.iter().enumerate() {
        if i > 0 {
            s.push('.');
        }
        crate::json_out::push_u64(&mut s, *n);
    }
    s
}

/// Reads [`encode_cursor`]'s form back: exactly `N` canonical numbers after
/// `prefix`, or `None` (a forged or edited cursor is refused, not sent).
pub fn decode_cursor<const N: usize>(prefix: &str, text: &str) -> Option<[u64; N]> {
    let mut out = [0; N];
    let mut parts = text.strip_prefix(prefix)?.split('.');
    for slot in &mut out {
        *slot = cursor_number(parts.next()?)?;
    }
    parts.next().is_none().then_some(out)
}

/// The next page's position from an answer: `None` after the last page
/// (`CompleteFlag` 1, or no flag and no position that `advances`); with
/// `CompleteFlag` 0, a position that does not advance is a decode error,
/// since following it would never end.
pub fn next_page<T>(
    command: &str,
    complete: Option<i64>,
    next: Option<T>,
    advances: impl FnOnce(&T) -> bool,
    stuck: impl FnOnce() -> String,
) -> Result<Option<T>> {
    match (complete, next.filter(advances)) {
        (Some(1), _) => Ok(None),
        (None, next) => Ok(next),
        (Some(_), Some(next)) => Ok(Some(next)),
        (Some(_), None) => Err(decode_error(command, stuck())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_refuse_anything_else() {
        assert_eq!(
            encode_cursor("l1.", &[1, 0, 9_007_199_254_740_991, 5]),
            "l1.1.0.9007199254740991.5"
        );
        assert_eq!(
            decode_cursor::<4>("l1.", "l1.1.0.9007199254740991.5"),
            Some([1, 0, 9_007_199_254_740_991, 5])
        );
        assert_eq!(decode_cursor::<1>("g1.", &encode_cursor("g1.", &[100])), Some([100]));
        for bad in [
            "",
            "l1.",
            "l1.1.2.3",
            "l1.1.2.3.4.5",
            "g1.1.2.3.4",
            "l1.01.2.3.4",
            "l1.1.2.3.x",
            "l1.1.2.3.9007199254740992",
            "l1.-1.2.3.4",
            "l1.1..3.4",
        ] {
            assert_eq!(decode_cursor::<4>("l1.", bad), None, "{bad}");
        }
    }

    #[test]
    fn the_next_page_follows_complete_flag_and_refuses_a_stuck_position() {
        let f = |complete, next: Option<u64>| next_page("c", complete, next, |n| *n > 5, || "stuck".into());
        assert_eq!(f(Some(1), Some(9)).unwrap(), None);
        assert_eq!(f(None, Some(9)).unwrap(), Some(9));
        assert_eq!(f(None, Some(5)).unwrap(), None);
        assert_eq!(f(None, None).unwrap(), None);
        assert_eq!(f(Some(0), Some(9)).unwrap(), Some(9));
        assert!(f(Some(0), Some(5)).unwrap_err().to_string().contains("stuck"));
        assert!(f(Some(0), None).unwrap_err().to_string().contains("stuck"));
    }
}
