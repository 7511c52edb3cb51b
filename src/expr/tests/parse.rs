//! What parses, and into which tree.

use crate::expr::{Collection, Expr, Literal, Mode, Op, parse, parse_for};

fn search(input: &str) -> Expr {
    parse(input, Mode::Search).unwrap_or_else(|e| panic!("{input}: {e}"))
}

fn filter(input: &str) -> Expr {
    parse(input, Mode::Filter).unwrap_or_else(|e| panic!("{input}: {e}"))
}

fn cmp(attr: &str, op: Op, value: Literal) -> Expr {
    Expr::Compare { attr: attr.into(), op, value }
}

fn text(s: &str) -> Literal {
    Literal::String(s.into())
}

#[test]
fn every_operator() {
    for op in Op::ALL {
        let input = format!(r#"profile.login {} "x""#, op.as_str());
        assert_eq!(search(&input), cmp("profile.login", op, text("x")), "{input}");
    }
    assert_eq!(search("profile.email pr"), Expr::present("profile.email"));
}

#[test]
fn operators_keywords_and_literals_ignore_case_but_attributes_do_not() {
    assert_eq!(
        search(r#"status EQ "ACTIVE" AnD profile.x Pr OR profile.flag eq TRUE"#),
        cmp("status", Op::Eq, text("ACTIVE")).and(Expr::present("profile.x")).or(cmp(
            "profile.flag",
            Op::Eq,
            Literal::Bool(true)
        ))
    );
    // Attribute names are kept exactly as written (the org treats them as
    // case-sensitive).
    assert_eq!(search(r#"Profile.Department eq "a""#), cmp("Profile.Department", Op::Eq, text("a")));
    assert_eq!(filter(r#"status Eq "ACTIVE""#), cmp("status", Op::Eq, text("ACTIVE")));
}

#[test]
fn and_binds_tighter_than_or() {
    let [a, b, c] = ["a", "b", "c"].map(|x| cmp(&format!("profile.{x}"), Op::Eq, text(x)));
    assert_eq!(
        search(r#"profile.a eq "a" or profile.b eq "b" and profile.c eq "c""#),
        a.clone().or(b.clone().and(c.clone()))
    );
    assert_eq!(
        search(r#"profile.a eq "a" and profile.b eq "b" or profile.c eq "c""#),
        a.clone().and(b.clone()).or(c.clone())
    );
    // Both group to the left.
    assert_eq!(
        search(r#"profile.a eq "a" or profile.b eq "b" or profile.c eq "c""#),
        a.clone().or(b.clone()).or(c.clone())
    );
}

#[test]
fn parentheses_override_precedence() {
    let [a, b, c] = ["a", "b", "c"].map(|x| cmp(&format!("profile.{x}"), Op::Eq, text(x)));
    assert_eq!(
        search(r#"(profile.a eq "a" or profile.b eq "b") and profile.c eq "c""#),
        a.clone().or(b.clone()).and(c.clone())
    );
    assert_eq!(search(r#"((((profile.a eq "a"))))"#), a.clone());
    assert_eq!(search(r#"profile.a eq "a" and (profile.b eq "b" or (profile.c eq "c"))"#), a.and(b.or(c)));
}

#[test]
fn the_spec_examples_parse() {
    let users = [
        r#"status eq "STAGED""#,
        r#"lastUpdated gt "2014-01-01T00:00:00.000Z""#,
        r#"id eq "00u1ero7vZFVEIYLWPBN""#,
        r#"profile.department eq "Engineering" and (created lt "2014-01-01T00:00:00.000Z" or status eq "ACTIVE")"#,
        r#"profile.arrayAttr eq "arrayAttrVal1""#,
        r#"classification.type eq "LITE""#,
        r#"(status lt "STAGED" or status gt "STAGED")"#,
        r#"profile.email pr and profile.lastName eq "Smith""#,
        r#"type.id eq "oty1""#,
    ];
    for input in users {
        search(input);
    }
    let user_filters = [
        r#"status eq "LOCKED_OUT""#,
        r#"profile.login eq "login@example.com""#,
        r#"lastUpdated gt "2013-06-01T00:00:00.000Z" and lastUpdated lt "2014-01-01T00:00:00.000Z""#,
        r#"lastUpdated gt "2013-06-01T00:00:00.000Z" and (status eq "LOCKED_OUT" or status eq "RECOVERY")"#,
    ];
    for input in user_filters {
        filter(input);
    }
    let groups = [
        (Mode::Search, r#"type eq "APP_GROUP""#),
        (Mode::Search, r#"lastMembershipUpdated gt "2024-01-01T00:00:00.000Z""#),
        (Mode::Search, r#"profile.samAccountName sw "West Coast""#),
        (Mode::Search, r#"profile.name co "west""#),
        (
            Mode::Search,
            r#"type eq "APP_GROUP" and (created lt "2014-01-01T00:00:00.000Z" and source.id eq "0oa2v0el0gP90aqjJ0g7")"#,
        ),
        (Mode::Filter, r#"type eq "OKTA_GROUP" and lastUpdated gt "2016-11-11T00:00:00.000Z""#),
        (
            Mode::Filter,
            r#"type eq "OKTA_GROUP" and (lastUpdated lt "2015-11-11T00:00:00.000Z" or lastMembershipUpdated lt "2015-11-11T00:00:00.000Z")"#,
        ),
    ];
    for (mode, input) in groups {
        parse_for(input, mode, Collection::Groups).unwrap_or_else(|e| panic!("{input}: {e}"));
    }
}

#[test]
fn escapes_in_strings() {
    assert_eq!(search(r#"profile.lastName eq "bob\"smith""#), cmp("profile.lastName", Op::Eq, text("bob\"smith")));
    assert_eq!(search(r#"profile.path eq "C:\\temp""#), cmp("profile.path", Op::Eq, text("C:\\temp")));
    assert_eq!(search(r#"profile.x eq "\u00e9\n""#), cmp("profile.x", Op::Eq, text("é\n")));
    assert_eq!(search(r#"profile.x eq """#), cmp("profile.x", Op::Eq, text("")));
    assert_eq!(search(r#"profile.x eq "and or ) (""#), cmp("profile.x", Op::Eq, text("and or ) (")));
}

#[test]
fn numbers_booleans_and_null() {
    assert_eq!(search("profile.age ge 21"), cmp("profile.age", Op::Ge, Literal::Number(21.0)));
    assert_eq!(search("profile.t lt -1.5e3"), cmp("profile.t", Op::Lt, Literal::Number(-1500.0)));
    assert_eq!(search("profile.ok eq false"), cmp("profile.ok", Op::Eq, Literal::Bool(false)));
    assert_eq!(search("profile.manager eq NULL"), cmp("profile.manager", Op::Eq, Literal::Null));
    assert_eq!(search("activated eq null"), cmp("activated", Op::Eq, Literal::Null));
}

#[test]
fn whitespace_is_free_around_quotes_and_parentheses() {
    assert_eq!(
        search("(status eq\"ACTIVE\")and(profile.x pr)"),
        cmp("status", Op::Eq, text("ACTIVE")).and(Expr::present("profile.x"))
    );
    assert_eq!(search("\t status  eq \n \"A\" "), cmp("status", Op::Eq, text("A")));
}

#[test]
fn attribute_paths() {
    for attr in ["id", "type.id", "profile.x_y", "profile.$ref", "profile.a-b", "profile.a1", "_x", "a.b.c"] {
        assert_eq!(search(&format!("{attr} pr")), Expr::present(attr));
    }
}

#[test]
fn builders_group_like_the_parser() {
    let terms = ["a", "b", "c"].map(|x| Expr::compare(format!("profile.{x}"), Op::Sw, x));
    let any = Expr::any_of(terms.clone()).map(|e| e.to_string());
    assert_eq!(any.as_deref(), Some(r#"profile.a sw "a" or profile.b sw "b" or profile.c sw "c""#));
    assert_eq!(Expr::any_of(terms.clone()), any.map(|s| search(&s)));
    assert_eq!(Expr::all_of(terms.clone()).map(|e| e.to_string()).map(|s| search(&s)), Expr::all_of(terms));
    assert_eq!(Expr::any_of([]), None);
}
