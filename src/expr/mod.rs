//! Okta's user query expression languages (`search=` and `filter=`): one
//! parser, used by the embedded org to evaluate and by the TUI to check
//! input before sending it.
//!
//! STUB: the types and signatures are the contract; the implementation
//! lands with the expression-language work.

use std::fmt;

/// Which language: `search` (SCIM-like, any attribute, values
/// case-insensitive) or the limited `filter` (few attributes, `eq` only
/// except `lastUpdated`, values case-sensitive).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Search,
    Filter,
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
    Compare { attr: String, op: Op, value: Literal },
    /// `attr pr`
    Present { attr: String },
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

pub fn parse(input: &str, mode: Mode) -> Result<Expr, ParseError> {
    let _ = (input, mode);
    Err(ParseError { message: "expression parsing is not implemented yet".into(), position: 0 })
}
