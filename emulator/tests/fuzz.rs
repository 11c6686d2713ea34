//! Property tests: random form bodies, random bytes and random raw TCP input get a 4xx (or a
//! closed connection) and leave the server serving.

mod common;
use common::*;
use proptest::prelude::*;
use std::sync::OnceLock;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

struct Shared {
    rt: tokio::runtime::Runtime,
    base: String,
    http: reqwest::Client,
}

fn shared() -> &'static Shared {
    static S: OnceLock<Shared> = OnceLock::new();
    S.get_or_init(|| {
        let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
        let base = rt.block_on(async {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            let emu = okta_emulator::start(listener, test_config()).await.unwrap();
            let base = emu.base_url.clone();
            std::mem::forget(emu);
            base
        });
        let http = reqwest::Client::builder().no_proxy().timeout(Duration::from_secs(20)).build().unwrap();
        Shared { rt, base, http }
    })
}

const ENDPOINTS: &[&str] = &[
    "/oauth2/default/v1/token",
    "/oauth2/v1/token",
    "/oauth2/default/v1/primary-authenticate",
    "/oauth2/default/v1/challenge",
    "/oauth2/default/v1/revoke",
    "/oauth2/aus-demo-custom/v1/token",
];

fn send(path: &str, content_type: Option<&str>, body: Vec<u8>) -> u16 {
    let s = shared();
    s.rt.block_on(async {
        let mut req = s.http.post(format!("{}{}", s.base, path)).body(body);
        if let Some(ct) = content_type {
            req = req.header("content-type", ct);
        }
        req.send().await.map(|r| r.status().as_u16()).unwrap_or(0)
    })
}

fn still_serving() -> bool {
    let s = shared();
    s.rt.block_on(async {
        s.http.get(format!("{}/oauth2/default/v1/keys", s.base)).send().await.map(|r| r.status().as_u16() == 200).unwrap_or(false)
    })
}

fn key() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "client_id",
            "grant_type",
            "username",
            "password",
            "scope",
            "otp",
            "login_hint",
            "oob_code",
            "mfa_token",
            "binding_code",
            "channel_hint",
            "challenge_hint",
            "challenge_types_supported",
            "refresh_token",
            "token",
            "acr_values",
            "grant_types_supported",
            "client_secret",
        ])
        .prop_map(str::to_string),
        "[a-z_]{1,12}",
    ]
}

fn value() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            CLIENT,
            SHORT,
            "0oa-confidential",
            G_PASSWORD,
            G_OTP,
            G_MFA_OTP,
            G_MFA_OOB,
            "refresh_token",
            "mfa.otp@example.com",
            "nobody@example.com",
            "push",
            "sms",
            "email",
            "openid",
            SCOPE,
            "123456",
            "",
        ])
        .prop_map(str::to_string),
        ".{0,40}",
        "[%&=+]{0,10}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn random_forms_get_a_4xx(ep in 0..ENDPOINTS.len(), params in prop::collection::vec((key(), value()), 0..10)) {
        let mut ser = form_urlencoded::Serializer::new(String::new());
        for (k, v) in &params {
            ser.append_pair(k, v);
        }
        let path = ENDPOINTS[ep];
        let status = send(path, Some("application/x-www-form-urlencoded"), ser.finish().into_bytes());
        let revoke_ok = path.ends_with("/revoke") && status == 200;
        prop_assert!((400..500).contains(&status) || revoke_ok, "{path} answered {status} to {params:?}");
        prop_assert!(still_serving());
    }

    #[test]
    fn random_bytes_get_a_4xx(
        ep in 0..ENDPOINTS.len(),
        body in prop::collection::vec(any::<u8>(), 0..4096),
        ct in prop::sample::select(vec![Some("application/x-www-form-urlencoded"), Some("application/json"), Some("text/plain; charset=utf-8"), None]),
    ) {
        let path = ENDPOINTS[ep];
        let status = send(path, ct, body);
        let revoke_ok = path.ends_with("/revoke") && status == 200;
        prop_assert!((400..500).contains(&status) || revoke_ok, "{path} answered {status}");
        prop_assert!(still_serving());
    }

    #[test]
    fn random_tcp_input_never_breaks_the_server(bytes in prop::collection::vec(any::<u8>(), 0..2048)) {
        let s = shared();
        let addr = s.base.trim_start_matches("http://").to_string();
        s.rt.block_on(async {
            if let Ok(mut stream) = tokio::net::TcpStream::connect(&addr).await {
                let _ = stream.write_all(&bytes).await;
                let _ = stream.shutdown().await;
                let mut buf = Vec::new();
                let _ = tokio::time::timeout(Duration::from_secs(5), stream.read_to_end(&mut buf)).await;
                if buf.starts_with(b"HTTP/1.1 ") {
                    let code = String::from_utf8_lossy(&buf[9..12]).to_string();
                    assert!(code.starts_with('4'), "answered {code}");
                }
            }
        });
        prop_assert!(still_serving());
    }
}

#[test]
fn oversized_and_stalled_bodies_are_refused() {
    let s = shared();
    // Claims a huge body: refused from the header alone.
    let addr = s.base.trim_start_matches("http://").to_string();
    let answer = s.rt.block_on(async {
        let mut stream = tokio::net::TcpStream::connect(&addr).await.unwrap();
        let req = format!(
            "POST /oauth2/default/v1/token HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 10000000\r\n\r\nclient_id=x"
        );
        stream.write_all(req.as_bytes()).await.unwrap();
        let mut buf = vec![0u8; 4096];
        let n = tokio::time::timeout(Duration::from_secs(5), stream.read(&mut buf)).await.unwrap().unwrap();
        String::from_utf8_lossy(&buf[..n]).to_string()
    });
    assert!(answer.starts_with("HTTP/1.1 400"), "{answer}");
    assert!(answer.contains("invalid_request"));
    assert!(still_serving());
}
