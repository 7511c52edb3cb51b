//! Fuzz target `expr`: the search/filter expression parser that the org
//! evaluates and the TUI checks input with (its generated-tree properties
//! live in `src/expr/tests/props.rs`; this target mutates real-looking
//! expressions from a corpus, and runs under `scripts/fuzz`).
//!
//! Properties, in every language (`search`, user `filter`, group
//! `filter`): parsing never panics; an error points inside the input and
//! says something; what parses prints back to text that parses to the same
//! tree; evaluating what parses against users never panics.

use crate::fuzz_support::{self, CHEAP, Corpus, mutated, noise};
use oktui::expr::{Collection, MAX_INPUT_CHARS, Matcher, Mode, looks_like_expression, parse_for};
use proptest::prelude::*;
use serde_json::json;

const TOKENS: &[&str] = &[
    " and ",
    " or ",
    " AND ",
    " Or ",
    "not ",
    " eq ",
    " ne ",
    " sw ",
    " co ",
    " gt ",
    " ge ",
    " lt ",
    " le ",
    " pr",
    "(",
    ")",
    "((((((((((",
    "))))))))))",
    "\"",
    "\\\"",
    "\\u00e9",
    "\\ud800",
    "\\",
    "\"\"",
    "status",
    "profile.login",
    "profile.",
    "profile.x_custom",
    "lastUpdated",
    "created",
    "type.id",
    "id",
    "true",
    "null",
    "1e999",
    "-0",
    "0x10",
    "\"2024-02-30T00:00:00.000Z\"",
    "\u{0}",
    "\u{202e}",
    "é",
    "\t",
    "\n",
];

fn subjects() -> Vec<serde_json::Value> {
    vec![
        json!({"id": "00u1", "status": "ACTIVE", "created": "2024-01-01T00:00:00.000Z", "type": {"id": "oty1"},
               "profile": {"login": "ada@example.com", "firstName": "Ada", "x_custom": [1, "two", null],
                           "clearanceLevel": 5, "flag": true}}),
        json!({"id": 5, "status": null, "profile": [], "lastUpdated": "not a date"}),
        json!({}),
    ]
}

pub fn check(bytes: &[u8]) -> Result<(), String> {
    let input = String::from_utf8_lossy(bytes);
    let _ = looks_like_expression(&input);
    for (mode, collection) in
        [(Mode::Search, Collection::Users), (Mode::Filter, Collection::Users), (Mode::Filter, Collection::Groups)]
    {
        match parse_for(&input, mode, collection) {
            Err(error) => {
                let limit = input.chars().count().min(MAX_INPUT_CHARS);
                if error.position > limit || error.message.is_empty() {
                    return Err(format!("{mode:?}/{collection:?}: error {error:?} for {input:?}"));
                }
            }
            Ok(expr) => {
                let printed = expr.to_string();
                match parse_for(&printed, mode, collection) {
                    Ok(again) if again == expr => {}
                    other => {
                        return Err(format!("{mode:?}: {input:?} printed as {printed:?}, which parses to {other:?}"));
                    }
                }
                let matcher = Matcher::new(&expr, mode);
                for subject in subjects() {
                    let _ = matcher.matches(&subject);
                }
            }
        }
    }
    Ok(())
}

#[test]
fn the_expr_corpus_replays_cleanly() {
    let corpus = Corpus::load("expr");
    corpus.replay(|_, seed| check(seed));
    let parsed = corpus
        .all()
        .iter()
        .filter(|s| parse_for(&String::from_utf8_lossy(s), Mode::Search, Collection::Users).is_ok())
        .count();
    assert!(parsed * 2 >= corpus.seeds.len(), "most seeds are valid expressions ({parsed}/{})", corpus.seeds.len());
}

#[test]
fn fuzzed_expr() {
    let corpus = Corpus::load("expr");
    let strategy = prop_oneof![5 => mutated(corpus.all(), TOKENS), 1 => noise()];
    fuzz_support::run(&corpus, CHEAP, strategy, |input| check(&input.0).map_err(TestCaseError::fail));
}
