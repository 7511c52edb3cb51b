//! A pure simulation of the driver: feeds the app keys and canned API
//! results, collects its effects, and renders screens to a `TestBackend`.
//! No network, no terminal.
#![allow(dead_code)] // shared by several suites

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use oktui::app::{self, ApiResult, Effect, Msg, PageFrom, ReqId, State, Timer};
use oktui::okta::{ApiError, Error, Group, Page, User, UserSchema, UserType, rows_from_json};
use oktui::ui::theme::Theme;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use serde_json::{Value, json};

pub const NOW: &str = "2024-06-10T12:00:00Z";

/// A user object shaped like Okta's, with everything the screens show.
pub fn user_json(i: usize, status: &str) -> Value {
    const FIRST: [&str; 10] =
        ["Avery", "Blake", "Casey", "Devon", "Emery", "Finley", "Gray", "Harper", "Indigo", "Jules"];
    let first = FIRST[i % FIRST.len()];
    let login = format!("{}.fixture{i}@example.com", first.to_lowercase());
    let id = format!("00u{i:017}");
    json!({
        "id": id,
        "status": status,
        "created": "2024-05-01T10:00:00.000Z",
        "activated": "2024-05-02T10:00:00.000Z",
        "statusChanged": "2024-05-02T10:00:00.000Z",
        "lastLogin": if i.is_multiple_of(3) { Value::Null } else { json!("2024-06-07T09:30:00.000Z") },
        "lastUpdated": "2024-06-01T10:00:00.000Z",
        "passwordChanged": "2024-05-01T10:00:00.000Z",
        "type": {"id": "oty00000000000000001"},
        "profile": {"firstName": first, "lastName": format!("Fixture{i}"), "email": login, "login": login,
                    "mobilePhone": null, "department": "Engineering", "employmentType": "FULL_TIME",
                    "skills": ["rust", "okta"], "clearanceLevel": 3},
        "credentials": {"password": {}, "recovery_question": {"question": "Favorite book?"},
                        "provider": {"type": "OKTA", "name": "OKTA"}},
        "_links": {"self": {"href": format!("https://acme.okta.com/api/v1/users/{id}")}}
    })
}

/// `user_json` with the lifecycle links a single-user GET carries.
pub fn full_user_json(i: usize, status: &str) -> Value {
    let mut user = user_json(i, status);
    let base = format!("https://acme.okta.com/api/v1/users/{}", user["id"].as_str().unwrap_or_default());
    let rels: &[(&str, &str)] = match status {
        "ACTIVE" => &[
            ("suspend", "lifecycle/suspend"),
            ("resetPassword", "lifecycle/reset_password"),
            ("expirePassword", "lifecycle/expire_password"),
            ("deactivate", "lifecycle/deactivate"),
        ],
        "SUSPENDED" => &[("unsuspend", "lifecycle/unsuspend"), ("deactivate", "lifecycle/deactivate")],
        "STAGED" => &[("activate", "lifecycle/activate")],
        _ => &[],
    };
    let links = user["_links"].as_object_mut().expect("links");
    for (rel, path) in rels {
        links.insert((*rel).into(), json!({"href": format!("{base}/{path}"), "method": "POST"}));
    }
    links.insert(
        "schema".into(),
        json!({"href": "https://acme.okta.com/api/v1/meta/schemas/user/osc00000000000000001"}),
    );
    links.insert("type".into(), json!({"href": "https://acme.okta.com/api/v1/meta/types/user/oty00000000000000001"}));
    user
}

/// A user schema shaped like Okta's: base attributes with Okta's titles
/// and the custom ones the demo org has (an enum, an array, a number).
pub fn schema_json() -> Value {
    let base =
        |title: &str, min: u32, max: u32| json!({"title": title, "type": "string", "minLength": min, "maxLength": max});
    json!({
        "id": "https://acme.okta.com/meta/schemas/user/default",
        "definitions": {
            "base": {"id": "#base", "type": "object", "required": ["login", "firstName", "lastName", "email"], "properties": {
                "login": base("Username", 5, 100),
                "firstName": base("First name", 1, 50),
                "lastName": base("Last name", 1, 50),
                "email": {"title": "Primary email", "type": "string", "format": "email", "required": true},
                "mobilePhone": {"title": "Mobile phone", "type": "string", "maxLength": 100},
                "department": {"title": "Department", "type": "string"}
            }},
            "custom": {"id": "#custom", "type": "object", "required": [], "properties": {
                "employmentType": {"title": "Employment type", "type": "string", "enum": ["FULL_TIME", "CONTRACTOR"],
                    "oneOf": [{"const": "FULL_TIME", "title": "Full-time"}, {"const": "CONTRACTOR", "title": "Contractor"}]},
                "skills": {"title": "Skills", "type": "array", "items": {"type": "string"}},
                "clearanceLevel": {"title": "Clearance level", "type": "number"}
            }}
        }
    })
}

pub fn types_json() -> Vec<Value> {
    vec![
        json!({"id": "oty00000000000000001", "name": "user", "displayName": "User", "default": true,
               "_links": {"schema": {"href": "https://acme.okta.com/api/v1/meta/schemas/user/osc00000000000000001"}}}),
        json!({"id": "oty00000000000000002", "name": "contractor", "displayName": "Contractor", "default": false,
               "_links": {"schema": {"href": "https://acme.okta.com/api/v1/meta/schemas/user/osc00000000000000002"}}}),
    ]
}

pub fn users(n: usize) -> Vec<Value> {
    const STATUSES: [&str; 7] =
        ["ACTIVE", "STAGED", "PROVISIONED", "RECOVERY", "PASSWORD_EXPIRED", "LOCKED_OUT", "SUSPENDED"];
    (0..n).map(|i| user_json(i, STATUSES[i % STATUSES.len()])).collect()
}

pub fn api_error(status: u16, body: Value) -> Error {
    Error::Api(Box::new(ApiError::from_body(status, Some("req-fixture".into()), body.to_string().as_bytes())))
}

pub struct Sim {
    pub state: State,
    /// Effects not yet answered, oldest first.
    pub effects: Vec<Effect>,
    pub theme: Theme,
    /// What the last `frame` reported; like the driver, the app hears of
    /// a frame's geometry only when it changed.
    pub drawn: Option<app::Viewport>,
}

impl Sim {
    pub fn new() -> Self {
        let mut state = State::new("acme.okta.com");
        state.now = NOW.parse().expect("fixed time");
        Self { state, effects: Vec::new(), theme: Theme::default(), drawn: None }
    }

    /// Starts the app and answers `/users/me`, the schema, the types and
    /// the first page.
    pub fn started_with(users: &[Value], next: Option<&str>) -> Self {
        let mut sim = Self::new();
        sim.start();
        sim.answer_me("admin@example.com");
        sim.answer_meta();
        sim.answer_page(users, next);
        sim
    }

    pub fn answer_meta(&mut self) {
        let Effect::FetchSchema { req } = self.take("schema", |e| matches!(e, Effect::FetchSchema { .. })) else {
            unreachable!()
        };
        let schema = UserSchema::from_json(schema_json()).expect("schema");
        self.send(Msg::Api(req, ApiResult::Schema(Ok(schema))));
        let Effect::FetchTypes { req } = self.take("types", |e| matches!(e, Effect::FetchTypes { .. })) else {
            unreachable!()
        };
        let types = types_json().into_iter().filter_map(UserType::from_json).collect();
        self.send(Msg::Api(req, ApiResult::Types(Ok(types))));
    }

    /// Answers the groups fetch that follows a loaded user.
    pub fn answer_groups(&mut self, names: &[&str]) {
        let Effect::FetchGroups { req, .. } = self.take("groups", |e| matches!(e, Effect::FetchGroups { .. })) else {
            unreachable!()
        };
        let groups = names
            .iter()
            .enumerate()
            .filter_map(|(i, n)| {
                Group::from_json(json!({"id": format!("00g{i:017}"), "type": "OKTA_GROUP", "profile": {"name": n}}))
            })
            .collect();
        self.send(Msg::Api(req, ApiResult::Groups(Ok(groups))));
    }

    pub fn start(&mut self) {
        let effects = app::start(&mut self.state);
        self.effects.extend(effects);
        self.send(Msg::Viewport(app::Viewport {
            list_rows: 20,
            list_top: 4,
            list_left: 1,
            list_right: 60,
            detail_rows: 30,
            detail_lines: 60,
            log_scroll_limit: 0,
            help_scroll_limit: 0,
            bulk_scroll_limit: 0,
        }));
    }

    pub fn send(&mut self, msg: Msg) {
        let effects = app::update(&mut self.state, msg);
        self.effects.extend(effects);
    }

    pub fn key(&mut self, code: KeyCode) {
        self.send(Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)));
    }

    pub fn ch(&mut self, c: char) {
        self.key(KeyCode::Char(c));
    }

    pub fn ctrl(&mut self, c: char) {
        self.send(Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL)));
    }

    pub fn type_text(&mut self, text: &str) {
        for c in text.chars() {
            self.ch(c);
        }
    }

    /// Removes and returns the first pending effect matching `pred`.
    pub fn take(&mut self, what: &str, pred: impl Fn(&Effect) -> bool) -> Effect {
        match self.effects.iter().position(pred) {
            Some(i) => self.effects.remove(i),
            None => panic!("no pending {what}; pending: {:#?}", self.effects),
        }
    }

    pub fn has(&self, pred: impl Fn(&Effect) -> bool) -> bool {
        self.effects.iter().any(pred)
    }

    /// Delivers every scheduled timer (as if the delays passed).
    pub fn fire_timers(&mut self) {
        let timers: Vec<Timer> = self
            .effects
            .iter()
            .filter_map(|e| match e {
                Effect::Schedule { timer, .. } => Some(*timer),
                _ => None,
            })
            .collect();
        self.effects.retain(|e| !matches!(e, Effect::Schedule { .. }));
        for timer in timers {
            self.send(Msg::Timer(timer));
        }
    }

    /// The newest page request; older ones were superseded (the driver
    /// aborts them), so they are dropped.
    pub fn take_page_request(&mut self) -> (ReqId, PageFrom) {
        let mut latest = None;
        self.effects.retain(|e| match e {
            Effect::FetchPage { req, from } => {
                latest = Some((*req, from.clone()));
                false
            }
            _ => true,
        });
        latest.unwrap_or_else(|| panic!("no pending page fetch; pending: {:#?}", self.effects))
    }

    /// Searches `text`, answers with no users, and presses Enter again:
    /// the exact-id-or-login lookup that follows, with its request id.
    pub fn look_up(&mut self, text: &str) -> ReqId {
        self.ch('/');
        self.type_text(text);
        self.key(KeyCode::Enter);
        self.answer_page(&[], None);
        self.ch('/');
        self.key(KeyCode::Enter);
        let Effect::Lookup { req, key } = self.take("lookup", |e| matches!(e, Effect::Lookup { .. })) else {
            unreachable!()
        };
        assert_eq!(key, text, "the text is looked up exactly as typed");
        req
    }

    pub fn answer_page(&mut self, users: &[Value], next: Option<&str>) {
        let (req, _) = self.take_page_request();
        self.answer_page_for(req, users, next);
    }

    pub fn answer_page_for(&mut self, req: ReqId, users: &[Value], next: Option<&str>) {
        let body = serde_json::to_vec(users).expect("json");
        let page = Page { items: rows_from_json(&body).expect("rows"), next: next.map(|n| n.parse().expect("url")) };
        self.send(Msg::Api(req, ApiResult::Page(Ok(page))));
    }

    pub fn answer_me(&mut self, login: &str) {
        let Effect::FetchMe { req } = self.take("me", |e| matches!(e, Effect::FetchMe { .. })) else { unreachable!() };
        let me = User::from_json(json!({"id": "00uadmin", "profile": {"login": login}})).expect("user");
        self.send(Msg::Api(req, ApiResult::Me(Ok(me))));
    }

    /// Fires timers, then answers the detail fetch for the selected user.
    pub fn answer_detail(&mut self, user: Value) {
        self.fire_timers();
        let Effect::FetchUser { req, id } = self.take("user fetch", |e| matches!(e, Effect::FetchUser { .. })) else {
            unreachable!()
        };
        assert_eq!(user["id"].as_str(), Some(id.as_str()), "detail fetched for the selected user");
        self.send(Msg::Api(req, ApiResult::User(Ok(User::from_json(user).expect("user")))));
    }

    /// What the driver does when the terminal takes a new size: the size,
    /// a frame, and the viewport that frame's layout had (not one a test
    /// invents). Returns the screen.
    pub fn resize(&mut self, width: u16, height: u16) -> String {
        self.send(Msg::Resize(width, height));
        let mut viewport = app::Viewport::default();
        let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("test terminal");
        terminal.draw(|f| viewport = oktui::ui::draw(f, &self.state, &self.theme)).expect("draw");
        self.send(Msg::Viewport(viewport));
        self.screen(width, height)
    }

    pub fn render(&self, width: u16, height: u16) -> Terminal<TestBackend> {
        let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("test terminal");
        terminal
            .draw(|f| {
                oktui::ui::draw(f, &self.state, &self.theme);
            })
            .expect("draw");
        terminal
    }

    /// Draws a frame and, when its geometry changed, tells the app, as the
    /// driver does; returns the screen as text.
    pub fn frame(&mut self, width: u16, height: u16) -> String {
        let mut viewport = app::Viewport::default();
        let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("test terminal");
        terminal.draw(|f| viewport = oktui::ui::draw(f, &self.state, &self.theme)).expect("draw");
        if self.drawn != Some(viewport) {
            self.drawn = Some(viewport);
            self.send(Msg::Viewport(viewport));
        }
        self.screen(width, height)
    }

    /// The screen as plain text, one line per row.
    pub fn screen(&self, width: u16, height: u16) -> String {
        let terminal = self.render(width, height);
        let buffer = terminal.backend().buffer();
        let mut out = String::new();
        for y in 0..buffer.area.height {
            for x in 0..buffer.area.width {
                out.push_str(buffer[(x, y)].symbol());
            }
            out.push('\n');
        }
        out
    }
}
