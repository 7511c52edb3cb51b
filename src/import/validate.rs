//! Every row checked before the first write, with the create form's own
//! validators: the attribute's type, allowed values, lengths, format and
//! pattern, required attributes, `unique` ones and logins once in the
//! file, the password policy, groups and user types that exist. Every
//! problem of every row is collected, not only the first.

use super::columns::Column;
use super::org::{OrgFacts, TypeFacts};
use super::read::{Row, Table};
use super::{Options, Problem};
use crate::app::form::credentials::policy_problems;
use crate::app::form::fields::ProfileField;
use crate::okta::{AttributeKind, Credentials, Group, MAX_GROUP_IDS, ProviderType, Secret};
use serde_json::{Map, Value};
use std::collections::HashMap;
use tui_input::Input;

/// A valid row, ready to be planned.
#[derive(Debug, Clone)]
pub struct Prepared {
    /// Its place in the table's rows.
    pub index: usize,
    /// Its number in the file.
    pub row: usize,
    pub login: String,
    /// The row's non-empty attribute cells as typed values.
    pub profile: Map<String, Value>,
    pub credentials: Credentials,
    /// Group ids, in the file's order.
    pub group_ids: Vec<String>,
    /// The user type the row names (`None`: the org's default).
    pub type_id: Option<String>,
}

/// Checks every row; a row with any problem yields `None` at its index.
pub fn validate(table: &Table, columns: &[Column], facts: &OrgFacts, options: &Options) -> Checked {
    let mut problems: Vec<Problem> = table
        .broken
        .iter()
        .map(|b| Problem { row: b.row, column: b.column.clone(), value: None, message: b.message.clone() })
        .collect();
    let mut prepared = Vec::with_capacity(table.rows.len());
    let mut seen: HashMap<(String, String), usize> = HashMap::new();
    for (index, row) in table.rows.iter().enumerate() {
        let before = problems.len();
        let mut ctx = RowCheck { row, columns, problems: &mut problems };
        let result = ctx.check(index, facts, options, &mut seen);
        prepared.push(result.filter(|_| problems.len() == before));
    }
    problems.sort_by_key(|p| p.row);
    Checked { prepared, problems }
}

pub struct Checked {
    /// One entry per table row: `None` for an invalid row.
    pub prepared: Vec<Option<Prepared>>,
    pub problems: Vec<Problem>,
}

struct RowCheck<'a> {
    row: &'a Row,
    columns: &'a [Column],
    problems: &'a mut Vec<Problem>,
}

impl RowCheck<'_> {
    fn problem(&mut self, column: &str, value: Option<&str>, message: String) {
        self.problems.push(Problem {
            row: self.row.number,
            column: Some(column.to_owned()),
            value: value.map(str::to_owned),
            message,
        });
    }

    fn cell(&self, wanted: &Column) -> Option<&str> {
        let at = self.columns.iter().position(|c| c == wanted)?;
        Some(self.row.cell(at)).filter(|c| !c.is_empty())
    }

    fn check(
        &mut self,
        index: usize,
        facts: &OrgFacts,
        options: &Options,
        seen: &mut HashMap<(String, String), usize>,
    ) -> Option<Prepared> {
        let (user_type, type_id) = self.user_type(facts);
        let user_type = user_type?;
        let mut profile = Map::new();
        for (at, column) in self.columns.iter().enumerate() {
            let Column::Attribute(name) = column else { continue };
            let text = self.row.cell(at);
            match user_type.attributes.iter().find(|a| &a.name == name) {
                Some(attr) => {
                    if let Some(value) = self.attribute(attr, text) {
                        profile.insert(name.clone(), value);
                    }
                }
                None if text.is_empty() => {}
                None => self.problem(
                    name,
                    Some(text),
                    format!("is not an attribute of the user type {}", user_type.display_name),
                ),
            }
        }
        let login = profile.get("login").and_then(Value::as_str).unwrap_or_default().to_owned();
        self.unique(user_type, &profile, seen);
        let credentials = self.credentials(&login, options)?;
        let group_ids = self.groups(&facts.groups);
        Some(Prepared { index, row: self.row.number, login, profile, credentials, group_ids, type_id })
    }

    /// The row's user type: named in `userType` (by id, name or display
    /// name), else the org's default.
    fn user_type<'f>(&mut self, facts: &'f OrgFacts) -> (Option<&'f TypeFacts>, Option<String>) {
        let Some(given) = self.cell(&Column::UserType).map(str::to_owned) else {
            return (facts.default_type(), None);
        };
        let found = facts.types.iter().find(|t| {
            t.id == given || t.name.eq_ignore_ascii_case(&given) || t.display_name.eq_ignore_ascii_case(&given)
        });
        match found {
            Some(t) => (Some(t), Some(t.id.clone())),
            None => {
                let known = facts.types.iter().map(|t| t.name.as_str()).collect::<Vec<_>>().join(", ");
                self.problem(
                    super::columns::USER_TYPE,
                    Some(&given),
                    format!("is not a user type of this org ({known})"),
                );
                // Check the rest against the default type all the same.
                (facts.default_type(), None)
            }
        }
    }

    /// The typed value of one cell, or its problem.
    fn attribute(&mut self, attr: &crate::okta::SchemaAttribute, text: &str) -> Option<Value> {
        if text.is_empty() {
            if attr.required {
                self.problem(&attr.name, None, "is required".into());
            }
            return None;
        }
        if attr.read_only {
            self.problem(&attr.name, Some(text), "is set by the org and cannot be imported".into());
            return None;
        }
        let mut field = ProfileField::new(attr.clone());
        if field.is_choice() {
            let choices = field.choices();
            let pick = choices.iter().position(|(value, title)| {
                let plain = match value {
                    Value::String(s) => s.clone(),
                    other => other.to_string(),
                };
                plain.eq_ignore_ascii_case(text) || title.eq_ignore_ascii_case(text)
            });
            let Some(i) = pick else {
                let allowed = choices.iter().map(|(v, _)| v.to_string()).collect::<Vec<_>>().join(", ");
                self.problem(&attr.name, Some(text), format!("is not one of the allowed values: {allowed}"));
                return None;
            };
            field.choice = Some(i);
            return field.value();
        }
        // Arrays are `;`-separated here, as `groups` is; the form reads commas.
        let typed = if matches!(attr.kind, AttributeKind::Array(_)) { text.replace(';', ",") } else { text.to_owned() };
        field.input = Input::new(typed);
        if let Some(message) = field.check() {
            self.problem(&attr.name, Some(text), message);
            return None;
        }
        if let Some(pattern) = &attr.pattern
            && let Ok(re) = regex::Regex::new(&format!("^(?:{pattern})$"))
            && !re.is_match(text)
        {
            self.problem(&attr.name, Some(text), format!("does not match the pattern {pattern}"));
            return None;
        }
        let value = whole_numbers(field.value()?);
        if let (AttributeKind::Array(_), Value::Array(items)) = (&attr.kind, &value)
            && !attr.enum_values.is_empty()
            && let Some(bad) = items.iter().find(|i| !attr.enum_values.iter().any(|(v, _)| v == *i))
        {
            let allowed = attr.enum_values.iter().map(|(v, _)| v.to_string()).collect::<Vec<_>>().join(", ");
            self.problem(&attr.name, Some(text), format!("holds {bad}, not one of the allowed values: {allowed}"));
            return None;
        }
        Some(value)
    }

    /// Logins and `unique` attributes once in the file (Okta compares
    /// logins without case).
    fn unique(
        &mut self,
        user_type: &TypeFacts,
        profile: &Map<String, Value>,
        seen: &mut HashMap<(String, String), usize>,
    ) {
        let names =
            std::iter::once("login").chain(user_type.unique.iter().map(String::as_str).filter(|n| *n != "login"));
        for name in names {
            let Some(value) = profile.get(name) else { continue };
            let key = match value {
                Value::String(s) if name == "login" => s.to_lowercase(),
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            match seen.get(&(name.to_owned(), key.clone())) {
                Some(first) => {
                    let shown = value.as_str().map_or_else(|| value.to_string(), str::to_owned);
                    let first = *first;
                    self.problem(name, Some(&shown), format!("is already on row {first}; it must be unique"));
                }
                None => {
                    seen.insert((name.to_owned(), key), self.row.number);
                }
            }
        }
    }

    fn credentials(&mut self, login: &str, options: &Options) -> Option<Credentials> {
        use super::columns::{PASSWORD, RECOVERY_ANSWER, RECOVERY_QUESTION};
        let password = self.cell(&Column::Password).map(Secret::new);
        let question = self.cell(&Column::RecoveryQuestion).map(str::to_owned);
        let answer = self.cell(&Column::RecoveryAnswer).map(Secret::new);
        let mut ok = true;
        if let Some(p) = &password {
            let unmet = policy_problems(p.expose(), login);
            if options.provider {
                self.problem(
                    PASSWORD,
                    None,
                    "cannot be given with --provider (users sign in through the identity provider)".into(),
                );
                ok = false;
            } else if !unmet.is_empty() {
                self.problem(
                    PASSWORD,
                    None,
                    format!("does not meet the password policy: it needs {}", unmet.join(", ")),
                );
                ok = false;
            }
        }
        match (&question, &answer) {
            (Some(_), None) => {
                self.problem(RECOVERY_ANSWER, None, "is empty where a recovery question is given".into());
                ok = false;
            }
            (None, Some(_)) => {
                self.problem(RECOVERY_QUESTION, None, "is empty where a recovery answer is given".into());
                ok = false;
            }
            (Some(q), Some(a)) if q.chars().count() > 100 || a.expose().chars().count() > 100 => {
                self.problem(RECOVERY_QUESTION, None, "and its answer must be at most 100 characters each".into());
                ok = false;
            }
            _ => {}
        }
        if options.next_login_change_password && password.is_none() && !options.provider {
            self.problem(PASSWORD, None, "is needed by --next-login change-password".into());
            ok = false;
        }
        if !ok {
            return None;
        }
        Some(match (password, question, answer) {
            _ if options.provider => {
                Credentials::Provider { kind: ProviderType::Federation, name: "FEDERATION".into() }
            }
            (Some(password), Some(question), Some(answer)) => {
                Credentials::PasswordAndRecovery { password, question, answer }
            }
            (Some(password), _, _) => Credentials::Password(password),
            (None, Some(question), Some(answer)) => Credentials::RecoveryQuestion { question, answer },
            _ => Credentials::None,
        })
    }

    /// Group ids for the row's `groups` (names or ids, `;`-separated).
    fn groups(&mut self, groups: &[Group]) -> Vec<String> {
        use super::columns::GROUPS;
        let Some(cell) = self.cell(&Column::Groups).map(str::to_owned) else { return Vec::new() };
        let mut ids: Vec<String> = Vec::new();
        for wanted in cell.split(';').map(str::trim).filter(|s| !s.is_empty()) {
            let by_id = groups.iter().find(|g| g.id() == wanted);
            let by_name: Vec<&Group> = groups.iter().filter(|g| g.name().eq_ignore_ascii_case(wanted)).collect();
            let group: &Group = match (by_id, by_name.as_slice()) {
                (Some(g), _) => g,
                (None, [g]) => g,
                (None, []) => {
                    self.problem(GROUPS, Some(wanted), "is not a group of this org (by name or id)".into());
                    continue;
                }
                (None, _) => {
                    self.problem(GROUPS, Some(wanted), format!("names {} groups; give the id instead", by_name.len()));
                    continue;
                }
            };
            if group.kind() != "OKTA_GROUP" {
                let why =
                    if group.kind() == "BUILT_IN" { "every user is in it" } else { "its app manages its members" };
                self.problem(GROUPS, Some(wanted), format!("is a {} group; {why}", group.kind()));
                continue;
            }
            if !ids.iter().any(|id| id == group.id()) {
                ids.push(group.id().to_owned());
            }
        }
        if ids.len() > MAX_GROUP_IDS {
            self.problem(
                GROUPS,
                None,
                format!("names {} groups; a user is created in at most {MAX_GROUP_IDS}", ids.len()),
            );
        }
        ids
    }
}

/// `3` rather than `3.0`: the form parses numbers as floats, and a plan
/// shows (and the org stores) what the file says.
fn whole_numbers(value: Value) -> Value {
    match value {
        Value::Number(n) if n.as_f64().is_some_and(|f| f.fract() == 0.0 && f.abs() < 9e15) => {
            Value::from(n.as_f64().unwrap_or_default() as i64)
        }
        Value::Array(items) => Value::Array(items.into_iter().map(whole_numbers).collect()),
        other => other,
    }
}
