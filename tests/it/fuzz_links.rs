//! Fuzz target `links`: the `Link` header parser (`okta::parse_links`,
//! `okta::next_link`), which decides where paging goes next.
//!
//! Properties: nothing panics on any header text; every target it returns
//! is text that stood between `<` and `>` in the header; and on generated
//! well-formed headers (RFC 8288: any spacing and case, quoted or bare
//! `rel`, several relations, other parameters whose quoted values hold
//! `;`, `,`, `<`, `>` or `=`, one header or many) it finds exactly the
//! links that were written, and `next` is the first link marked so.

use crate::fuzz_support::{self, CHEAP, Corpus, Input, mutated, noise};
use oktui::okta::{next_link, parse_links};
use proptest::prelude::*;

const TOKENS: &[&str] = &[
    "<",
    ">",
    ";",
    ",",
    "=",
    "\"",
    "rel",
    "rel=next",
    "rel=\"next\"",
    "REL=\"NEXT\"",
    "rel=\"self\"",
    "rel=\"next last\"",
    "title=\"a;b\"",
    "title=\"<x>\"",
    "title=\"a, rel=next\"",
    " ",
    "\t",
    "https://acme.okta.com/api/v1/users?after=",
    "%22",
    "%3E",
    "\\\"",
    "\u{0}",
    "\u{e9}",
    "<>",
    "<<",
    ">>",
];

/// One parameter of a link, written out.
fn param() -> impl Strategy<Value = String> {
    let quoted_text = "[ -!#-~;,<>=]{0,12}".prop_map(|s| s.replace('\\', ""));
    prop_oneof![
        quoted_text.clone().prop_map(|t| format!("title=\"{t}\"")),
        Just("type=\"application/json\"".to_owned()),
        Just("hreflang=en".to_owned()),
        quoted_text.prop_map(|t| format!("x-note=\"{t}\"")),
    ]
}

/// A link target as Okta writes one: absolute, query form-encoded.
fn target() -> impl Strategy<Value = String> {
    ("[a-z]{1,8}", "[A-Za-z0-9_-]{0,20}", 1u32..300, "[ -~]{0,16}").prop_map(|(host, cursor, limit, search)| {
        let search: String = url::form_urlencoded::byte_serialize(search.as_bytes()).collect();
        format!("https://{host}.okta.com/api/v1/users?after={cursor}&limit={limit}&search={search}")
    })
}

#[derive(Debug, Clone)]
struct Written {
    target: String,
    rels: Vec<String>,
    text: String,
}

fn link() -> impl Strategy<Value = Written> {
    let rel_names = prop::collection::vec(prop::sample::select(&["next", "self", "prev", "last", "NEXT"][..]), 1..3);
    (target(), rel_names, any::<bool>(), prop::collection::vec(param(), 0..3), any::<prop::sample::Index>(), "[ ]{0,2}")
        .prop_map(|(target, rels, quoted, mut params, at, gap)| {
            let rel = if quoted || rels.len() > 1 {
                format!("rel=\"{}\"", rels.join(" "))
            } else {
                format!("rel={}", rels[0])
            };
            params.insert(at.index(params.len() + 1), rel);
            let text = format!("<{target}>{gap};{gap}{}", params.join(&format!("{gap};{gap}")));
            Written { target, rels: rels.into_iter().map(String::from).collect(), text }
        })
}

/// Links written as one header value or spread over several.
fn header() -> impl Strategy<Value = (Vec<Written>, Vec<String>)> {
    (prop::collection::vec(link(), 0..5), prop::collection::vec(any::<bool>(), 5)).prop_map(|(links, splits)| {
        let mut values = vec![String::new()];
        for (i, l) in links.iter().enumerate() {
            let current = values.last_mut().expect("one value at least");
            if !current.is_empty() {
                current.push_str(", ");
            }
            current.push_str(&l.text);
            if splits[i] {
                values.push(String::new());
            }
        }
        values.retain(|v| !v.is_empty());
        (links, values)
    })
}

/// What any header text must give: targets that stood between `<` and `>`.
pub fn check(bytes: &[u8]) -> Result<(), String> {
    let text = String::from_utf8_lossy(bytes);
    for (target, _) in parse_links(&text) {
        if target.contains('>') || !text.contains(&target) || (!target.is_empty() && target.trim() != target) {
            return Err(format!("target {target:?} is not the trimmed text between < and > in {text:?}"));
        }
    }
    if let Some(next) = next_link([text.as_ref()]) {
        let _ = next.as_str();
    }
    Ok(())
}

fn check_written(links: &[Written], values: &[String]) -> Result<(), String> {
    let parsed: Vec<(String, Vec<String>)> = values.iter().flat_map(|v| parse_links(v)).collect();
    let expected: Vec<(String, Vec<String>)> = links.iter().map(|l| (l.target.clone(), l.rels.clone())).collect();
    if parsed != expected {
        return Err(format!("read {parsed:?}\nwrote {expected:?}\nfrom {values:?}"));
    }
    let want = links.iter().find(|l| l.rels.iter().any(|r| r.eq_ignore_ascii_case("next")));
    let got = next_link(values.iter().map(String::as_str));
    match (want, &got) {
        (None, None) => Ok(()),
        (Some(w), Some(g)) if url::Url::parse(&w.target).ok().as_ref() == Some(g) => Ok(()),
        _ => Err(format!("next is {got:?}, expected {:?}, from {values:?}", want.map(|w| &w.target))),
    }
}

#[test]
fn the_links_corpus_replays_cleanly() {
    let corpus = Corpus::load("links");
    corpus.replay(|_, seed| check(seed));
    let okta = corpus.seeds.iter().find(|(name, _)| name == "okta-next.txt").expect("the Okta seed");
    let text = String::from_utf8_lossy(&okta.1);
    let next = next_link(text.lines()).expect("Okta's own header has a next link");
    assert!(next.as_str().contains("after="), "{next}");
}

#[test]
fn fuzzed_links() {
    let corpus = Corpus::load("links");
    let strategy = prop_oneof![
        3 => mutated(corpus.all(), TOKENS).prop_map(|i| (None, i)),
        1 => noise().prop_map(|i| (None, i)),
        3 => header().prop_map(|(links, values)| (Some(links), Input(values.join("\n").into_bytes()))),
    ];
    fuzz_support::run(&corpus, CHEAP, strategy, |(links, input)| {
        check(&input.0).map_err(TestCaseError::fail)?;
        if let Some(links) = links {
            let text = input.text();
            let values: Vec<String> = text.split('\n').filter(|v| !v.is_empty()).map(str::to_owned).collect();
            check_written(&links, &values).map_err(TestCaseError::fail)?;
        }
        Ok(())
    });
}
