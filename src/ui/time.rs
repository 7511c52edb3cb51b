//! Okta timestamps for people: short dates for columns, and absolute plus
//! relative times for the detail pane.

use jiff::{Timestamp, tz::TimeZone};

/// `2024-06-01` (UTC), or `—` when unset.
pub fn date(ts: Option<Timestamp>) -> String {
    match ts {
        Some(t) => t.to_zoned(TimeZone::UTC).strftime("%Y-%m-%d").to_string(),
        None => "—".into(),
    }
}

/// `3d ago`, `5h ago`, `just now`, `in 2d`.
pub fn relative(t: Timestamp, now: Timestamp) -> String {
    let secs = now.as_second() - t.as_second();
    let (n, unit) = match secs.unsigned_abs() {
        s if s < 60 => return "just now".into(),
        s if s < 3600 => (s / 60, "m"),
        s if s < 86_400 => (s / 3600, "h"),
        s if s < 86_400 * 60 => (s / 86_400, "d"),
        s if s < 86_400 * 730 => (s / (86_400 * 30), "mo"),
        s => (s / (86_400 * 365), "y"),
    };
    if secs >= 0 { format!("{n}{unit} ago") } else { format!("in {n}{unit}") }
}

/// `2024-06-01 10:00 UTC (3d ago)` for an Okta timestamp string; text that
/// is not a timestamp is shown as it is.
pub fn absolute_and_relative(ts: &str, now: Timestamp) -> String {
    match ts.parse::<Timestamp>() {
        Ok(t) => {
            let abs = t.to_zoned(TimeZone::UTC).strftime("%Y-%m-%d %H:%M UTC");
            format!("{abs} ({})", relative(t, now))
        }
        Err(_) => ts.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ts(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    #[test]
    fn relative_times_read_naturally() {
        let now = ts("2024-06-10T00:00:00Z");
        assert_eq!(relative(ts("2024-06-07T00:00:00.000Z"), now), "3d ago");
        assert_eq!(relative(ts("2024-06-09T19:00:00.000Z"), now), "5h ago");
        assert_eq!(relative(ts("2024-06-09T23:59:30.000Z"), now), "just now");
        assert_eq!(relative(ts("2021-06-09T00:00:00.000Z"), now), "3y ago");
        assert_eq!(relative(ts("2024-06-12T00:00:00.000Z"), now), "in 2d");
        assert_eq!(date(Some(ts("2024-06-01T10:00:00.000Z"))), "2024-06-01");
        assert_eq!(date(None), "—");
        assert_eq!(absolute_and_relative("not a time", now), "not a time");
    }
}
