//! The user list: loaded rows, the cursor, paging and sort.

use super::msg::ReqId;
use crate::okta::UserRow;
use reqwest::Url;
use std::collections::HashSet;

/// Load more when the cursor is this close to the last loaded row.
pub const PREFETCH_MARGIN: usize = 50;

#[derive(Debug, Clone, PartialEq)]
pub enum Paging {
    /// More pages exist behind this link (`None`: the first is not asked yet).
    More(Option<Url>),
    Loading(ReqId),
    Done,
    Failed(String),
}

/// A sortable column and the attribute Okta sorts it by (`sortBy`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Column {
    Status,
    Name,
    Login,
    LastLogin,
    LastUpdated,
}

impl Column {
    pub const ALL: [Column; 5] = [Column::Status, Column::Name, Column::Login, Column::LastLogin, Column::LastUpdated];

    pub fn title(self) -> &'static str {
        match self {
            Column::Status => "Status",
            Column::Name => "Name",
            Column::Login => "Login",
            Column::LastLogin => "Last login",
            Column::LastUpdated => "Updated",
        }
    }

    pub fn sort_by(self) -> &'static str {
        match self {
            Column::Status => "status",
            Column::Name => "profile.lastName",
            Column::Login => "profile.login",
            Column::LastLogin => "lastLogin",
            Column::LastUpdated => "lastUpdated",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sort {
    pub column: Column,
    pub descending: bool,
}

/// `S`: ascending, then descending, then the next column; after the last
/// column, back to the org's natural order.
pub fn next_sort(current: Option<Sort>) -> Option<Sort> {
    match current {
        None => Some(Sort { column: Column::ALL[0], descending: false }),
        Some(Sort { column, descending: false }) => Some(Sort { column, descending: true }),
        Some(Sort { column, descending: true }) => {
            let i = Column::ALL.iter().position(|c| *c == column).unwrap_or(0);
            Column::ALL.get(i + 1).map(|&column| Sort { column, descending: false })
        }
    }
}

/// A row's key for `column`, compared as the org compares `sortBy` keys:
/// ASCII case-insensitive text, timestamps in order, missing keys last.
/// The row keeps no last name, so the name column uses the last word of
/// the display name, which is the last name for "First Last" names.
fn sort_key(row: &UserRow, column: Column) -> Option<String> {
    let time = |t: Option<jiff::Timestamp>| t.map(|t| format!("{:020}", t.as_millisecond()));
    match column {
        Column::Status => row.status().map(|s| s.as_str().to_owned()),
        Column::Name => row.name().split_whitespace().last().map(str::to_ascii_lowercase),
        Column::Login => Some(row.login().to_ascii_lowercase()).filter(|l| !l.is_empty()),
        Column::LastLogin => time(row.last_login()),
        Column::LastUpdated => time(row.last_updated()),
    }
}

/// Orders `(key, id)` pairs as a sorted listing does: by key in the sort's
/// direction, missing keys last either way, then by id.
fn compare(a: &(Option<String>, &str), b: &(Option<String>, &str), sort: Sort) -> std::cmp::Ordering {
    use std::cmp::Ordering;
    let by_key = match (&a.0, &b.0) {
        (Some(x), Some(y)) if sort.descending => y.cmp(x),
        (Some(x), Some(y)) => x.cmp(y),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    };
    by_key.then(a.1.cmp(b.1))
}

#[derive(Debug)]
pub struct ListState {
    pub rows: Vec<UserRow>,
    pub selected: usize,
    /// First visible row; kept by the app so scrolling is stable.
    pub offset: usize,
    pub viewport: usize,
    pub paging: Paging,
    /// The page asked for last: a failed page is retried from here, so a
    /// million-row list does not start over after one error.
    pub last_request: Option<super::PageFrom>,
    /// Users added locally (just created, or opened by a direct lookup)
    /// before their page arrived: skipped when it comes.
    local_ids: HashSet<Box<str>>,
    /// A refresh is under way: the rows stay until its first page replaces
    /// them, so an org that is down does not empty the list.
    replacing: bool,
    /// `G` is loading page after page to reach the real last user; any
    /// key stops it.
    pub seeking_end: bool,
}

impl Default for ListState {
    fn default() -> Self {
        Self {
            rows: Vec::new(),
            selected: 0,
            offset: 0,
            viewport: 20,
            paging: Paging::More(None),
            last_request: None,
            local_ids: HashSet::new(),
            replacing: false,
            seeking_end: false,
        }
    }
}

impl ListState {
    /// Empties the list for a new query, keeping the viewport.
    pub fn reset(&mut self) {
        *self = Self { viewport: self.viewport, ..Self::default() };
    }

    pub fn selected_row(&self) -> Option<&UserRow> {
        self.rows.get(self.selected)
    }

    pub fn is_loading(&self) -> bool {
        matches!(self.paging, Paging::Loading(_))
    }

    /// The page to ask again after a failure, when rows are already loaded.
    pub fn resumable(&self) -> Option<super::PageFrom> {
        match self.paging {
            Paging::Failed(_) if !self.rows.is_empty() => self.last_request.clone(),
            _ => None,
        }
    }

    /// Starts over from the first page, keeping the rows on screen until
    /// it arrives.
    pub fn begin_refresh(&mut self) {
        self.replacing = true;
        self.paging = Paging::More(None);
        self.last_request = None;
    }

    pub fn is_refreshing(&self) -> bool {
        self.replacing
    }

    pub fn append_page(&mut self, rows: Vec<UserRow>, next: Option<Url>) {
        if std::mem::take(&mut self.replacing) {
            self.replace_with(rows, next);
            return;
        }
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

    /// The refreshed first page replaces the rows. Users added locally
    /// stay (an admin who opened one by id still sees it), after the page
    /// unless it holds them; the cursor stays on the same user if it can.
    fn replace_with(&mut self, rows: Vec<UserRow>, next: Option<Url>) {
        let selected = self.selected_row().map(|r| Box::<str>::from(r.id()));
        let local: Vec<UserRow> = self.rows.drain(..).filter(|r| self.local_ids.contains(r.id())).collect();
        let fresh: HashSet<&str> = rows.iter().map(UserRow::id).collect();
        let (in_page, pinned): (Vec<UserRow>, Vec<UserRow>) = local.into_iter().partition(|r| fresh.contains(r.id()));
        for row in in_page {
            self.local_ids.remove(row.id());
        }
        self.rows = rows;
        self.rows.extend(pinned);
        self.paging = Paging::Done;
        if let Some(url) = next {
            self.paging = Paging::More(Some(url));
        }
        let at = selected.and_then(|id| self.position(&id)).unwrap_or(0);
        self.offset = 0;
        self.select(at);
    }

    /// Adds (or refreshes) a user we learned about outside paging, and
    /// selects it.
    pub fn upsert_and_select(&mut self, row: UserRow) {
        if let Some(i) = self.position(row.id()) {
            self.rows[i] = row;
            self.select(i);
            return;
        }
        // Remembered even when paging is done: a refresh keeps it listed.
        self.local_ids.insert(row.id().into());
        self.rows.push(row);
        self.select(self.rows.len() - 1);
    }

    /// Adds a user we learned about outside paging at its place in a list
    /// sorted by `sort`, and selects it. Returns false, adding nothing,
    /// when its place is past the loaded rows while more pages exist: it
    /// shows up there when paging reaches it.
    pub fn insert_sorted(&mut self, row: UserRow, sort: Sort) -> bool {
        if let Some(i) = self.position(row.id()) {
            self.rows.remove(i);
        }
        let key = sort_key(&row, sort.column);
        let at = self
            .rows
            .iter()
            .position(|r| compare(&(sort_key(r, sort.column), r.id()), &(key.clone(), row.id()), sort).is_gt())
            .unwrap_or(self.rows.len());
        if at == self.rows.len() && self.paging != Paging::Done {
            return false;
        }
        if self.paging != Paging::Done {
            self.local_ids.insert(row.id().into());
        }
        self.rows.insert(at, row);
        self.select(at);
        true
    }

    /// Replaces a row in place (after a lifecycle change), if loaded.
    pub fn update_row(&mut self, row: UserRow) {
        if let Some(i) = self.position(row.id()) {
            self.rows[i] = row;
        }
    }

    pub fn remove(&mut self, id: &str) {
        if let Some(i) = self.position(id) {
            self.rows.remove(i);
            let selected = self.selected.min(self.rows.len().saturating_sub(1));
            self.select(selected);
        }
    }

    fn position(&self, id: &str) -> Option<usize> {
        self.rows.iter().position(|r| r.id() == id)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sort_cycles_ascending_descending_then_next_column_then_off() {
        let mut sort = None;
        let mut seen = Vec::new();
        for _ in 0..(Column::ALL.len() * 2 + 1) {
            sort = next_sort(sort);
            seen.push(sort);
        }
        assert_eq!(seen[0], Some(Sort { column: Column::Status, descending: false }));
        assert_eq!(seen[1], Some(Sort { column: Column::Status, descending: true }));
        assert_eq!(seen[2], Some(Sort { column: Column::Name, descending: false }));
        assert_eq!(seen.last(), Some(&None));
    }
}
