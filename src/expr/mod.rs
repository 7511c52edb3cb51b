//! Okta's user query expression languages (`search=` and `filter=`): one
//! parser, used by the embedded org to evaluate and by the TUI to check
//! input before sending it.
//!
//! - [`parse`] / [`parse_for`]: text to [`Expr`], with every error placed
//!   at a character offset ([`ParseError`]).
//! - [`Matcher`] (or [`Expr::matches`] for a one-off): evaluate an
//!   expression against anything that implements [`Subject`].
//! - `Display` on [`Expr`] prints Okta syntax back; [`quote`] turns plain
//!   text into a quoted literal; [`looks_like_expression`] tells typed
//!   text from an expression.
//!
//! The modules: `lexer` (characters to tokens), `parser` (tokens to a
//! tree, nesting and size limits), `rules` (what each language allows),
//! `print` (back to text), `compare` and `eval` (Okta's matching
//! semantics), `json` (a [`Subject`] over JSON), `detect`.

mod compare;
mod detect;
mod eval;
mod json;
mod lexer;
mod parser;
mod print;
mod rules;
#[cfg(test)]
mod tests;

use std::fmt;

pub use detect::looks_like_expression;
pub use eval::{Matcher, Subject, Value};
pub use json::json_any;
pub use parser::{MAX_CONDITIONS, MAX_DEPTH, MAX_INPUT_CHARS};
pub use print::quote;

/// Which language: `search` (SCIM-like, any attribute, values
/// case-insensitive) or the limited `filter` (few attributes, `eq` only
/// except `lastUpdated`, values case-sensitive).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Search,
    Filter,
}

/// Which collection the expression queries: the attributes each language
/// allows differ between `/api/v1/users` and `/api/v1/groups`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Collection {
    #[default]
    Users,
    Groups,
    /// System Log events (`/api/v1/logs`): any attribute but `published`
    /// and every operator, in the search language.
    Logs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Eq,
    Sw,
    Co,
    Gt,
    Ge,
    Lt,
    Le,
}

impl Op {
    pub const ALL: [Op; 7] = [Op::Eq, Op::Sw, Op::Co, Op::Gt, Op::Ge, Op::Lt, Op::Le];

    /// The keyword as Okta writes it (lower case).
    pub fn as_str(self) -> &'static str {
        match self {
            Op::Eq => "eq",
            Op::Sw => "sw",
            Op::Co => "co",
            Op::Gt => "gt",
            Op::Ge => "ge",
            Op::Lt => "lt",
            Op::Le => "le",
        }
    }

    /// `gt`, `ge`, `lt`, `le`.
    pub fn is_ordering(self) -> bool {
        matches!(self, Op::Gt | Op::Ge | Op::Lt | Op::Le)
    }

    /// Operators are case-insensitive in both languages.
    fn from_keyword(word: &str) -> Option<Op> {
        Op::ALL.into_iter().find(|op| op.as_str().eq_ignore_ascii_case(word))
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Literal {
    String(String),
    Number(f64),
    Bool(bool),
    Null,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    And(Box<Expr>, Box<Expr>),
    Or(Box<Expr>, Box<Expr>),
    /// `attr op value`
    Compare {
        attr: String,
        op: Op,
        value: Literal,
    },
    /// `attr pr`
    Present {
        attr: String,
    },
}

impl Expr {
    /// `attr op "value"` with a string value, the common case.
    pub fn compare(attr: impl Into<String>, op: Op, value: impl Into<String>) -> Expr {
        Expr::Compare { attr: attr.into(), op, value: Literal::String(value.into()) }
    }

    /// `attr pr`
    pub fn present(attr: impl Into<String>) -> Expr {
        Expr::Present { attr: attr.into() }
    }

    /// `self and other`
    pub fn and(self, other: Expr) -> Expr {
        Expr::And(Box::new(self), Box::new(other))
    }

    /// `self or other`
    pub fn or(self, other: Expr) -> Expr {
        Expr::Or(Box::new(self), Box::new(other))
    }

    /// `a or b or c …`, grouped the way the parser groups it (so printing
    /// needs no parentheses); `None` for no terms.
    pub fn any_of(terms: impl IntoIterator<Item = Expr>) -> Option<Expr> {
        terms.into_iter().reduce(Expr::or)
    }

    /// `a and b and c …`, grouped the way the parser groups it; `None` for
    /// no terms.
    pub fn all_of(terms: impl IntoIterator<Item = Expr>) -> Option<Expr> {
        terms.into_iter().reduce(Expr::and)
    }

    /// Evaluates once. This compiles the expression on every call; to test
    /// many subjects, build a [`Matcher`] once and reuse it.
    pub fn matches<S: Subject + ?Sized>(&self, subject: &S, mode: Mode) -> bool {
        Matcher::new(self, mode).matches(subject)
    }
}

/// A syntax or validation error, with the character offset it was found at
/// (0-based, in chars) so a UI can point at it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    pub message: String,
    pub position: usize,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} at position {}", self.message, self.position)
    }
}

impl std::error::Error for ParseError {}

/// Parses a `search=` or `filter=` expression for `/api/v1/users`.
pub fn parse(input: &str, mode: Mode) -> Result<Expr, ParseError> {
    parse_for(input, mode, Collection::Users)
}

/// Parses an expression for the given collection (users or groups).
pub fn parse_for(input: &str, mode: Mode, collection: Collection) -> Result<Expr, ParseError> {
    parser::parse(input, rules::Rules { mode, collection })
}
