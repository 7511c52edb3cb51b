//! The users marked for a bulk operation: picked one by one (`Space`), by
//! range (`V` … `V`), or everyone the search and status filter match
//! (`*`), loaded or not. Users are kept by id, so the selection survives
//! scrolling, paging, refreshing and opening details.

use std::collections::BTreeSet;

/// Clearing more than this many asks first.
pub const ASK_BEFORE_CLEARING: u64 = 50;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AllMatching {
    /// The org's `search` expression for the search and statuses when `*`
    /// was pressed: what a job pages through.
    pub expression: String,
    /// How many users it holds, once paging has counted them; never
    /// guessed from what is loaded.
    pub count: Option<u64>,
}

#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Selection {
    picked: BTreeSet<Box<str>>,
    all: Option<AllMatching>,
    /// `V` pressed once: the user the range starts at.
    anchor: Option<Box<str>>,
}

/// How much is selected, as the header says it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Size {
    Picked(u64),
    AllCounting,
    All(u64),
}

impl Selection {
    pub fn is_empty(&self) -> bool {
        self.picked.is_empty() && self.all.is_none()
    }

    /// Whether rows carry marks: something is selected or a range is open.
    pub fn shows_marks(&self) -> bool {
        !self.is_empty() || self.anchor.is_some()
    }

    pub fn picked(&self) -> impl Iterator<Item = &str> {
        self.picked.iter().map(|id| &**id)
    }

    pub fn all_matching(&self) -> Option<&AllMatching> {
        self.all.as_ref()
    }

    pub fn anchor(&self) -> Option<&str> {
        self.anchor.as_deref()
    }

    pub fn is_picked(&self, id: &str) -> bool {
        self.picked.contains(id)
    }

    pub fn size(&self) -> Option<Size> {
        match &self.all {
            Some(AllMatching { count: Some(n), .. }) => Some(Size::All(*n)),
            Some(AllMatching { count: None, .. }) => Some(Size::AllCounting),
            None if self.picked.is_empty() => None,
            None => Some(Size::Picked(self.picked.len() as u64)),
        }
    }

    /// Picks or unpicks one user; returns whether it is picked now.
    pub fn toggle(&mut self, id: &str) -> bool {
        if self.picked.remove(id) {
            return false;
        }
        self.picked.insert(id.into());
        true
    }

    pub fn begin_range(&mut self, id: &str) {
        self.anchor = Some(id.into());
    }

    /// Closes an open range, picking `ids` (the rows from its start to
    /// the cursor).
    pub fn end_range<'a>(&mut self, ids: impl IntoIterator<Item = &'a str>) {
        self.anchor = None;
        self.picked.extend(ids.into_iter().map(Box::from));
    }

    pub fn cancel_range(&mut self) -> bool {
        self.anchor.take().is_some()
    }

    /// Everyone matching `expression`, replacing what was picked.
    pub fn select_all_matching(&mut self, expression: String) {
        *self = Self { all: Some(AllMatching { expression, count: None }), ..Self::default() };
    }

    /// Paging counted the users matching `expression`.
    pub fn counted(&mut self, expression: &str, count: u64) {
        if let Some(all) = self.all.as_mut().filter(|a| a.expression == expression) {
            all.count = Some(count);
        }
    }

    pub fn clear(&mut self) {
        *self = Self::default();
    }
}

impl Size {
    /// Whether clearing it loses enough work to ask first; an uncounted
    /// "all matching" may be any size.
    pub fn is_large(self) -> bool {
        match self {
            Size::Picked(n) | Size::All(n) => n > ASK_BEFORE_CLEARING,
            Size::AllCounting => true,
        }
    }

    pub fn label(self) -> String {
        match self {
            Size::Picked(n) => format!("{} selected", crate::display::thousands(n)),
            Size::AllCounting => "all matching (counting…)".to_owned(),
            Size::All(n) => format!("all {} matching", crate::display::thousands(n)),
        }
    }

    /// The label where room is short (the header beside a job): the
    /// count, or `all` while it is not known yet.
    pub fn short_label(self) -> String {
        match self {
            Size::Picked(n) | Size::All(n) => crate::display::thousands(n),
            Size::AllCounting => "all".to_owned(),
        }
    }
}
