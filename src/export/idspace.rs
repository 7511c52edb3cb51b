//! User ids as points on a line, so a range of ids can be cut into pieces
//! of about equal width.
//!
//! Okta compares `id` in a `search` case-insensitively, like every value,
//! so an id is read folded to lower case, one base-36 digit per character
//! (`0`–`9`, `a`–`z`). Cut points are written with those 36 characters
//! only: digits sort before lower-case letters whether an org folds case or
//! not, so the ranges between cut points are disjoint and cover every id
//! under either reading. Other characters (none in real ids) are read as
//! the nearest digit below; that only skews widths, never correctness.

/// Digits kept per id: ids are 20 characters, and 36^24 fits in a u128.
const WIDTH: u32 = 24;
const DIGITS: &[u8; 36] = b"0123456789abcdefghijklmnopqrstuvwxyz";

/// Where an id (or a cut point) sits on the line: its first `WIDTH`
/// characters as a base-36 fraction, padded with zeros.
pub fn position(id: &str) -> u128 {
    let mut chars = id.chars();
    (0..WIDTH).fold(0u128, |n, _| n * 36 + chars.next().map_or(0, digit))
}

fn digit(c: char) -> u128 {
    let c = c.to_ascii_lowercase();
    match c {
        '0'..='9' => u128::from(c as u8 - b'0'),
        'a'..='z' => u128::from(c as u8 - b'a') + 10,
        c if c < '0' => 0,
        c if c < 'a' => 9,
        _ => 35,
    }
}

fn pow36(exp: u32) -> u128 {
    36u128.pow(exp.min(WIDTH))
}

/// The cut point at `value` rounded down to `precision` leading digits,
/// without trailing zeros (so distinct cut points are distinct strings and
/// string order is position order).
fn cut_point(value: u128, precision: u32) -> String {
    let mut digits = Vec::with_capacity(WIDTH as usize);
    let mut n = value;
    for _ in 0..WIDTH {
        digits.push(DIGITS[(n % 36) as usize]);
        n /= 36;
    }
    digits.reverse();
    digits.truncate(precision as usize);
    while digits.last() == Some(&b'0') {
        digits.pop();
    }
    String::from_utf8(digits).unwrap_or_default()
}

/// Up to `pieces - 1` cut points strictly between `lo` and `hi`, in
/// increasing order, spaced about `(hi - lo) / pieces` apart. Rounded to
/// as few characters as keep the spacing even within a sixteenth, so the
/// expressions stay short. Empty when the range is too narrow to cut.
pub fn cut(lo: u128, hi: u128, pieces: usize) -> Vec<String> {
    let pieces = pieces.max(1) as u128;
    if hi <= lo.saturating_add(1) || pieces < 2 {
        return Vec::new();
    }
    let width = hi - lo;
    let spacing = width / pieces;
    let tolerance = (spacing / 16).max(1);
    let precision = (0..=WIDTH).find(|p| pow36(WIDTH - p) <= tolerance).unwrap_or(WIDTH);
    let unit = pow36(WIDTH - precision);
    let mut points = Vec::new();
    let mut last = lo;
    for j in 1..pieces {
        // lo + width * j / pieces, without overflowing.
        let target = lo + spacing * j + (width % pieces) * j / pieces;
        let value = target - target % unit;
        if value > last && value < hi {
            points.push(cut_point(value, precision));
            last = value;
        }
    }
    points
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_follow_folded_string_order() {
        let ids = ["00u0000000", "00u00000A1", "00u00000a2", "00u00000z", "00u1", "00uZ", "00v"];
        let positions: Vec<u128> = ids.iter().map(|id| position(id)).collect();
        assert!(positions.windows(2).all(|w| w[0] <= w[1]), "{positions:?}");
        assert_eq!(position("00uABC"), position("00uabc"), "case folds");
        assert_eq!(position("00ua"), position("00ua000"), "zeros pad");
    }

    #[test]
    fn cut_points_are_ordered_inside_and_lower_case() {
        for (lo, hi) in [("00u00000001", "00u00004c9x"), ("00u", "00v"), ("0", "z"), ("00ub0oN", "00ub0oP")] {
            let (lo, hi) = (position(lo), position(hi));
            for pieces in [2, 3, 8, 64] {
                let points = cut(lo, hi, pieces);
                assert!(!points.is_empty(), "{lo} {hi} {pieces}");
                assert!(points.len() < pieces);
                let at: Vec<u128> = points.iter().map(|p| position(p)).collect();
                assert!(at.windows(2).all(|w| w[0] < w[1]), "{points:?}");
                assert!(at.iter().all(|p| *p > lo && *p < hi), "{points:?}");
                assert!(points.windows(2).all(|w| w[0] < w[1]), "string order = position order: {points:?}");
                assert!(points.iter().all(|p| p.bytes().all(|b| DIGITS.contains(&b))), "{points:?}");
                assert!(points.iter().all(|p| !p.ends_with('0')), "{points:?}");
            }
        }
    }

    #[test]
    fn pieces_are_about_even() {
        let (lo, hi) = (position("00u0000"), position("00u0001"));
        let points = cut(lo, hi, 8);
        assert_eq!(points.len(), 7, "{points:?}");
        let mut edges = vec![lo];
        edges.extend(points.iter().map(|p| position(p)));
        edges.push(hi);
        let widths: Vec<u128> = edges.windows(2).map(|w| w[1] - w[0]).collect();
        let (min, max) = (widths.iter().min().copied().unwrap_or(0), widths.iter().max().copied().unwrap_or(0));
        assert!(max - min <= max / 8, "{widths:?}");
    }

    #[test]
    fn too_narrow_to_cut() {
        let p = position("00ua");
        assert!(cut(p, p, 4).is_empty());
        assert!(cut(p, p + 1, 4).is_empty());
        assert!(cut(p, p + 100, 1).is_empty());
        assert_eq!(cut(p, p + 3, 8).len(), 2);
    }
}
