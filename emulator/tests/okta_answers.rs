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
