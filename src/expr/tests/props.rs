//! Properties: parsing never panics and always answers within the input;
//! printing and parsing round-trip; comparisons are consistent.

use crate::expr::{Collection, Expr, Literal, MAX_INPUT_CHARS, Matcher, Mode, Op, parse, parse_for, quote};
use proptest::prelude::*;
use serde_json::json;

/// Pieces of the language and of common mistakes, so random sequences
/// reach deep into the parser instead of failing at the first character.
const TOKENS: &[&str] = &[
    "(",
    ")",
    "and",
    "or",
    "AND",
    "Or",
    "not",
    "eq",
    "sw",
    "co",
    "gt",
    "ge",
    "lt",
    "le",
    "pr",
    "ne",
    "EQ",
    "status",
    "id",
    "profile.login",
    "profile.department",
    "lastUpdated",
    "created",
    "type.id",
    "\"x\"",
    "\"ACTIVE\"",
    "\"a\\\"b\"",
    "\"2024-01-01T00:00:00.000Z\"",
    "\"\\u00e9\"",
    "\"\\ud800\"",
    "\"",
    "\\",
    "5",
    "-1.5e3",
    "1e999",
    "true",
    "null",
    "=",
    "é",
    "profile.",
    "'x'",
    "&&",
];

fn token_soup() -> impl Strategy<Value = String> {
    let piece = (prop::sample::select(TOKENS), prop::sample::select(&[" ", " ", "", "\t"][..]));
    prop::collection::vec(piece, 0..40)
        .prop_map(|pieces| pieces.into_iter().map(|(t, sep)| format!("{t}{sep}")).collect())
}

fn any_input() -> impl Strategy<Value = String> {
    prop_oneof![token_soup(), any::<String>(), "[ ()\"\\\\a-z.0-9é]{0,60}"]
}

fn text() -> impl Strategy<Value = String> {
    "[a-zA-Z0-9 \"\\\\éÉßİ😀\n\u{1}().]{0,8}"
}

fn timestamp() -> impl Strategy<Value = String> {
    (0i64..4_102_444_800_000).prop_map(|ms| {
        jiff::Timestamp::from_millisecond(ms)
            .map(|t| t.strftime("%Y-%m-%dT%H:%M:%S.%3fZ").to_string())
            .unwrap_or_default()
    })
}

fn number() -> impl Strategy<Value = f64> {
    prop_oneof![any::<f64>().prop_filter("finite", |n| n.is_finite()), (-1000i32..1000).prop_map(f64::from)]
}

const CUSTOM: &str = "profile\\.x_[a-zA-Z0-9_$]{0,6}";
const TEXT_ATTRIBUTES: &[&str] =
    &["status", "id", "type.id", "profile.login", "profile.lastName", "profile.department"];
const CONTAINS: &[&str] = &["profile.login", "profile.email", "profile.firstName", "profile.lastName"];
const TIMESTAMPS: &[&str] = &["created", "lastUpdated", "activated", "statusChanged"];
const NOT_CO: &[Op] = &[Op::Eq, Op::Sw, Op::Gt, Op::Ge, Op::Lt, Op::Le];
const ORDERINGS: &[Op] = &[Op::Eq, Op::Gt, Op::Ge, Op::Lt, Op::Le];

fn search_condition() -> impl Strategy<Value = Expr> {
    let attr = prop_oneof![prop::sample::select(TEXT_ATTRIBUTES).prop_map(String::from), CUSTOM];
    prop_oneof![
        (attr.clone(), prop::sample::select(NOT_CO), text()).prop_map(|(a, op, v)| Expr::compare(a, op, v)),
        (prop::sample::select(CONTAINS), text()).prop_map(|(a, v)| Expr::compare(a, Op::Co, v)),
        (prop::sample::select(TIMESTAMPS), prop::sample::select(ORDERINGS), timestamp())
            .prop_map(|(a, op, v)| Expr::compare(a, op, v)),
        (CUSTOM, prop::sample::select(ORDERINGS), number()).prop_map(|(attr, op, n)| Expr::Compare {
            attr,
            op,
            value: Literal::Number(n)
        }),
        (CUSTOM, prop_oneof![any::<bool>().prop_map(Literal::Bool), Just(Literal::Null)])
            .prop_map(|(attr, value)| Expr::Compare { attr, op: Op::Eq, value }),
        attr.prop_map(Expr::present),
    ]
}

fn filter_condition() -> impl Strategy<Value = Expr> {
    let attrs = &["status", "id", "profile.login", "profile.email", "profile.firstName", "profile.lastName"][..];
    prop_oneof![
        (prop::sample::select(attrs), text()).prop_map(|(a, v)| Expr::compare(a, Op::Eq, v)),
        (prop::sample::select(ORDERINGS), timestamp()).prop_map(|(op, v)| Expr::compare("lastUpdated", op, v)),
    ]
}

/// Trees up to 5 levels deep: within the parser's nesting and size limits.
fn tree(leaf: impl Strategy<Value = Expr> + 'static) -> impl Strategy<Value = Expr> {
    leaf.prop_recursive(5, 32, 2, |inner| {
        prop_oneof![
            (inner.clone(), inner.clone()).prop_map(|(a, b)| a.and(b)),
            (inner.clone(), inner).prop_map(|(a, b)| a.or(b)),
        ]
    })
}

/// A string literal spelled in any legal way: each character plainly or as
/// a `\u` escape (quotes and backslashes always escaped one way or the other).
fn spell_string(value: &str, escapes: &[bool]) -> String {
    let mut out = String::from("\"");
    for (i, c) in value.chars().enumerate() {
        let escape = escapes.get(i % escapes.len().max(1)).copied().unwrap_or(false);
        match c {
            _ if escape => {
                let mut units = [0u16; 2];
                for unit in c.encode_utf16(&mut units) {
                    out.push_str(&format!("\\u{unit:04X}"));
                }
            }
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '/' => out.push_str("\\/"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn mixed_case(word: &str, upper: bool) -> String {
    if upper { word.to_uppercase() } else { word.to_owned() }
}

/// A condition and a text for it with arbitrary (legal) spacing, keyword
/// case and literal spelling.
fn sloppy_condition() -> impl Strategy<Value = (Expr, String)> {
    let space = prop::sample::select(&[" ", "  ", "\t", "\n "][..]);
    let escapes = prop::collection::vec(prop::bool::weighted(0.2), 1..8);
    (search_condition(), space.clone(), prop_oneof![Just(""), space], any::<bool>(), escapes, 0..3usize).prop_map(
        |(expr, gap, gap2, upper, escapes, style)| {
            let text = match &expr {
                Expr::Present { attr } => format!("{attr}{gap}{}", mixed_case("pr", upper)),
                Expr::Compare { attr, op, value } => {
                    let literal = match value {
                        Literal::String(s) => spell_string(s, &escapes),
                        Literal::Number(n) if style == 1 => format!("{n:e}"),
                        Literal::Number(n) if style == 2 => format!("{n:E}"),
                        Literal::Number(n) => format!("{n}"),
                        other => mixed_case(&other.to_string(), upper),
                    };
                    // No space is needed before a quote.
                    let gap2 = if literal.starts_with('"') { gap2 } else { gap };
                    format!("{attr}{gap}{}{gap2}{literal}", mixed_case(op.as_str(), upper))
                }
                _ => String::new(),
            };
            (expr, text)
        },
    )
}

/// A tree and a sloppy text for it: parentheses where the grouping needs
/// them and, at random, where it does not.
fn sloppy_tree() -> impl Strategy<Value = (Expr, String)> {
    sloppy_condition().prop_recursive(4, 24, 2, |inner| {
        (inner.clone(), inner, any::<bool>(), any::<bool>(), any::<bool>(), any::<bool>()).prop_map(
            |((left, left_text), (right, right_text), is_and, upper, wrap_left, wrap_right)| {
                let wrap_left = wrap_left || (is_and && matches!(left, Expr::Or(..)));
                let wrap_right =
                    wrap_right || matches!(right, Expr::Or(..)) || (is_and && matches!(right, Expr::And(..)));
                let paren = |wrap: bool, text: String| if wrap { format!("( {text})") } else { text };
                let keyword = mixed_case(if is_and { "and" } else { "or" }, upper);
                let text = format!("{} {keyword} {}", paren(wrap_left, left_text), paren(wrap_right, right_text));
                let expr = if is_and { left.and(right) } else { left.or(right) };
                (expr, text)
            },
        )
    })
}

proptest! {
    #[test]
    fn parsing_never_panics_and_errors_point_inside_the_input(input in any_input()) {
        for (mode, collection) in [
            (Mode::Search, Collection::Users),
            (Mode::Filter, Collection::Users),
            (Mode::Filter, Collection::Groups),
        ] {
            if let Err(error) = parse_for(&input, mode, collection) {
                prop_assert!(error.position <= input.chars().count().min(MAX_INPUT_CHARS), "{error}");
                prop_assert!(!error.message.is_empty());
            }
        }
        let _ = crate::expr::looks_like_expression(&input);
    }

    #[test]
    fn sloppy_spellings_parse_to_their_tree((expr, text) in sloppy_tree()) {
        prop_assert_eq!(parse(&text, Mode::Search), Ok(expr.clone()), "{}", text);
        prop_assert_eq!(parse(&expr.to_string(), Mode::Search), Ok(expr));
    }

    /// Damaged expressions (a slice cut out): still no panic, and whatever
    /// still parses prints back to the same tree.
    #[test]
    fn damaged_expressions_fail_cleanly_or_round_trip((_, text) in sloppy_tree(), cut in any::<prop::sample::Index>(), len in 0..6usize) {
        let chars: Vec<char> = text.chars().collect();
        let start = cut.index(chars.len().max(1));
        let damaged: String = chars.iter().take(start).chain(chars.iter().skip(start + len)).collect();
        match parse(&damaged, Mode::Search) {
            Ok(expr) => prop_assert_eq!(parse(&expr.to_string(), Mode::Search), Ok(expr)),
            Err(error) => prop_assert!(error.position <= damaged.chars().count(), "{}", error),
        }
    }

    #[test]
    fn generated_search_expressions_round_trip(expr in tree(search_condition())) {
        let printed = expr.to_string();
        prop_assert_eq!(parse(&printed, Mode::Search), Ok(expr), "{}", printed);
    }

    #[test]
    fn generated_filter_expressions_round_trip(expr in tree(filter_condition())) {
        let printed = expr.to_string();
        prop_assert_eq!(parse(&printed, Mode::Filter), Ok(expr), "{}", printed);
    }

    #[test]
    fn quote_round_trips_any_text(value in any::<String>()) {
        let input = format!("profile.x eq {}", quote(&value));
        prop_assert_eq!(parse(&input, Mode::Search), Ok(Expr::compare("profile.x", Op::Eq, value)));
    }

    #[test]
    fn any_text_matches_itself_its_prefixes_and_its_parts(value in text(), cut in any::<prop::sample::Index>(), len in any::<prop::sample::Index>()) {
        let chars: Vec<char> = value.chars().collect();
        let start = cut.index(chars.len() + 1);
        let end = start + len.index(chars.len() - start + 1);
        let prefix: String = chars.iter().take(start).collect();
        let part: String = chars.iter().skip(start).take(end - start).collect();
        let subject = json!({ "profile": { "login": value.clone() } });
        let shouting = json!({ "profile": { "login": value.to_ascii_uppercase() } });
        let check = |expr: Expr, mode, subject: &serde_json::Value| Matcher::new(&expr, mode).matches(subject);
        for mode in [Mode::Search, Mode::Filter] {
            prop_assert!(check(Expr::compare("profile.login", Op::Eq, value.clone()), mode, &subject));
            prop_assert!(check(Expr::compare("profile.login", Op::Sw, prefix.clone()), mode, &subject));
            prop_assert!(check(Expr::compare("profile.login", Op::Co, part.clone()), mode, &subject));
        }
        prop_assert!(check(Expr::compare("profile.login", Op::Eq, value.clone()), Mode::Search, &shouting));
        prop_assert!(check(Expr::compare("profile.login", Op::Co, part), Mode::Search, &shouting));
    }

    /// `lt`, `eq` and `gt` split every value into exactly one class, so the
    /// `ne` workaround and range partitions are sound.
    #[test]
    fn exactly_one_of_lt_eq_gt_holds(value in text(), literal in text()) {
        let subject = json!({ "profile": { "x": value } });
        for mode in [Mode::Search, Mode::Filter] {
            let holds = [Op::Lt, Op::Eq, Op::Gt]
                .map(|op| Matcher::new(&Expr::compare("profile.x", op, literal.clone()), mode).matches(&subject));
            prop_assert_eq!(holds.iter().filter(|h| **h).count(), 1, "{:?}", holds);
            let le = Matcher::new(&Expr::compare("profile.x", Op::Le, literal.clone()), mode).matches(&subject);
            let ge = Matcher::new(&Expr::compare("profile.x", Op::Ge, literal.clone()), mode).matches(&subject);
            prop_assert_eq!((le, ge), (holds[0] || holds[1], holds[1] || holds[2]));
        }
    }
}
