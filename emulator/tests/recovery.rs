//! Self-service password recovery: the recovery intent on the grants (Kotlin
//! `prompt=recover_authenticator`, Swift `intent=recovery`), the recovery scope only under it,
//! the recovery policy, and `PUT /idp/myaccount/password` with its password policy.

mod common;
use common::*;
use serde_json::{json, Value};

const ORG: &str = "/oauth2/v1";
const RECOVERY_SCOPE: &str = "okta.myAccount.password.manage";
const USER: &str = "recovery.user@example.com";
const ACCEPT: &str = "application/json; okta-version=1.0.0";

async fn org_token(emu: &Emu, form: &[(&str, &str)]) -> Resp {
    emu.post(&format!("{ORG}/token"), form).await
}

/// A recovery token by OTP, with Kotlin's parameter.
async fn recover_by_otp(emu: &Emu, login: &str) -> String {
    let otp = emu.totp(login).await;
    let r = org_token(
        emu,
        &[
            ("client_id", CLIENT),
            ("grant_type", G_OTP),
            ("login_hint", login),
            ("otp", &otp),
            ("scope", RECOVERY_SCOPE),
            ("prompt", "recover_authenticator"),
        ],
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    r.s("access_token")
}

async fn put_password(emu: &Emu, token: Option<&str>, accept: &str, body: &str) -> Resp {
    let mut req = emu
        .http
        .put(emu.url("/idp/myaccount/password"))
        .header("Accept", accept)
        .header("Content-Type", "application/json")
        .body(body.to_owned());
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    to_resp(req.send().await.unwrap()).await
}

async fn set_password(emu: &Emu, token: &str, password: &str) -> Resp {
    put_password(emu, Some(token), ACCEPT, &json!({ "profile": { "password": password } }).to_string()).await
}

fn cause(r: &Resp) -> String {
    r.json["errorCauses"][0]["errorSummary"].as_str().unwrap_or("").to_owned()
}

async fn sign_in(emu: &Emu, login: &str, password: &str) -> Resp {
    emu.token(&[("client_id", CLIENT), ("grant_type", G_PASSWORD), ("username", login), ("password", password), ("scope", SCOPE)]).await
}

#[tokio::test]
async fn both_sdks_parameters_give_a_recovery_token_with_only_the_recovery_scope() {
    let emu = Emu::start().await;
    let token = recover_by_otp(&emu, USER).await;
    assert_eq!(claims(&token)["scp"], json!([RECOVERY_SCOPE]));
    emu.advance(31).await;
    let otp = emu.totp(USER).await;
    let swift = org_token(
        &emu,
        &[
            ("client_id", CLIENT),
            ("grant_type", G_OTP),
            ("login_hint", USER),
            ("otp", &otp),
            ("scope", RECOVERY_SCOPE),
            ("intent", "recovery"),
        ],
    )
    .await;
    assert_eq!(swift.status, 200, "{}", swift.text);
    assert_eq!(swift.s("scope"), RECOVERY_SCOPE);
    assert!(swift.json.get("id_token").is_none() && swift.json.get("refresh_token").is_none(), "{}", swift.text);
    assert_eq!(claims(&swift.s("access_token"))["iss"], emu.base, "the org server");
}

#[tokio::test]
async fn the_recovery_scope_only_under_the_recovery_intent_and_alone() {
    let emu = Emu::start().await;
    let base = [("client_id", CLIENT), ("grant_type", G_OTP), ("login_hint", USER), ("otp", "123456")];
    let with = |extra: &[(&'static str, &'static str)]| {
        let mut f = base.to_vec();
        f.extend_from_slice(extra);
        f
    };
    let r = org_token(&emu, &with(&[("scope", RECOVERY_SCOPE)])).await;
    r.expect(400, "invalid_request");
    assert_eq!(r.desc(), "The intent parameter is required.");
    let r = org_token(&emu, &with(&[("scope", RECOVERY_SCOPE), ("intent", "signIn")])).await;
    r.expect(400, "invalid_scope");
    assert_eq!(r.desc(), "scope 'okta.myAccount.password.manage' cannot be requested with intent 'signIn'.");
    let r = org_token(&emu, &with(&[("scope", "openid okta.myAccount.password.manage"), ("intent", "recovery")])).await;
    r.expect(400, "invalid_scope");
    assert_eq!(r.desc(), "scope 'openid' cannot be requested with intent 'recovery'.");
    let r = org_token(&emu, &with(&[("scope", "openid"), ("prompt", "recover_authenticator")])).await;
    r.expect(400, "invalid_scope");
    let r = org_token(&emu, &with(&[("scope", RECOVERY_SCOPE), ("intent", "reset")])).await;
    r.expect(400, "invalid_request");
    assert_eq!(r.desc(), "'reset' is an invalid intent.");
    let r = org_token(&emu, &with(&[("scope", RECOVERY_SCOPE), ("intent", "signIn"), ("prompt", "recover_authenticator")])).await;
    r.expect(400, "invalid_request");
    // Okta mints okta.* scopes on the org server only.
    let otp = emu.totp(USER).await;
    let custom = emu
        .token(&[
            ("client_id", CLIENT),
            ("grant_type", G_OTP),
            ("login_hint", USER),
            ("otp", &otp),
            ("scope", RECOVERY_SCOPE),
            ("intent", "recovery"),
        ])
        .await;
    custom.expect(400, "invalid_scope");
}

#[tokio::test]
async fn recovery_by_sms_voice_email_and_push_skips_the_second_factor() {
    let emu = Emu::start().await;
    for channel in ["sms", "voice", "email"] {
        let start = emu
            .post(
                &format!("{ORG}/primary-authenticate"),
                &[("client_id", CLIENT), ("login_hint", USER), ("channel_hint", channel), ("challenge_hint", G_OOB)],
            )
            .await;
        assert_eq!(start.status, 200, "{channel}: {}", start.text);
        let code = emu.last_code(USER).await;
        let r = org_token(
            &emu,
            &[
                ("client_id", CLIENT),
                ("grant_type", G_OOB),
                ("oob_code", &start.s("oob_code")),
                ("binding_code", &code),
                ("scope", RECOVERY_SCOPE),
                ("prompt", "recover_authenticator"),
            ],
        )
        .await;
        assert_eq!(r.status, 200, "{channel}: {}", r.text);
        assert_eq!(r.s("scope"), RECOVERY_SCOPE);
    }
    let start = emu
        .post(
            &format!("{ORG}/primary-authenticate"),
            &[("client_id", CLIENT), ("login_hint", USER), ("channel_hint", "push"), ("challenge_hint", G_OOB)],
        )
        .await;
    let oob = start.s("oob_code");
    let poll =
        [("client_id", CLIENT), ("grant_type", G_OOB), ("oob_code", oob.as_str()), ("scope", RECOVERY_SCOPE), ("intent", "recovery")];
    org_token(&emu, &poll).await.expect(400, "authorization_pending");
    let push = emu.push_for(USER).await;
    let ok = emu.post_json(&format!("/__emulator/push/{}/approve", push["id"].as_str().unwrap()), &json!({})).await;
    assert_eq!(ok.status, 200, "{}", ok.text);
    emu.advance(6).await;
    // The recovery scope goes with the recovery intent, and the first poll fixes the scope.
    let changed = org_token(&emu, &[("client_id", CLIENT), ("grant_type", G_OOB), ("oob_code", oob.as_str()), ("scope", "openid")]).await;
    changed.expect(400, "invalid_scope");
    let r = org_token(&emu, &poll).await;
    assert_eq!((r.status, r.s("scope")), (200, RECOVERY_SCOPE.to_owned()), "{}", r.text);
}

#[tokio::test]
async fn the_recovery_policy_refuses_passwords_and_users_without_one() {
    let emu = Emu::start().await;
    let pwd = |login: &'static str| {
        [
            ("client_id", CLIENT),
            ("grant_type", G_PASSWORD),
            ("username", login),
            ("password", PASSWORD),
            ("scope", RECOVERY_SCOPE),
            ("intent", "recovery"),
        ]
    };
    let r = org_token(&emu, &pwd(USER)).await;
    r.expect(403, "access_denied");
    assert_eq!(r.desc(), "Authenticators required by recovery policy are not enabled authenticators.");
    let r = org_token(&emu, &pwd("password.only@example.com")).await;
    r.expect(403, "access_denied");
    assert_eq!(r.desc(), "Recovery policy does not specify any authenticators that can be used for recovery.");
    let mut wrong = pwd(USER);
    wrong[3].1 = "not-it";
    org_token(&emu, &wrong).await.expect(400, "invalid_grant");
    let otp = emu.totp("otp.only@example.com").await;
    let r = org_token(
        &emu,
        &[
            ("client_id", CLIENT),
            ("grant_type", G_OTP),
            ("login_hint", "otp.only@example.com"),
            ("otp", &otp),
            ("scope", RECOVERY_SCOPE),
            ("intent", "recovery"),
        ],
    )
    .await;
    r.expect(403, "access_denied");
    assert_eq!(r.desc(), "Password recovery is not enabled for the user.");
    // A second factor belongs to a sign-in.
    let mfa = emu.mfa_token(CLIENT, USER).await;
    let otp = emu.totp(USER).await;
    let r =
        emu.token(&[("client_id", CLIENT), ("grant_type", G_MFA_OTP), ("mfa_token", &mfa), ("otp", &otp), ("intent", "recovery")]).await;
    r.expect(400, "invalid_request");
    assert!(r.desc().starts_with("The intent 'recovery' does not match"), "{}", r.desc());
}

#[tokio::test]
async fn myaccount_checks_the_version_the_token_and_the_body() {
    let emu = Emu::start().await;
    let token = recover_by_otp(&emu, USER).await;
    let body = json!({ "profile": { "password": "Fresh-Start9" } }).to_string();
    let r = put_password(&emu, Some(&token), "application/json", &body).await;
    assert_eq!((r.status, r.json["errorCode"].as_str()), (406, Some("E0000149")), "{}", r.text);
    let r = put_password(&emu, None, ACCEPT, &body).await;
    assert_eq!((r.status, r.json["errorCode"].as_str()), (401, Some("E0000011")), "{}", r.text);
    assert!(r.header("www-authenticate").unwrap().contains("invalid_token"));
    let r = put_password(&emu, Some("not.a.jwt"), ACCEPT, &body).await;
    assert_eq!(r.status, 401);
    // A sign-in token (no recovery scope) may not set the password.
    let otp = emu.totp("otp.only@example.com").await;
    let sign_in = org_token(
        &emu,
        &[("client_id", CLIENT), ("grant_type", G_OTP), ("login_hint", "otp.only@example.com"), ("otp", &otp), ("scope", "openid")],
    )
    .await;
    let r = put_password(&emu, Some(&sign_in.s("access_token")), ACCEPT, &body).await;
    assert_eq!((r.status, r.json["errorCode"].as_str()), (403, Some("E0000006")), "{}", r.text);
    assert!(r.header("www-authenticate").unwrap().contains("insufficient_scope"));
    let r = put_password(&emu, Some(&token), ACCEPT, "{not json").await;
    assert_eq!((r.status, r.json["errorCode"].as_str()), (400, Some("E0000003")), "{}", r.text);
    let r = put_password(&emu, Some(&token), ACCEPT, r#"{"profile":{}}"#).await;
    assert_eq!((r.status, r.json["errorCode"].as_str()), (400, Some("E0000001")), "{}", r.text);
    // Revoked and expired tokens are refused.
    emu.post(&format!("{ORG}/revoke"), &[("client_id", CLIENT), ("token", &token)]).await;
    assert_eq!(set_password(&emu, &token, "Fresh-Start9").await.status, 401);
    emu.advance(31).await;
    let token = recover_by_otp(&emu, USER).await;
    emu.advance(3601).await;
    assert_eq!(set_password(&emu, &token, "Fresh-Start9").await.status, 401);
}

#[tokio::test]
async fn every_password_rule_answers_okta_s_error_form() {
    let emu = Emu::start().await;
    let token = recover_by_otp(&emu, USER).await;
    let requirements = "Password requirements: at least 8 characters, a lowercase letter, an uppercase letter, a number, no parts of your username. Your password cannot be any of your last 4 password(s).";
    for weak in ["Sh0rt", "no-upper-case-9", "NO-LOWER-CASE-9", "No-Digits-Here", "Recovery-Rocks9", "My-Example-9x"] {
        let r = set_password(&emu, &token, weak).await;
        assert_eq!(
            (r.status, r.json["errorCode"].as_str(), r.json["errorSummary"].as_str()),
            (400, Some("E0000001"), Some("Api validation failed: Password")),
            "{weak}: {}",
            r.text
        );
        assert_eq!(cause(&r), format!("password: Password requirements were not met. {requirements}"), "{weak}");
        assert!(!r.text.contains(weak), "the password is never echoed");
    }
    let r = set_password(&emu, &token, PASSWORD).await;
    assert_eq!((r.status, cause(&r).as_str()), (400, "password: Password cannot be your current password"), "{}", r.text);
    // History: the last 4 passwords (the current one included) are refused.
    for p in ["First-Pass1", "Second-Pass2", "Third-Pass3"] {
        assert_eq!(set_password(&emu, &token, p).await.status, 201);
    }
    for old in [PASSWORD, "First-Pass1", "Second-Pass2"] {
        let r = set_password(&emu, &token, old).await;
        assert_eq!((r.status, cause(&r).as_str()), (400, "password: Password has been used too recently"), "{old}: {}", r.text);
    }
    assert_eq!(set_password(&emu, &token, "Fourth-Pass4").await.status, 201);
    assert_eq!(set_password(&emu, &token, PASSWORD).await.status, 201, "the fifth one back is allowed again");
}

#[tokio::test]
async fn the_new_password_works_at_once_the_old_one_not_and_lockouts_are_cleared() {
    let emu = Emu::start_with(|c| c.lockout_after = 3).await;
    sign_in(&emu, USER, "wrong-1").await.expect(400, "invalid_grant");
    sign_in(&emu, USER, "wrong-2").await.expect(400, "invalid_grant");
    let token = recover_by_otp(&emu, USER).await;
    let r = set_password(&emu, &token, "Brand-New-Pass7").await;
    assert_eq!(r.status, 201, "{}", r.text);
    assert_eq!(r.header("content-type"), Some("application/json;okta-version=1.0.0"));
    assert_eq!(r.json["status"], "ACTIVE");
    assert_eq!(r.json["_links"]["self"]["href"], format!("{}/idp/myaccount/password", emu.base));
    let log = emu.get("/__emulator/requests").await;
    assert!(!log.text.contains("Brand-New-Pass7"), "no password in the request log");

    sign_in(&emu, USER, PASSWORD).await.expect(400, "invalid_grant");
    sign_in(&emu, USER, "wrong-3").await.expect(400, "invalid_grant");
    // Without the reset clearing the two earlier failures, this would be the lockout.
    sign_in(&emu, USER, "Brand-New-Pass7").await.expect(403, "mfa_required");
    // The emulator's reset restores the seed passwords.
    emu.post_json("/__emulator/reset", &Value::Null).await;
    sign_in(&emu, USER, PASSWORD).await.expect(403, "mfa_required");
}

#[tokio::test]
async fn browsers_get_cors_for_the_put_from_trusted_origins() {
    let origin = "http://127.0.0.1:8100";
    let emu = Emu::start_with(|c| c.trusted_origins = vec![origin.into()]).await;
    let pre = emu
        .http
        .request(reqwest::Method::OPTIONS, emu.url("/idp/myaccount/password"))
        .header("Origin", origin)
        .header("Access-Control-Request-Method", "PUT")
        .header("Access-Control-Request-Headers", "authorization, content-type")
        .send()
        .await
        .unwrap();
    assert_eq!(pre.status(), 200);
    assert_eq!(pre.headers()["access-control-allow-origin"], origin);
    assert_eq!(pre.headers()["access-control-allow-methods"], "PUT, OPTIONS");
    let other = emu
        .http
        .request(reqwest::Method::OPTIONS, emu.url("/idp/myaccount/password"))
        .header("Origin", "http://evil.example")
        .send()
        .await
        .unwrap();
    assert_eq!(other.status(), 403);
    assert!(other.headers().get("access-control-allow-origin").is_none());
}
