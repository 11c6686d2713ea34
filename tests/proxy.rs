//! Browser tests of the deployment: the SDK's `proxy` option through okta-direct-auth-proxy (the
//! binary) in front of the strict emulator, refresh-token custody, the proxy's refusals a page
//! can trigger, and the few calls that go to an emulator directly (what Okta answers a page
//! that calls it without a proxy). The emulator's request log (`/__emulator/requests`) shows
//! what reached it.
//!
//! Built with `OKTA_EMULATOR_URL` (strict), `OKTA_PROXY_URL`, `OKTA_CUSTODY_PROXY_URL`,
//! `OKTA_CONFIDENTIAL_PROXY_URL` (all three `http://127.0.0.1:PORT/okta`, the test page's origin
//! in their `app_origins`, with `same_site_app_origins`; the last one for `0oa-confidential`
//! with `client_auth`) and `OKTA_DIRECT_EMULATOR_URL` (`--allow-browser-grants
//! --cors-direct-auth-endpoints`), as `cargo xtask test` does.
#![cfg(target_arch = "wasm32")]

// `pub`: this suite uses only some of the shared helpers (see `tests/worker.rs`).
#[path = "support/emulator.rs"]
pub mod emulator;

use emulator::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const ONE_FACTOR: &str = "password.only@example.com";

fn args(json_text: &str) -> JsValue {
    json(json_text)
}

fn password_of(login: &str) -> JsValue {
    args(&format!(r#"{{"username":"{login}","password":"{PASSWORD}"}}"#))
}

/// Signs `ONE_FACTOR` in and returns the tokens.
async fn sign_in(auth: &JsValue) -> JsValue {
    let result = ok(call(auth, "signInWithPassword", &[password_of(ONE_FACTOR)]).await);
    assert_eq!(get_str(&result, "status"), "success", "{}", show(&result));
    get(&result, "tokens")
}

/// `(method, path, status)` of the Okta requests the emulator logged after `seq`.
async fn reached(seq: f64) -> Vec<(String, String, f64)> {
    requests_since(seq).await.iter().map(|r| (get_str(r, "method"), get_str(r, "path"), get(r, "status").as_f64().unwrap_or(0.0))).collect()
}

// ---- every endpoint through the proxy ---------------------------------------------------------

#[wasm_bindgen_test]
async fn the_proxy_option_routes_every_endpoint_and_keeps_the_issuer() {
    reset().await;
    let proxy = proxy_url().expect("the suites run through the proxy (OKTA_PROXY_URL)");
    let auth = create(options()).await;
    let endpoints = get(&auth, "endpoints");
    assert_eq!(get_str(&endpoints, "token"), format!("{proxy}/oauth2/v1/token"));
    assert_eq!(get_str(&endpoints, "keys"), format!("{proxy}/oauth2/v1/keys"));
    assert_eq!(get_str(&endpoints, "sessionEnd"), format!("{proxy}/session/end"));
    let seq = request_seq().await;
    let tokens = sign_in(&auth).await;
    // The ID token's issuer is Okta's (the emulator's), not the proxy's, and it verifies.
    let claims = ok(call(&auth, "verifyIdToken", &[get(&tokens, "idToken")]).await);
    assert_eq!(get_str(&claims, "iss"), url());
    ok(call(&auth, "userinfo", &[args(&format!(r#"{{"accessToken":"{}"}}"#, get_str(&tokens, "accessToken")))]).await);
    let paths: Vec<String> = reached(seq).await.into_iter().map(|(_, path, _)| path).collect();
    assert_eq!(paths, ["/oauth2/v1/token", "/oauth2/v1/keys", "/oauth2/v1/userinfo"], "each call reached Okta through the proxy");
}

// ---- custody ---------------------------------------------------------------------------------

#[wasm_bindgen_test]
async fn custody_sign_in_refresh_rotation_and_revoke() {
    reset().await;
    let auth = create(custody_options()).await;
    let tokens = sign_in(&auth).await;
    assert!(get(&tokens, "refreshToken").is_undefined(), "no refresh token reaches the page: {}", show(&tokens));
    assert_eq!(get_str(&tokens, "refreshTokenCustody"), "proxy");

    // refresh() without a refresh token: the proxy supplies it from its cookie; Okta rotates it
    // and the proxy rewrites the cookie, so a second refresh works too.
    let seq = request_seq().await;
    for _ in 0..2 {
        let fresh = ok(call(&auth, "refresh", &[args("{}")]).await);
        assert!(get(&fresh, "refreshToken").is_undefined());
        assert_eq!(get_str(&fresh, "refreshTokenCustody"), "proxy");
        assert!(!get_str(&fresh, "accessToken").is_empty());
    }
    let refreshes: Vec<f64> = reached(seq).await.into_iter().filter(|(_, p, _)| p.ends_with("/token")).map(|(_, _, s)| s).collect();
    assert_eq!(refreshes, [200.0, 200.0], "both refreshes reached Okta and succeeded");

    // Revoking the proxy-held refresh token: it reaches Okta's /revoke, the cookie is cleared,
    // and the next refresh has nothing to send.
    let seq = request_seq().await;
    assert!(ok(call(&auth, "revoke", &[args(r#"{"tokenTypeHint":"refresh_token"}"#)]).await).is_undefined());
    assert_eq!(reached(seq).await, [("POST".to_owned(), "/oauth2/v1/revoke".to_owned(), 200.0)]);
    let error = expect_error(call(&auth, "refresh", &[args("{}")]).await, "proxy", "custody_cookie_missing");
    assert_eq!(get(&error, "status").as_f64(), Some(401.0));
    assert!(get_str(&error, "hint").contains("sign in again"), "{}", get_str(&error, "hint"));
}

#[wasm_bindgen_test]
async fn custody_sign_out_revokes_at_okta_and_clears_the_cookie() {
    reset().await;
    let auth = create(custody_options()).await;
    sign_in(&auth).await;
    let seq = request_seq().await;
    let out = ok(call(&auth, "endProxySession", &[]).await);
    assert_eq!((get(&out, "signedOut").as_bool(), get(&out, "revoked").as_bool()), (Some(true), Some(true)), "{}", show(&out));
    assert_eq!(reached(seq).await, [("POST".to_owned(), "/oauth2/v1/revoke".to_owned(), 200.0)], "the proxy revoked it at Okta");
    // Signed out: no cookie, nothing to revoke, no refresh.
    let again = ok(call(&auth, "endProxySession", &[]).await);
    assert_eq!(get(&again, "revoked").as_bool(), Some(false));
    expect_error(call(&auth, "refresh", &[args("{}")]).await, "proxy", "custody_cookie_missing");
}

#[wasm_bindgen_test]
async fn custody_calls_need_the_proxy_option() {
    reset().await;
    let seq = request_seq().await;
    let direct = create(plain_options(url(), CLIENT_ID, "")).await;
    expect_error(call(&direct, "refresh", &[args("{}")]).await, "input", "invalid_refresh_token");
    expect_error(call(&direct, "revoke", &[args(r#"{"tokenTypeHint":"refresh_token"}"#)]).await, "input", "invalid_token");
    expect_error(call(&direct, "endProxySession", &[]).await, "config", "no_proxy");
    assert!(reached(seq).await.is_empty(), "nothing was sent");
}

// ---- a confidential client ----------------------------------------------------------------------

#[wasm_bindgen_test]
async fn mfa_attestation_through_a_proxy_that_authenticates_the_client_is_attested() {
    // Okta serves MFA attestation only to a confidential client; the page sends no secret, the
    // proxy authenticates the client (`client_secret_basic`). Without it: tests/hardening.rs.
    reset().await;
    let attest = r#""acrValues":["urn:okta:app:mfa:attestation"],"scopes":["openid"]"#;
    let auth = create(options_via(url(), CONFIDENTIAL_CLIENT_ID, confidential_proxy_url(), attest)).await;
    let login = "mfa.otp@example.com";
    let step = ok(call(&auth, "signInWithPassword", &[password_of(login)]).await);
    assert_eq!(get_str(&step, "status"), "mfa_required", "{}", show(&step));
    let code = totp(login).await;
    let otp = args(&format!(r#"{{"mfaToken":"{}","otp":"{code}"}}"#, get_str(&step, "mfaToken")));
    let result = ok(call(&auth, "verifyMfaOtp", &[otp]).await);
    assert_eq!(get_str(&result, "status"), "attested", "{}", show(&result));
    assert!(get(&result, "tokens").is_undefined() && get(&result, "accessToken").is_undefined(), "no access token: {}", show(&result));
    // The ID token says what was attested, and verifies (its keys through the same proxy).
    let claims = ok(call(&auth, "verifyIdToken", &[get(&result, "idToken")]).await);
    assert_eq!(get_str(&claims, "acr"), "urn:okta:app:mfa:attestation");
    assert_eq!(get_str(&claims, "aud"), CONFIDENTIAL_CLIENT_ID);
    // The proxy for public clients does not pass the confidential one at all.
    let public = create(options_via(url(), CONFIDENTIAL_CLIENT_ID, proxy_url().expect("OKTA_PROXY_URL"), attest)).await;
    let error = expect_error(call(&public, "signInWithPassword", &[password_of(login)]).await, "proxy", "client_not_allowed");
    assert!(!show(&error).contains(PASSWORD), "{}", show(&error));
}

// ---- the proxy's refusals, as a page meets them -----------------------------------------------

#[wasm_bindgen_test]
async fn a_client_the_proxy_does_not_serve_is_a_typed_refusal() {
    reset().await;
    let seq = request_seq().await;
    let auth = create(options_with(url(), "0oa-confidential", "")).await;
    let error = expect_error(call(&auth, "signInWithPassword", &[password_of(ONE_FACTOR)]).await, "proxy", "client_not_allowed");
    assert_eq!(get(&error, "status").as_f64(), Some(403.0));
    assert!(get_str(&error, "hint").contains("proxy"));
    assert!(get_str(&error, "description").contains("0oa-confidential"));
    assert!(reached(seq).await.is_empty(), "the proxy refused it; Okta saw nothing");
}

#[wasm_bindgen_test]
async fn an_authorization_server_the_proxy_does_not_serve_is_a_typed_refusal() {
    let auth = create(options_with(&format!("{}/oauth2/aus-not-served", url()), CLIENT_ID, "")).await;
    let error =
        expect_error(call(&auth, "signInWithPassword", &[password_of(ONE_FACTOR)]).await, "proxy", "authorization_server_not_allowed");
    assert_eq!(get(&error, "status").as_f64(), Some(403.0));
}

#[wasm_bindgen_test]
async fn a_cross_site_page_is_refused_even_from_an_app_origin() {
    // The proxy under another host name of the same machine: "localhost" is another site than
    // this page's 127.0.0.1, so the browser says `Sec-Fetch-Site: cross-site`, which the proxy
    // always refuses (its CORS answer still lets this app origin read why).
    reset().await;
    let seq = request_seq().await;
    let elsewhere = proxy_url().expect("OKTA_PROXY_URL").replace("://127.0.0.1:", "://localhost:");
    let auth = create(options_via(url(), CLIENT_ID, &elsewhere, "")).await;
    let error = expect_error(call(&auth, "signInWithPassword", &[password_of(ONE_FACTOR)]).await, "proxy", "cross_site_request");
    assert_eq!(get(&error, "status").as_f64(), Some(403.0));
    assert!(get_str(&error, "hint").contains("app_origins"), "{}", get_str(&error, "hint"));
    assert!(reached(seq).await.is_empty());
}

// ---- direct calls ------------------------------------------------------------------------------

#[wasm_bindgen_test]
async fn a_direct_call_to_strict_okta_is_refused_and_the_hint_points_at_the_proxy() {
    reset().await;
    let seq = request_seq().await;
    let auth = create(plain_options(url(), CLIENT_ID, "")).await;
    let error = expect_error(call(&auth, "signInWithPassword", &[password_of(ONE_FACTOR)]).await, "oauth", "unauthorized_client");
    assert_eq!(get(&error, "status").as_f64(), Some(400.0));
    assert!(get_str(&error, "description").contains("Browser requests"), "Okta's unsupported_grant_type_browser_request text");
    assert!(get_str(&error, "hint").contains("okta-direct-auth-proxy"), "{}", get_str(&error, "hint"));
    assert_eq!(reached(seq).await.into_iter().map(|(_, p, s)| (p, s)).collect::<Vec<_>>(), [("/oauth2/v1/token".to_owned(), 400.0)]);
    // /primary-authenticate answers no CORS to a page: the browser hides the answer.
    let error = expect_error(
        call(&auth, "startOob", &[args(r#"{"username":"push.only@example.com","channel":"push"}"#)]).await,
        "network",
        "network_error",
    );
    assert!(get_str(&error, "hint").contains("okta-direct-auth-proxy"));
}

#[wasm_bindgen_test]
async fn a_direct_call_to_an_emulator_serving_browsers_signs_in() {
    let auth = create(direct_options()).await;
    let tokens = sign_in(&auth).await;
    assert!(!get_str(&tokens, "refreshToken").is_empty(), "without a proxy the page holds the refresh token");
    assert!(get(&tokens, "refreshTokenCustody").is_undefined());
    let fresh = ok(call(&auth, "refresh", &[args(&format!(r#"{{"refreshToken":"{}"}}"#, get_str(&tokens, "refreshToken")))]).await);
    assert!(!get_str(&fresh, "accessToken").is_empty());
}
