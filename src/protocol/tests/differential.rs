//! The small codecs against reference implementations (issue 10, item 8): `json` against
//! `serde_json`, `form` against `form_urlencoded`, `base64url` against `base64`. Native
//! dev-dependencies only; the wasm ships none of them. Also the JSON bounds of item 7.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use proptest::prelude::*;

use super::base64url;
use super::form::FormBody;
use super::json::{self, Value, MAX_DEPTH, MAX_MEMBERS};

/// Our value as serde_json's, numbers compared through serde_json's reading of their text.
fn to_serde(value: &Value) -> serde_json::Value {
    match value {
        Value::Null => serde_json::Value::Null,
        Value::Bool(b) => serde_json::Value::Bool(*b),
        // Through std's exact float parser: serde_json's default one may be off by an ulp.
        Value::Number(text) => match (text.parse::<i64>(), text.parse::<u64>()) {
            (Ok(n), _) => serde_json::json!(n),
            (_, Ok(n)) => serde_json::json!(n),
            _ => serde_json::json!(text.parse::<f64>().expect("our number text is a float")),
        },
        Value::String(s) => serde_json::Value::String(s.clone()),
        Value::Array(items) => serde_json::Value::Array(items.iter().map(to_serde).collect()),
        Value::Object(members) => serde_json::Value::Object(members.iter().map(|(k, v)| (k.clone(), to_serde(v))).collect()),
    }
}

/// Whether a number in `value` is beyond f64's range (reads as an infinity, and as no integer).
fn has_infinite_number(value: &Value) -> bool {
    match value {
        Value::Number(_) => value.as_f64().is_some_and(f64::is_infinite) && value.as_i64().is_none(),
        Value::Array(items) => items.iter().any(has_infinite_number),
        Value::Object(members) => members.iter().any(|(_, v)| has_infinite_number(v)),
        _ => false,
    }
}

fn depth(value: &serde_json::Value) -> usize {
    match value {
        serde_json::Value::Array(items) => 1 + items.iter().map(depth).max().unwrap_or(0),
        serde_json::Value::Object(members) => 1 + members.values().map(depth).max().unwrap_or(0),
        _ => 0,
    }
}

fn any_json() -> impl Strategy<Value = serde_json::Value> {
    let leaf = prop_oneof![
        Just(serde_json::Value::Null),
        any::<bool>().prop_map(serde_json::Value::Bool),
        any::<i64>().prop_map(|n| serde_json::json!(n)),
        any::<u64>().prop_map(|n| serde_json::json!(n)),
        any::<f64>().prop_filter("finite", |f| f.is_finite()).prop_map(|f| serde_json::json!(f)),
        any::<String>().prop_map(serde_json::Value::String),
    ];
    leaf.prop_recursive(6, 64, 8, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..8).prop_map(serde_json::Value::Array),
            proptest::collection::btree_map(any::<String>(), inner, 0..8).prop_map(|m| serde_json::Value::Object(m.into_iter().collect())),
        ]
    })
}

/// Text that is often almost JSON: fragments of JSON syntax, escapes and odd characters.
fn almost_json() -> impl Strategy<Value = String> {
    proptest::collection::vec(
        prop_oneof![
            Just("{".to_owned()),
            Just("}".to_owned()),
            Just("[".to_owned()),
            Just("]".to_owned()),
            Just(",".to_owned()),
            Just(":".to_owned()),
            Just("\"a\"".to_owned()),
            Just("\"a\\u00e9\\ud83d\\ude00\\n\"".to_owned()),
            Just("\"\\ud800\"".to_owned()),
            Just("1".to_owned()),
            Just("-0.5e+3".to_owned()),
            Just("01".to_owned()),
            Just("1.".to_owned()),
            Just("true".to_owned()),
            Just("null".to_owned()),
            Just(" ".to_owned()),
            "[ -~]{0,3}",
            any::<char>().prop_map(String::from),
        ],
        0..24,
    )
    .prop_map(|parts| parts.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    /// Whatever serde_json writes (within our depth), we read to the same value.
    #[test]
    fn json_reads_what_serde_json_writes(value in any_json()) {
        prop_assume!(depth(&value) <= MAX_DEPTH);
        for text in [serde_json::to_string(&value).unwrap(), serde_json::to_string_pretty(&value).unwrap()] {
            let ours = json::parse(text.as_bytes()).unwrap_or_else(|_| panic!("refused {text}"));
            prop_assert_eq!(to_serde(&ours), value.clone());
        }
    }

    /// Whatever we accept, serde_json accepts as the same value (we are stricter: duplicate
    /// names, lone surrogates it would also refuse, depth and member bounds). One difference,
    /// by design: serde_json refuses a number beyond f64's range (`-0.5e+30101`); we keep a
    /// number's text and read it as an infinity (`as_f64`), which no integer reading accepts.
    #[test]
    fn json_accepts_only_what_serde_json_accepts(text in almost_json()) {
        if let Ok(ours) = json::parse(text.as_bytes()) {
            match serde_json::from_str::<serde_json::Value>(&text) {
                Ok(theirs) => prop_assert_eq!(to_serde(&ours), theirs),
                Err(e) if e.to_string().starts_with("number out of range") => {
                    prop_assert!(has_infinite_number(&ours), "{text:?}: serde_json says {e}, we read no infinity");
                }
                Err(e) => panic!("we accepted {text:?}, serde_json: {e}"),
            }
        }
    }

    /// Random bytes: same verdict as serde_json, except that we also refuse duplicate names.
    #[test]
    fn json_random_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..64)) {
        if let Ok(ours) = json::parse(&bytes) {
            let theirs: serde_json::Value = serde_json::from_slice(&bytes).expect("serde_json accepts what we accept");
            prop_assert_eq!(to_serde(&ours), theirs);
        }
    }

    /// Our string writer's output is the same string to serde_json.
    #[test]
    fn json_string_writer(text in any::<String>()) {
        let mut out = String::new();
        json::write_string(&mut out, &text);
        prop_assert_eq!(serde_json::from_str::<String>(&out).unwrap(), text);
    }

    /// Our form body decodes with form_urlencoded to the fields we put in, and encodes
    /// byte for byte as its serializer does.
    #[test]
    fn form_matches_form_urlencoded(fields in proptest::collection::vec((any::<String>(), any::<String>()), 0..6)) {
        let ours = fields.iter().fold(FormBody::new(), |body, (k, v)| body.field(k, v)).finish();
        let decoded: Vec<(String, String)> = form_urlencoded::parse(ours.as_bytes()).into_owned().collect();
        prop_assert_eq!(&decoded, &fields);
        let theirs = form_urlencoded::Serializer::new(String::new()).extend_pairs(fields.iter()).finish();
        prop_assert_eq!(ours, theirs);
    }

    /// base64url: the same bytes from the same text, and the same refusals, as `base64`'s
    /// URL-safe engine (padding aside, which JWTs omit and we also accept).
    #[test]
    fn base64url_matches_base64(bytes in proptest::collection::vec(any::<u8>(), 0..64)) {
        let text = URL_SAFE_NO_PAD.encode(&bytes);
        prop_assert_eq!(base64url::encode(&bytes), text.clone());
        prop_assert_eq!(base64url::decode(&text), Some(bytes));
    }

    #[test]
    fn base64url_decodes_like_base64(text in "[A-Za-z0-9_\\-+/=]{0,12}") {
        let theirs = URL_SAFE_NO_PAD.decode(text.trim_end_matches('=')).ok();
        let ours = base64url::decode(&text);
        if !text.contains('=') {
            prop_assert_eq!(ours, theirs, "{}", text);
        } else if let Some(ours) = ours {
            prop_assert_eq!(Some(ours), theirs, "{}", text);
        }
    }
}

#[test]
fn json_member_bound() {
    let object = |n: usize| format!("{{{}}}", (0..n).map(|i| format!("\"k{i:05}\":{i}")).collect::<Vec<_>>().join(","));
    assert!(json::parse(object(MAX_MEMBERS).as_bytes()).is_ok());
    assert!(json::parse(object(MAX_MEMBERS + 1).as_bytes()).is_err());
    // The hostile body of the issue: 40,000 distinct names (1.6 s before the bound), refused.
    let started = std::time::Instant::now();
    assert!(json::parse(object(40_000).as_bytes()).is_err());
    // A 256 KiB body of many full objects parses in time linear in its size.
    let many = format!("[{}]", vec![object(MAX_MEMBERS); 100].join(","));
    assert!(many.len() > 256 * 1024, "{}", many.len());
    assert!(json::parse(many.as_bytes()).is_ok());
    assert!(started.elapsed() < std::time::Duration::from_secs(2), "{:?}", started.elapsed());
    assert!(json::parse(br#"{"a":1,"b":2,"a":3}"#).is_err(), "duplicates are still refused");
}

/// The case proptest found: serde_json refuses it, we read it as an infinity.
#[test]
fn a_number_beyond_f64_reads_as_an_infinity() {
    let text = "-0.5e+30101";
    assert!(serde_json::from_str::<serde_json::Value>(text).is_err());
    assert!(has_infinite_number(&json::parse(text.as_bytes()).unwrap()));
}
