//! The email channel (`channel_hint=email`, protocol notes §3.5): codes delivered to the
//! outbox, the same answer for unknown users, first and second factor.

mod common;
use common::*;
use serde_json::Value;

fn keys(v: &Value) -> Vec<String> {
    let mut k: Vec<String> = v.as_object().expect("object").keys().cloned().collect();
    k.sort();
    k
}

async fn outbox(emu: &Emu, login: &str) -> Vec<Value> {
    emu.get(&format!("/__emulator/users/{login}/outbox")).await.json.as_array().cloned().unwrap_or_default()
}

#[tokio::test]
async fn email_as_the_only_factor_delivers_a_code_to_the_outbox() {
    let emu = Emu::start().await;
    let login = "email.only@example.com";
    let start = emu.primary(CLIENT, login, "email").await;
    assert_eq!(start.status, 200, "{}", start.text);
    assert_eq!(keys(&start.json), ["binding_method", "channel", "expires_in", "oob_code"], "no interval: no polling");
    assert_eq!((start.s("channel"), start.s("binding_method")), ("email".into(), "prompt".into()));
    assert_eq!(start.json["expires_in"], 300);
    let mail = outbox(&emu, login).await.pop().expect("a mail");
    assert_eq!((mail["channel"].as_str(), mail["to"].as_str()), (Some("email"), Some(login)));
    let code = mail["code"].as_str().unwrap().to_string();
    assert!(mail["body"].as_str().unwrap().contains(&code));

    let oob = start.s("oob_code");
    emu.poll_oob(CLIENT, &oob).await.expect(400, "authorization_pending");
    let wrong =
        emu.token(&[("client_id", CLIENT), ("grant_type", G_OOB), ("oob_code", &oob), ("binding_code", "000000x"), ("scope", SCOPE)]).await;
    wrong.expect(400, "invalid_grant");
    let form =
        [("client_id", CLIENT), ("grant_type", G_OOB), ("oob_code", oob.as_str()), ("binding_code", code.as_str()), ("scope", SCOPE)];
    let tokens = emu.token(&form).await;
    assert_eq!(tokens.status, 200, "{}", tokens.text);
    assert_eq!(claims(&tokens.s("id_token"))["amr"], serde_json::json!(["email"]));
    emu.token(&form).await.expect(400, "invalid_grant");
}

#[tokio::test]
async fn unknown_and_unenrolled_users_get_the_same_answer_shape_and_no_mail() {
    let emu = Emu::start().await;
    let known = emu.primary(CLIENT, "email.only@example.com", "email").await;
    for login in ["nobody@example.com", "password.only@example.com", "mfa.phone@example.com"] {
        let r = emu.primary(CLIENT, login, "email").await;
        assert_eq!(r.status, 200, "{login}: {}", r.text);
        assert_eq!(keys(&r.json), keys(&known.json), "{login}");
        assert_eq!((r.s("channel"), r.s("binding_method")), ("email".into(), "prompt".into()));
        assert_eq!(r.json["expires_in"], known.json["expires_in"]);
        let oob = r.s("oob_code");
        for code in ["123456", "000000"] {
            let t = emu
                .token(&[("client_id", CLIENT), ("grant_type", G_OOB), ("oob_code", &oob), ("binding_code", code), ("scope", SCOPE)])
                .await;
            t.expect(400, "invalid_grant");
        }
    }
    assert!(outbox(&emu, "password.only@example.com").await.is_empty());
    // The other channels still say when a user cannot use them.
    emu.primary(CLIENT, "password.only@example.com", "sms").await.expect(403, "access_denied");
    emu.primary(CLIENT, "nobody@example.com", "sms").await.expect(400, "invalid_grant");
}

#[tokio::test]
async fn email_as_the_second_factor_through_challenge() {
    let emu = Emu::start().await;
    let login = "mfa.email@example.com";
    let mfa = emu.password(CLIENT, login).await;
    mfa.expect(403, "mfa_required");
    assert_eq!(mfa.s("supported_challenge_types"), G_MFA_OOB);
    let mfa_token = mfa.s("mfa_token");
    let ch = emu.challenge(CLIENT, &mfa_token, G_MFA_OOB, Some("email")).await;
    assert_eq!(ch.status, 200, "{}", ch.text);
    assert_eq!((ch.s("channel"), ch.s("binding_method"), ch.s("challenge_type")), ("email".into(), "prompt".into(), G_MFA_OOB.into()));
    let code = emu.last_code(login).await;
    let t = emu
        .token(&[
            ("client_id", CLIENT),
            ("grant_type", G_MFA_OOB),
            ("mfa_token", &mfa_token),
            ("oob_code", &ch.s("oob_code")),
            ("binding_code", &code),
        ])
        .await;
    assert_eq!(t.status, 200, "{}", t.text);
    assert_eq!(claims(&t.s("id_token"))["amr"], serde_json::json!(["pwd", "email", "mfa"]));

    // A user without the email factor cannot be challenged by email once known.
    let phone = emu.mfa_token(CLIENT, "mfa.phone@example.com").await;
    emu.challenge(CLIENT, &phone, G_MFA_OOB, Some("email")).await.expect(403, "access_denied");
}

#[tokio::test]
async fn alex_has_email_and_the_deprecated_endpoint_takes_it_too() {
    let emu = Emu::start().await;
    let users = emu.get("/__emulator/users").await;
    let alex = users.json.as_array().unwrap().iter().find(|u| u["login"] == "alex@example.com").unwrap().clone();
    assert!(alex["factors"].as_array().unwrap().iter().any(|f| f == "email"), "{alex}");
    let r = emu
        .post(&format!("{DA}/oob-authenticate"), &[("client_id", CLIENT), ("login_hint", "alex@example.com"), ("channel_hint", "email")])
        .await;
    assert_eq!((r.status, r.s("channel")), (200, "email".into()), "{}", r.text);
    let mfa = emu
        .token(&[
            ("client_id", CLIENT),
            ("grant_type", G_OOB),
            ("oob_code", &r.s("oob_code")),
            ("binding_code", &emu.last_code("alex@example.com").await),
            ("scope", SCOPE),
        ])
        .await;
    mfa.expect(403, "mfa_required");
    assert!(mfa.s("supported_challenge_types").contains(G_MFA_OTP));
}
