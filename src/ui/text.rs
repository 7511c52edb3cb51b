//! Text from the org is shown as data, never as terminal instructions:
//! control characters and bidirectional overrides are replaced, so a
//! profile value can't move the cursor, ring the bell or flip the line.

use std::borrow::Cow;

fn is_unsafe(c: char) -> bool {
    c.is_control()
        // Bidi embeddings, overrides and isolates reorder what follows them.
        || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}')
}

/// `s` with every unsafe character replaced by `�`.
pub fn clean(s: &str) -> Cow<'_, str> {
    if s.chars().any(is_unsafe) {
        Cow::Owned(s.chars().map(|c| if is_unsafe(c) { '\u{FFFD}' } else { c }).collect())
    } else {
        Cow::Borrowed(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_and_overrides_are_replaced_plain_text_is_borrowed() {
        assert!(matches!(clean("Zoë Ñandú 漢字"), Cow::Borrowed(_)));
        assert_eq!(clean("a\u{1b}[31mb\u{7}"), "a\u{FFFD}[31mb\u{FFFD}");
        assert_eq!(clean("x\u{202e}y"), "x\u{FFFD}y");
    }
}
