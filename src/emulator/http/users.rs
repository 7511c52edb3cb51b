//! `/api/v1/users`: list, get, create.

use super::error::OktaError;
use super::{JsonBody, base_url};
use crate::emulator::Org;
use crate::emulator::ids::{is_okta_id, now_millis};
use crate::emulator::record::{Credentials, PasswordCredential, Status, UserRecord};
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{Map, Value};
use std::sync::Arc;

const MAX_LIMIT: usize = 200;

#[derive(Deserialize)]
pub struct ListParams {
    limit: Option<String>,
    after: Option<String>,
}

pub async fn list(
    State(org): State<Arc<Org>>,
    headers: HeaderMap,
    Query(params): Query<ListParams>,
) -> Result<Response, OktaError> {
    let limit = match params.limit.as_deref() {
        None => MAX_LIMIT,
        Some(l) => l.parse::<usize>().map_err(|_| OktaError::invalid_cursor())?.clamp(1, MAX_LIMIT),
    };
    if let Some(after) = &params.after
        && !is_okta_id("00u", after)
    {
        return Err(OktaError::invalid_cursor());
    }
    let base = base_url(&headers);
    let store = org.read();
    let mut page: Vec<Value> = Vec::with_capacity(limit);
    let mut last_id = None;
    let mut more = false;
    for user in store.users_after(params.after.as_deref()).filter(|u| u.status != Status::Deprovisioned) {
        if page.len() == limit {
            more = true;
            break;
        }
        last_id = Some(user.id.clone());
        page.push(user.to_json(&base, false));
    }
    drop(store);

    let encode = |pairs: &[(&str, &str)]| {
        let mut s = url::form_urlencoded::Serializer::new(String::new());
        for (k, v) in pairs {
            s.append_pair(k, v);
        }
        s.finish()
    };
    let limit_s = limit.to_string();
    let mut self_pairs = vec![("limit", limit_s.as_str())];
    if let Some(a) = params.after.as_deref() {
        self_pairs.insert(0, ("after", a));
    }
    let mut links = vec![format!("<{base}/api/v1/users?{}>; rel=\"self\"", encode(&self_pairs))];
    if let (true, Some(last)) = (more, last_id.as_deref()) {
        links.push(format!("<{base}/api/v1/users?{}>; rel=\"next\"", encode(&[("after", last), ("limit", &limit_s)])));
    }
    let mut response = Json(Value::Array(page)).into_response();
    for link in links {
        if let Ok(v) = HeaderValue::from_str(&link) {
            response.headers_mut().append(header::LINK, v);
        }
    }
    Ok(response)
}

pub async fn get(
    State(org): State<Arc<Org>>,
    headers: HeaderMap,
    Path(key): Path<String>,
) -> Result<Json<Value>, OktaError> {
    let store = org.read();
    let user =
        if key == "me" { store.admin_id.as_deref().and_then(|id| store.user(id)) } else { store.find_user(&key) };
    let user = user.ok_or_else(|| OktaError::user_not_found(&key))?;
    Ok(Json(user.to_json(&base_url(&headers), true)))
}

#[derive(Deserialize)]
pub struct CreateParams {
    activate: Option<bool>,
}

#[derive(Deserialize)]
pub struct CreateBody {
    profile: Option<Map<String, Value>>,
    #[serde(default)]
    credentials: Option<CreateCredentials>,
}

#[derive(Deserialize)]
struct CreateCredentials {
    password: Option<CreatePassword>,
}

#[derive(Deserialize)]
struct CreatePassword {
    value: Option<String>,
}

pub async fn create(
    State(org): State<Arc<Org>>,
    headers: HeaderMap,
    Query(params): Query<CreateParams>,
    JsonBody(body): JsonBody<CreateBody>,
) -> Result<Json<Value>, OktaError> {
    let activate = params.activate.unwrap_or(true);
    let profile = body.profile.unwrap_or_default();
    let mut causes = Vec::new();
    for field in ["login", "firstName", "lastName", "email"] {
        let blank = profile.get(field).and_then(Value::as_str).is_none_or(|v| v.trim().is_empty());
        if blank {
            causes.push(format!("{field}: The field cannot be left blank"));
        }
    }
    let login = profile.get("login").and_then(Value::as_str).unwrap_or_default().to_owned();
    if !login.is_empty() && !looks_like_email(&login) {
        causes.push("login: Username must be in the form of an email address".into());
    }
    let mut store = org.write();
    if store.login_taken(&login) {
        causes.push("login: An object with this field already exists in the current organization".into());
    }
    if !causes.is_empty() {
        return Err(OktaError::validation("login", causes));
    }
    let password = body.credentials.and_then(|c| c.password).and_then(|p| p.value);
    let now = now_millis();
    let status = match (activate, password.is_some()) {
        (false, _) => Status::Staged,
        (true, true) => Status::Active,
        (true, false) => Status::Provisioned,
    };
    let mut credentials = Credentials::okta();
    credentials.password = password.map(PasswordCredential::Value);
    let user = UserRecord {
        id: store.new_id("00u"),
        status,
        transitioning_to: None,
        created: now,
        activated: (status == Status::Active).then_some(now),
        status_changed: Some(now),
        last_login: None,
        last_updated: now,
        password_changed: credentials.password.is_some().then_some(now),
        type_id: store.default_type_id(),
        profile,
        credentials,
    };
    let json = user.to_json(&base_url(&headers), true);
    store.insert_user(user);
    Ok(Json(json))
}

fn looks_like_email(s: &str) -> bool {
    match s.split_once('@') {
        Some((local, domain)) => !local.is_empty() && domain.contains('.') && !domain.starts_with('.'),
        None => false,
    }
}
