//! `Link` headers as Okta writes them: absolute, one header per relation,
//! the query encoded the form way (spaces `+`, quotes `%22`).

use super::Params;
use axum::http::{HeaderValue, header};
use axum::response::Response;

fn encode(pairs: &[(&str, &str)]) -> String {
    let mut s = url::form_urlencoded::Serializer::new(String::new());
    for (k, v) in pairs {
        s.append_pair(k, v);
    }
    s.finish()
}

/// Adds `rel="self"` (the request, with the effective limit made explicit
/// as Okta does) and, while more remain, `rel="next"` (after the cursor).
pub fn add(response: &mut Response, url: &str, params: &Params, limit: usize, next_cursor: Option<&str>) {
    let limit = limit.to_string();
    let mut self_pairs: Vec<(&str, &str)> = params.0.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    if params.get("limit").is_none() {
        self_pairs.insert(0, ("limit", &limit));
    }
    let mut links = vec![format!("<{url}?{}>; rel=\"self\"", encode(&self_pairs))];
    if let Some(cursor) = next_cursor {
        let mut next_pairs = vec![("after", cursor), ("limit", limit.as_str())];
        next_pairs.extend(
            params.0.iter().filter(|(k, _)| k != "after" && k != "limit").map(|(k, v)| (k.as_str(), v.as_str())),
        );
        links.push(format!("<{url}?{}>; rel=\"next\"", encode(&next_pairs)));
    }
    for link in links {
        if let Ok(v) = HeaderValue::from_str(&link) {
            response.headers_mut().append(header::LINK, v);
        }
    }
}
