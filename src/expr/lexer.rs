//! Characters to tokens. Positions are char offsets (not bytes) because
//! that is what a text input shows its cursor in.
//!
//! Anything that is not whitespace, a parenthesis or a string is read as
//! one run ("word"), so that `status=ACTIVE` or `ada@example.com` reach the
//! parser whole and the error can quote them, instead of failing on an odd
//! character in the middle.

use super::ParseError;
use std::iter::Peekable;
use std::str::CharIndices;

#[derive(Debug, Clone, PartialEq)]
pub(super) enum Kind<'a> {
    /// A run that is not a number: an attribute, a keyword or stray text.
    Word(&'a str),
    Number(f64, &'a str),
    Str(String),
    Open,
    Close,
    End,
}

#[derive(Debug, Clone, PartialEq)]
pub(super) struct Token<'a> {
    pub kind: Kind<'a>,
    /// Char offset of the token's first character.
    pub pos: usize,
}

pub(super) struct Lexer<'a> {
    input: &'a str,
    chars: Peekable<CharIndices<'a>>,
    /// Chars consumed so far.
    pos: usize,
}

fn error(message: impl Into<String>, position: usize) -> ParseError {
    ParseError { message: message.into(), position }
}

fn ends_word(c: char) -> bool {
    c.is_whitespace() || matches!(c, '(' | ')' | '"')
}

impl<'a> Lexer<'a> {
    pub fn new(input: &'a str) -> Self {
        Self { input, chars: input.char_indices().peekable(), pos: 0 }
    }

    fn bump(&mut self) -> Option<(usize, char)> {
        let next = self.chars.next();
        if next.is_some() {
            self.pos += 1;
        }
        next
    }

    pub fn next_token(&mut self) -> Result<Token<'a>, ParseError> {
        while self.chars.peek().is_some_and(|&(_, c)| c.is_whitespace()) {
            self.bump();
        }
        let pos = self.pos;
        let Some((start, c)) = self.bump() else {
            return Ok(Token { kind: Kind::End, pos });
        };
        let kind = match c {
            '(' => Kind::Open,
            ')' => Kind::Close,
            '"' => Kind::Str(self.string(pos)?),
            _ => self.word(start, pos)?,
        };
        Ok(Token { kind, pos })
    }

    fn word(&mut self, start: usize, pos: usize) -> Result<Kind<'a>, ParseError> {
        let mut end = self.input.len();
        while let Some(&(i, c)) = self.chars.peek() {
            if ends_word(c) {
                end = i;
                break;
            }
            self.bump();
        }
        let text = self.input.get(start..end).unwrap_or_default();
        if !looks_numeric(text) {
            return Ok(Kind::Word(text));
        }
        match text.parse::<f64>() {
            Ok(n) if n.is_finite() => Ok(Kind::Number(n, text)),
            Ok(_) => Err(error(format!("the number {text} is too large"), pos)),
            Err(_) => Ok(Kind::Word(text)),
        }
    }

    /// After the opening quote at `open`; returns the unescaped text.
    fn string(&mut self, open: usize) -> Result<String, ParseError> {
        let mut text = String::new();
        loop {
            let at = self.pos;
            match self.bump() {
                None => return Err(error("unclosed string: add the closing \"", open)),
                Some((_, '"')) => return Ok(text),
                Some((_, '\\')) => text.push(self.escape(at)?),
                Some((_, c)) => text.push(c),
            }
        }
    }

    /// After a backslash at `at`: JSON's escapes, as SCIM values are JSON
    /// strings.
    fn escape(&mut self, at: usize) -> Result<char, ParseError> {
        let Some((_, c)) = self.bump() else {
            return Err(error("unclosed string: add the closing \"", at));
        };
        Ok(match c {
            '"' => '"',
            '\\' => '\\',
            '/' => '/',
            'b' => '\u{8}',
            'f' => '\u{c}',
            'n' => '\n',
            'r' => '\r',
            't' => '\t',
            'u' => return self.unicode_escape(at),
            other => {
                return Err(error(
                    format!("unknown escape '\\{other}' in a string: write \\\" for a quote and \\\\ for a backslash"),
                    at,
                ));
            }
        })
    }

    fn unicode_escape(&mut self, at: usize) -> Result<char, ParseError> {
        let bad = || error("invalid \\u escape: write four hex digits, like \\u00e9", at);
        let high = self.hex4().ok_or_else(bad)?;
        if !(0xD800..0xDC00).contains(&high) {
            return char::from_u32(high).ok_or_else(bad);
        }
        // A UTF-16 surrogate pair, as JSON writes characters beyond U+FFFF.
        let second = (self.bump().map(|(_, c)| c), self.bump().map(|(_, c)| c));
        if second != (Some('\\'), Some('u')) {
            return Err(bad());
        }
        let low = self.hex4().ok_or_else(bad)?;
        if !(0xDC00..0xE000).contains(&low) {
            return Err(bad());
        }
        char::from_u32(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)).ok_or_else(bad)
    }

    fn hex4(&mut self) -> Option<u32> {
        let mut value = 0;
        for _ in 0..4 {
            let (_, c) = self.bump()?;
            value = value * 16 + c.to_digit(16)?;
        }
        Some(value)
    }
}

/// `-12`, `3.5`, `1e3`: starts like a number and holds only number
/// characters. Whether it really is one is up to `f64::from_str`.
fn looks_numeric(text: &str) -> bool {
    let digits = text.strip_prefix('-').unwrap_or(text);
    digits.starts_with(|c: char| c.is_ascii_digit())
        && digits.chars().all(|c| c.is_ascii_digit() || matches!(c, '.' | 'e' | 'E' | '+' | '-'))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(input: &str) -> Vec<Kind<'_>> {
        let mut lexer = Lexer::new(input);
        let mut out = Vec::new();
        loop {
            let token = lexer.next_token().unwrap_or_else(|e| panic!("{input}: {e}"));
            if token.kind == Kind::End {
                return out;
            }
            out.push(token.kind);
        }
    }

    #[test]
    fn splits_words_strings_numbers_and_parentheses() {
        assert_eq!(
            kinds(r#"(profile.age gt -1.5e2)and x eq"a b""#),
            vec![
                Kind::Open,
                Kind::Word("profile.age"),
                Kind::Word("gt"),
                Kind::Number(-150.0, "-1.5e2"),
                Kind::Close,
                Kind::Word("and"),
                Kind::Word("x"),
                Kind::Word("eq"),
                Kind::Str("a b".into()),
            ]
        );
    }

    #[test]
    fn odd_runs_stay_whole() {
        assert_eq!(
            kinds("status=ACTIVE 1.2.3 -x"),
            vec![Kind::Word("status=ACTIVE"), Kind::Word("1.2.3"), Kind::Word("-x")]
        );
    }

    #[test]
    fn unescapes_json_escapes_and_surrogate_pairs() {
        assert_eq!(kinds(r#""a\"b\\c\/\n\t\u00e9\ud83d\ude00""#), vec![Kind::Str("a\"b\\c/\n\té😀".into())]);
    }

    #[test]
    fn positions_count_chars_not_bytes() {
        let mut lexer = Lexer::new("\"é\" eq");
        assert_eq!(lexer.next_token().map(|t| t.pos), Ok(0));
        assert_eq!(lexer.next_token().map(|t| t.pos), Ok(4));
        assert_eq!(lexer.next_token().map(|t| t.pos), Ok(6));
    }
}
