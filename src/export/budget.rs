//! How a partitioned export spends a rate budget that binds.
//!
//! Without a binding budget, more id ranges (and cutting large ones again)
//! keep every worker busy to the end. Under a budget that the export will
//! exhaust, time is counted in windows: each range ends with a short page
//! and each cut throws a first page away, and those requests can push the
//! export past one more reset, a whole window lost. So the plan takes the
//! most ranges that cost no extra reset, never cuts again, and when even
//! `parallel` ranges would cost one, pages the already sorted result in
//! sequence instead.

use crate::okta::JobBudget;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Plan {
    /// `count` ranges paged at once; `recut`: large ones may be cut again.
    Ranges { count: usize, recut: bool },
    /// Follow the first page's `next` links, one page after another.
    Sequential,
}

/// `pages`: the result's estimated pages; the first has been fetched, so a
/// sequential continuation costs `pages − 1` requests and ranges about
/// `pages + count / 2` (a short last page each, on average half of one).
/// `preferred`: the ranges an unbounded export would use.
pub(super) fn plan(budget: Option<JobBudget>, pages: u64, parallel: usize, preferred: usize) -> Plan {
    let preferred = preferred.max(parallel);
    let cost = |count: usize| pages + (count as u64).div_ceil(2);
    let Some(budget) = budget else { return Plan::Ranges { count: preferred, recut: true } };
    // Cutting again costs at most one thrown-away page and `parallel` short
    // pages per cut, and at most `parallel` cuts are made.
    let recuts = (parallel * (parallel + 1)) as u64;
    if budget.resets_for(cost(preferred) + recuts) == 0 {
        return Plan::Ranges { count: preferred, recut: true };
    }
    let sequential = budget.resets_for(pages.saturating_sub(1));
    (parallel..=preferred)
        .rev()
        .find(|&count| budget.resets_for(cost(count)) <= sequential)
        .map_or(Plan::Sequential, |count| Plan::Ranges { count, recut: false })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_ample_budget_keeps_the_usual_plan() {
        let ample = JobBudget { now: 590, per_window: 540, limit: 600, reset_in: std::time::Duration::ZERO };
        assert_eq!(plan(Some(ample), 201, 8, 32), Plan::Ranges { count: 32, recut: true });
        assert_eq!(plan(None, 5_000, 8, 32), Plan::Ranges { count: 32, recut: true });
    }

    #[test]
    fn a_binding_budget_takes_the_ranges_that_cost_no_extra_window() {
        // 40,000 users at 120 a minute: 201 pages, 106 left now, 108 a window.
        let tight = JobBudget { now: 106, per_window: 108, limit: 120, reset_in: std::time::Duration::ZERO };
        // Sequentially one reset; 32 ranges (217 requests) would wait for
        // two, 26 ranges (214) for one: no cuts either.
        assert_eq!(plan(Some(tight), 201, 8, 32), Plan::Ranges { count: 26, recut: false });
        // 212 pages: 211 sequential fit 106 + 108; only up to 4 ranges'
        // worth of short pages would, fewer than parallel: sequential.
        assert_eq!(plan(Some(tight), 212, 8, 32), Plan::Sequential);
        // 208 pages: 8 ranges (212) still fit, 32 (224) would not.
        assert_eq!(plan(Some(tight), 208, 8, 32), Plan::Ranges { count: 12, recut: false });
    }
}
