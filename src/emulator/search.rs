//! Evaluating a parsed search or filter expression against one user.
//!
//! INTERIM: `expr::Expr::matches` (the shared evaluation API) has not
//! landed yet; until it does this walks the contract's AST with Okta's
//! rules (search: values case-insensitive; filter: case-sensitive; an
//! array attribute matches when any element does).

use super::store::UserRef;
use crate::expr::{Expr, Literal, Mode, Op};
use serde_json::Value;
use std::cmp::Ordering;

pub fn matches(expr: &Expr, user: &UserRef<'_>, mode: Mode) -> bool {
    match expr {
        Expr::And(a, b) => matches(a, user, mode) && matches(b, user, mode),
        Expr::Or(a, b) => matches(a, user, mode) || matches(b, user, mode),
        Expr::Present { attr } => user.attr(attr).is_some(),
        Expr::Compare { attr, op, value } => match user.attr(attr) {
            None => false,
            Some(Value::Array(items)) => items.iter().any(|v| compare(v, *op, value, mode)),
            Some(v) => compare(&v, *op, value, mode),
        },
    }
}

fn compare(actual: &Value, op: Op, expected: &Literal, mode: Mode) -> bool {
    let ordering = match (actual, expected) {
        (Value::String(a), Literal::String(e)) => {
            let (a, e) = match mode {
                Mode::Search => (a.to_lowercase(), e.to_lowercase()),
                Mode::Filter => (a.clone(), e.clone()),
            };
            match op {
                Op::Sw => return a.starts_with(&e),
                Op::Co => return a.contains(&e),
                _ => a.cmp(&e),
            }
        }
        (Value::Number(a), Literal::Number(e)) => match a.as_f64().and_then(|a| a.partial_cmp(e)) {
            Some(o) => o,
            None => return false,
        },
        (Value::Bool(a), Literal::Bool(e)) => a.cmp(e),
        _ => return false,
    };
    match op {
        Op::Eq => ordering == Ordering::Equal,
        Op::Gt => ordering == Ordering::Greater,
        Op::Ge => ordering != Ordering::Less,
        Op::Lt => ordering == Ordering::Less,
        Op::Le => ordering != Ordering::Greater,
        Op::Sw | Op::Co => false,
    }
}
