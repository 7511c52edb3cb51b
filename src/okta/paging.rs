//! Cursor paging as Okta does it: follow `Link: <…>; rel="next"` exactly as
//! given, never build the next URL ourselves.

use reqwest::Url;

/// One page of results and where the next one is, if any.
#[derive(Debug, Clone)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub next: Option<Url>,
}

/// Finds the `rel="next"` target among all `Link` header values.
///
/// Each value may hold several comma-separated links; parameters are
/// separated by `;` and `rel` may be quoted or bare, in any case.
pub fn next_link<'a>(values: impl IntoIterator<Item = &'a str>) -> Option<Url> {
    values
        .into_iter()
        .flat_map(parse_links)
        .find(|(_, rels)| rels.iter().any(|r| r.eq_ignore_ascii_case("next")))
        .and_then(|(target, _)| Url::parse(&target).ok())
}

/// Splits one `Link` header value into `(target, rels)` pairs.
pub fn parse_links(value: &str) -> Vec<(String, Vec<String>)> {
    let mut out = Vec::new();
    let mut rest = value;
    while let Some(start) = rest.find('<') {
        let Some(end) = rest[start..].find('>') else { break };
        let target = rest[start + 1..start + end].trim().to_owned();
        rest = &rest[start + end + 1..];
        // Parameters run until the next link starts.
        let params_end = rest.find('<').unwrap_or(rest.len());
        let params = &rest[..params_end];
        let rels = params
            .split(';')
            .filter_map(|p| {
                let (k, v) = p.split_once('=')?;
                k.trim()
                    .eq_ignore_ascii_case("rel")
                    .then(|| v.trim().trim_matches(',').trim().trim_matches('"').to_owned())
            })
            .flat_map(|v| v.split_whitespace().map(str::to_owned).collect::<Vec<_>>())
            .collect();
        out.push((target, rels));
        rest = &rest[params_end..];
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn separate_header_lines() {
        let next = next_link([
            r#"<https://a.okta.com/api/v1/users?limit=1>; rel="self""#,
            r#"<https://a.okta.com/api/v1/users?after=200u&limit=1>; rel="next""#,
        ]);
        assert_eq!(next.unwrap().as_str(), "https://a.okta.com/api/v1/users?after=200u&limit=1");
    }

    #[test]
    fn one_line_many_links_and_odd_spacing() {
        let v = r#"<https://a/x?limit=5>;rel=self, <https://a/x?after=b%22c&limit=5&search=a+eq+%22b%22> ; REL="next""#;
        assert_eq!(next_link([v]).unwrap().as_str(), "https://a/x?after=b%22c&limit=5&search=a+eq+%22b%22");
    }

    #[test]
    fn last_page_has_no_next() {
        assert!(next_link([r#"<https://a/x?limit=5>; rel="self""#]).is_none());
        assert!(next_link(["garbage", "<unterminated"]).is_none());
    }
}
