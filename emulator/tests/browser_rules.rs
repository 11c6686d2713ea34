//! Okta's browser rules on `/token` (on by default; `allow_browser_grants` turns them off) and
//! whether the direct-auth endpoints answer CORS (`cors_direct_auth_endpoints`).

mod common;
use common::*;
use okta_emulator::Config;

const APP: &str = "http://127.0.0.1:8100"; // an origin of 0oa-demo-spa's redirect URIs
const OTHER: &str = "http://other.example";

fn trusting(origins: &[&str]) -> impl FnOnce(&mut Config) {
    let origins: Vec<String> = origins.iter().map(|o| o.to_string()).collect();
    move |c: &mut Config| c.trusted_origins = origins
}

async fn token_from(emu: &Emu, origin: &str, form: &[(&str, &str)]) -> Resp {
    to_resp(emu.http.post(emu.url(&format!("{DA}/token"))).header("Origin", origin).form(form).send().await.unwrap()).await
}

/// A refresh token obtained the way a proxy would (no Origin).
async fn refresh_token(emu: &Emu) -> String {
    let r = emu.password(CLIENT, "password.only@example.com").await;
    r.expect(200, "");
    r.s("refresh_token")
}

#[tokio::test]
async fn direct_auth_grants_from_a_browser_are_unauthorized_client() {
    let emu = Emu::start_with(trusting(&[APP])).await;
    let mfa_token = emu.mfa_token(CLIENT, "mfa.otp@example.com").await;
    let forms: Vec<Vec<(&str, &str)>> = vec![
        vec![("grant_type", G_PASSWORD), ("username", "password.only@example.com"), ("password", PASSWORD), ("scope", "openid")],
        vec![("grant_type", G_OTP), ("login_hint", "otp.only@example.com"), ("otp", "123456"), ("scope", "openid")],
        vec![("grant_type", G_OOB), ("oob_code", "x"), ("scope", "openid")],
        vec![("grant_type", G_MFA_OTP), ("mfa_token", &mfa_token), ("otp", "123456")],
        vec![("grant_type", G_MFA_OOB), ("mfa_token", &mfa_token), ("oob_code", "x")],
        vec![("grant_type", "client_credentials"), ("scope", "openid")],
    ];
    for form in forms {
        let mut form = form;
        form.push(("client_id", CLIENT));
        let r = token_from(&emu, APP, &form).await;
        r.expect(400, "unauthorized_client");
        assert_eq!(r.desc(), "Browser requests to the token endpoint may only use the authorization_code grant_type.");
        // The refusal is readable by the page: /token answers CORS for the current origin.
        assert_eq!(r.header("access-control-allow-origin"), Some(APP));
        assert_eq!(r.header("cache-control"), Some("no-store"));
    }
    // Even from an untrusted origin, the grant is what is refused first.
    let r = token_from(&emu, OTHER, &[("client_id", CLIENT), ("grant_type", G_PASSWORD)]).await;
    r.expect(400, "unauthorized_client");
    // Client authentication still comes first.
    token_from(&emu, APP, &[("client_id", "0oa-nobody"), ("grant_type", G_PASSWORD)]).await.expect(401, "invalid_client");
    // Without Origin (curl, a proxy) the same request is served; the MFA transaction above was real.
    emu.password(CLIENT, "password.only@example.com").await.expect(200, "");
    let code = emu.totp("mfa.otp@example.com").await;
    emu.token(&[("client_id", CLIENT), ("grant_type", G_MFA_OTP), ("mfa_token", &mfa_token), ("otp", &code)]).await.expect(200, "");
}

#[tokio::test]
async fn a_browser_refresh_needs_a_trusted_origin_of_a_redirect_uri() {
    let emu = Emu::start_with(trusting(&[APP, OTHER])).await;
    let rt = refresh_token(&emu).await;
    let form = [("client_id", CLIENT), ("grant_type", "refresh_token"), ("refresh_token", rt.as_str())];

    let untrusted = token_from(&emu, "http://evil.example", &form).await;
    untrusted.expect(400, "invalid_request");
    assert_eq!(untrusted.desc(), "Browser requests to the token endpoint must be made from one of the registered Trusted Origins.");
    assert_eq!(untrusted.header("access-control-allow-origin"), Some("http://evil.example"));

    let not_redirect = token_from(&emu, OTHER, &form).await;
    not_redirect.expect(400, "invalid_request");
    assert_eq!(not_redirect.desc(), "Browser requests to the token endpoint must be part of at least one whitelisted redirect_uri.");
    // Same host, another port: another origin.
    token_from(&emu, "http://127.0.0.1:8101", &form).await.expect(400, "invalid_request");

    // Neither refusal spent the refresh token; from the app's origin the refresh is served.
    let ok = token_from(&emu, APP, &form).await;
    ok.expect(200, "");
    assert!(ok.json["access_token"].is_string());
    assert_eq!(ok.header("access-control-allow-origin"), Some(APP));
    // `localhost` is the seed's other redirect origin, but it is not trusted here.
    token_from(&emu, "http://localhost:8100", &[("client_id", CLIENT), ("grant_type", "refresh_token"), ("refresh_token", "x")])
        .await
        .expect(400, "invalid_request");
}

#[tokio::test]
async fn browser_authorization_code_needs_pkce_and_no_offline_access_without_refresh() {
    let emu = Emu::start_with(trusting(&[APP])).await;
    let no_pkce = token_from(&emu, APP, &[("client_id", CLIENT), ("grant_type", "authorization_code"), ("code", "c")]).await;
    no_pkce.expect(401, "invalid_client");
    assert_eq!(no_pkce.desc(), "Browser requests to the token endpoint must use Proof Key for Code Exchange.");
    // With PKCE the rules pass; the emulator has no /authorize, so no code is valid.
    let pkce = [("client_id", CLIENT), ("grant_type", "authorization_code"), ("code", "c"), ("code_verifier", "v")];
    token_from(&emu, APP, &pkce).await.expect(400, "invalid_grant");

    let code_only = "0oa-browser-code-only";
    let offline = [
        ("client_id", code_only),
        ("grant_type", "authorization_code"),
        ("code", "c"),
        ("code_verifier", "v"),
        ("scope", "openid offline_access"),
    ];
    let r = token_from(&emu, APP, &offline).await;
    r.expect(400, "invalid_scope");
    assert_eq!(r.desc(), "Browser requests to the token endpoint may not include the offline_access scope.");
    let online =
        [("client_id", code_only), ("grant_type", "authorization_code"), ("code", "c"), ("code_verifier", "v"), ("scope", "openid")];
    token_from(&emu, APP, &online).await.expect(400, "invalid_grant");
    // A client that has refresh_token may ask for offline_access.
    let spa_offline = [
        ("client_id", CLIENT),
        ("grant_type", "authorization_code"),
        ("code", "c"),
        ("code_verifier", "v"),
        ("scope", "openid offline_access"),
    ];
    token_from(&emu, APP, &spa_offline).await.expect(400, "invalid_grant");
}

#[tokio::test]
async fn allow_browser_grants_serves_them_to_trusted_origins_only() {
    let emu = Emu::start_with(|c| {
        c.allow_browser_grants = true;
        c.trusted_origins = vec![OTHER.into()];
    })
    .await;
    let form = [
        ("client_id", CLIENT),
        ("grant_type", G_PASSWORD),
        ("username", "password.only@example.com"),
        ("password", PASSWORD),
        ("scope", "openid"),
    ];
    // Not a redirect-URI origin, but with the rules off only CORS trust matters.
    let r = token_from(&emu, OTHER, &form).await;
    r.expect(200, "");
    assert_eq!(r.header("access-control-allow-origin"), Some(OTHER));
    // An untrusted origin is refused by CORS (403, no CORS headers), as before.
    let r = token_from(&emu, "http://evil.example", &form).await;
    assert_eq!(r.status, 403);
    assert_eq!(r.json["errorCode"], "E0000006");
    assert!(r.header("access-control-allow-origin").is_none());
}

#[tokio::test]
async fn token_preflight_answers_every_origin_under_the_rules() {
    let emu = Emu::start_with(trusting(&[APP])).await;
    let pre = emu
        .http
        .request(reqwest::Method::OPTIONS, emu.url(&format!("{DA}/token")))
        .header("Origin", "http://evil.example")
        .header("Access-Control-Request-Method", "POST")
        .send()
        .await
        .unwrap();
    assert_eq!(pre.status(), 200);
    assert_eq!(pre.headers()["access-control-allow-origin"], "http://evil.example");
    // Other CORS-enabled endpoints still trust only the trusted origins.
    let keys = emu.http.get(emu.url(&format!("{DA}/keys"))).header("Origin", "http://evil.example").send().await.unwrap();
    assert_eq!(keys.status(), 403);
    assert!(keys.headers().get("access-control-allow-origin").is_none());
    let keys = emu.http.get(emu.url(&format!("{DA}/keys"))).header("Origin", APP).send().await.unwrap();
    assert_eq!(keys.status(), 200);
    assert_eq!(keys.headers()["access-control-allow-origin"], APP);
}

async fn preflight(emu: &Emu, path: &str, origin: &str) -> reqwest::Response {
    emu.http
        .request(reqwest::Method::OPTIONS, emu.url(path))
        .header("Origin", origin)
        .header("Access-Control-Request-Method", "POST")
        .header("Access-Control-Request-Headers", "content-type")
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn direct_auth_endpoints_answer_no_cors_by_default() {
    let emu = Emu::start_with(trusting(&[APP])).await;
    for endpoint in ["challenge", "primary-authenticate", "oob-authenticate"] {
        for base in [DA, "/oauth2/v1"] {
            let pre = preflight(&emu, &format!("{base}/{endpoint}"), APP).await;
            assert_eq!(pre.status(), 403, "{base}/{endpoint}");
            assert!(pre.headers().get("access-control-allow-origin").is_none(), "{base}/{endpoint}");
        }
    }
    // A request that skips the preflight is refused before anything starts: no push is sent.
    let r = to_resp(
        emu.http
            .post(emu.url(&format!("{DA}/primary-authenticate")))
            .header("Origin", APP)
            .form(&[("client_id", CLIENT), ("login_hint", "push.only@example.com"), ("channel_hint", "push"), ("challenge_hint", G_OOB)])
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(r.status, 403);
    assert_eq!(r.json["errorCode"], "E0000006");
    assert!(r.header("access-control-allow-origin").is_none());
    assert!(emu.pending_pushes().await.is_empty());
    // Without Origin (a proxy) they are served.
    emu.primary(CLIENT, "push.only@example.com", "push").await.expect(200, "");
    assert_eq!(emu.pending_pushes().await.len(), 1);
}

#[tokio::test]
async fn cors_direct_auth_endpoints_answers_trusted_origins() {
    let emu = Emu::start_with(|c| {
        c.cors_direct_auth_endpoints = true;
        c.trusted_origins = vec![APP.into()];
    })
    .await;
    for endpoint in ["challenge", "primary-authenticate", "oob-authenticate"] {
        let pre = preflight(&emu, &format!("{DA}/{endpoint}"), APP).await;
        assert_eq!(pre.status(), 200, "{endpoint}");
        assert_eq!(pre.headers()["access-control-allow-origin"], APP, "{endpoint}");
        let untrusted = preflight(&emu, &format!("{DA}/{endpoint}"), OTHER).await;
        assert_eq!(untrusted.status(), 403, "{endpoint}");
    }
    let r = to_resp(
        emu.http
            .post(emu.url(&format!("{DA}/primary-authenticate")))
            .header("Origin", APP)
            .form(&[("client_id", CLIENT), ("login_hint", "push.only@example.com"), ("channel_hint", "push"), ("challenge_hint", G_OOB)])
            .send()
            .await
            .unwrap(),
    )
    .await;
    r.expect(200, "");
    assert_eq!(r.header("access-control-allow-origin"), Some(APP));
}
