//! Disjoint `search` partitions of one query: the query and'ed with a
//! range of ids, `id ge "lo" and id lt "hi"`.
//!
//! A user's id never changes, so no user can be in two ranges, even on an
//! org that changes during the export; the ranges cover the whole line
//! (the first is open below, the last open above), so no user is missed.
//! Where the ids lie is learnt from the smallest and largest id of the
//! query's result (see `engine`); cut points spread the ranges evenly over
//! that span, and a range that turns out large is cut again.

use super::idspace::{self, position};
use crate::expr::{Expr, Op};

/// `id ge lo and id lt hi` (a missing bound is open).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Partition {
    pub lo: Option<String>,
    pub hi: Option<String>,
    /// How many times the range was cut out of a larger one after the start.
    pub depth: u8,
}

impl Partition {
    /// The whole line.
    pub fn everything() -> Self {
        Self { lo: None, hi: None, depth: 0 }
    }

    /// `base` restricted to this range. The id tests come first: they are
    /// the cheapest to evaluate and the most selective.
    pub fn expression(&self, base: Option<&Expr>) -> Option<Expr> {
        let lo = self.lo.as_ref().map(|lo| Expr::compare("id", Op::Ge, lo.as_str()));
        let hi = self.hi.as_ref().map(|hi| Expr::compare("id", Op::Lt, hi.as_str()));
        Expr::all_of(lo.into_iter().chain(hi).chain(base.cloned()))
    }
}

/// Where the result's ids lie: the positions of its smallest and largest
/// id. Kept in a job's checkpoint as decimal text (JSON numbers lose u128s).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Span {
    #[serde(with = "decimal")]
    pub min: u128,
    /// One past the largest id.
    #[serde(with = "decimal")]
    pub end: u128,
}

mod decimal {
    use serde::{Deserialize, Deserializer, Serializer, de::Error};

    pub fn serialize<S: Serializer>(n: &u128, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&n.to_string())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<u128, D::Error> {
        String::deserialize(d)?.parse().map_err(D::Error::custom)
    }
}

impl Span {
    pub fn new(min_id: &str, max_id: &str) -> Self {
        let (a, b) = (position(min_id), position(max_id));
        Self { min: a.min(b), end: a.max(b).saturating_add(1) }
    }

    /// About how many users the result holds, from how much of the span
    /// the first `count` ids (the smallest, in order) take up. Assumes ids
    /// spread evenly, which both generated and Okta's ids roughly do.
    pub fn estimate(&self, count: usize, last_of_first: &str) -> f64 {
        let covered = position(last_of_first).saturating_sub(self.min).saturating_add(1) as f64;
        let whole = self.end.saturating_sub(self.min) as f64;
        (count as f64 * whole / covered).max(count as f64)
    }

    /// `pieces` ranges covering the whole line, cut evenly over the span.
    pub fn partitions(&self, pieces: usize) -> Vec<Partition> {
        ranges(None, None, idspace::cut(self.min, self.end, pieces), 0)
    }

    /// `part` cut into up to `pieces` ranges, or `None` when it is too
    /// narrow to cut. An open bound is taken at the span's edge.
    pub fn split(&self, part: &Partition, pieces: usize) -> Option<Vec<Partition>> {
        let lo = part.lo.as_deref().map_or(self.min, position);
        let hi = part.hi.as_deref().map_or(self.end, position);
        let points = idspace::cut(lo, hi, pieces);
        (!points.is_empty()).then(|| ranges(part.lo.clone(), part.hi.clone(), points, part.depth.saturating_add(1)))
    }
}

fn ranges(lo: Option<String>, hi: Option<String>, points: Vec<String>, depth: u8) -> Vec<Partition> {
    let mut out = Vec::with_capacity(points.len() + 1);
    let mut from = lo;
    for point in points {
        out.push(Partition { lo: from, hi: Some(point.clone()), depth });
        from = Some(point);
    }
    out.push(Partition { lo: from, hi, depth });
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::expr::{Mode, parse};

    #[test]
    fn expressions_print_as_okta_search() {
        let base = parse(r#"status lt "DEPROVISIONED" or status gt "DEPROVISIONED""#, Mode::Search).unwrap();
        let part = Partition { lo: Some("00u1".into()), hi: Some("00u2".into()), depth: 0 };
        let text = part.expression(Some(&base)).unwrap().to_string();
        assert_eq!(
            text,
            r#"id ge "00u1" and id lt "00u2" and (status lt "DEPROVISIONED" or status gt "DEPROVISIONED")"#
        );
        assert!(parse(&text, Mode::Search).is_ok());
        assert_eq!(Partition::everything().expression(None), None);
        let open = Partition { lo: None, hi: Some("00u2".into()), depth: 0 };
        assert_eq!(open.expression(None).unwrap().to_string(), r#"id lt "00u2""#);
    }

    #[test]
    fn partitions_chain_without_gaps() {
        let span = Span::new("00u00000001abc", "00u00004c9xyz");
        let parts = span.partitions(8);
        assert_eq!(parts.len(), 8);
        assert_eq!((parts[0].lo.as_ref(), parts[7].hi.as_ref()), (None, None));
        for pair in parts.windows(2) {
            assert_eq!(pair[0].hi, pair[1].lo);
        }
        let middle = &parts[3];
        let children = span.split(middle, 4).unwrap();
        assert_eq!(children.len(), 4);
        assert_eq!((children[0].lo.as_ref(), children[3].hi.as_ref()), (middle.lo.as_ref(), middle.hi.as_ref()));
        assert!(children.iter().all(|c| c.depth == 1));
        let last = span.split(&parts[7], 4).unwrap();
        assert_eq!(last[3].hi, None);
    }

    #[test]
    fn estimates_from_the_first_page() {
        let span = Span { min: 0, end: 1000 };
        assert_eq!(span.estimate(200, &idspace_at(99)), 2000.0);
        assert_eq!(span.estimate(200, &idspace_at(5000)), 200.0, "never below what was seen");
    }

    fn idspace_at(value: u128) -> String {
        // The cut point at `value`: position() reads it back.
        let points = idspace::cut(value.saturating_sub(1), value + 1, 2);
        assert_eq!(points.len(), 1);
        assert_eq!(position(&points[0]), value);
        points[0].clone()
    }
}
