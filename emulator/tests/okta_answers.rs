//! Okta answers the SDK must read right: expired passwords, MFA attestation, the challenge
//! types Okta's own SDKs send, and `supported_challenge_types` in `mfa_required`.

mod common;
use common::*;
use serde_json::json;

#[tokio::test]
async fn expired_passwords_get_okta_s_two_answers_only_after_the_right_password() {
    let emu = Emu::start().await;
    let r = emu.password(CLIENT, "expired.password@example.com").await;
    r.expect(400, "invalid_grant");
    assert_eq!(r.desc(), "Password has expired.");
    assert!(r.json.get("access_token").is_none());
    let r = emu.password(CLIENT, "expired.password.denied@example.com").await;
    r.expect(403, "access_denied");
    assert_eq!(r.desc(), "The user's password is expired.");

    // A wrong password is just wrong: the expiry is not disclosed.
    for login in ["expired.password@example.com", "expired.password.denied@example.com"] {
        let wrong = emu
            .token(&[("client_id", CLIENT), ("grant_type", G_PASSWORD), ("username", login), ("password", "nope"), ("scope", SCOPE)])
            .await;
        wrong.expect(400, "invalid_grant");
        assert_eq!(wrong.desc(), "The credentials provided were invalid.");
    }
    // Listed with their answer; other users have none.
    let users = emu.get("/__emulator/users").await.json;
    let find = |login: &str| users.as_array().unwrap().iter().find(|u| u["login"] == login).cloned().unwrap();
    assert_eq!(find("expired.password@example.com")["passwordExpired"], "invalid_grant");
    assert_eq!(find("expired.password.denied@example.com")["passwordExpired"], "access_denied");
    assert_eq!(find("password.only@example.com")["passwordExpired"], json!(null));
}

const ATTEST: &str = "urn:okta:app:mfa:attestation";
const CONFIDENTIAL: &str = "0oa-confidential";
const SECRET: &str = "demo-client-secret";

#[tokio::test]
async fn mfa_attestation_is_refused_to_a_public_client() {
    let emu = Emu::start().await;
    let form = |client: &'static str, acr: &'static str| {
        vec![
            ("client_id", client),
            ("grant_type", G_PASSWORD),
            ("username", "mfa.otp@example.com"),
            ("password", PASSWORD),
            ("scope", "openid"),
            ("acr_values", acr),
        ]
    };
    let r = emu.token(&form(CLIENT, ATTEST)).await;
    r.expect(400, "invalid_request");
    assert_eq!(r.desc(), "Client authentication is required for MFA attestation requests.");
    let r = emu.token(&form(CLIENT, "urn:okta:app:mfa:attestation phr")).await;
    r.expect(400, "invalid_request");
    assert_eq!(r.desc(), "urn:okta:app:mfa:attestation can not be used with any other ACR values.");
    // The same on the other endpoints that take acr_values.
    let r = emu
        .post(
            &format!("{DA}/primary-authenticate"),
            &[
                ("client_id", CLIENT),
                ("login_hint", "push.only@example.com"),
                ("channel_hint", "push"),
                ("challenge_hint", G_OOB),
                ("acr_values", ATTEST),
            ],
        )
        .await;
    r.expect(400, "invalid_request");
    assert_eq!(r.desc(), "Client authentication is required for MFA attestation requests.");
    let mfa_token = emu.mfa_token(CLIENT, "mfa.otp@example.com").await;
    let r = emu
        .post(
            &format!("{DA}/challenge"),
            &[("client_id", CLIENT), ("mfa_token", &mfa_token), ("challenge_types_supported", G_MFA_OTP), ("acr_values", ATTEST)],
        )
        .await;
    r.expect(400, "invalid_request");
    // Without the attestation value the public client is served as before.
    emu.token(&form(CLIENT, "phr")).await.expect(403, "mfa_required");
}

#[tokio::test]
async fn mfa_attestation_for_a_confidential_client_answers_an_id_token_and_no_access_token() {
    let emu = Emu::start().await;
    let login = "mfa.otp@example.com";
    // client_secret_post
    let r = emu
        .token(&[
            ("client_id", CONFIDENTIAL),
            ("client_secret", SECRET),
            ("grant_type", G_PASSWORD),
            ("username", login),
            ("password", PASSWORD),
            ("scope", "openid offline_access"),
            ("acr_values", ATTEST),
        ])
        .await;
    r.expect(403, "mfa_required");
    let mfa_token = r.s("mfa_token");
    // A wrong secret is still invalid_client.
    emu.token(&[("client_id", CONFIDENTIAL), ("client_secret", "nope"), ("grant_type", G_MFA_OTP), ("mfa_token", &mfa_token)])
        .await
        .expect(401, "invalid_client");
    // client_secret_basic for the second factor.
    let code = emu.totp(login).await;
    let r = to_resp(
        emu.http
            .post(emu.url(&format!("{DA}/token")))
            .basic_auth(CONFIDENTIAL, Some(SECRET))
            .form(&[("grant_type", G_MFA_OTP), ("mfa_token", mfa_token.as_str()), ("otp", code.as_str()), ("acr_values", ATTEST)])
            .send()
            .await
            .unwrap(),
    )
    .await;
    r.expect(200, "");
    assert_eq!(r.json["access_token"], json!(null));
    assert_eq!(r.json["expires_in"], 0);
    assert_eq!(r.json["token_type"], "Bearer");
    assert_eq!(r.json["scope"], "openid");
    assert!(r.json.get("refresh_token").is_none(), "no refresh token, even with offline_access");
    let jwks = emu.get(&format!("{DA}/keys")).await.json;
    let id = verify_with_jwks(&r.s("id_token"), &jwks);
    assert_eq!(id["acr"], ATTEST);
    assert_eq!(id["aud"], CONFIDENTIAL);
    assert_eq!(id["amr"], json!(["pwd", "otp", "mfa"]));
    assert!(id.get("at_hash").is_none());
    assert_eq!(r.header("cache-control"), Some("no-store"));
    // The attestation value must stay the same across the transaction.
    let r = emu
        .token(&[
            ("client_id", CONFIDENTIAL),
            ("client_secret", SECRET),
            ("grant_type", G_PASSWORD),
            ("username", login),
            ("password", PASSWORD),
            ("scope", "openid"),
            ("acr_values", ATTEST),
        ])
        .await;
    let mfa_token = r.s("mfa_token");
    emu.advance(30).await; // a fresh TOTP step
    let code = emu.totp(login).await;
    emu.token(&[
        ("client_id", CONFIDENTIAL),
        ("client_secret", SECRET),
        ("grant_type", G_MFA_OTP),
        ("mfa_token", &mfa_token),
        ("otp", &code),
        ("acr_values", "phr"),
    ])
    .await
    .expect(400, "invalid_request");
}

#[tokio::test]
async fn mfa_attestation_needs_mfa_to_attest_and_an_openid_scope() {
    let emu = Emu::start().await;
    let attest = |login: &'static str, scope: &'static str| {
        [
            ("client_id", CONFIDENTIAL),
            ("client_secret", SECRET),
            ("grant_type", G_PASSWORD),
            ("username", login),
            ("password", PASSWORD),
            ("scope", scope),
            ("acr_values", ATTEST),
        ]
    };
    let r = emu.token(&attest("password.only@example.com", "openid")).await;
    r.expect(400, "mfa_not_required");
    assert_eq!(r.desc(), "The MFA attestation request cannot proceed because the client app policy does not require MFA.");
    let r = emu.token(&attest("mfa.otp@example.com", "profile")).await;
    r.expect(400, "invalid_scope");
    assert_eq!(r.desc(), "'scope' must be 'openid' for MFA attestation.");
    // Without attestation the confidential client gets ordinary tokens.
    let ok = emu
        .token(&[
            ("client_id", CONFIDENTIAL),
            ("client_secret", SECRET),
            ("grant_type", G_PASSWORD),
            ("username", "password.only@example.com"),
            ("password", PASSWORD),
            ("scope", "openid"),
        ])
        .await;
    ok.expect(200, "");
    assert!(ok.json["access_token"].is_string());
}

const G_MFA_WEBAUTHN: &str = "urn:okta:params:oauth:grant-type:mfa-webauthn";
/// What Okta's Kotlin SDK sends as `challenge_types_supported` by default.
const KOTLIN_TYPES: &str =
    "urn:okta:params:oauth:grant-type:mfa-webauthn http://auth0.com/oauth/grant-type/mfa-oob http://auth0.com/oauth/grant-type/mfa-otp";

#[tokio::test]
async fn challenge_accepts_okta_s_kotlin_list_and_picks_what_the_user_has() {
    let emu = Emu::start().await;
    let t = emu.mfa_token(CLIENT, "mfa.otp@example.com").await;
    let r = emu.challenge(CLIENT, &t, KOTLIN_TYPES, None).await;
    r.expect(200, "");
    assert_eq!(r.json, json!({ "challenge_type": G_MFA_OTP }));

    let t = emu.mfa_token(CLIENT, "mfa.push@example.com").await;
    let r = emu.challenge(CLIENT, &t, KOTLIN_TYPES, Some("push")).await;
    r.expect(200, "");
    assert_eq!(r.s("challenge_type"), G_MFA_OOB);
    assert_eq!(r.s("channel"), "push");
    // An OOB factor still needs channel_hint (required on /challenge since Oct 2023).
    let t = emu.mfa_token(CLIENT, "mfa.push@example.com").await;
    let r = emu.challenge(CLIENT, &t, KOTLIN_TYPES, None).await;
    r.expect(400, "invalid_request");
    assert_eq!(r.desc(), "The required parameter 'channel_hint' is missing.");

    // Order does not matter; an unknown type is still refused.
    let t = emu.mfa_token(CLIENT, "mfa.otp@example.com").await;
    let reversed = format!("{G_MFA_OTP} {G_MFA_OOB} {G_MFA_WEBAUTHN}");
    emu.challenge(CLIENT, &t, &reversed, None).await.expect(200, "");
    let t = emu.mfa_token(CLIENT, "mfa.otp@example.com").await;
    let r = emu.challenge(CLIENT, &t, &format!("{G_MFA_OTP} urn:example:nope"), None).await;
    r.expect(400, "invalid_request");
    assert_eq!(r.desc(), "urn:example:nope is not supported as a 'challenge_type'. Try again with another value.");
    // WebAuthn alone, for a client without that grant: unauthorized_client.
    let t = emu.mfa_token("0oa-slow-down", "mfa.otp@example.com").await;
    emu.challenge("0oa-slow-down", &t, G_MFA_WEBAUTHN, None).await.expect(400, "unauthorized_client");
}

#[tokio::test]
async fn challenge_with_webauthn_for_a_user_without_it_moves_on_or_is_denied() {
    let emu = Emu::start_with(|c| {
        for client in c.seed.clients.iter_mut().filter(|c| c.client_id == CLIENT) {
            client.grant_types.push(G_MFA_WEBAUTHN.into());
        }
    })
    .await;
    let t = emu.mfa_token(CLIENT, "mfa.otp@example.com").await;
    let r = emu.challenge(CLIENT, &t, G_MFA_WEBAUTHN, None).await;
    r.expect(403, "access_denied");
    assert!(r.desc().starts_with("Unable to prompt for the requested authenticators."));
    emu.challenge(CLIENT, &t, KOTLIN_TYPES, None).await.expect(200, "");
}

#[tokio::test]
async fn mfa_required_lists_the_challenge_types_the_user_can_finish_with() {
    let emu = Emu::start().await;
    let types = |r: &Resp| r.json.get("supported_challenge_types").and_then(|v| v.as_str()).map(str::to_string);
    let r = emu.password(CLIENT, "mfa.otp@example.com").await;
    r.expect(403, "mfa_required");
    assert_eq!(types(&r).as_deref(), Some(G_MFA_OTP));
    let r = emu.password(CLIENT, "alex@example.com").await;
    assert_eq!(types(&r), Some(format!("{G_MFA_OTP} {G_MFA_OOB}")), "the Swift fixture's shape: space-separated");
    let r = emu.password(CLIENT, "mfa.phone@example.com").await;
    assert_eq!(types(&r).as_deref(), Some(G_MFA_OOB));
    // Only what the request says the client supports.
    let r = emu
        .token(&[
            ("client_id", CLIENT),
            ("grant_type", G_PASSWORD),
            ("username", "alex@example.com"),
            ("password", PASSWORD),
            ("scope", SCOPE),
            ("grant_types_supported", &format!("{G_PASSWORD} {G_MFA_OOB}")),
        ])
        .await;
    r.expect(403, "mfa_required");
    assert_eq!(types(&r).as_deref(), Some(G_MFA_OOB));
    // Only what the client is allowed: 0oa-slow-down has mfa-oob but not mfa-otp.
    let r = emu.password("0oa-slow-down", "mfa.otp@example.com").await;
    r.expect(403, "mfa_required");
    assert!(r.json.get("supported_challenge_types").is_none(), "{}", r.text);
    // Not the first factor again: OTP first leaves the OOB factors.
    let code = emu.totp("alex@example.com").await;
    let r = emu
        .token(&[("client_id", CLIENT), ("grant_type", G_OTP), ("login_hint", "alex@example.com"), ("otp", &code), ("scope", SCOPE)])
        .await;
    r.expect(403, "mfa_required");
    assert_eq!(types(&r).as_deref(), Some(G_MFA_OOB));
}
