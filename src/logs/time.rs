//! Times on the command line: ISO 8601 (`2026-12-01T08:00:00Z`, or a date
//! for its midnight UTC) or a span back from now (`30m`, `2h`, `7d`, `2w`).

use jiff::{SignedDuration, Timestamp, civil::Date, tz::TimeZone};

pub fn parse_time(text: &str, now: Timestamp) -> Result<Timestamp, String> {
    let text = text.trim();
    if let Some(span) = relative(text) {
        return now.checked_sub(span).map_err(|e| format!("'{text}' goes back too far: {e}"));
    }
    if let Ok(t) = text.parse::<Timestamp>() {
        return Ok(t);
    }
    if let Ok(date) = text.parse::<Date>() {
        return date.to_zoned(TimeZone::UTC).map(|z| z.timestamp()).map_err(|e| e.to_string());
    }
    Err(format!(
        "'{text}' is not a time: use ISO 8601 (2026-12-01T08:00:00Z, or 2026-12-01) or a span back from now (30m, 2h, 7d, 2w)"
    ))
}

/// `N` followed by s, m, h, d or w.
fn relative(text: &str) -> Option<SignedDuration> {
    let unit = text.chars().last()?;
    let seconds = match unit {
        's' => 1,
        'm' => 60,
        'h' => 3_600,
        'd' => 86_400,
        'w' => 7 * 86_400,
        _ => return None,
    };
    let n: i64 = text[..text.len() - 1].parse().ok().filter(|n| *n >= 0)?;
    Some(SignedDuration::from_secs(n.checked_mul(seconds)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_dates_and_spans_back_from_now() {
        let now: Timestamp = "2026-12-02T10:00:00Z".parse().unwrap();
        let at = |s| parse_time(s, now).map(|t| t.to_string());
        assert_eq!(at("2h").unwrap(), "2026-12-02T08:00:00Z");
        assert_eq!(at("30m").unwrap(), "2026-12-02T09:30:00Z");
        assert_eq!(at("7d").unwrap(), "2026-11-25T10:00:00Z");
        assert_eq!(at("1w").unwrap(), "2026-11-25T10:00:00Z");
        assert_eq!(at("2026-12-01T08:00:00.5Z").unwrap(), "2026-12-01T08:00:00.5Z");
        assert_eq!(at("2026-12-01").unwrap(), "2026-12-01T00:00:00Z");
        assert!(at("yesterday").unwrap_err().contains("not a time"));
        assert!(at("-2h").is_err() && at("h").is_err() && at("99999999999999w").is_err());
    }
}
