//! Frame render time with 100,000 and 1,000,000 users loaded: the whole
//! screen drawn by `ui::draw` onto a `TestBackend`, cursor in the middle of
//! the list, the detail pane showing that user (the pane that wraps and
//! costs the most). Run by `scripts/bench` (or `cargo bench --bench render`).

#[path = "common/rows.rs"]
mod common;

use criterion::{Criterion, criterion_group, criterion_main};
use oktui::app::{Load, State};
use oktui::ui::theme::Theme;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use std::hint::black_box;
use std::time::Duration;

fn state_with(rows: usize) -> State {
    let mut state = State::new("bench.okta.com");
    state.list.rows = common::rows(rows);
    assert_eq!(state.list.rows.len(), rows, "the benchmark list holds every row asked for");
    state.list.selected = rows / 2;
    state.list.offset = rows / 2 - 10;
    let user = common::full_user(rows / 2);
    state.detail.id = Some(user.id().into());
    state.detail.user = Load::Loaded(user);
    let group = |name: &str| {
        oktui::okta::Group::from_json(serde_json::json!({"id": name, "type": "OKTA_GROUP", "profile": {"name": name}}))
    };
    state.detail.groups =
        Load::Loaded(["Everyone", "Engineering", "VPN users"].into_iter().filter_map(group).collect());
    state.size = (160, 48);
    state
}

fn render(c: &mut Criterion) {
    let mut group = c.benchmark_group("render");
    group.sample_size(50).warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(3));
    let theme = Theme::default();
    for rows in [100_000, 1_000_000] {
        let state = state_with(rows);
        let mut terminal = Terminal::new(TestBackend::new(160, 48)).expect("test terminal");
        let mut probe = Terminal::new(TestBackend::new(160, 48)).expect("test terminal");
        let drawn = probe.draw(|frame| {
            oktui::ui::draw(frame, &state, &theme);
        });
        let screen: String = drawn.expect("draw").buffer.content().iter().map(|c| c.symbol()).collect();
        assert!(screen.contains("Katherine"), "the detail pane shows the user in the benchmark frame");
        group.bench_function(format!("frame_{rows}_rows_with_detail"), |b| {
            b.iter(|| {
                terminal
                    .draw(|frame| {
                        black_box(oktui::ui::draw(frame, black_box(&state), &theme));
                    })
                    .expect("draw");
            })
        });
    }
    group.finish();
}

criterion_group!(benches, render);
criterion_main!(benches);
