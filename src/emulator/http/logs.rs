//! `GET /api/v1/logs`: the System Log (API-NOTES §10.3), with `self` and
//! `next` links as Okta writes them.

use super::error::OktaError;
use super::{Base, Params};
use crate::emulator::Org;
use crate::emulator::ids::now_millis;
use crate::emulator::syslog::query::{LogQuery, Source};
use axum::Json;
use axum::extract::State;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use serde_json::Value;
use std::sync::Arc;

fn link(url: &str, pairs: &[(&str, &str)], rel: &str) -> Option<HeaderValue> {
    let mut query = url::form_urlencoded::Serializer::new(String::new());
    for (k, v) in pairs {
        query.append_pair(k, v);
    }
    HeaderValue::from_str(&format!("<{url}?{}>; rel=\"{rel}\"", query.finish())).ok()
}

pub async fn list(State(org): State<Arc<Org>>, Base(base): Base, params: Params) -> Result<Response, OktaError> {
    let query = LogQuery::parse(&params, now_millis())?;
    let store = org.read();
    let recorded = store.events();
    let page = query.run(&[&recorded, org.history() as &dyn Source]);
    drop(store);
    let mut response = Json(Value::Array(page.events)).into_response();
    let url = format!("{base}/api/v1/logs");
    let pairs: Vec<(&str, &str)> = params.0.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let mut links = vec![link(&url, &pairs, "self")];
    if let Some(next) = page.next {
        let cursor = next.cursor();
        // The cursor replaces `since` going forward (they are exclusive);
        // descending, `since` still bounds the far end.
        let mut next_pairs: Vec<(&str, &str)> =
            pairs.iter().copied().filter(|(k, _)| *k != "after" && (query.descending || *k != "since")).collect();
        next_pairs.push(("after", &cursor));
        links.push(link(&url, &next_pairs, "next"));
    }
    for value in links.into_iter().flatten() {
        response.headers_mut().append(header::LINK, value);
    }
    Ok(response)
}
