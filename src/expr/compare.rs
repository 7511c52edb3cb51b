//! Text and time comparisons as Okta's search does them, without
//! allocating on the hot path: the org runs these over every user.
//!
//! Case-insensitive comparisons fold both sides to lower case char by
//! char. The needle (the expression's value) is folded once, up front, by
//! [`fold`]; the subject's text is folded on the fly, with an ASCII fast
//! path because most stored values are ASCII.

use std::cmp::Ordering;

/// Lower case, char by char (the same folding the comparisons apply to
/// the subject's side, so the two always agree).
pub(super) fn fold(text: &str) -> String {
    text.chars().flat_map(char::to_lowercase).collect()
}

fn folded(text: &str) -> impl Iterator<Item = char> + '_ {
    text.chars().flat_map(char::to_lowercase)
}

/// `value` against a needle that is already folded when `ignore_case`.
pub(super) fn cmp_text(value: &str, needle: &str, ignore_case: bool) -> Ordering {
    if !ignore_case {
        // UTF-8 byte order is code point order.
        value.cmp(needle)
    } else if value.is_ascii() {
        value.bytes().map(|b| b.to_ascii_lowercase()).cmp(needle.bytes())
    } else {
        folded(value).cmp(needle.chars())
    }
}

pub(super) fn eq_text(value: &str, needle: &str, ignore_case: bool) -> bool {
    if !ignore_case {
        value == needle
    } else if value.is_ascii() {
        // The needle is folded, so an ASCII value can only equal it byte for byte, ignoring case.
        value.eq_ignore_ascii_case(needle)
    } else {
        folded(value).eq(needle.chars())
    }
}

pub(super) fn starts_with(value: &str, prefix: &str, ignore_case: bool) -> bool {
    if !ignore_case {
        value.starts_with(prefix)
    } else if value.is_ascii() {
        value.as_bytes().get(..prefix.len()).is_some_and(|head| head.eq_ignore_ascii_case(prefix.as_bytes()))
    } else {
        let mut chars = folded(value);
        prefix.chars().all(|p| chars.next() == Some(p))
    }
}

pub(super) fn contains(value: &str, needle: &str, ignore_case: bool) -> bool {
    if !ignore_case {
        value.contains(needle)
    } else if needle.is_empty() {
        true
    } else if value.is_ascii() {
        value.as_bytes().windows(needle.len()).any(|window| window.eq_ignore_ascii_case(needle.as_bytes()))
    } else {
        fold(value).contains(needle)
    }
}

/// Milliseconds since the epoch for an ISO-8601 timestamp with an offset
/// (`2024-01-01T00:00:00.000Z`, as Okta writes them); `None` otherwise.
pub(super) fn parse_timestamp(text: &str) -> Option<i64> {
    // Cheap rejection first: the org tries this on stored text values.
    let bytes = text.as_bytes();
    let shaped = bytes.len() >= 20 && bytes.iter().take(4).all(u8::is_ascii_digit) && bytes.get(4) == Some(&b'-');
    if !shaped {
        return None;
    }
    text.parse::<jiff::Timestamp>().ok().map(|t| t.as_millisecond())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ignoring_case_folds_the_value_side() {
        assert!(eq_text("Ada.Lovelace", "ada.lovelace", true));
        assert!(eq_text("ÉCOLE", "école", true));
        assert!(!eq_text("Ada", "ada", false));
        assert!(starts_with("Ada", "ad", true));
        assert!(starts_with("Ævar", "æv", true));
        assert!(!starts_with("A", "ad", true));
        assert!(contains("Lovelace", "vel", true));
        assert!(contains("BJÖRK", "jö", true));
        assert!(contains("x", "", true));
        assert_eq!(cmp_text("STAGED", "staged", true), Ordering::Equal);
        assert_eq!(cmp_text("ACTIVE", "staged", true), Ordering::Less);
        assert_eq!(cmp_text("Zoë", "zoe", true), Ordering::Greater);
    }

    #[test]
    fn timestamps_parse_with_any_offset() {
        assert_eq!(parse_timestamp("1970-01-01T00:00:01.000Z"), Some(1000));
        assert_eq!(parse_timestamp("1970-01-01T01:00:01+01:00"), Some(1000));
        assert_eq!(parse_timestamp("ACTIVE"), None);
        assert_eq!(parse_timestamp("2024-01-01"), None);
        assert_eq!(parse_timestamp("2024-13-01T00:00:00.000Z"), None);
    }
}
