//! Every error: its message and the char offset it points at.

use crate::expr::{Collection, MAX_CONDITIONS, MAX_DEPTH, MAX_INPUT_CHARS, Mode, ParseError, parse, parse_for};

#[track_caller]
fn fails(mode: Mode, input: &str, position: usize, message: &str) {
    match parse(input, mode) {
        Ok(expr) => panic!("{input:?} parsed as {expr:?}"),
        Err(ParseError { message: got, position: at }) => {
            assert_eq!((at, got.as_str()), (position, message), "{input:?}");
        }
    }
}

#[track_caller]
fn search_fails(input: &str, position: usize, message: &str) {
    fails(Mode::Search, input, position, message);
}

#[track_caller]
fn filter_fails(input: &str, position: usize, message: &str) {
    fails(Mode::Filter, input, position, message);
}

#[test]
fn values_must_be_quoted() {
    search_fails(r#"status eq"#, 9, "expected a quoted value after 'eq', found the end");
    search_fails(
        r#"status eq ACTIVE"#,
        10,
        r#"expected a quoted value after 'eq', found 'ACTIVE': quote it, "ACTIVE""#,
    );
    search_fails(
        r#"status eq 'ACTIVE'"#,
        10,
        r#"expected a quoted value after 'eq', found ''ACTIVE'': values use double quotes, "ACTIVE""#,
    );
    search_fails(r#"status eq ("#, 10, "expected a quoted value after 'eq', found '('");
    search_fails(r#"status eq 5"#, 10, r#"'status' takes a quoted value: write "5""#);
    search_fails(r#"profile.login sw 5"#, 17, r#"sw needs a quoted value, like profile.login sw "text""#);
}

#[test]
fn strings_and_escapes() {
    search_fails(r#"status eq "ACTIVE"#, 10, "unclosed string: add the closing \"");
    search_fails(r#"status eq "ACTIVE\"#, 17, "unclosed string: add the closing \"");
    search_fails(
        r#"profile.x eq "a\qb""#,
        15,
        r#"unknown escape '\q' in a string: write \" for a quote and \\ for a backslash"#,
    );
    search_fails(r#"profile.x eq "\u12""#, 14, r#"invalid \u escape: write four hex digits, like \u00e9"#);
    search_fails(r#"profile.x eq "\ud800x""#, 14, r#"invalid \u escape: write four hex digits, like \u00e9"#);
    search_fails("profile.x gt 1e999", 13, "the number 1e999 is too large");
}

#[test]
fn operators() {
    search_fails(r#"status eqq "A""#, 7, "unknown operator 'eqq': use eq, sw, co, gt, ge, lt, le or pr");
    search_fails(r#"status = "A""#, 7, "unknown operator '=': use eq, sw, co, gt, ge, lt, le or pr; write eq");
    search_fails(r#"status >= "A""#, 7, "unknown operator '>=': use eq, sw, co, gt, ge, lt, le or pr; write ge");
    search_fails(
        r#"status"#,
        6,
        "expected an operator (eq, sw, co, gt, ge, lt, le or pr) after 'status', found the end",
    );
    search_fails(
        r#"status "A""#,
        7,
        r#"expected an operator (eq, sw, co, gt, ge, lt, le or pr) after 'status', found the value "A""#,
    );
}

#[test]
fn ne_and_not_are_rejected_with_the_workaround() {
    search_fails(r#"status ne "STAGED""#, 7, r#"ne is not supported; use (status lt "STAGED" or status gt "STAGED")"#);
    search_fails(r#"profile.age NE 3"#, 12, "NE is not supported; use (profile.age lt 3 or profile.age gt 3)");
    search_fails(r#"status != "X""#, 7, r#"!= is not supported; use (status lt "X" or status gt "X")"#);
    search_fails("status ne", 7, r#"ne is not supported; use (status lt "v" or status gt "v")"#);
    let not = r#"not is not supported: write the opposite condition instead, e.g. (status lt "STAGED" or status gt "STAGED") for all but STAGED"#;
    search_fails(r#"not (status eq "A")"#, 0, not);
    search_fails(r#"status eq "A" and NOT status eq "B""#, 18, not);
    search_fails(
        r#"status not eq "A""#,
        7,
        "unknown operator 'not': use eq, sw, co, gt, ge, lt, le or pr; not is not supported",
    );
}

#[test]
fn parentheses() {
    search_fails(r#"(status eq "A""#, 0, "unbalanced parenthesis: this '(' is never closed");
    search_fails(r#"(status eq "A" or ((status eq "B")"#, 18, "unbalanced parenthesis: this '(' is never closed");
    search_fails(r#"status eq "A")"#, 13, "unbalanced parenthesis: this ')' has no matching '('");
    search_fails(r#"()"#, 0, "empty parentheses: write a condition inside them");
    search_fails(r#"status eq "A" and ()"#, 18, "empty parentheses: write a condition inside them");
    search_fails(r#")"#, 0, "expected a condition before ')'");
    search_fails(r#"(status eq "A" status eq "B")"#, 15, "expected 'and', 'or' or ')' before 'status'");
}

#[test]
fn connectives() {
    search_fails(r#"status eq "A" status eq "B""#, 14, "expected 'and', 'or' before 'status'");
    search_fails(r#"status eq "A" && status eq "B""#, 14, "expected 'and', 'or' before '&&'; write 'and' instead");
    search_fails(r#"status eq "A" and"#, 17, "expected a condition after 'and'");
    search_fails(r#"(status eq "A" or)"#, 17, "expected a condition after 'or'");
    search_fails(r#"and status eq "A""#, 0, "expected a condition before 'and'");
    search_fails(r#"status eq "A" or or"#, 17, "expected a condition before 'or'");
    search_fails(r#"status pr "A""#, 10, r#"expected 'and', 'or' before the value "A""#);
    let long = "x".repeat(50);
    let shown = format!("\"{}…\"", "x".repeat(39));
    search_fails(&format!("status pr \"{long}\""), 10, &format!("expected 'and', 'or' before the value {shown}"));
}

#[test]
fn attributes() {
    search_fails("", 0, r#"the expression is empty: write a condition like status eq "ACTIVE""#);
    search_fails("   ", 0, r#"the expression is empty: write a condition like status eq "ACTIVE""#);
    search_fails(
        "ada@example.com",
        0,
        r#"'ada@example.com' is not an attribute name; write conditions like profile.lastName eq "Smith""#,
    );
    search_fails(
        r#"profile. eq "x""#,
        0,
        r#"'profile.' is not an attribute name; write conditions like profile.lastName eq "Smith""#,
    );
    search_fails(
        r#""ACTIVE" eq status"#,
        0,
        r#"expected an attribute name before the value "ACTIVE", like profile.lastName eq "Smith""#,
    );
}

#[test]
fn co_only_on_name_attributes() {
    let users = "co is only supported on profile.login, profile.email, profile.firstName and profile.lastName, \
                 not on 'profile.department'; use sw or eq";
    search_fails(r#"profile.department co "Sal""#, 19, users);
    let groups = parse_for(r#"profile.department co "x""#, Mode::Search, Collection::Groups);
    assert_eq!(
        groups.map_err(|e| e.message),
        Err("co is only supported on profile.name and profile.description, not on 'profile.department'; use sw or eq"
            .into())
    );
}

#[test]
fn timestamps_need_timestamp_values() {
    search_fails(
        r#"lastUpdated gt "yesterday""#,
        15,
        r#"'yesterday' is not a timestamp: write lastUpdated values like "2024-01-01T00:00:00.000Z""#,
    );
    search_fails(
        r#"created lt 2024"#,
        11,
        r#"'2024' is not a timestamp: write created values like "2024-01-01T00:00:00.000Z""#,
    );
    search_fails(r#"created sw "2024""#, 8, "sw does not apply to the timestamp 'created'; use gt, ge, lt or le");
}

#[test]
fn null_and_booleans_only_with_eq() {
    search_fails("profile.x gt null", 13, "null can only be compared with eq, not gt");
    search_fails("profile.x sw true", 13, "true can only be compared with eq, not sw");
}

#[test]
fn filter_restrictions() {
    filter_fails(
        r#"profile.department eq "Sales""#,
        0,
        "filter does not support the attribute 'profile.department': it allows only status, lastUpdated, id, \
         profile.login, profile.email, profile.firstName and profile.lastName; use search for other attributes",
    );
    filter_fails(r#"status sw "A""#, 7, "filter supports only eq on 'status', not sw; use search for sw");
    filter_fails(
        r#"profile.login co "a""#,
        14,
        "filter supports only eq on 'profile.login', not co; use search for co",
    );
    filter_fails(r#"id gt "a""#, 3, "filter supports only eq on 'id', not gt; use search for gt");
    filter_fails(r#"profile.email pr"#, 14, "filter does not support pr ('profile.email pr'); use search for it");
    filter_fails(r#"status ne "A""#, 7, r#"ne is not supported; use (status lt "A" or status gt "A")"#);
    filter_fails(r#"profile.firstName eq 5"#, 21, r#"'profile.firstName' takes a quoted value: write "5""#);
    // The error is the first one from the left.
    filter_fails(
        r#"status eq "A" and created gt "2024-01-01T00:00:00.000Z""#,
        18,
        "filter does not support the attribute 'created': it allows only status, lastUpdated, id, \
         profile.login, profile.email, profile.firstName and profile.lastName; use search for other attributes",
    );
    let groups = parse_for(r#"profile.name eq "x""#, Mode::Filter, Collection::Groups);
    assert_eq!(
        groups.map_err(|e| e.message),
        Err("filter does not support the attribute 'profile.name': it allows only id, type, lastUpdated and \
             lastMembershipUpdated; use search for other attributes"
            .into())
    );
    let groups = parse_for(r#"type gt "A""#, Mode::Filter, Collection::Groups).map_err(|e| e.message);
    assert_eq!(groups, Err("filter supports only eq on 'type', not gt; use search for gt".into()));
}

#[test]
fn positions_are_chars_not_bytes() {
    search_fails(r#"profile.x eq "éé" and"#, 21, "expected a condition after 'and'");
}

#[test]
fn limits_stop_hostile_input() {
    let long = format!(r#"profile.x eq "{}""#, "a".repeat(MAX_INPUT_CHARS));
    let length = long.chars().count();
    search_fails(
        &long,
        MAX_INPUT_CHARS,
        &format!("the expression is too long ({length} characters; at most {MAX_INPUT_CHARS})"),
    );

    let nested = |depth: usize| format!("{}status pr{}", "(".repeat(depth), ")".repeat(depth));
    assert!(parse(&nested(MAX_DEPTH), Mode::Search).is_ok());
    search_fails(&nested(MAX_DEPTH + 1), MAX_DEPTH, &format!("too many nested parentheses (at most {MAX_DEPTH})"));
    // Deep nesting of the longest allowed input fails fast instead of overflowing the stack.
    let opens = "(".repeat(MAX_INPUT_CHARS);
    search_fails(&opens, MAX_DEPTH, &format!("too many nested parentheses (at most {MAX_DEPTH})"));

    let chain = |n: usize| vec!["status pr"; n].join(" or ");
    assert!(parse(&chain(MAX_CONDITIONS), Mode::Search).is_ok());
    let position = (MAX_CONDITIONS) * "status pr or ".len();
    search_fails(&chain(MAX_CONDITIONS + 1), position, &format!("too many conditions (at most {MAX_CONDITIONS})"));
}

#[test]
fn display_names_the_position() {
    let error = parse("status", Mode::Search).err().map(|e| e.to_string());
    assert_eq!(
        error.as_deref(),
        Some("expected an operator (eq, sw, co, gt, ge, lt, le or pr) after 'status', found the end at position 6")
    );
}
