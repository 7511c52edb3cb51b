//! Fitting text to a width ourselves rather than leaving it to the widget:
//! the height after wrapping is then known (the detail pane's scroll limit
//! depends on it), continuation lines can start under a value column, and
//! text that has to be cut says so with "…".

use ratatui::style::Style;
use ratatui::text::{Line, Span};
use std::borrow::Cow;
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

pub const ELLIPSIS: char = '…';

/// `line` broken into lines at most `width` columns wide, at a space where
/// there is one. Continuation lines start `indent` columns in, and no break
/// falls before column `indent` (so a label's padding is never a break).
pub fn wrap(line: Line<'static>, width: usize, indent: usize) -> Vec<Line<'static>> {
    if width == 0 || line.width() <= width {
        return vec![line];
    }
    // A pane too narrow for the indent still shows the text, from column 0.
    let indent = if indent * 2 <= width { indent } else { 0 };
    let base = line.style;
    let cells: Vec<(char, Style)> =
        line.spans.iter().flat_map(|s| s.content.chars().map(move |c| (c, s.style))).collect();

    let mut rows: Vec<Vec<(char, Style)>> = Vec::new();
    let mut row: Vec<(char, Style)> = Vec::new();
    let mut row_width = 0;
    for cell in cells {
        let w = cell.0.width().unwrap_or(0);
        if row_width + w > width && row.len() > indent {
            let carry = match row.iter().rposition(|(c, _)| *c == ' ').filter(|&i| i >= indent.max(1)) {
                Some(space) => {
                    let rest = row.split_off(space + 1);
                    row.pop();
                    rest
                }
                None => Vec::new(),
            };
            rows.push(std::mem::take(&mut row));
            row.extend(std::iter::repeat_n((' ', Style::new()), indent));
            row.extend(carry);
            row_width = row.iter().map(|(c, _)| c.width().unwrap_or(0)).sum();
        }
        row.push(cell);
        row_width += w;
    }
    rows.push(row);
    rows.into_iter().map(|r| Line::from(spans(r)).style(base)).collect()
}

/// Every line wrapped as `wrap` does, continuation lines under `indent`.
pub fn wrap_all(lines: Vec<Line<'static>>, width: usize, indent: usize) -> Vec<Line<'static>> {
    lines.into_iter().flat_map(|l| wrap(l, width, indent)).collect()
}

/// `line` wrapped into at most `max` lines, the last ending with "…" when
/// more would have followed.
pub fn wrap_at_most(line: Line<'static>, width: usize, indent: usize, max: usize) -> Vec<Line<'static>> {
    let mut lines = wrap(line, width, indent);
    if lines.len() > max {
        lines.truncate(max);
        if let Some(mut last) = lines.pop() {
            let style = last.spans.last().map_or(last.style, |s| s.style);
            if last.width() < width {
                last.spans.push(Span::styled(ELLIPSIS.to_string(), style));
            } else {
                // Full: one more cell makes it too wide, so its end is cut.
                last.spans.push(Span::raw(" "));
                last = ellipsize_line(last, width);
            }
            lines.push(last);
        }
    }
    lines
}

/// Runs of one style back into spans.
fn spans(cells: Vec<(char, Style)>) -> Vec<Span<'static>> {
    let mut out: Vec<Span<'static>> = Vec::new();
    let mut text = String::new();
    let mut style = None;
    for (c, s) in cells {
        if style.is_some_and(|prev| prev != s) {
            out.push(Span::styled(std::mem::take(&mut text), style.unwrap_or_default()));
        }
        style = Some(s);
        text.push(c);
    }
    if !text.is_empty() {
        out.push(Span::styled(text, style.unwrap_or_default()));
    }
    out
}

/// `text` cut to `width` columns, ending with "…" when anything was cut.
pub fn ellipsize(text: &str, width: usize) -> Cow<'_, str> {
    if text.width() <= width {
        return Cow::Borrowed(text);
    }
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = c.width().unwrap_or(0);
        if used + w + 1 > width {
            break;
        }
        used += w;
        out.push(c);
    }
    if width > 0 {
        out.push(ELLIPSIS);
    }
    Cow::Owned(out)
}

/// `line` cut to `width` columns, its last cell "…" when anything was cut.
pub fn ellipsize_line(line: Line<'static>, width: usize) -> Line<'static> {
    if line.width() <= width {
        return line;
    }
    let base = line.style;
    let mut cells: Vec<(char, Style)> = Vec::new();
    let mut used = 0;
    for (c, style) in line.spans.iter().flat_map(|s| s.content.chars().map(move |c| (c, s.style))) {
        let w = c.width().unwrap_or(0);
        if used + w + 1 > width {
            if width > 0 {
                cells.push((ELLIPSIS, style));
            }
            break;
        }
        used += w;
        cells.push((c, style));
    }
    Line::from(spans(cells)).style(base)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(lines: &[Line]) -> Vec<String> {
        lines.iter().map(|l| l.spans.iter().map(|s| s.content.as_ref()).collect()).collect()
    }

    #[test]
    fn wraps_at_spaces_after_the_indent_and_continues_under_it() {
        let line = Line::from(vec![Span::raw("  label  "), Span::raw("one two three four")]);
        let lines = wrap(line, 20, 9);
        assert_eq!(texts(&lines), vec!["  label  one two", "         three four"]);
    }

    #[test]
    fn a_word_longer_than_the_width_is_cut_hard() {
        let lines = wrap(Line::raw("href https://example.com/a/very/long/path"), 16, 5);
        assert_eq!(texts(&lines)[0], "href https://exa", "the value starts beside its label");
        for l in &texts(&lines)[1..] {
            assert!(l.starts_with("     ") && !l.starts_with("      "), "{l:?} continues under the indent");
        }
        assert!(lines.iter().all(|l| l.width() <= 16), "{:?}", texts(&lines));
        let joined: String = texts(&lines).iter().map(|l| l.trim()).collect();
        assert_eq!(joined, "href https://example.com/a/very/long/path");
    }

    #[test]
    fn ellipsize_marks_every_cut() {
        assert_eq!(ellipsize("short", 10), "short");
        assert_eq!(ellipsize("a longer text", 8), "a longe…");
        assert_eq!(ellipsize("漢字漢字", 5), "漢字…");
        let line = ellipsize_line(Line::from(vec![Span::raw("abc"), Span::raw("def")]), 3);
        assert_eq!(texts(&[line]), vec!["ab…"]);
        let lines = wrap_at_most(Line::raw("one two three four five"), 9, 0, 2);
        assert_eq!(texts(&lines), vec!["one two", "three…"]);
    }
}
