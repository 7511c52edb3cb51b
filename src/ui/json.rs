//! Pretty JSON with syntax colors, one `Line` per output line.

use super::theme::Theme;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use serde_json::Value;

pub fn lines(value: &Value, theme: &Theme) -> Vec<Line<'static>> {
    let text = serde_json::to_string_pretty(value).unwrap_or_default();
    // serde escapes control characters in strings, but not bidi overrides.
    text.lines().map(|l| highlight(&super::text::clean(l), theme)).collect()
}

/// Colors one line of pretty-printed JSON: keys, strings, numbers and
/// literals. Pretty output puts at most one key and one value on a line.
fn highlight(line: &str, theme: &Theme) -> Line<'static> {
    let mut spans = Vec::new();
    let mut rest = line;
    let indent = rest.len() - rest.trim_start().len();
    spans.push(Span::raw(rest[..indent].to_owned()));
    rest = &rest[indent..];
    if rest.starts_with('"')
        && let Some(end) = string_end(rest)
        && rest[end..].starts_with(": ")
    {
        spans.push(Span::styled(rest[..end].to_owned(), theme.json_key()));
        spans.push(Span::raw(": "));
        rest = &rest[end + 2..];
    }
    let (value, tail) = match rest.strip_suffix(',') {
        Some(v) => (v, ","),
        None => (rest, ""),
    };
    let style = if value.starts_with('"') {
        theme.json_string()
    } else if value.starts_with(|c: char| c == '-' || c.is_ascii_digit()) {
        theme.json_number()
    } else if matches!(value, "true" | "false" | "null") {
        theme.json_literal()
    } else {
        Style::new()
    };
    spans.push(Span::styled(value.to_owned(), style));
    spans.push(Span::raw(tail));
    Line::from(spans)
}

/// Byte index just past the closing quote of the string starting at 0.
fn string_end(s: &str) -> Option<usize> {
    let mut escaped = false;
    for (i, c) in s.char_indices().skip(1) {
        match c {
            '\\' if !escaped => escaped = true,
            '"' if !escaped => return Some(i + 1),
            _ => escaped = false,
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn keys_and_values_are_split_even_with_escapes() {
        let theme = Theme::default();
        let lines = lines(&json!({"a\"b": "x: \"y\"", "n": 1.5, "z": null}), &theme);
        let texts: Vec<String> = lines.iter().map(|l| l.spans.iter().map(|s| s.content.as_ref()).collect()).collect();
        assert_eq!(texts, vec!["{", r#"  "a\"b": "x: \"y\"","#, r#"  "n": 1.5,"#, r#"  "z": null"#, "}"]);
        assert_eq!(lines[1].spans[1].style, theme.json_key());
        assert_eq!(lines[1].spans[3].style, theme.json_string());
        assert_eq!(lines[3].spans[3].style, theme.json_literal());
    }
}
