//! Telling expressions from plain text, and quoting plain text.

use crate::expr::{Expr, Mode, Op, looks_like_expression, parse, quote};

#[test]
fn expressions_are_recognised() {
    for input in [
        r#"profile.department eq "Sales""#,
        r#"status eq "ACTIVE""#,
        r#"profile.department eq "Sales" and status eq "ACTIVE""#,
        r#"(status eq "ACTIVE")"#,
        r#"STATUS EQ "active""#,
        "profile.email pr",
        r#"lastUpdated gt "2024"#,
        "status eq",
        r#"status ne "STAGED""#,
        r#"status = "ACTIVE""#,
        r#"department eq "Sales""#,
        "profile.age gt 30",
        "manager eq null",
        r#"status eq"ACTIVE""#,
    ] {
        assert!(looks_like_expression(input), "{input}");
    }
}

#[test]
fn plain_text_is_not() {
    for input in [
        "",
        "ada",
        "ada lovelace",
        "ada@example.com",
        "Lee co",
        "John Le",
        "mary pr",
        "o'brien",
        "\"ada\"",
        "eq eq",
        "(ada)",
        "ada lovelace eq",
    ] {
        assert!(!looks_like_expression(input), "{input}");
    }
}

#[test]
fn quoted_text_builds_a_name_search_that_round_trips() {
    let typed = r#"o"brien \ jr"#;
    let fields = ["profile.login", "profile.email", "profile.firstName", "profile.lastName"];
    let text = fields.map(|f| format!("{f} sw {}", quote(typed))).join(" or ");
    let built = Expr::any_of(fields.map(|f| Expr::compare(f, Op::Sw, typed)));
    assert_eq!(parse(&text, Mode::Search).ok(), built);
    assert_eq!(built.map(|e| e.to_string()), Some(text));
}
