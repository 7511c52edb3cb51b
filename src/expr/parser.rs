//! Tokens to a tree, by recursive descent:
//!
//! ```text
//! or    := and ("or" and)*
//! and   := term ("and" term)*
//! term  := "(" or ")" | attr "pr" | attr op value
//! ```
//!
//! `and` binds tighter than `or` and both group to the left, as in SCIM
//! (RFC 7644 §3.4.2.2). Hostile input is bounded three ways: its length,
//! the nesting of parentheses (the only recursion), and the number of
//! conditions (Okta also rejects "overly complex or long" queries).

use super::lexer::{Kind, Lexer, Token};
use super::rules::Rules;
use super::{Expr, Literal, Op, ParseError};

/// Longest accepted input, in chars.
pub const MAX_INPUT_CHARS: usize = 4000;
/// Deepest accepted nesting of parentheses.
pub const MAX_DEPTH: usize = 32;
/// Most conditions (`attr op value`, `attr pr`) in one expression.
pub const MAX_CONDITIONS: usize = 100;

const OPERATORS: &str = "eq, sw, co, gt, ge, lt, le or pr";

pub(super) fn parse(input: &str, rules: Rules) -> Result<Expr, ParseError> {
    let length = input.chars().count();
    if length > MAX_INPUT_CHARS {
        return Err(error(
            format!("the expression is too long ({length} characters; at most {MAX_INPUT_CHARS})"),
            MAX_INPUT_CHARS,
        ));
    }
    let mut parser = Parser { lexer: Lexer::new(input), rules, next: None, depth: 0, conditions: 0 };
    if parser.peek()?.kind == Kind::End {
        return Err(error("the expression is empty: write a condition like status eq \"ACTIVE\"", 0));
    }
    let expr = parser.or()?;
    let token = parser.take()?;
    match token.kind {
        Kind::End => Ok(expr),
        Kind::Close => Err(error("unbalanced parenthesis: this ')' has no matching '('", token.pos)),
        _ => Err(expected_connective(&token, "")),
    }
}

fn error(message: impl Into<String>, position: usize) -> ParseError {
    ParseError { message: message.into(), position }
}

fn is_keyword(word: &str, keyword: &str) -> bool {
    word.eq_ignore_ascii_case(keyword)
}

/// How a token reads in a message.
fn describe(token: &Token<'_>) -> String {
    match &token.kind {
        Kind::Word(w) | Kind::Number(_, w) => format!("'{w}'"),
        Kind::Str(s) if s.chars().count() > 40 => {
            format!("the value {}", super::quote(&format!("{}…", s.chars().take(39).collect::<String>())))
        }
        Kind::Str(s) => format!("the value {}", super::quote(s)),
        Kind::Open => "'('".into(),
        Kind::Close => "')'".into(),
        Kind::End => "the end".into(),
    }
}

fn expected_connective(token: &Token<'_>, or_close: &str) -> ParseError {
    let hint = match &token.kind {
        Kind::Word(w) if *w == "&&" || *w == "&" => "; write 'and' instead",
        Kind::Word(w) if *w == "||" || *w == "|" => "; write 'or' instead",
        _ => "",
    };
    error(format!("expected 'and', 'or'{or_close} before {}{hint}", describe(token)), token.pos)
}

/// Attribute paths: dot-separated names, each a letter, `_` or `$`
/// followed by letters, digits, `_`, `$` or `-`.
pub(super) fn is_attribute(word: &str) -> bool {
    word.split('.').all(|part| {
        let mut chars = part.chars();
        chars.next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_' || c == '$')
            && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '$' | '-'))
    })
}

struct Parser<'a> {
    lexer: Lexer<'a>,
    rules: Rules,
    next: Option<Token<'a>>,
    depth: usize,
    conditions: usize,
}

impl<'a> Parser<'a> {
    fn peek(&mut self) -> Result<&Token<'a>, ParseError> {
        let token = match self.next.take() {
            Some(token) => token,
            None => self.lexer.next_token()?,
        };
        Ok(self.next.insert(token))
    }

    fn take(&mut self) -> Result<Token<'a>, ParseError> {
        match self.next.take() {
            Some(token) => Ok(token),
            None => self.lexer.next_token(),
        }
    }

    /// Consumes the next token if it is the word `keyword` (any case).
    fn eat_keyword(&mut self, keyword: &str) -> Result<bool, ParseError> {
        let found = matches!(self.peek()?.kind, Kind::Word(w) if is_keyword(w, keyword));
        if found {
            self.take()?;
        }
        Ok(found)
    }

    fn or(&mut self) -> Result<Expr, ParseError> {
        let mut left = self.and()?;
        while self.eat_keyword("or")? {
            left = Expr::Or(Box::new(left), Box::new(self.and_after("or")?));
        }
        Ok(left)
    }

    fn and(&mut self) -> Result<Expr, ParseError> {
        let mut left = self.term()?;
        while self.eat_keyword("and")? {
            left = Expr::And(Box::new(left), Box::new(self.term_after("and")?));
        }
        Ok(left)
    }

    /// The right side of `or`: names the keyword when it is missing.
    fn and_after(&mut self, keyword: &str) -> Result<Expr, ParseError> {
        self.require_more(keyword)?;
        self.and()
    }

    fn term_after(&mut self, keyword: &str) -> Result<Expr, ParseError> {
        self.require_more(keyword)?;
        self.term()
    }

    fn require_more(&mut self, keyword: &str) -> Result<(), ParseError> {
        let token = self.peek()?;
        if matches!(token.kind, Kind::End | Kind::Close) {
            return Err(error(format!("expected a condition after '{keyword}'"), token.pos));
        }
        Ok(())
    }

    fn term(&mut self) -> Result<Expr, ParseError> {
        let token = self.take()?;
        match token.kind {
            Kind::Open => self.group(token.pos),
            Kind::Word(word) => self.condition(word, token.pos),
            Kind::End => Err(error("expected a condition, like status eq \"ACTIVE\"", token.pos)),
            Kind::Close => Err(error("expected a condition before ')'", token.pos)),
            Kind::Str(_) | Kind::Number(..) => Err(error(
                format!("expected an attribute name before {}, like profile.lastName eq \"Smith\"", describe(&token)),
                token.pos,
            )),
        }
    }

    /// After `(` at `open`.
    fn group(&mut self, open: usize) -> Result<Expr, ParseError> {
        if self.depth >= MAX_DEPTH {
            return Err(error(format!("too many nested parentheses (at most {MAX_DEPTH})"), open));
        }
        if self.peek()?.kind == Kind::Close {
            return Err(error("empty parentheses: write a condition inside them", open));
        }
        self.depth += 1;
        let inner = self.or()?;
        self.depth -= 1;
        let token = self.take()?;
        match token.kind {
            Kind::Close => Ok(inner),
            Kind::End => Err(error("unbalanced parenthesis: this '(' is never closed", open)),
            _ => Err(expected_connective(&token, " or ')'")),
        }
    }

    /// After the attribute `attr` at `pos`.
    fn condition(&mut self, attr: &'a str, pos: usize) -> Result<Expr, ParseError> {
        if is_keyword(attr, "not") {
            return Err(error(
                "not is not supported: write the opposite condition instead, \
                 e.g. (status lt \"STAGED\" or status gt \"STAGED\") for all but STAGED",
                pos,
            ));
        }
        if is_keyword(attr, "and") || is_keyword(attr, "or") {
            return Err(error(format!("expected a condition before '{attr}'"), pos));
        }
        if !is_attribute(attr) {
            return Err(error(
                format!("'{attr}' is not an attribute name; write conditions like profile.lastName eq \"Smith\""),
                pos,
            ));
        }
        self.conditions += 1;
        if self.conditions > MAX_CONDITIONS {
            return Err(error(format!("too many conditions (at most {MAX_CONDITIONS})"), pos));
        }
        self.rules.check_attribute(attr, pos)?;
        let token = self.take()?;
        let op = match token.kind {
            Kind::Word(word) if is_keyword(word, "pr") => {
                self.rules.check_present(attr, token.pos)?;
                return Ok(Expr::Present { attr: attr.to_owned() });
            }
            Kind::Word(word) => operator(word, attr, token.pos, &mut self.lexer)?,
            _ => {
                return Err(error(
                    format!("expected an operator ({OPERATORS}) after '{attr}', found {}", describe(&token)),
                    token.pos,
                ));
            }
        };
        self.rules.check_operator(attr, op, token.pos)?;
        let (value, value_pos) = self.value(op)?;
        self.rules.check_value(attr, op, &value, value_pos)?;
        Ok(Expr::Compare { attr: attr.to_owned(), op, value })
    }

    /// The literal after `op`, and where it starts.
    fn value(&mut self, op: Op) -> Result<(Literal, usize), ParseError> {
        let token = self.take()?;
        let literal = match token.kind {
            Kind::Str(text) => Literal::String(text),
            Kind::Number(n, _) => Literal::Number(n),
            Kind::Word(w) if is_keyword(w, "true") => Literal::Bool(true),
            Kind::Word(w) if is_keyword(w, "false") => Literal::Bool(false),
            Kind::Word(w) if is_keyword(w, "null") => Literal::Null,
            Kind::Word(w) => {
                let hint = if w.starts_with('\'') { "values use double quotes" } else { "quote it" };
                let fixed = super::quote(w.trim_matches('\''));
                return Err(error(
                    format!("expected a quoted value after '{}', found '{w}': {hint}, {fixed}", op.as_str()),
                    token.pos,
                ));
            }
            _ => {
                return Err(error(
                    format!("expected a quoted value after '{}', found {}", op.as_str(), describe(&token)),
                    token.pos,
                ));
            }
        };
        Ok((literal, token.pos))
    }
}

/// Reads an operator word, naming the usual mistakes.
fn operator(word: &str, attr: &str, pos: usize, lexer: &mut Lexer<'_>) -> Result<Op, ParseError> {
    if let Some(op) = Op::from_keyword(word) {
        return Ok(op);
    }
    if is_keyword(word, "ne") || word == "!=" || word == "<>" {
        // Show the workaround with the user's own value when it can be read.
        let value = match lexer.next_token().map(|t| t.kind) {
            Ok(Kind::Str(text)) => super::quote(&text),
            Ok(Kind::Number(_, text)) => text.to_owned(),
            _ => "\"v\"".to_owned(),
        };
        return Err(error(format!("{word} is not supported; use ({attr} lt {value} or {attr} gt {value})"), pos));
    }
    let hint = match word {
        "=" | "==" => "; write eq",
        "<" => "; write lt",
        "<=" => "; write le",
        ">" => "; write gt",
        ">=" => "; write ge",
        _ if is_keyword(word, "not") => "; not is not supported",
        _ => "",
    };
    Err(error(format!("unknown operator '{word}': use {OPERATORS}{hint}"), pos))
}
