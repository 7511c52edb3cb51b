//! What the `org` fuzz target sends: requests to every route of the
//! embedded org with generated and mutated paths, query strings, headers
//! and bodies, well-formed HTTP or raw bytes.

use crate::fuzz_support::{Corpus, Input, mutated, noise};
use crate::support::TOKEN;
use proptest::prelude::*;
use proptest::sample::select;
use std::sync::Arc;

/// Every route of the org (the hooks that change the org's own behaviour,
/// `/emulator/v1/faults` and the deliberate `/emulator/v1/panic`, are left
/// out: they are the operator's, and a fault switched on is no finding).
pub const ROUTES: &[(&str, &str)] = &[
    ("GET", "/api/v1/users"),
    ("POST", "/api/v1/users"),
    ("GET", "/api/v1/users/{user}"),
    ("POST", "/api/v1/users/{user}"),
    ("PUT", "/api/v1/users/{user}"),
    ("DELETE", "/api/v1/users/{user}"),
    ("POST", "/api/v1/users/{user}/lifecycle/{lifecycle}"),
    ("POST", "/api/v1/users/{user}/credentials/{credentials}"),
    ("GET", "/api/v1/users/{user}/groups"),
    ("GET", "/api/v1/users/{user}/factors"),
    ("GET", "/api/v1/users/{user}/appLinks"),
    ("GET", "/api/v1/users/{user}/grants"),
    ("DELETE", "/api/v1/users/{user}/sessions"),
    ("GET", "/api/v1/groups"),
    ("POST", "/api/v1/groups"),
    ("GET", "/api/v1/groups/{group}"),
    ("DELETE", "/api/v1/groups/{group}"),
    ("GET", "/api/v1/groups/{group}/users"),
    ("PUT", "/api/v1/groups/{group}/users/{user}"),
    ("DELETE", "/api/v1/groups/{group}/users/{user}"),
    ("GET", "/api/v1/meta/types/user"),
    ("POST", "/api/v1/meta/types/user"),
    ("GET", "/api/v1/meta/types/user/{type}"),
    ("DELETE", "/api/v1/meta/types/user/{type}"),
    ("GET", "/api/v1/meta/schemas/user/{schema}"),
    ("POST", "/oauth2/v1/token"),
    ("GET", "/emulator/v1/faults"),
    ("POST", "/emulator/v1/users/{user}/lock"),
];

pub const OFF_LIMITS: &[&str] = &["/emulator/v1/faults", "/emulator/v1/panic"];

const LIFECYCLE: &[&str] = &[
    "activate",
    "deactivate",
    "reactivate",
    "suspend",
    "unsuspend",
    "unlock",
    "expire_password",
    "expire_password_with_temp_password",
    "reset_password",
    "reset_factors",
    "delete",
    "",
];
const CREDENTIALS: &[&str] =
    &["change_password", "change_recovery_question", "forgot_password", "forgot_password_recovery_question"];

/// Path segments that break naive routing and decoding.
const ODD_SEGMENTS: &[&str] = &[
    "%00",
    "%FF%FE",
    "%C3%A9",
    "é",
    "😀",
    "..",
    ".",
    "%2E%2E",
    "%2F",
    "a%2Fb",
    "%",
    "%zz",
    "a%2",
    "me",
    "%20",
    "+",
    "admin@example.com",
    "admin%40example.com",
    "ADMIN@EXAMPLE.COM",
    "admin",
    "%0A",
    "%0D%0A",
    "%09",
    "\u{202e}",
    "00u",
    "00g",
    "default",
    "null",
    "-1",
    "\\",
    "%5C",
    ";",
    "~",
    "*",
];

const QUERY_KEYS: &[&str] = &[
    "limit",
    "after",
    "search",
    "filter",
    "q",
    "sortBy",
    "sortOrder",
    "fields",
    "activate",
    "provider",
    "nextLogin",
    "sendEmail",
    "expand",
    "strict",
    "tempPassword",
    "revokeSessions",
    "oauthTokens",
];

const QUERY_VALUES: &[&str] = &[
    "",
    "0",
    "-1",
    "1",
    "200",
    "201",
    "99999999999999999999",
    "1e3",
    "true",
    "false",
    "TRUE",
    "asc",
    "desc",
    "DESC",
    "profile.lastName",
    "status",
    "id,profile:(login)",
    "changePassword",
    "YWJj",
    "%ZZ",
    "%",
    "status eq \"ACTIVE\"",
    "profile.login sw \"a\"",
    "lastUpdated gt \"2024-01-01T00:00:00.000Z\"",
    "(((((((((((((((((((((((((((((((((((((status eq \"ACTIVE\")))))))))))))))))))))))))))))))))))))",
];

/// Which `Authorization` a request carries, and what the org must make of it.
#[derive(Debug, Clone)]
pub enum Auth {
    /// An accepted spelling of the API token: never answered 401.
    Valid(String),
    /// Not the token: never answered 2xx on an authenticated route.
    Invalid(Vec<u8>),
    None,
}

#[derive(Debug, Clone)]
pub struct Req {
    pub method: String,
    pub path: String,
    pub query: Option<String>,
    pub auth: Auth,
    pub content_type: Option<String>,
    pub body: Option<Input>,
    pub host: Option<String>,
}

/// Ids that exist in the org, so requests also reach deep into handlers.
#[derive(Debug, Clone)]
pub struct Known {
    pub users: Vec<String>,
    pub groups: Vec<String>,
    pub types: Vec<String>,
}

fn segment(known: Vec<String>) -> impl Strategy<Value = String> {
    let known = if known.is_empty() { vec!["none".to_owned()] } else { known };
    prop_oneof![
        14 => select(known),
        3 => select(ODD_SEGMENTS).prop_map(String::from),
        2 => "[ -~]{0,24}".prop_map(|s| s.replace(['/', '?', '#'], "_")),
        1 => (select(ODD_SEGMENTS), 100usize..12_000).prop_map(|(s, n)| s.repeat(n / s.len().max(1))),
        1 => prop::collection::vec(any::<u8>(), 0..16)
            .prop_map(|b| b.iter().map(|x| format!("%{x:02X}")).collect::<String>()),
    ]
}

fn path(known: &Known) -> impl Strategy<Value = (&'static str, String)> + use<> {
    let (users, groups, types) = (known.users.clone(), known.groups.clone(), known.types.clone());
    (
        select(ROUTES),
        segment(users),
        segment(groups),
        segment(types),
        select(LIFECYCLE),
        select(CREDENTIALS),
        prop_oneof![3 => Just("default".to_owned()), 1 => segment(Vec::new())],
        prop::bool::weighted(0.1),
    )
        .prop_map(|((method, route), user, group, kind, lifecycle, credentials, schema, slash)| {
            let mut path = route
                .replace("{user}", &user)
                .replace("{group}", &group)
                .replace("{type}", &kind)
                .replace("{lifecycle}", lifecycle)
                .replace("{credentials}", credentials)
                .replace("{schema}", &schema);
            if slash {
                path.push('/');
            }
            (method, path)
        })
}

fn query(corpus: &Corpus) -> impl Strategy<Value = Option<String>> + use<> {
    let value = prop_oneof![
        4 => select(QUERY_VALUES).prop_map(String::from),
        2 => mutated(crate::fuzz_support::Corpus::load("expr").all(), &[" and ", "\"", "(", ")"]).prop_map(|i| i.text()),
        1 => any::<String>(),
    ];
    let pair = (prop_oneof![5 => select(QUERY_KEYS).prop_map(String::from), 1 => "[ -~]{0,8}"], value, any::<bool>())
        .prop_map(|(k, v, form)| {
            if form {
                url::form_urlencoded::Serializer::new(String::new()).append_pair(&k, &v).finish()
            } else {
                // Raw: only what would end the URL is escaped.
                format!("{k}={}", v.replace('%', "%25").replace('#', "%23").replace('&', "%26"))
            }
        });
    prop_oneof![
        2 => Just(None),
        4 => prop::collection::vec(pair, 1..5).prop_map(|p| Some(p.join("&"))),
        2 => mutated(corpus.with_suffix(".query"), &["&", "=", "%", "+", "%22", "limit=", "after="])
            .prop_map(|i| Some(i.text().replace('#', "%23"))),
    ]
}

fn auth() -> impl Strategy<Value = Auth> {
    prop_oneof![
        6 => select(&["SSWS {t}", "SSWS{t}", "SSWS   {t}  ", "SSWS\t{t}"][..])
            .prop_map(|f| Auth::Valid(f.replace("{t}", TOKEN))),
        1 => Just(Auth::None),
        2 => select(&[
            "Bearer {t}", "SSWS", "SSWS ", "Basic dXNlcjpwYXNz", "SSWS {t}x", "SSWS x{t}", "SSWS {t}, SSWS {t}",
            "Bearer", "Bearer ", "SSWS\u{0}{t}", "{t}", "SSWS {t} SSWS",
        ][..])
        .prop_map(|f| Auth::Invalid(f.replace("{t}", TOKEN).into_bytes())),
        1 => prop::collection::vec(any::<u8>(), 0..64).prop_map(Auth::Invalid),
    ]
}

fn body(corpus: &Corpus) -> impl Strategy<Value = (Option<String>, Option<Input>)> + use<> {
    let content_type = prop_oneof![
        6 => Just(Some("application/json".to_owned())),
        1 => Just(None),
        1 => select(&[
            "application/json; charset=utf-8", "text/plain", "application/x-www-form-urlencoded",
            "multipart/form-data; boundary=x", "application/json; charset=latin1", "*/*", ";;;",
        ][..])
        .prop_map(|c| Some(c.to_owned())),
    ];
    let payload = prop_oneof![
        1 => Just(None),
        6 => mutated(corpus.with_suffix(".json"), crate::fuzz_model::TOKENS).prop_map(Some),
        2 => crate::fuzz_model::json_value().prop_map(|v| Some(Input(serde_json::to_vec(&v).unwrap_or_default()))),
        1 => noise().prop_map(Some),
        1 => Just(Some(Input(vec![b'['; 100_000]))),
    ];
    (content_type, payload)
}

fn host() -> impl Strategy<Value = Option<String>> {
    prop_oneof![
        8 => Just(None),
        1 => select(&[
            "evil.example.com", "a>; rel=\"next\", <http://evil.example.com", "", "[::1]:1", "host with space",
            "127.0.0.1:1/path?q", "x\"y", "ünïcode.example",
        ][..])
        .prop_map(|h| Some(h.to_owned())),
        1 => "[ -~]{0,40}".prop_map(Some),
    ]
}

pub fn request(corpus: &Corpus, known: &Known) -> impl Strategy<Value = Req> + use<> {
    let method = prop_oneof![
        8 => Just(None),
        1 => select(&["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS", "TRACE", "FOO", "get"][..])
            .prop_map(|m| Some(m.to_owned())),
    ];
    (path(known), query(corpus), auth(), body(corpus), host(), method).prop_map(
        |((route_method, path), query, auth, (content_type, body), host, method)| Req {
            method: method.unwrap_or_else(|| route_method.to_owned()),
            path,
            query,
            auth,
            content_type,
            body,
            host,
        },
    )
}

/// Raw requests: valid seeds mutated byte by byte, and request lines whose
/// target is bytes no client library would send.
pub fn raw(corpus: &Corpus) -> impl Strategy<Value = Input> + use<> {
    let seeds = Arc::new(corpus.with_suffix(".http"));
    let tokens: &'static [&'static str] = &[
        "\r\n",
        "\r\n\r\n",
        " ",
        "\0",
        "\n",
        "Content-Length: 99999\r\n",
        "Transfer-Encoding: chunked\r\n",
        "Content-Length: -1\r\n",
        "Host: \r\n",
        "Authorization: SSWS \r\n",
        "%00",
        "%FF",
        "/..",
        "HTTP/1.0",
        "HTTP/2.0",
        "\x7f",
        "\u{e9}",
    ];
    let target = prop_oneof![
        prop::collection::vec(any::<u8>(), 0..80),
        (1usize..70_000).prop_map(|n| [b"/api/v1/users/".as_slice(), &vec![b'a'; n]].concat()),
        "[\\x00-\\x1f /a-z%]{0,40}".prop_map(String::into_bytes),
    ];
    let line = (select(&["GET", "POST", "PUT", "DELETE", "XYZ"][..]), target).prop_map(|(m, t)| {
        let mut bytes = format!("{m} ").into_bytes();
        bytes.extend(t);
        bytes.extend_from_slice(format!(" HTTP/1.1\r\nHost: x\r\nAuthorization: SSWS {TOKEN}\r\n\r\n").as_bytes());
        Input(bytes)
    });
    prop_oneof![3 => mutated(seeds.to_vec(), tokens), 2 => line, 1 => noise()]
}
