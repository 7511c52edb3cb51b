//! Parameters of `GET /api/v1/logs`.
//!
//! Okta answers two kinds of request differently (API-NOTES §10.3): with
//! `until` the query is *bounded* (events by `published`, in order, the
//! last page has no `next`); without it, ascending, it is a *poll* (a
//! `next` link on every page, even an empty one, to tail the log).

use jiff::Timestamp;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SortOrder {
    #[default]
    Ascending,
    Descending,
}

/// What to read from the System Log. Empty fields are not sent.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LogQuery {
    pub since: Option<Timestamp>,
    pub until: Option<Timestamp>,
    /// SCIM expression on event fields, e.g. `eventType sw "user.lifecycle"`.
    pub filter: Option<String>,
    /// Keywords, all of which must match.
    pub q: Option<String>,
    /// Events per page (Okta: 0 to 1000, default 100).
    pub limit: Option<u32>,
    pub sort_order: SortOrder,
}

/// Okta's largest page.
pub const MAX_LIMIT: u32 = 1000;

impl LogQuery {
    /// Events where `id` is the actor or a target.
    pub fn involving(id: &str) -> String {
        let id = crate::expr::quote(id);
        format!("actor.id eq {id} or target.id eq {id}")
    }

    /// Adds `condition` to the filter (both must hold).
    pub fn and_filter(mut self, condition: impl Into<String>) -> Self {
        let condition = condition.into();
        self.filter = Some(match self.filter.take().filter(|f| !f.trim().is_empty()) {
            Some(existing) => format!("({existing}) and ({condition})"),
            None => condition,
        });
        self
    }

    /// A poll: no `until`, ascending, so every page has a `next` link.
    pub fn is_polling(&self) -> bool {
        self.until.is_none() && self.sort_order == SortOrder::Ascending
    }

    pub(crate) fn params(&self) -> Vec<(&'static str, String)> {
        let mut out = Vec::new();
        if let Some(since) = self.since {
            out.push(("since", iso(since)));
        }
        if let Some(until) = self.until {
            out.push(("until", iso(ceil_millis(until))));
        }
        for (key, value) in [("filter", &self.filter), ("q", &self.q)] {
            if let Some(v) = value.as_ref().filter(|v| !v.trim().is_empty()) {
                out.push((key, v.clone()));
            }
        }
        if let Some(limit) = self.limit {
            out.push(("limit", limit.min(MAX_LIMIT).to_string()));
        }
        if self.sort_order == SortOrder::Descending {
            out.push(("sortOrder", "DESCENDING".to_owned()));
        }
        out
    }
}

/// `until` is exclusive and Okta's times are whole milliseconds: rounded
/// down, an event published earlier in the same millisecond as `until`
/// would be left out.
fn ceil_millis(t: Timestamp) -> Timestamp {
    match t.subsec_nanosecond() % 1_000_000 {
        0 => t,
        part => t.checked_add(jiff::SignedDuration::from_nanos(i64::from(1_000_000 - part))).unwrap_or(t),
    }
}

/// Milliseconds, UTC, as Okta writes `published`.
fn iso(t: Timestamp) -> String {
    t.strftime("%Y-%m-%dT%H:%M:%S%.3fZ").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn until_rounds_up_to_keep_its_own_millisecond() {
        let at = |s: &str| LogQuery { until: Some(s.parse().unwrap()), ..LogQuery::default() }.params();
        assert_eq!(at("2026-12-02T08:00:00.331400Z"), vec![("until", "2026-12-02T08:00:00.332Z".to_owned())]);
        assert_eq!(at("2026-12-02T08:00:00.331Z"), vec![("until", "2026-12-02T08:00:00.331Z".to_owned())]);
    }

    #[test]
    fn parameters_as_okta_names_them() {
        let since: Timestamp = "2026-12-01T00:00:00Z".parse().unwrap();
        let query = LogQuery {
            since: Some(since),
            q: Some(" ".into()),
            limit: Some(5000),
            sort_order: SortOrder::Descending,
            ..LogQuery::default()
        }
        .and_filter(LogQuery::involving("00u\"1"))
        .and_filter("eventType sw \"user.lifecycle\"");
        assert_eq!(
            query.params(),
            vec![
                ("since", "2026-12-01T00:00:00.000Z".to_owned()),
                (
                    "filter",
                    r#"(actor.id eq "00u\"1" or target.id eq "00u\"1") and (eventType sw "user.lifecycle")"#.into()
                ),
                ("limit", "1000".into()),
                ("sortOrder", "DESCENDING".into()),
            ]
        );
        assert!(!query.is_polling());
        assert!(LogQuery::default().is_polling());
    }
}
