//! What each column of an import file is: a profile attribute (by its
//! schema variable name, as in Okta's import template) or one of the
//! columns that are not attributes (`password`, `recoveryQuestion`,
//! `recoveryAnswer`, `groups`, `userType`). Unknown columns are refused
//! with the closest names, so a typo is fixed before anything is sent.

use super::Problem;

pub const PASSWORD: &str = "password";
pub const RECOVERY_QUESTION: &str = "recoveryQuestion";
pub const RECOVERY_ANSWER: &str = "recoveryAnswer";
pub const GROUPS: &str = "groups";
pub const USER_TYPE: &str = "userType";

/// The columns Okta's template makes mandatory.
pub const REQUIRED: [&str; 4] = ["login", "firstName", "lastName", "email"];

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Column {
    Attribute(String),
    Password,
    RecoveryQuestion,
    RecoveryAnswer,
    Groups,
    UserType,
    /// A header cell left empty over an empty column (spreadsheets pad).
    Blank,
    /// A header that names nothing the org knows (reported once, on the
    /// header row; its cells are not read).
    Unknown,
}

impl Column {
    /// Never shown: not in a report, the results file or a log.
    pub fn is_secret(&self) -> bool {
        matches!(self, Column::Password | Column::RecoveryAnswer)
    }
}

/// Each header as a column, given every attribute name the org's user
/// types know and those the default type requires, with the problems of
/// the header row (row 1): the rows are still checked, so that every
/// problem of the file is reported at once.
pub fn columns(headers: &[String], attributes: &[String], required: &[String]) -> (Vec<Column>, Vec<Problem>) {
    let mut problems = Vec::new();
    let mut columns = Vec::with_capacity(headers.len());
    for (i, header) in headers.iter().enumerate() {
        let column = match header.as_str() {
            "" => Column::Blank,
            PASSWORD => Column::Password,
            RECOVERY_QUESTION => Column::RecoveryQuestion,
            RECOVERY_ANSWER => Column::RecoveryAnswer,
            GROUPS => Column::Groups,
            // `userType` is also a base attribute (a free-text label);
            // Okta's import uses the column for the user type, as here.
            USER_TYPE => Column::UserType,
            name if attributes.iter().any(|a| a == name) => Column::Attribute(name.to_owned()),
            name => {
                let near = closest(name, attributes);
                let hint = if near.is_empty() {
                    String::new()
                } else {
                    format!(
                        "; did you mean {}?",
                        near.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(" or ")
                    )
                };
                problems.push(Problem::header(
                    header,
                    format!("is not a profile attribute of this org{hint} (oktui import --template lists them)"),
                ));
                columns.push(Column::Unknown);
                continue;
            }
        };
        if column != Column::Blank && headers[..i].contains(header) {
            problems.push(Problem::header(header, "appears twice in the header".into()));
        }
        columns.push(column);
    }
    let mut wanted: Vec<&str> = REQUIRED.to_vec();
    wanted.extend(required.iter().map(String::as_str).filter(|r| !REQUIRED.contains(r)));
    for required in wanted {
        if !headers.iter().any(|h| h == required) {
            problems.push(Problem::header(required, "is a required column and is missing".into()));
        }
    }
    let has = |c: &str| headers.iter().any(|h| h == c);
    if has(RECOVERY_QUESTION) != has(RECOVERY_ANSWER) {
        problems.push(Problem::header(
            if has(RECOVERY_QUESTION) { RECOVERY_ANSWER } else { RECOVERY_QUESTION },
            "is missing: a recovery question needs both recoveryQuestion and recoveryAnswer".into(),
        ));
    }
    (columns, problems)
}

/// Up to three names most like `name` (case and typos forgiven).
fn closest(name: &str, candidates: &[String]) -> Vec<String> {
    let extra = [PASSWORD, RECOVERY_QUESTION, RECOVERY_ANSWER, GROUPS, USER_TYPE];
    let lower = name.to_lowercase();
    let mut scored: Vec<(f64, &str)> = candidates
        .iter()
        .map(String::as_str)
        .chain(extra)
        .map(|c| (strsim::jaro_winkler(&lower, &c.to_lowercase()), c))
        .filter(|(score, _)| *score >= 0.8)
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0));
    let mut out: Vec<String> = Vec::new();
    for (_, c) in scored {
        if !out.iter().any(|o| o == c) && out.len() < 3 {
            out.push(c.to_owned());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn unknown_columns_name_the_closest_attributes() {
        let attrs = names(&["login", "firstName", "lastName", "email", "department", "employmentType"]);
        let headers = names(&["login", "firstname", "lastName", "email", "departmnt", "zzz", "groups"]);
        let (cols, problems) = columns(&headers, &attrs, &[]);
        assert_eq!(cols[5], Column::Unknown);
        let text: Vec<String> = problems.iter().map(ToString::to_string).collect();
        assert_eq!(text.len(), 4, "{text:#?}");
        assert!(text[0].contains("firstname") && text[0].contains("`firstName`"), "{}", text[0]);
        assert!(text[1].contains("`department`"), "{}", text[1]);
        assert!(text[2].contains("zzz") && !text[2].contains("did you mean"), "{}", text[2]);
        assert!(text[3].contains("firstName") && text[3].contains("required"), "{}", text[3]);
    }

    #[test]
    fn known_columns_and_required_ones() {
        let attrs = names(&["login", "firstName", "lastName", "email"]);
        let headers = names(&["email", "login", "firstName", "lastName", "password", "groups", "userType", ""]);
        let (cols, problems) = columns(&headers, &attrs, &names(&["costCenter"]));
        assert_eq!(problems.len(), 1, "costCenter, required by the schema, has no column");
        assert_eq!(cols[4], Column::Password);
        assert_eq!(cols[7], Column::Blank);
        let (_, missing) = columns(&names(&["login", "email"]), &attrs, &[]);
        assert_eq!(missing.len(), 2);
    }
}
