//! Okta-shaped identifiers and timestamps.
//!
//! Ids are a three-letter prefix (`00u` users, `00g` groups, `oty` user
//! types, `osc` schemas) and 17 base62 characters. The first eight encode
//! a sequence number so that listing by id lists in creation order, as a
//! real org roughly does; the other nine are a hash of the org seed and the
//! sequence number, so an org built from the same seed has the same ids
//! (synthetic users need no stored id to be found again after a restart).

use jiff::Timestamp;

const BASE62: &[u8; 62] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/// A user id, kept inline so a million of them cost no allocations.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct UserId([u8; 20]);

impl UserId {
    pub fn parse(s: &str) -> Option<Self> {
        if !is_okta_id("00u", s) {
            return None;
        }
        let mut bytes = [0u8; 20];
        bytes.copy_from_slice(s.as_bytes());
        Some(Self(bytes))
    }

    pub fn as_str(&self) -> &str {
        // Built only from ASCII by `parse` and `okta_id`.
        std::str::from_utf8(&self.0).unwrap_or("00u00000000000000000")
    }

    /// The creation sequence number encoded in the id.
    pub fn seq(&self) -> u64 {
        self.0[3..11].iter().fold(0u64, |n, b| n * 62 + digit(*b))
    }
}

impl std::fmt::Debug for UserId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::fmt::Display for UserId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

fn digit(b: u8) -> u64 {
    BASE62.iter().position(|c| *c == b).unwrap_or(0) as u64
}

/// SplitMix64: a cheap, well-mixed hash for deterministic pseudo-random data.
pub fn mix(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 31)
}

pub fn okta_id(prefix: &str, seq: u64, seed: u64) -> String {
    let mut id = String::with_capacity(20);
    id.push_str(prefix);
    let mut digits = [b'0'; 8];
    let mut n = seq;
    for d in digits.iter_mut().rev() {
        *d = BASE62[(n % 62) as usize];
        n /= 62;
    }
    id.extend(digits.iter().map(|b| *b as char));
    let mut h = mix(seed ^ mix(seq) ^ prefix.bytes().fold(0u64, |a, b| a.wrapping_mul(31).wrapping_add(b as u64)));
    for _ in 0..9 {
        id.push(BASE62[(h % 62) as usize] as char);
        h /= 62;
    }
    id
}

pub fn user_id(seq: u64, seed: u64) -> UserId {
    let s = okta_id("00u", seq, seed);
    let mut bytes = [0u8; 20];
    bytes.copy_from_slice(s.as_bytes());
    UserId(bytes)
}

pub fn is_okta_id(prefix: &str, s: &str) -> bool {
    s.len() == 20 && s.starts_with(prefix) && s.bytes().skip(3).all(|b| b.is_ascii_alphanumeric())
}

/// An opaque random id in the style Okta uses (`oae…` for errors).
pub fn opaque_id(prefix: &str, len: usize) -> String {
    let mut id = String::from(prefix);
    id.extend(std::iter::repeat_with(|| BASE62[fastrand::usize(..62)] as char).take(len));
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
    fn ids_are_okta_shaped_deterministic_and_ordered_by_sequence() {
        let a = okta_id("00u", 5, 1);
        let b = okta_id("00u", 62, 1);
        assert!(is_okta_id("00u", &a), "{a}");
        assert!(a < b);
        assert_eq!(a, okta_id("00u", 5, 1));
        assert_ne!(a, okta_id("00u", 5, 2));
        let id = user_id(123_456, 9);
        assert_eq!(id.seq(), 123_456);
        assert_eq!(UserId::parse(id.as_str()), Some(id));
    }

    #[test]
    fn timestamps_round_trip_in_okta_format() {
        let s = format_millis(1_700_000_000_123);
        assert_eq!(s, "2023-11-14T22:13:20.123Z");
        assert_eq!(parse_millis(&s), Some(1_700_000_000_123));
    }
}
