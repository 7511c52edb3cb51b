//! Evaluating an expression against a user or group, with Okta's
//! semantics (API-NOTES §1.1):
//!
//! - `search` compares text case-insensitively, `filter` case-sensitively;
//! - `sw`/`co` are prefix/substring tests on text;
//! - `eq` and the orderings compare timestamps chronologically, numbers
//!   numerically and text lexicographically (so `status lt "STAGED" or
//!   status gt "STAGED"` is every status but STAGED);
//! - an array matches when any element does (SCIM);
//! - `pr` is present and not empty: not null, not `""`, not an empty
//!   array (SCIM: "has a non-empty value");
//! - a missing attribute matches nothing.
//!
//! The org evaluates one expression over up to millions of subjects, so a
//! [`Matcher`] does everything that depends only on the expression once
//! (folding case, reading timestamps and numbers out of the literals).

use super::compare::{cmp_text, contains, eq_text, fold, parse_timestamp, starts_with};
use super::{Expr, Literal, Mode, Op};
use std::cmp::Ordering;

/// One value of an attribute, borrowed from the subject.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Value<'a> {
    Str(&'a str),
    Number(f64),
    Bool(bool),
    /// Milliseconds since the Unix epoch (how the org keeps `created`,
    /// `lastUpdated`, …). Text that reads as an ISO-8601 timestamp is
    /// compared chronologically too, so JSON subjects need not convert.
    Time(i64),
    /// A nested object: present, but equal to no literal.
    Object,
    Null,
}

/// Something an expression can be evaluated against: the org implements it
/// for its stored users and groups, reading fields directly.
pub trait Subject {
    /// Whether `test` holds for any value of the attribute at `path` (a
    /// dotted path such as `status`, `type.id` or `profile.department`):
    /// call it once for a scalar, once per element for an array, and not at
    /// all when the attribute is missing. May stop at the first `true`.
    fn any_value(&self, path: &str, test: &mut dyn FnMut(Value<'_>) -> bool) -> bool;
}

/// An expression prepared for evaluation in one language.
///
/// ```
/// use oktui::expr::{parse, Matcher, Mode};
/// let expr = parse(r#"profile.lastName sw "love""#, Mode::Search).unwrap();
/// let matcher = Matcher::new(&expr, Mode::Search);
/// let user = serde_json::json!({ "profile": { "lastName": "Lovelace" } });
/// assert!(matcher.matches(&user));
/// ```
#[derive(Debug, Clone)]
pub struct Matcher {
    root: Node,
    ignore_case: bool,
}

#[derive(Debug, Clone)]
enum Node {
    All(Vec<Node>),
    Any(Vec<Node>),
    Present(String),
    Compare(Test),
}

#[derive(Debug, Clone)]
struct Test {
    attr: String,
    op: Op,
    /// The literal as text (folded when ignoring case); `None` for null.
    text: Option<String>,
    number: Option<f64>,
    /// Whether the literal was written as a number: then numeric text in
    /// the subject compares numerically.
    numeric: bool,
    time: Option<i64>,
    boolean: Option<bool>,
    null: bool,
}

impl Matcher {
    pub fn new(expr: &Expr, mode: Mode) -> Self {
        let ignore_case = mode == Mode::Search;
        Self { root: compile(expr, ignore_case), ignore_case }
    }

    pub fn matches<S: Subject + ?Sized>(&self, subject: &S) -> bool {
        self.eval(&self.root, subject)
    }

    fn eval<S: Subject + ?Sized>(&self, node: &Node, subject: &S) -> bool {
        match node {
            Node::All(nodes) => nodes.iter().all(|n| self.eval(n, subject)),
            Node::Any(nodes) => nodes.iter().any(|n| self.eval(n, subject)),
            Node::Present(attr) => subject.any_value(attr, &mut |v| !matches!(v, Value::Null | Value::Str(""))),
            Node::Compare(test) => subject.any_value(&test.attr, &mut |v| test.holds(v, self.ignore_case)),
        }
    }
}

/// Flattens runs of the same connective (`a or b or c` is one `Any` of
/// three), iteratively, so long hand-built chains cannot exhaust the stack.
fn compile(expr: &Expr, ignore_case: bool) -> Node {
    let is_and = match expr {
        Expr::And(..) => true,
        Expr::Or(..) => false,
        Expr::Present { attr } => return Node::Present(attr.clone()),
        Expr::Compare { attr, op, value } => return Node::Compare(Test::new(attr, *op, value, ignore_case)),
    };
    let mut operands = Vec::new();
    let mut pending = vec![expr];
    while let Some(next) = pending.pop() {
        match next {
            Expr::And(left, right) if is_and => pending.extend([&**right, &**left]),
            Expr::Or(left, right) if !is_and => pending.extend([&**right, &**left]),
            other => operands.push(compile(other, ignore_case)),
        }
    }
    // Order does not change the result, only the work: test the cheap
    // conditions first so that they short-circuit the costly ones.
    operands.sort_by_key(Node::cost);
    if is_and { Node::All(operands) } else { Node::Any(operands) }
}

impl Node {
    /// A rough cost: subjects keep top-level attributes as fields but
    /// profiles as maps, and `co` scans the whole text.
    fn cost(&self) -> u32 {
        let lookup = |attr: &str| if attr.starts_with("profile.") { 2 } else { 0 };
        match self {
            Node::All(nodes) | Node::Any(nodes) => nodes.iter().map(Node::cost).fold(0, u32::saturating_add),
            Node::Present(attr) => lookup(attr),
            Node::Compare(test) => lookup(&test.attr) + u32::from(test.op == Op::Co),
        }
    }
}

impl Test {
    fn new(attr: &str, op: Op, value: &Literal, ignore_case: bool) -> Self {
        let text = match value {
            Literal::String(s) => Some(s.clone()),
            Literal::Number(_) | Literal::Bool(_) => Some(value.to_string()),
            Literal::Null => None,
        };
        let text = if ignore_case { text.map(|t| fold(&t)) } else { text };
        let boolean = match (value, text.as_deref()) {
            (Literal::Bool(b), _) => Some(*b),
            (_, Some("true")) => Some(true),
            (_, Some("false")) => Some(false),
            _ => None,
        };
        let number = match value {
            Literal::Number(n) => Some(*n),
            Literal::String(s) => s.trim().parse::<f64>().ok().filter(|n| n.is_finite()),
            _ => None,
        };
        let time = match value {
            Literal::String(s) => parse_timestamp(s),
            _ => None,
        };
        Self {
            attr: attr.to_owned(),
            op,
            text,
            number,
            numeric: matches!(value, Literal::Number(_)),
            time,
            boolean,
            null: *value == Literal::Null,
        }
    }

    fn holds(&self, value: Value<'_>, ignore_case: bool) -> bool {
        match value {
            Value::Null => self.op == Op::Eq && self.null,
            Value::Bool(b) => self.op == Op::Eq && self.boolean == Some(b),
            Value::Number(n) => self.ordered(self.number.and_then(|m| n.partial_cmp(&m))),
            Value::Time(t) => self.ordered(self.time.map(|m| t.cmp(&m))),
            Value::Str(s) => self.holds_for_text(s, ignore_case),
            Value::Object => false,
        }
    }

    fn holds_for_text(&self, value: &str, ignore_case: bool) -> bool {
        let Some(text) = self.text.as_deref() else { return false };
        match self.op {
            Op::Sw => starts_with(value, text, ignore_case),
            Op::Co => contains(value, text, ignore_case),
            Op::Eq if self.time.is_none() && !self.numeric => eq_text(value, text, ignore_case),
            _ => self.ordered(Some(self.cmp_text(value, text, ignore_case))),
        }
    }

    /// Chronological when both sides are timestamps, numeric when the
    /// literal is a number and the text is one, else lexicographic.
    fn cmp_text(&self, value: &str, text: &str, ignore_case: bool) -> Ordering {
        if let Some(m) = self.time
            && let Some(t) = parse_timestamp(value)
        {
            return t.cmp(&m);
        }
        if self.numeric
            && let Some(m) = self.number
            && let Some(ordering) = value.trim().parse::<f64>().ok().and_then(|n| n.partial_cmp(&m))
        {
            return ordering;
        }
        cmp_text(value, text, ignore_case)
    }

    /// Whether the operator accepts this ordering of value to literal.
    fn ordered(&self, ordering: Option<Ordering>) -> bool {
        let Some(ordering) = ordering else { return false };
        match self.op {
            Op::Eq => ordering == Ordering::Equal,
            Op::Gt => ordering == Ordering::Greater,
            Op::Ge => ordering != Ordering::Less,
            Op::Lt => ordering == Ordering::Less,
            Op::Le => ordering != Ordering::Greater,
            Op::Sw | Op::Co => false,
        }
    }
}
