//! Parameters of `GET /api/v1/users`.

/// What to list. Empty fields are not sent.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UserQuery {
    /// SCIM-like `search` expression (includes DEPROVISIONED users).
    pub search: Option<String>,
    /// Limited `filter` expression.
    pub filter: Option<String>,
    /// Simple prefix lookup on first/last name and email; not paged.
    pub q: Option<String>,
    pub sort_by: Option<String>,
    pub sort_desc: bool,
    pub fields: Option<String>,
    pub limit: Option<u32>,
}

impl UserQuery {
    pub fn search(expr: impl Into<String>) -> Self {
        Self { search: Some(expr.into()), ..Self::default() }
    }

    pub fn with_limit(mut self, limit: u32) -> Self {
        self.limit = Some(limit);
        self
    }

    pub(crate) fn params(&self) -> Vec<(&'static str, String)> {
        let mut out = Vec::new();
        let mut push = |k, v: &Option<String>| {
            if let Some(v) = v.as_ref().filter(|v| !v.is_empty()) {
                out.push((k, v.clone()));
            }
        };
        push("search", &self.search);
        push("filter", &self.filter);
        push("q", &self.q);
        push("sortBy", &self.sort_by);
        push("fields", &self.fields);
        if self.sort_by.is_some() {
            out.push(("sortOrder", if self.sort_desc { "desc" } else { "asc" }.to_owned()));
        }
        if let Some(limit) = self.limit {
            out.push(("limit", limit.to_string()));
        }
        out
    }
}
