//! `GET /api/v1/logs` over the log's sources (API-NOTES §10.3): what the
//! parameters mean, Okta's errors for bad ones, and one page of events.
//!
//! Every source yields events in key order from any position, so a page
//! merges them without materialising the log. Events are recorded in
//! `published` order, so persistence time and `published` agree: polling
//! and bounded queries walk the same order and differ only in their
//! `next` link (always there when polling, absent after the last page of a
//! bounded query).

use super::event::{Key, LogEvent};
use crate::emulator::http::Params;
use crate::emulator::http::error::OktaError;
use crate::emulator::ids::Millis;
use crate::emulator::ids::UserId;
use crate::expr::{self, Collection, Expr, Literal, Matcher, Mode, Op};
use axum::http::StatusCode;
use serde_json::Value;

const DAY: Millis = 86_400_000;
/// `since` defaults to this long before `until`.
const DEFAULT_WINDOW: Millis = 7 * DAY;
/// `since` may reach back this far and no further.
const MAX_LOOKBACK: Millis = 180 * DAY;
const DEFAULT_LIMIT: usize = 100;
const MAX_LIMIT: usize = 1000;
const MAX_KEYWORDS: usize = 10;
const MAX_KEYWORD_CHARS: usize = 40;
/// Events one request may examine: a filter that matches nothing in a
/// large org ends a page early, with a `next` link where it stopped, as
/// Okta's time-limited queries do, rather than scanning millions.
const SCAN_BUDGET: usize = 50_000;

/// Events in key order from any position.
pub trait Source {
    /// Events after `from` (ascending) or before it (descending).
    fn scan(&self, from: Key, descending: bool) -> Box<dyn Iterator<Item = LogEvent> + '_>;

    /// The same, where only events about `about` can match: a source may
    /// leave out anyone else's.
    fn scan_about(&self, from: Key, descending: bool, about: &About) -> Box<dyn Iterator<Item = LogEvent> + '_> {
        let _ = about;
        self.scan(from, descending)
    }
}

/// The users a filter can only match events of, when it says so
/// (`target.id eq` or `actor.id eq` a user, and-ed with anything or or-ed
/// with more of the same). A generated source uses it to skip everyone
/// else's events without rendering them; the filter still decides.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct About {
    pub targets: Vec<UserId>,
    pub actors: Vec<UserId>,
}

impl About {
    fn of(e: &Expr) -> Option<Self> {
        match e {
            Expr::Compare { attr, op: Op::Eq, value: Literal::String(v) } => {
                let id = UserId::parse(v)?;
                match attr.as_str() {
                    "target.id" => Some(Self { targets: vec![id], actors: Vec::new() }),
                    "actor.id" => Some(Self { targets: Vec::new(), actors: vec![id] }),
                    _ => None,
                }
            }
            Expr::And(a, b) => Self::of(a).or_else(|| Self::of(b)),
            Expr::Or(a, b) => {
                let (mut a, b) = (Self::of(a)?, Self::of(b)?);
                a.targets.extend(b.targets);
                a.actors.extend(b.actors);
                Some(a)
            }
            _ => None,
        }
    }
}

/// Events kept in key order in memory.
pub fn scan_slice(events: &[LogEvent], from: Key, descending: bool) -> Box<dyn Iterator<Item = LogEvent> + '_> {
    if descending {
        let end = events.partition_point(|e| e.key < from);
        Box::new(events[..end].iter().rev().cloned())
    } else {
        let start = events.partition_point(|e| e.key <= from);
        Box::new(events[start..].iter().cloned())
    }
}

impl Source for &[LogEvent] {
    fn scan(&self, from: Key, descending: bool) -> Box<dyn Iterator<Item = LogEvent> + '_> {
        scan_slice(self, from, descending)
    }
}

/// A parsed request.
pub struct LogQuery {
    /// Where the page starts, exclusive, in the direction of the sort.
    from: Key,
    /// Ascending: events published before this; descending: at or after it.
    bound: Option<Millis>,
    matcher: Option<Matcher>,
    about: Option<About>,
    keywords: Vec<String>,
    limit: usize,
    pub descending: bool,
    /// No `until`, ascending: the page always has a `next` link.
    pub polling: bool,
}

/// One answer: the events and, when there is one, the `next` cursor.
pub struct Page {
    pub events: Vec<Value>,
    pub next: Option<Key>,
}

fn invalid(param: &str, problems: &[&str]) -> OktaError {
    let summary = problems.iter().map(|p| format!("'{param}': {p}")).collect::<Vec<_>>().join(" ");
    let error = OktaError::new(StatusCode::BAD_REQUEST, "E0000001", format!("Api validation failed: {summary}"));
    problems.iter().fold(error, |e, p| e.with_cause(format!("{param}: {p}")))
}

fn invalid_parameter(text: &str) -> OktaError {
    OktaError::new(StatusCode::BAD_REQUEST, "E0000053", format!("Invalid parameter: {text}"))
}

fn time(params: &Params, name: &str) -> Result<Option<Millis>, OktaError> {
    match params.get(name) {
        None | Some("") => Ok(None),
        Some(text) => text.trim().parse::<jiff::Timestamp>().map(|t| Some(t.as_millisecond())).map_err(|_| {
            invalid(
                name,
                &[
                    "The date format in your query is not recognized. Please enter dates using ISO8601 string format.",
                    "must be a valid date-time or empty.",
                ],
            )
        }),
    }
}

fn limit(params: &Params) -> Result<usize, OktaError> {
    match params.get("limit") {
        None | Some("") => Ok(DEFAULT_LIMIT),
        Some(text) => {
            text.trim().parse::<usize>().ok().filter(|n| *n <= MAX_LIMIT).ok_or_else(|| {
                invalid("limit", &[&format!("must be a number between 0 and {MAX_LIMIT}, not '{text}'.")])
            })
        }
    }
}

/// Fields whose `co` Okta refuses, with its own error code.
const NO_CONTAINS: [&str; 2] = ["debugContext.debugData.url", "debugContext.debugData.requestUri"];

fn refused_contains(e: &Expr) -> Option<&str> {
    match e {
        Expr::And(a, b) | Expr::Or(a, b) => refused_contains(a).or_else(|| refused_contains(b)),
        Expr::Compare { attr, op: Op::Co, .. } if NO_CONTAINS.contains(&attr.as_str()) => Some(attr),
        _ => None,
    }
}

fn filter(params: &Params) -> Result<Option<(Matcher, Option<About>)>, OktaError> {
    let Some(text) = params.get("filter").filter(|f| !f.trim().is_empty()) else { return Ok(None) };
    let parsed = expr::parse_for(text, Mode::Search, Collection::Logs).map_err(|e| {
        OktaError::new(StatusCode::BAD_REQUEST, "E0000053", format!("Invalid filter '{text}': {}", e.message))
    })?;
    if let Some(field) = refused_contains(&parsed) {
        return Err(OktaError::new(
            StatusCode::BAD_REQUEST,
            "E0000031",
            format!(
                "The supplied combination of operator and field is not currently supported. Operator: co, Field: {field}"
            ),
        ));
    }
    Ok(Some((Matcher::new(&parsed, Mode::Search), About::of(&parsed))))
}

fn keywords(params: &Params) -> Result<Vec<String>, OktaError> {
    let words: Vec<String> = params.get("q").unwrap_or_default().split_whitespace().map(str::to_lowercase).collect();
    if words.iter().any(|w| w.chars().count() > MAX_KEYWORD_CHARS) {
        return Err(invalid(
            "q",
            &[
                "Freeform search cannot contain items longer than 40 characters. Please shorten the items in your search or use an advanced filter to query by specific fields.",
            ],
        ));
    }
    if words.len() > MAX_KEYWORDS {
        return Err(invalid(
            "q",
            &[
                "Freeform search cannot contain more than 10 items. Please remove items from your search or use an advanced filter to query by specific fields.",
            ],
        ));
    }
    Ok(words)
}

impl LogQuery {
    pub fn parse(params: &Params, now: Millis) -> Result<Self, OktaError> {
        let descending = match params.get("sortOrder").map(str::to_ascii_uppercase).as_deref() {
            None | Some("" | "ASCENDING") => false,
            Some("DESCENDING") => true,
            Some(_) => return Err(invalid("sortOrder", &["must be ASCENDING or DESCENDING."])),
        };
        let (since, until) = (time(params, "since")?, time(params, "until")?);
        if since.is_some_and(|s| s < now - MAX_LOOKBACK) {
            return Err(invalid_parameter("The since parameter is over 180 days prior to the current day."));
        }
        let after = match params.get("after") {
            None | Some("") => None,
            Some(a) => Some(Key::parse_cursor(a).ok_or_else(OktaError::invalid_cursor)?),
        };
        if after.is_some() && since.is_some() && !descending {
            return Err(invalid("after", &["since and after can't be used in the same request."]));
        }
        // Events published in the current millisecond count as before "now".
        let end = until.unwrap_or(now + 1);
        let start = since.unwrap_or(end - DEFAULT_WINDOW);
        let (from, bound) = if descending {
            (after.unwrap_or(Key::before(end)), Some(start))
        } else {
            (after.unwrap_or(Key::before(start)), until)
        };
        let (matcher, about) = match filter(params)? {
            Some((m, about)) => (Some(m), about),
            None => (None, None),
        };
        Ok(Self {
            from,
            bound,
            matcher,
            about,
            keywords: keywords(params)?,
            limit: limit(params)?,
            descending,
            polling: until.is_none() && !descending,
        })
    }

    fn in_bounds(&self, key: Key) -> bool {
        match (self.bound, self.descending) {
            (None, _) => true,
            (Some(until), false) => key.published < until,
            (Some(since), true) => key.published >= since,
        }
    }

    fn matches(&self, event: &Value) -> bool {
        self.matcher.as_ref().is_none_or(|m| m.matches(event)) && self.keywords.iter().all(|k| mentions(event, k))
    }

    /// One page from `sources`, merged in key order.
    pub fn run(&self, sources: &[&dyn Source]) -> Page {
        let mut streams: Vec<_> = sources
            .iter()
            .map(|s| match &self.about {
                Some(about) => s.scan_about(self.from, self.descending, about),
                None => s.scan(self.from, self.descending),
            })
            .map(Iterator::peekable)
            .collect();
        let mut events = Vec::new();
        let mut position = self.from;
        let mut scanned = 0;
        let mut more = false;
        loop {
            let best = streams
                .iter_mut()
                .enumerate()
                .filter_map(|(i, s)| s.peek().map(|e| (i, e.key)))
                .reduce(|a, b| if (b.1 < a.1) != self.descending { b } else { a });
            let Some((i, key)) = best else { break };
            if !self.in_bounds(key) {
                break;
            }
            let Some(event) = streams[i].peek() else { break };
            if self.matches(&event.json) {
                if events.len() == self.limit {
                    more = true;
                    break;
                }
                events.push(event.json.clone());
            }
            streams[i].next();
            position = key;
            scanned += 1;
            if scanned >= SCAN_BUDGET {
                more = true;
                break;
            }
        }
        Page { events, next: (self.polling || more).then_some(position) }
    }
}

/// Whether a keyword is one of the event's values or a word of one. Okta
/// matches keywords whole ("all supplied keywords must be matched
/// exactly"), splitting values at hyphens among other separators.
fn mentions(value: &Value, keyword: &str) -> bool {
    match value {
        Value::String(s) => {
            s.to_lowercase() == keyword
                || s.split(|c: char| c.is_whitespace() || "-/?&=:,@;".contains(c))
                    .any(|word| word.to_lowercase() == keyword)
        }
        Value::Number(n) => n.to_string() == keyword,
        Value::Array(items) => items.iter().any(|v| mentions(v, keyword)),
        Value::Object(map) => map.values().any(|v| mentions(v, keyword)),
        Value::Bool(_) | Value::Null => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn about(filter: &str) -> Option<About> {
        About::of(&expr::parse_for(filter, Mode::Search, Collection::Logs).ok()?)
    }

    #[test]
    fn only_filters_that_pin_users_narrow_the_scan() {
        let (a, b) = ("00u0000000000000000a", "00u0000000000000000b");
        let id = |s| UserId::parse(s).into_iter().collect::<Vec<_>>();
        let pinned = about(&format!(r#"target.id eq "{a}" and eventType sw "user.""#));
        assert_eq!(pinned, Some(About { targets: id(a), actors: Vec::new() }));
        let either = about(&format!(r#"target.id eq "{a}" or actor.id eq "{b}""#));
        assert_eq!(either, Some(About { targets: id(a), actors: id(b) }));
        for open in [
            format!(r#"target.id eq "{a}" or eventType eq "user.session.start""#),
            format!(r#"target.id sw "{a}""#),
            r#"target.id eq "0oa0000000000000000a""#.to_owned(),
            r#"eventType eq "user.account.lock""#.to_owned(),
        ] {
            assert_eq!(about(&open), None, "{open} may match anyone's events");
        }
    }

    #[test]
    fn keywords_match_whole_words_of_any_value_ignoring_case() {
        let event = json!({ "client": { "geographicalContext": { "city": "San Francisco" } }, "t": "XOxBw-2JIRn" });
        for hit in ["san", "FRANCISCO", "xoxbw", "2jirn", "xoxbw-2jirn"] {
            assert!(mentions(&event, &hit.to_lowercase()), "{hit}");
        }
        for miss in ["fran", "xox"] {
            assert!(!mentions(&event, miss), "{miss}");
        }
    }
}
