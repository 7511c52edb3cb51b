//! The timeline's filters and the System Log query they make.

use super::{PAGE, Scope};
use crate::okta::logs::{LogQuery, SortOrder};
use jiff::{SignedDuration, Timestamp};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Kind {
    #[default]
    All,
    Lifecycle,
    Account,
    SignIns,
    Mfa,
    Membership,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Outcome {
    #[default]
    All,
    Failures,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Range {
    Day,
    Week,
    /// A month by default: Okta's own default (a week) too often shows an
    /// empty screen for a user who was quiet lately; paging stays lazy.
    #[default]
    Month,
    /// Okta keeps 90 days.
    Retention,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Filters {
    pub kind: Kind,
    pub outcome: Outcome,
    pub range: Range,
}

impl Kind {
    pub fn next(self) -> Self {
        match self {
            Kind::All => Kind::Lifecycle,
            Kind::Lifecycle => Kind::Account,
            Kind::Account => Kind::SignIns,
            Kind::SignIns => Kind::Mfa,
            Kind::Mfa => Kind::Membership,
            Kind::Membership => Kind::All,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Kind::All => "all events",
            Kind::Lifecycle => "lifecycle",
            Kind::Account => "profile & password",
            Kind::SignIns => "sign-ins",
            Kind::Mfa => "MFA",
            Kind::Membership => "groups & apps",
        }
    }

    fn condition(self) -> Option<&'static str> {
        Some(match self {
            Kind::All => return None,
            Kind::Lifecycle => r#"eventType sw "user.lifecycle""#,
            Kind::Account => r#"eventType sw "user.account""#,
            Kind::SignIns => r#"eventType sw "user.session" or eventType sw "user.authentication""#,
            Kind::Mfa => r#"eventType sw "user.mfa""#,
            Kind::Membership => r#"eventType sw "group.user_membership" or eventType sw "application.user_membership""#,
        })
    }
}

impl Outcome {
    pub fn next(self) -> Self {
        match self {
            Outcome::All => Outcome::Failures,
            Outcome::Failures => Outcome::All,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Outcome::All => "any outcome",
            Outcome::Failures => "failures",
        }
    }
}

impl Range {
    pub fn next(self) -> Self {
        match self {
            Range::Day => Range::Week,
            Range::Week => Range::Month,
            Range::Month => Range::Retention,
            Range::Retention => Range::Day,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Range::Day => "24h",
            Range::Week => "7d",
            Range::Month => "30d",
            Range::Retention => "90d",
        }
    }

    fn days(self) -> i64 {
        match self {
            Range::Day => 1,
            Range::Week => 7,
            Range::Month => 30,
            Range::Retention => 90,
        }
    }
}

impl Filters {
    /// The filter expression for `scope` under these filters.
    fn filter(&self, scope: &Scope) -> Option<String> {
        let mut query = LogQuery::default();
        if let Scope::User { id, .. } = scope {
            query = query.and_filter(LogQuery::involving(id));
        }
        if let Some(kind) = self.kind.condition() {
            query = query.and_filter(kind);
        }
        if self.outcome == Outcome::Failures {
            query = query.and_filter(r#"outcome.result eq "FAILURE" or outcome.result eq "DENY""#);
        }
        query.filter
    }

    /// Newest first over the range up to `now`: a bounded query, which
    /// pages in order and ends.
    pub fn bounded(&self, scope: &Scope, now: Timestamp) -> LogQuery {
        LogQuery {
            since: now.checked_sub(SignedDuration::from_hours(24 * self.range.days())).ok(),
            until: Some(now),
            filter: self.filter(scope),
            limit: Some(PAGE),
            sort_order: SortOrder::Descending,
            ..LogQuery::default()
        }
    }

    /// A poll from `since` on: no `until`, ascending, so the org gives a
    /// `next` link on every page to come back to.
    pub fn polling(&self, scope: &Scope, since: Timestamp) -> LogQuery {
        LogQuery { since: Some(since), filter: self.filter(scope), limit: Some(PAGE), ..LogQuery::default() }
    }
}
