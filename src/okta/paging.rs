//! Cursor paging as Okta does it: follow `Link: <…>; rel="next"` exactly as
//! given, never build the next URL ourselves.

use super::error::Error;
use futures::Stream;
use reqwest::Url;
use std::future::Future;

/// One page of results and where the next one is, if any.
#[derive(Debug, Clone)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub next: Option<Url>,
}

/// Every page, lazily: `fetch(None)` gets the first, `fetch(Some(next))`
/// each following one. The stream ends after the last page or the first
/// error; dropping it stops the work.
pub(crate) fn pages<'a, T, Fut>(
    fetch: impl Fn(Option<Url>) -> Fut + 'a,
) -> impl Stream<Item = Result<Page<T>, Error>> + 'a
where
    T: 'a,
    Fut: Future<Output = Result<Page<T>, Error>> + 'a,
{
    // `None` once done; `Some(None)` before the first page.
    futures::stream::unfold(Some(None), move |cursor: Option<Option<Url>>| {
        let page = cursor.map(&fetch);
        async move {
            let result = page?.await;
            let next = match &result {
                Ok(page) => page.next.clone().map(Some),
                Err(_) => None,
            };
            Some((result, next))
        }
    })
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
///
/// RFC 8288: links are separated by `,` and their parameters by `;`; a
/// quoted parameter value may hold either, or `<` and `>`, without ending
/// anything. Text that is not a link is skipped.
pub fn parse_links(value: &str) -> Vec<(String, Vec<String>)> {
    let mut out = Vec::new();
    let mut rest = value;
    while let Some(start) = rest.find('<') {
        let after = &rest[start + 1..];
        let Some(end) = after.find('>') else { break };
        let target = after[..end].trim().to_owned();
        let (params, next) = split_params(&after[end + 1..]);
        let rels = params
            .iter()
            .filter_map(|p| {
                let (k, v) = p.split_once('=')?;
                k.trim().eq_ignore_ascii_case("rel").then(|| unquote(v.trim()))
            })
            .flat_map(|v| v.split_whitespace().map(str::to_owned).collect::<Vec<_>>())
            .collect();
        out.push((target, rels));
        rest = next;
    }
    out
}

/// The `;`-separated parameters after a link's target, up to the `,` that
/// ends the link (quotes respected), and the text after that.
fn split_params(text: &str) -> (Vec<&str>, &str) {
    let mut params = Vec::new();
    let (mut quoted, mut escaped, mut from) = (false, false, 0);
    for (i, c) in text.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' if quoted => escaped = true,
            '"' => quoted = !quoted,
            ';' if !quoted => {
                params.push(&text[from..i]);
                from = i + 1;
            }
            ',' if !quoted => {
                params.push(&text[from..i]);
                return (params, &text[i + 1..]);
            }
            _ => {}
        }
    }
    params.push(&text[from..]);
    (params, "")
}

/// A parameter value: a quoted string without its quotes and escapes, or
/// a bare token.
fn unquote(value: &str) -> String {
    match value.strip_prefix('"') {
        Some(inner) => {
            let mut out = String::with_capacity(inner.len());
            let mut chars = inner.chars();
            while let Some(c) = chars.next() {
                match c {
                    '"' => break,
                    '\\' => out.extend(chars.next()),
                    c => out.push(c),
                }
            }
            out
        }
        None => value.to_owned(),
    }
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

    /// Found by fuzzing (`tests/it/fuzz_links.rs`): a quoted parameter
    /// holding `<`, `;` or `,` cut the link short or made up a relation.
    #[test]
    fn quoted_parameters_hold_delimiters() {
        let v = r#"<https://a/x?p=1>; title="a; rel=next, <b>"; rel="self", <https://a/x?p=2>;rel=next"#;
        assert_eq!(
            parse_links(v),
            vec![
                ("https://a/x?p=1".to_owned(), vec!["self".to_owned()]),
                ("https://a/x?p=2".into(), vec!["next".into()])
            ]
        );
        assert_eq!(next_link([v]).unwrap().as_str(), "https://a/x?p=2");
        let escaped = r#"<https://a/x>; title="say \"hi\"; rel=next"; rel="prev""#;
        assert_eq!(parse_links(escaped), vec![("https://a/x".to_owned(), vec!["prev".to_owned()])]);
    }

    #[test]
    fn last_page_has_no_next() {
        assert!(next_link([r#"<https://a/x?limit=5>; rel="self""#]).is_none());
        assert!(next_link(["garbage", "<unterminated"]).is_none());
    }
}
