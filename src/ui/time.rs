//! Okta timestamps for people: short dates for columns, and absolute plus
//! relative times for the detail pane.

use jiff::{Timestamp, tz::TimeZone};

fn parse(ts: &str) -> Option<Timestamp> {
    ts.parse().ok()
}

/// `2024-06-01` (UTC), or `—` when unset.
pub fn date(ts: Option<&str>) -> String {
    match ts.and_then(parse) {
        Some(t) => t.to_zoned(TimeZone::UTC).strftime("%Y-%m-%d").to_string(),
        None => "—".into(),
    }
}

/// `3d ago`, `5h ago`, `just now`, `in 2d`.
pub fn relative(ts: &str, now: Timestamp) -> Option<String> {
    let t = parse(ts)?;
    let secs = now.as_second() - t.as_second();
    let (n, unit) = match secs.unsigned_abs() {
        s if s < 60 => return Some("just now".into()),
        s if s < 3600 => (s / 60, "m"),
        s if s < 86_400 => (s / 3600, "h"),
        s if s < 86_400 * 60 => (s / 86_400, "d"),
        s if s < 86_400 * 730 => (s / (86_400 * 30), "mo"),
        s => (s / (86_400 * 365), "y"),
    };
    Some(if secs >= 0 { format!("{n}{unit} ago") } else { format!("in {n}{unit}") })
}

/// `2024-06-01 10:00 UTC (3d ago)`.
pub fn absolute_and_relative(ts: &str, now: Timestamp) -> String {
    match parse(ts) {
        Some(t) => {
            let abs = t.to_zoned(TimeZone::UTC).strftime("%Y-%m-%d %H:%M UTC").to_string();
            match relative(ts, now) {
                Some(rel) => format!("{abs} ({rel})"),
                None => abs,
            }
        }
        None => ts.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_times_read_naturally() {
        let now: Timestamp = "2024-06-10T00:00:00Z".parse().unwrap();
        assert_eq!(relative("2024-06-07T00:00:00.000Z", now).as_deref(), Some("3d ago"));
        assert_eq!(relative("2024-06-09T19:00:00.000Z", now).as_deref(), Some("5h ago"));
        assert_eq!(relative("2024-06-09T23:59:30.000Z", now).as_deref(), Some("just now"));
        assert_eq!(relative("2021-06-09T00:00:00.000Z", now).as_deref(), Some("3y ago"));
        assert_eq!(date(Some("2024-06-01T10:00:00.000Z")), "2024-06-01");
        assert_eq!(date(None), "—");
    }
}
