//! Frame render time with 100,000 and 1,000,000 users loaded: the whole
//! screen drawn by `ui::draw` onto a `TestBackend`, cursor in the middle of
//! the list. Run by `scripts/bench` (or `cargo bench --bench render`).

#[path = "common/rows.rs"]
mod common;

use criterion::{Criterion, criterion_group, criterion_main};
use oktui::app::State;
use oktui::ui::theme::Theme;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use std::hint::black_box;
use std::time::Duration;

fn state_with(rows: usize) -> State {
    let mut state = State::new("bench.okta.com");
    state.list.rows = common::rows(rows);
    state.list.selected = rows / 2;
    state.list.offset = rows / 2 - 10;
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
        group.bench_function(format!("frame_{rows}_rows"), |b| {
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
