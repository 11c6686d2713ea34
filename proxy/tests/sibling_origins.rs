//! `same_site_app_origins`: app pages on sibling origins (another port of the same host, as the
//! browser test page is). Off: no CORS at all and `Sec-Fetch-Site: same-site` refused. On:
//! CORS with credentials for exactly the app origins, preflights only for them and for the
//! methods and headers the SDK uses, `Vary: Origin` on every answer; `cross-site` still refused.

mod support;
use support::*;

const SIBLING: &str = "http://app.example.test:9000";

fn sibling_config(upstream: &str, on: bool) -> okta_direct_auth_proxy::ProxyConfig {
    let mut c = config(upstream);
    c.app_origins = vec![APP.into(), SIBLING.into()];
    c.same_site_app_origins = on;
    c
}

async fn preflight(url: &str, origin: &str, method: &str, headers: &str) -> Resp {
    let mut req = http()
        .request(reqwest::Method::OPTIONS, url)
        .header("Origin", origin)
        .header("Access-Control-Request-Method", method)
        .header("Sec-Fetch-Site", "same-site");
    if !headers.is_empty() {
        req = req.header("Access-Control-Request-Headers", headers);
    }
    read(req.send().await.unwrap()).await
}

async fn post_from(url: &str, origin: &str, site: &str) -> Resp {
    let req = http()
        .post(url)
        .header("Origin", origin)
        .header("Sec-Fetch-Site", site)
        .form(&password_form("password.only@example.com", "openid"));
    read(req.send().await.unwrap()).await
}

#[tokio::test]
async fn off_by_default_no_cors_and_same_site_is_refused() {
    let emu = emulator().await;
    assert!(!okta_direct_auth_proxy::ProxyConfig::default().same_site_app_origins, "off unless configured");
    let p = proxy(sibling_config(&emu.base, false)).await;
    let token = p.url("/okta/oauth2/default/v1/token");
    preflight(&token, SIBLING, "POST", "content-type").await.refused(405, "invalid_request", "method_not_allowed");
    let r = post_from(&token, SIBLING, "same-site").await;
    r.refused(403, "access_denied", "cross_site_request");
    assert!(r.header("access-control-allow-origin").is_none());
    let r = post_from(&token, APP, "same-origin").await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert!(r.header("access-control-allow-origin").is_none(), "same-origin needs no CORS headers");
}

#[tokio::test]
async fn on_cors_for_exactly_the_app_origins() {
    let emu = emulator().await;
    let p = proxy(sibling_config(&emu.base, true)).await;
    let token = p.url("/okta/oauth2/default/v1/token");

    let ok = preflight(&token, SIBLING, "POST", "Content-Type, accept").await;
    assert_eq!(ok.status, 204, "{}", ok.text);
    assert_eq!(ok.header("access-control-allow-origin"), Some(SIBLING), "the exact origin, never *");
    assert_eq!(ok.header("access-control-allow-credentials"), Some("true"));
    assert_eq!(ok.header("access-control-allow-methods"), Some("GET, POST, PUT"));
    assert_eq!(ok.header("access-control-allow-headers"), Some("content-type, accept"));
    assert!(ok.headers.get_all("vary").iter().any(|v| v == "Origin"));
    assert!(emu.seen().await.is_empty(), "preflights never reach Okta");

    // Refused preflights: a foreign origin, a method or a header the proxy does not take.
    for r in [
        preflight(&token, "http://evil.example.test:9000", "POST", "content-type").await,
        preflight(&token, SIBLING, "DELETE", "").await,
        preflight(&token, SIBLING, "POST", "content-type, x-custom").await,
    ] {
        r.refused(403, "access_denied", "preflight_not_allowed");
        assert!(r.header("access-control-allow-origin").is_none(), "{}", r.text);
    }

    // The request itself: CORS headers for the app origin, with the headers a page may read.
    let r = post_from(&token, SIBLING, "same-site").await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.header("access-control-allow-origin"), Some(SIBLING));
    assert_eq!(r.header("access-control-allow-credentials"), Some("true"));
    let exposed = r.header("access-control-expose-headers").unwrap_or("");
    for h in ["X-Rate-Limit-Remaining", "Retry-After", "X-Refresh-Token-Custody"] {
        assert!(exposed.contains(h), "{h} exposed: {exposed}");
    }
    assert!(r.headers.get_all("vary").iter().any(|v| v == "Origin"));
    // A refusal of the proxy is readable too (the SDK maps its proxy_reason).
    let r = read(
        http()
            .post(&token)
            .header("Origin", SIBLING)
            .header("Sec-Fetch-Site", "same-site")
            .form(&[("client_id", "0oa-other"), ("grant_type", "password")])
            .send()
            .await
            .unwrap(),
    )
    .await;
    r.refused(403, "access_denied", "client_not_allowed");
    assert_eq!(r.header("access-control-allow-origin"), Some(SIBLING));

    // A foreign origin gets no CORS headers, and is refused anyway.
    let r = post_from(&token, "http://evil.example.test:9000", "same-site").await;
    r.refused(403, "access_denied", "origin_not_allowed");
    assert!(r.header("access-control-allow-origin").is_none());
    assert!(r.headers.get_all("vary").iter().any(|v| v == "Origin"), "Vary: Origin on every answer");
}

#[tokio::test]
async fn on_same_site_only_from_an_app_origin_and_cross_site_never() {
    let emu = emulator().await;
    let p = proxy(sibling_config(&emu.base, true)).await;
    let token = p.url("/okta/oauth2/default/v1/token");
    post_from(&token, SIBLING, "cross-site").await.refused(403, "access_denied", "cross_site_request");
    post_from(&token, APP, "cross-site").await.refused(403, "access_denied", "cross_site_request");
    post_from(&token, "http://evil.example.test:9000", "same-site").await.refused(403, "access_denied", "origin_not_allowed");
    // A same-site GET without an Origin (the browser sends none on a same-origin-mode GET) is
    // not from an app origin: refused.
    let r = get(&p.url("/okta/oauth2/default/v1/keys"), &[("Sec-Fetch-Site", "same-site")]).await;
    r.refused(403, "access_denied", "cross_site_request");
    let r = get(&p.url("/okta/oauth2/default/v1/keys"), &[("Sec-Fetch-Site", "same-site"), ("Origin", SIBLING)]).await;
    assert_eq!((r.status, r.header("access-control-allow-origin")), (200, Some(SIBLING)), "{}", r.text);
    assert_eq!(post_from(&token, SIBLING, "same-site").await.status, 200);
    assert_eq!(post_from(&token, APP, "same-origin").await.status, 200);
}

#[tokio::test]
async fn on_from_the_environment() {
    let text = r#"
        upstream = "http://127.0.0.1:1"
        authorization_servers = ["default"]
        client_ids = ["c"]
        app_origins = ["http://127.0.0.1:9000"]
        custody.enabled = false
    "#;
    let env = [("OKTA_PROXY_SAME_SITE_APP_ORIGINS".to_owned(), "true".to_owned())];
    let c = okta_direct_auth_proxy::ProxyConfig::from_toml_and_env(text, env.into_iter()).unwrap();
    assert!(c.same_site_app_origins);
}
