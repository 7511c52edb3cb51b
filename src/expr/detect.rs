//! Telling an expression from plain text typed into the search box, so the
//! TUI can send `ada lovelace` as a name search and `status eq "ACTIVE"`
//! as an expression (and show the parser's error when it is a broken one).

use super::lexer::{Kind, Lexer};
use super::parser::is_attribute;

/// Top-level attributes of users and groups: a word like these before an
/// operator is a strong sign, even with the value still to be typed.
const TOP_LEVEL: [&str; 10] = [
    "id",
    "status",
    "type",
    "created",
    "activated",
    "statusChanged",
    "lastUpdated",
    "lastLogin",
    "passwordChanged",
    "lastMembershipUpdated",
];

const OPERATORS: [&str; 9] = ["eq", "ne", "sw", "co", "gt", "ge", "lt", "le", "pr"];
/// Not operators, but clearly meant as one after an attribute; the parser
/// then says what to write instead.
const SYMBOLS: [&str; 7] = ["=", "==", "!=", "<", ">", "<=", ">="];

#[derive(Clone, Copy)]
enum Piece<'a> {
    Word(&'a str),
    Value,
    Other,
}

/// True when `input` is meant as an expression: an attribute-like word
/// followed by an operator (`profile.department eq "Sales"`,
/// `status eq "ACTIVE"`, `profile.x pr`); false for plain text such as
/// `ada`, `ada lovelace` or `ada@example.com`.
///
/// A dotted path or a known top-level attribute before an operator is
/// enough (the rest may still be being typed); any other word needs an
/// operator and a value after it, so that a name like `Lee co` or
/// `John Le` stays plain text.
pub fn looks_like_expression(input: &str) -> bool {
    let pieces = pieces(input);
    pieces.iter().enumerate().any(|(i, piece)| {
        let (Piece::Word(attr), Some(Piece::Word(op))) = (piece, pieces.get(i + 1)) else {
            return false;
        };
        let is_operator = OPERATORS.iter().any(|o| o.eq_ignore_ascii_case(op));
        let strong =
            is_attribute(attr) && (attr.contains('.') || TOP_LEVEL.iter().any(|a| a.eq_ignore_ascii_case(attr)));
        if strong {
            return is_operator || SYMBOLS.contains(op);
        }
        let valued = match pieces.get(i + 2) {
            Some(Piece::Value) => true,
            Some(Piece::Word(w)) => ["true", "false", "null"].iter().any(|k| k.eq_ignore_ascii_case(w)),
            _ => false,
        };
        is_attribute(attr) && is_operator && valued
    })
}

/// The input's tokens, as far as they can be read; an unclosed string
/// counts as a value being typed.
fn pieces(input: &str) -> Vec<Piece<'_>> {
    let mut lexer = Lexer::new(input);
    let mut pieces = Vec::new();
    loop {
        match lexer.next_token().map(|t| t.kind) {
            Ok(Kind::End) => return pieces,
            Ok(Kind::Word(w)) => pieces.push(Piece::Word(w)),
            Ok(Kind::Str(_) | Kind::Number(..)) => pieces.push(Piece::Value),
            Ok(Kind::Open | Kind::Close) => pieces.push(Piece::Other),
            Err(_) => {
                pieces.push(Piece::Value);
                return pieces;
            }
        }
    }
}
