//! The user list: loaded rows, the cursor, and paging state.

use super::msg::ReqId;
use crate::okta::UserRow;
use reqwest::Url;
use std::collections::HashSet;

/// Load more when the cursor is this close to the last loaded row.
pub const PREFETCH_MARGIN: usize = 50;

#[derive(Debug, Clone, PartialEq)]
pub enum Paging {
    /// More pages exist behind this link (or the first page is not asked yet).
    More(Option<Url>),
    Loading(ReqId),
    Done,
    Failed(String),
}

#[derive(Debug)]
pub struct ListState {
    pub rows: Vec<UserRow>,
    pub selected: usize,
    /// First visible row; kept by the app so scrolling is stable.
    pub offset: usize,
    pub viewport: usize,
    pub paging: Paging,
    /// Users we added locally (just created) before their page arrived:
    /// skipped when that page comes, so nothing shows twice.
    local_ids: HashSet<Box<str>>,
}

impl Default for ListState {
    fn default() -> Self {
        Self {
            rows: Vec::new(),
            selected: 0,
            offset: 0,
            viewport: 20,
            paging: Paging::More(None),
            local_ids: HashSet::new(),
        }
    }
}

impl ListState {
    pub fn selected_row(&self) -> Option<&UserRow> {
        self.rows.get(self.selected)
    }

    pub fn is_loading(&self) -> bool {
        matches!(self.paging, Paging::Loading(_))
    }

    pub fn append_page(&mut self, rows: Vec<UserRow>, next: Option<Url>) {
        if self.local_ids.is_empty() {
            self.rows.extend(rows);
        } else {
            self.rows.extend(rows.into_iter().filter(|r| !self.local_ids.contains(r.id())));
        }
        self.paging = match next {
            Some(url) => Paging::More(Some(url)),
            None => Paging::Done,
        };
    }

    /// Adds a user created in this session and selects it.
    pub fn insert_created(&mut self, row: UserRow) {
        if let Some(i) = self.rows.iter().position(|r| r.id() == row.id()) {
            self.rows[i] = row;
            self.select(i);
            return;
        }
        if self.paging != Paging::Done {
            self.local_ids.insert(row.id().into());
        }
        self.rows.push(row);
        self.select(self.rows.len() - 1);
    }

    pub fn select(&mut self, index: usize) {
        self.selected = index.min(self.rows.len().saturating_sub(1));
        let view = self.viewport.max(1);
        if self.selected < self.offset {
            self.offset = self.selected;
        } else if self.selected >= self.offset + view {
            self.offset = self.selected + 1 - view;
        }
    }

    pub fn move_by(&mut self, delta: isize) {
        self.select(self.selected.saturating_add_signed(delta));
    }

    /// Whether the cursor is close enough to the end to fetch the next page.
    pub fn wants_more(&self) -> bool {
        matches!(self.paging, Paging::More(_)) && self.selected + PREFETCH_MARGIN >= self.rows.len()
    }
}
