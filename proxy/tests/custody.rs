//! Refresh-token custody: the refresh token never reaches the page; it lives in a sealed,
//! HttpOnly, Secure, SameSite=Strict cookie scoped to the mount, and the proxy supplies it.

mod support;
use okta_direct_auth_proxy::ProxyConfig;
use support::*;

const COOKIE: &str = "__Secure-oda-refresh";

fn cookie_header(value: &str) -> String {
    format!("other=1; {COOKIE}={value}")
}

async fn sign_in(p: &Proxy, scope: &str) -> Resp {
    post(&p.url("/okta/oauth2/default/v1/token"), &password_form("password.only@example.com", scope), &[]).await
}

async fn refresh(p: &Proxy, server_path: &str, cookie: Option<&str>) -> Resp {
    let c = cookie.map(cookie_header);
    let extra: Vec<(&str, &str)> = c.as_deref().map(|c| vec![("Cookie", c)]).unwrap_or_default();
    post(&p.url(&format!("/okta{server_path}/v1/token")), &[("client_id", CLIENT), ("grant_type", "refresh_token")], &extra).await
}

fn assert_clears(r: &Resp) {
    let c = r.set_cookies();
    assert!(
        c.iter().any(|c| c.starts_with(&format!("{COOKIE}=;")) && c.contains("Max-Age=0") && c.contains("Path=/okta")),
        "cookie cleared: {c:?}"
    );
}

#[tokio::test]
async fn the_refresh_token_goes_into_a_sealed_cookie_and_comes_back_from_it() {
    let emu = emulator().await;
    let p = proxy(custody_config(&emu.base)).await;
    let r = sign_in(&p, "openid offline_access").await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert!(r.json.get("refresh_token").is_none(), "no refresh token for the page: {}", r.text);
    assert!(r.json["access_token"].is_string() && r.json["id_token"].is_string());
    assert_eq!(r.json["refresh_token_custody"], "proxy");
    assert_eq!(r.header("x-refresh-token-custody"), Some("proxy"));
    let set = r.set_cookies();
    assert_eq!(set.len(), 1);
    for attr in ["HttpOnly", "Secure", "SameSite=Strict", "Path=/okta;", "Max-Age=604800"] {
        assert!(set[0].contains(attr), "{attr} in {}", set[0]);
    }
    let first = r.cookie_value(COOKIE).unwrap();

    // The SDK's refresh carries no refresh token; the proxy takes it from the cookie.
    let r = refresh(&p, "/oauth2/default", Some(&first)).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert!(r.json["access_token"].is_string());
    assert!(r.json.get("refresh_token").is_none());
    assert_eq!(r.header("x-refresh-token-custody"), Some("proxy"));
    // Okta rotated the refresh token: the cookie is rewritten.
    let second = r.cookie_value(COOKIE).expect("rotation rewrites the cookie");
    assert_ne!(first, second);
    assert_eq!(refresh(&p, "/oauth2/default", Some(&second)).await.status, 200);

    // The first token was spent by rotation: Okta refuses it and the dead cookie is cleared.
    let r = refresh(&p, "/oauth2/default", Some(&first)).await;
    assert_eq!((r.status, r.json["error"].as_str()), (400, Some("invalid_grant")), "{}", r.text);
    assert_clears(&r);
}

#[tokio::test]
async fn a_tampered_foreign_expired_or_missing_cookie_is_a_clear_401() {
    let emu = emulator().await;
    let p = proxy(custody_config(&emu.base)).await;
    let good = sign_in(&p, "openid offline_access").await.cookie_value(COOKIE).unwrap();
    let before = emu.seen().await.len();

    // One character changed.
    let mut bytes = good.clone().into_bytes();
    let i = bytes.len() - 5;
    bytes[i] = if bytes[i] == b'A' { b'B' } else { b'A' };
    let tampered = String::from_utf8(bytes).unwrap();
    let r = refresh(&p, "/oauth2/default", Some(&tampered)).await;
    r.refused(401, "invalid_grant", "custody_cookie_tampered");
    assert_clears(&r);
    refresh(&p, "/oauth2/default", Some("garbage")).await.refused(401, "invalid_grant", "custody_cookie_tampered");
    // Sealed with another key (another deployment).
    let other_key = okta_direct_auth_proxy::testing::seal_cookie(&base64_of(&[9u8; 32]), "default", CLIENT, "rt", u64::MAX).unwrap();
    refresh(&p, "/oauth2/default", Some(&other_key)).await.refused(401, "invalid_grant", "custody_cookie_tampered");
    // Sealed for the custom server, presented to the org server.
    let r = refresh(&p, "/oauth2", Some(&good)).await;
    r.refused(401, "invalid_grant", "custody_cookie_foreign");
    assert!(r.set_cookies().is_empty(), "a foreign cookie is valid for its own server: left alone");
    // Expired.
    let expired = okta_direct_auth_proxy::testing::seal_cookie(CUSTODY_KEY, "default", CLIENT, "rt", 1).unwrap();
    let r = refresh(&p, "/oauth2/default", Some(&expired)).await;
    r.refused(401, "invalid_grant", "custody_cookie_expired");
    assert_clears(&r);
    // None at all.
    refresh(&p, "/oauth2/default", None).await.refused(401, "invalid_grant", "custody_cookie_missing");
    assert_eq!(emu.seen().await.len(), before, "none of these reached Okta");
    // The good cookie still works.
    assert_eq!(refresh(&p, "/oauth2/default", Some(&good)).await.status, 200);
}

fn base64_of(b: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(b)
}

#[tokio::test]
async fn revoke_without_a_token_revokes_the_cookies_and_clears_it() {
    let emu = emulator().await;
    let p = proxy(custody_config(&emu.base)).await;
    let cookie = sign_in(&p, "openid offline_access").await.cookie_value(COOKIE).unwrap();
    let r = post(
        &p.url("/okta/oauth2/default/v1/revoke"),
        &[("client_id", CLIENT), ("token_type_hint", "refresh_token")],
        &[("Cookie", &cookie_header(&cookie))],
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_clears(&r);
    assert!(emu.seen().await.iter().any(|(m, path, s)| m == "POST" && path == "/oauth2/default/v1/revoke" && *s == 200));
    // Revoked at Okta: the same cookie (say, a copy an attacker kept) no longer refreshes.
    let r = refresh(&p, "/oauth2/default", Some(&cookie)).await;
    assert_eq!((r.status, r.json["error"].as_str()), (400, Some("invalid_grant")), "{}", r.text);
    // Nothing held: nothing to revoke, 200 as Okta answers for an unknown token.
    let r = post(&p.url("/okta/oauth2/default/v1/revoke"), &[("client_id", CLIENT), ("token_type_hint", "refresh_token")], &[]).await;
    assert_eq!(r.status, 200);
}

#[tokio::test]
async fn sign_out_revokes_upstream_and_clears_the_cookie() {
    let emu = emulator().await;
    let p = proxy(custody_config(&emu.base)).await;
    let cookie = sign_in(&p, "openid offline_access").await.cookie_value(COOKIE).unwrap();
    let end = p.url("/okta/session/end");
    // Cross-site sign-out (logout CSRF) is refused like every other POST.
    let r = read(http().post(&end).header("Cookie", cookie_header(&cookie)).send().await.unwrap()).await;
    r.refused(403, "access_denied", "origin_missing");
    assert_eq!(read(http().get(&end).header("Origin", APP).send().await.unwrap()).await.status, 405);

    let r = post(&end, &[], &[("Cookie", &cookie_header(&cookie))]).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.json, serde_json::json!({"signed_out": true, "revoked": true}));
    assert_clears(&r);
    let r = refresh(&p, "/oauth2/default", Some(&cookie)).await;
    assert_eq!((r.status, r.json["error"].as_str()), (400, Some("invalid_grant")), "revoked at Okta: {}", r.text);
    // Signed out already: still fine.
    let r = post(&end, &[], &[]).await;
    assert_eq!((r.status, &r.json), (200, &serde_json::json!({"signed_out": true, "revoked": false})));
    let r = post(&end, &[], &[("Cookie", &cookie_header("tampered"))]).await;
    r.refused(401, "invalid_grant", "custody_cookie_tampered");
    assert_clears(&r);
}

#[tokio::test]
async fn a_sign_in_without_offline_access_drops_an_older_refresh_token() {
    let emu = emulator().await;
    let p = proxy(custody_config(&emu.base)).await;
    let r = sign_in(&p, "openid").await;
    assert_eq!(r.status, 200);
    assert_eq!(r.json["refresh_token_custody"], "none");
    assert_eq!(r.header("x-refresh-token-custody"), Some("none"));
    assert_clears(&r);
}

#[tokio::test]
async fn with_custody_off_the_refresh_token_is_the_pages() {
    let emu = emulator().await;
    let p = proxy(config(&emu.base)).await;
    let r = sign_in(&p, "openid offline_access").await;
    assert!(r.json["refresh_token"].is_string());
    assert!(r.json.get("refresh_token_custody").is_none() && r.header("x-refresh-token-custody").is_none());
    assert!(r.set_cookies().is_empty());
    let rt = r.json["refresh_token"].as_str().unwrap().to_owned();
    let r = post(
        &p.url("/okta/oauth2/default/v1/token"),
        &[("client_id", CLIENT), ("grant_type", "refresh_token"), ("refresh_token", &rt)],
        &[],
    )
    .await;
    assert_eq!(r.status, 200);
    post(&p.url("/okta/session/end"), &[], &[]).await.refused(404, "not_found", "custody_off");
}

#[tokio::test]
async fn custody_needs_a_good_key() {
    let mut c = config("https://example.okta.com");
    c.custody.enabled = true;
    let e = okta_direct_auth_proxy::router(c).err().unwrap().to_string();
    assert!(e.contains("custody.key") && e.contains("custody.enabled = false"), "{e}");
    let env = |k: &str| vec![("OKTA_PROXY_CUSTODY_KEY".to_owned(), k.to_owned())];
    let base = "upstream = \"https://example.okta.com\"\nauthorization_servers = [\"default\"]\nclient_ids = [\"0oa1\"]\napp_origins = [\"https://app.example.com\"]";
    let short = ProxyConfig::from_toml_and_env(base, env(&base64_of(&[1u8; 16]))).unwrap();
    let e = okta_direct_auth_proxy::router(short).err().unwrap().to_string();
    assert!(e.contains("16 bytes") && e.contains("exactly 32"), "{e}");
    let good = ProxyConfig::from_toml_and_env(base, env(&base64_of(&[1u8; 32]))).unwrap();
    assert!(okta_direct_auth_proxy::router(good).is_ok());
}
