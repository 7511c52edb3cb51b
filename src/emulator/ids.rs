//! Okta-shaped identifiers and timestamps.
//!
//! Ids are a three-letter prefix (`00u` users, `00g` groups, `oty` user
//! types, `osc` schemas) and 17 base62 characters. The first eight encode
//! a sequence number so that listing by id lists in creation order, as a
//! real org roughly does; the rest are random.

use jiff::Timestamp;

const BASE62: &[u8; 62] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

pub fn okta_id(prefix: &str, seq: u64, rng: &mut fastrand::Rng) -> String {
    let mut id = String::with_capacity(20);
    id.push_str(prefix);
    let mut digits = [b'0'; 8];
    let mut n = seq;
    for d in digits.iter_mut().rev() {
        *d = BASE62[(n % 62) as usize];
        n /= 62;
    }
    id.push_str(std::str::from_utf8(&digits).unwrap_or("00000000"));
    for _ in 0..9 {
        id.push(BASE62[rng.usize(..62)] as char);
    }
    id
}

pub fn is_okta_id(prefix: &str, s: &str) -> bool {
    s.len() == 20 && s.starts_with(prefix) && s[3..].bytes().all(|b| b.is_ascii_alphanumeric())
}

/// A request or error id in the style Okta uses (`oae…` for errors).
pub fn opaque_id(prefix: &str, rng: &mut fastrand::Rng) -> String {
    let mut id = String::from(prefix);
    for _ in 0..22 {
        id.push(BASE62[rng.usize(..62)] as char);
    }
    id
}

/// Milliseconds since the epoch, the unit the store keeps times in.
pub type Millis = i64;

pub fn now_millis() -> Millis {
    Timestamp::now().as_millisecond()
}

/// `YYYY-MM-DDTHH:mm:ss.SSSZ`, exactly as Okta writes it.
pub fn format_millis(ms: Millis) -> String {
    match Timestamp::from_millisecond(ms) {
        Ok(ts) => ts.strftime("%Y-%m-%dT%H:%M:%S.%3fZ").to_string(),
        Err(_) => "1970-01-01T00:00:00.000Z".to_owned(),
    }
}

pub fn parse_millis(s: &str) -> Option<Millis> {
    s.parse::<Timestamp>().ok().map(|t| t.as_millisecond())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_okta_shaped_and_ordered_by_sequence() {
        let mut rng = fastrand::Rng::with_seed(1);
        let a = okta_id("00u", 5, &mut rng);
        let b = okta_id("00u", 62, &mut rng);
        assert!(is_okta_id("00u", &a), "{a}");
        assert!(a < b);
    }

    #[test]
    fn timestamps_round_trip_in_okta_format() {
        let s = format_millis(1_700_000_000_123);
        assert_eq!(s, "2023-11-14T22:13:20.123Z");
        assert_eq!(parse_millis(&s), Some(1_700_000_000_123));
    }
}
