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
