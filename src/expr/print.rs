//! Expressions back to Okta syntax. Printing adds parentheses only where
//! the parser's grouping needs them, so `parse(print(e)) == e` for every
//! expression the parser can produce (and for any tree whose attribute
//! names are valid paths).

use super::{Expr, Literal, Op};
use std::fmt::{self, Display, Formatter, Write};

/// A quoted string literal for `value`: `ada "the" countess` becomes
/// `"ada \"the\" countess"`. Control characters are escaped too, so the
/// result is always one line.
pub fn quote(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('"');
    for c in value.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => {
                // Writing to a String cannot fail.
                let _ = write!(out, "\\u{:04x}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

impl Display for Op {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Display for Literal {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self {
            Literal::String(s) => f.write_str(&quote(s)),
            Literal::Number(n) => f.write_str(&number(*n)),
            Literal::Bool(b) => write!(f, "{b}"),
            Literal::Null => f.write_str("null"),
        }
    }
}

/// The shorter of plain and exponent notation (`1e300`, not 301 digits),
/// both of which Rust writes so that they read back to the same `f64`.
fn number(n: f64) -> String {
    let plain = n.to_string();
    let exponent = format!("{n:e}");
    if exponent.len() < plain.len() { exponent } else { plain }
}

#[derive(Clone, Copy, PartialEq)]
enum Side {
    Left,
    Right,
}

fn needs_parentheses(parent: &Expr, child: &Expr, side: Side) -> bool {
    match (parent, child) {
        // `and` binds tighter, and both group to the left.
        (Expr::And(..), Expr::Or(..)) => true,
        (Expr::And(..), Expr::And(..)) | (Expr::Or(..), Expr::Or(..)) => side == Side::Right,
        _ => false,
    }
}

fn child(f: &mut Formatter<'_>, parent: &Expr, expr: &Expr, side: Side) -> fmt::Result {
    if needs_parentheses(parent, expr, side) { write!(f, "({expr})") } else { write!(f, "{expr}") }
}

impl Display for Expr {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self {
            Expr::And(left, right) | Expr::Or(left, right) => {
                let keyword = if matches!(self, Expr::And(..)) { "and" } else { "or" };
                child(f, self, left, Side::Left)?;
                write!(f, " {keyword} ")?;
                child(f, self, right, Side::Right)
            }
            Expr::Compare { attr, op, value } => write!(f, "{attr} {op} {value}"),
            Expr::Present { attr } => write!(f, "{attr} pr"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_and_escapes() {
        assert_eq!(quote(r#"say "hi" \ bye"#), r#""say \"hi\" \\ bye""#);
        assert_eq!(quote("a\nb\u{1}"), r#""a\nb\u0001""#);
        assert_eq!(quote("é"), "\"é\"");
    }

    #[test]
    fn numbers_print_short() {
        assert_eq!(number(42.0), "42");
        assert_eq!(number(-0.5), "-0.5");
        assert_eq!(number(1e300), "1e300");
        assert_eq!(number(1.5e-10), "1.5e-10");
    }

    #[test]
    fn parentheses_only_where_grouping_needs_them() {
        let [a, b, c] = ["a", "b", "c"].map(Expr::present);
        assert_eq!(a.clone().or(b.clone()).or(c.clone()).to_string(), "a pr or b pr or c pr");
        assert_eq!(a.clone().or(b.clone().or(c.clone())).to_string(), "a pr or (b pr or c pr)");
        assert_eq!(a.clone().or(b.clone()).and(c.clone()).to_string(), "(a pr or b pr) and c pr");
        assert_eq!(a.clone().and(b.clone().and(c.clone())).to_string(), "a pr and (b pr and c pr)");
        assert_eq!(a.clone().and(b.clone()).or(c.clone()).to_string(), "a pr and b pr or c pr");
        assert_eq!(a.or(b.and(c)).to_string(), "a pr or b pr and c pr");
    }
}
