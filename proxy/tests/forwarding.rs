//! What goes to Okta and what comes back: only the headers Okta needs, the end user's IP in
//! X-Forwarded-For, bounded bodies both ways, a deadline, and no redirect followed.

mod support;
use std::time::{Duration, Instant};
use support::*;

#[tokio::test]
async fn only_the_headers_okta_needs_are_forwarded() {
    let up = recorder(|_| json_answer(400, r#"{"error":"invalid_grant","error_description":"x"}"#, &[])).await;
    let p = proxy(config(&up.base)).await;
    let browser_headers = [
        ("Cookie", "sid=browser-session; other=1"),
        ("Referer", "http://app.example.test/login?secret=1"),
        ("Authorization", "Bearer caller-token"),
        ("X-Api-Key", "k"),
        ("User-Agent", "Mozilla/5.0"),
        ("X-Forwarded-Host", "evil.example"),
    ];
    post(&p.url("/okta/oauth2/default/v1/token"), &password_form("a@example.com", "openid"), &browser_headers).await;
    get(&p.url("/okta/oauth2/default/v1/keys"), &browser_headers).await;
    get(&p.url("/okta/oauth2/default/v1/userinfo"), &browser_headers).await;
    let seen = up.requests();
    assert_eq!(seen.len(), 3);
    for r in &seen {
        for h in ["origin", "cookie", "referer", "x-api-key", "sec-fetch-site", "x-forwarded-host"] {
            assert!(r.headers.get(h).is_none(), "{h} forwarded to {}", r.uri);
        }
        assert_ne!(r.headers.get("user-agent").unwrap(), "Mozilla/5.0");
    }
    let (token, keys, userinfo) = (&seen[0], &seen[1], &seen[2]);
    assert_eq!((token.method.as_str(), token.uri.as_str()), ("POST", "/oauth2/default/v1/token"));
    assert_eq!(token.headers["content-type"], "application/x-www-form-urlencoded");
    assert_eq!(token.headers["accept"], "application/json");
    assert!(token.headers.get("authorization").is_none(), "the caller's Authorization does not reach /token");
    assert_eq!(token.field("password").as_deref(), Some(PASSWORD), "the form arrives intact");
    assert!(keys.headers.get("authorization").is_none());
    assert_eq!(userinfo.headers["authorization"], "Bearer caller-token", "userinfo takes the caller's bearer token");
}

#[tokio::test]
async fn okta_hears_the_end_users_ip_and_only_trusted_proxies_are_believed() {
    let up = recorder(|_| json_answer(200, "{}", &[])).await;
    let untrusting = proxy(config(&up.base)).await;
    get(&untrusting.url("/okta/oauth2/default/v1/keys"), &[("X-Forwarded-For", "203.0.113.50")]).await;
    let mut c = config(&up.base);
    c.trusted_proxies = vec!["127.0.0.0/8".into()];
    let behind_lb = proxy(c).await;
    get(&behind_lb.url("/okta/oauth2/default/v1/keys"), &[("X-Forwarded-For", "198.51.100.1, 203.0.113.50, 127.0.0.9")]).await;
    get(&behind_lb.url("/okta/oauth2/default/v1/keys"), &[]).await;
    let xff: Vec<String> = up.requests().iter().map(|r| r.headers["x-forwarded-for"].to_str().unwrap().to_owned()).collect();
    // Untrusted peer: its X-Forwarded-For is a lie as far as we know; Okta hears the peer.
    // Trusted peer: the rightmost address that is not a trusted proxy. One address only:
    // Okta reads the chain from the right, and this proxy's own address is the trusted proxy.
    assert_eq!(xff, ["127.0.0.1", "203.0.113.50", "127.0.0.1"]);
    let logged = behind_lb.log_lines();
    assert!(logged[0].contains(r#""client_ip":"203.0.113.50""#), "{}", logged[0]);
}

#[tokio::test]
async fn bodies_are_capped_both_ways() {
    let big = "x".repeat(300 * 1024);
    let up =
        recorder(
            move |r| {
                if r.uri.contains("keys") {
                    json_answer(200, &format!(r#"{{"k":"{big}"}}"#), &[])
                } else {
                    json_answer(200, "{}", &[])
                }
            },
        )
        .await;
    let p = proxy(config(&up.base)).await;
    let huge = "a".repeat(17 * 1024);
    let r =
        post(&p.url("/okta/oauth2/default/v1/token"), &[("client_id", CLIENT), ("grant_type", G_PASSWORD), ("username", &huge)], &[]).await;
    r.refused(413, "invalid_request", "body_too_large");
    // Without Content-Length (chunked): the same cap.
    let raw =
        chunked_post(&p.base, "/okta/oauth2/default/v1/token", &format!("client_id={CLIENT}&grant_type=password&username={huge}")).await;
    assert!(raw.starts_with("HTTP/1.1 413"), "{}", &raw[..raw.len().min(200)]);
    assert!(raw.contains("body_too_large"));
    let ok = "a".repeat(15 * 1024);
    let r =
        post(&p.url("/okta/oauth2/default/v1/token"), &[("client_id", CLIENT), ("grant_type", G_PASSWORD), ("username", &ok)], &[]).await;
    assert_eq!(r.status, 200, "16 KiB is the cap, not less");
    get(&p.url("/okta/oauth2/default/v1/keys"), &[]).await.refused(502, "temporarily_unavailable", "upstream_response_too_large");
    assert_eq!(up.requests().len(), 2, "oversized requests never left the proxy");
}

/// A chunked POST (no Content-Length) over a raw connection; the whole answer as text.
async fn chunked_post(base: &str, path: &str, body: &str) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let addr = base.strip_prefix("http://").unwrap();
    let mut s = tokio::net::TcpStream::connect(addr).await.unwrap();
    let head = format!(
        "POST {path} HTTP/1.1\r\nHost: {addr}\r\nOrigin: {APP}\r\nContent-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
    );
    s.write_all(head.as_bytes()).await.unwrap();
    for chunk in body.as_bytes().chunks(4096) {
        // The proxy may answer and close before the whole body is sent.
        if s.write_all(format!("{:x}\r\n", chunk.len()).as_bytes()).await.is_err()
            || s.write_all(chunk).await.is_err()
            || s.write_all(b"\r\n").await.is_err()
        {
            break;
        }
    }
    let _ = s.write_all(b"0\r\n\r\n").await;
    let mut out = Vec::new();
    let _ = s.read_to_end(&mut out).await;
    String::from_utf8_lossy(&out).into_owned()
}

#[tokio::test]
async fn a_slow_upstream_times_out_and_a_redirect_is_not_followed() {
    let elsewhere = recorder(|_| json_answer(200, r#"{"access_token":"from-elsewhere"}"#, &[])).await;
    let target = format!("{}/stolen", elsewhere.base);
    let up = recorder(move |r| {
        if r.uri.contains("token") {
            let mut resp = json_answer(302, "", &[("location", &target)]);
            *resp.status_mut() = axum::http::StatusCode::FOUND;
            resp
        } else {
            let mut slow = json_answer(200, "{}", &[]);
            slow.extensions_mut().insert(Delay(Duration::from_millis(1500)));
            slow
        }
    })
    .await;
    let mut c = config(&up.base);
    c.upstream_timeout_ms = 300;
    let p = proxy(c).await;
    let r = post(&p.url("/okta/oauth2/default/v1/token"), &password_form("a@example.com", "openid"), &[]).await;
    r.refused(502, "temporarily_unavailable", "upstream_redirect");
    assert!(r.header("location").is_none());
    assert!(elsewhere.requests().is_empty(), "the redirect was not followed");
    let started = Instant::now();
    get(&p.url("/okta/oauth2/default/v1/keys"), &[]).await.refused(504, "temporarily_unavailable", "upstream_timeout");
    assert!(started.elapsed() < Duration::from_millis(1400), "the deadline, not the upstream, ended it");
    // An upstream that is not there.
    let mut c = config("http://127.0.0.1:9");
    c.upstream_timeout_ms = 2000;
    let dead = proxy(c).await;
    get(&dead.url("/okta/oauth2/default/v1/keys"), &[]).await.refused(502, "temporarily_unavailable", "upstream_unreachable");
}

#[tokio::test]
async fn okta_headers_pass_back_and_its_cookies_do_not() {
    let up = recorder(|_| {
        json_answer(
            429,
            r#"{"error":"invalid_grant","error_description":"API call exceeded rate limit due to too many requests."}"#,
            &[
                ("x-rate-limit-limit", "600"),
                ("x-rate-limit-remaining", "0"),
                ("x-rate-limit-reset", "1700000000"),
                ("set-cookie", "JSESSIONID=okta; Path=/"),
                ("x-okta-request-id", "req-1"),
                ("server", "nginx"),
                ("cache-control", "no-store"),
            ],
        )
    })
    .await;
    let p = proxy(config(&up.base)).await;
    let r = post(&p.url("/okta/oauth2/default/v1/token"), &password_form("a@example.com", "openid"), &[]).await;
    assert_eq!((r.status, r.json["error"].as_str()), (429, Some("invalid_grant")));
    assert_eq!(r.header("x-rate-limit-limit"), Some("600"));
    assert_eq!(r.header("x-rate-limit-remaining"), Some("0"));
    assert_eq!(r.header("x-rate-limit-reset"), Some("1700000000"));
    assert_eq!(r.header("x-okta-request-id"), Some("req-1"));
    assert_eq!(r.header("cache-control"), Some("no-store"));
    assert!(r.set_cookies().is_empty(), "Okta's cookies stay at the proxy");
    assert!(r.header("server").is_none());
}
