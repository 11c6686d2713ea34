//! Every endpoint and grant, the happy paths: discovery, keys, password + MFA, OTP, push
//! (plain and number challenge), SMS/voice, refresh rotation, userinfo, revoke.

mod common;
use base64::Engine;
use common::*;
use serde_json::Value;

#[tokio::test]
async fn discovery_and_keys_for_org_and_custom_servers() {
    let emu = Emu::start().await;
    let org = emu.get("/.well-known/openid-configuration").await;
    assert_eq!(org.status, 200);
    assert_eq!(org.header("content-type"), Some("application/json"));
    assert_eq!(org.json["issuer"], emu.base);
    assert_eq!(org.json["token_endpoint"], format!("{}/oauth2/v1/token", emu.base));
    assert_eq!(org.json["jwks_uri"], format!("{}/oauth2/v1/keys", emu.base));
    let grants: Vec<&str> = org.json["grant_types_supported"].as_array().unwrap().iter().filter_map(Value::as_str).collect();
    for g in [G_PASSWORD, G_OTP, G_OOB, G_MFA_OTP, G_MFA_OOB, "refresh_token"] {
        assert!(grants.contains(&g), "{g} advertised");
    }

    let custom = emu.get("/oauth2/default/.well-known/openid-configuration?client_id=0oa-demo-spa").await;
    assert_eq!(custom.json["issuer"], format!("{}/oauth2/default", emu.base));
    assert_eq!(custom.json["token_endpoint"], format!("{}/oauth2/default/v1/token", emu.base));
    assert_eq!(custom.json["userinfo_endpoint"], format!("{}/oauth2/default/v1/userinfo", emu.base));
    let meta = emu.get("/oauth2/default/.well-known/oauth-authorization-server").await;
    assert_eq!(meta.status, 200);
    assert_eq!(meta.json["issuer"], custom.json["issuer"]);

    let keys = emu.get("/oauth2/default/v1/keys?client_id=0oa-demo-spa").await;
    assert_eq!(keys.status, 200);
    assert!(keys.header("cache-control").unwrap().contains("max-age="));
    let key = &keys.json["keys"][0];
    assert_eq!(key["kty"], "RSA");
    assert_eq!(key["alg"], "RS256");
    assert!(key["kid"].as_str().is_some_and(|k| !k.is_empty()));
    assert_eq!(emu.get("/oauth2/v1/keys").await.json, keys.json);

    let unknown = emu.get("/oauth2/nope/.well-known/openid-configuration").await;
    assert_eq!(unknown.status, 404);
    assert_eq!(unknown.json["errorCode"], "E0000007");
    let unknown = emu.post("/oauth2/nope/v1/token", &[("client_id", CLIENT)]).await;
    assert_eq!(unknown.status, 404);
    assert_eq!(unknown.json["errorCode"], "E0000007");
    assert!(unknown.json["errorSummary"].as_str().unwrap().contains("nope"));
}

#[tokio::test]
async fn password_then_mfa_otp_gives_verifiable_tokens() {
    let emu = Emu::start().await;
    let login = "mfa.otp@example.com";
    let mfa = emu.password(CLIENT, login).await;
    mfa.expect(403, "mfa_required");
    assert_eq!(mfa.desc(), "Verify with an additional authenticator to complete the sign-in process.");
    assert_eq!(mfa.header("cache-control"), Some("no-store"));
    let mfa_token = mfa.s("mfa_token");

    let otp_challenge = emu.challenge(CLIENT, &mfa_token, G_MFA_OTP, None).await;
    assert_eq!(otp_challenge.status, 200, "{}", otp_challenge.text);
    assert_eq!(otp_challenge.json, serde_json::json!({ "challenge_type": G_MFA_OTP }));

    let code = emu.totp(login).await;
    let tok = emu.token(&[("client_id", CLIENT), ("grant_type", G_MFA_OTP), ("mfa_token", &mfa_token), ("otp", &code)]).await;
    assert_eq!(tok.status, 200, "{}", tok.text);
    assert_eq!(tok.header("content-type"), Some("application/json"));
    assert_eq!(tok.header("cache-control"), Some("no-store"));
    assert_eq!(tok.header("pragma"), Some("no-cache"));
    assert_eq!(tok.json["token_type"], "Bearer");
    assert_eq!(tok.json["expires_in"], 3600);
    assert_eq!(tok.json["scope"], SCOPE);
    assert!(tok.json["refresh_token"].as_str().is_some());
    let fields: Vec<&String> = tok.json.as_object().unwrap().keys().collect();
    assert_eq!(fields, ["access_token", "expires_in", "id_token", "refresh_token", "scope", "token_type"]);

    let jwks = emu.get(&format!("{DA}/keys")).await.json;
    let at = verify_with_jwks(&tok.s("access_token"), &jwks);
    let issuer = format!("{}/oauth2/default", emu.base);
    assert_eq!(at["iss"], issuer);
    assert_eq!(at["aud"], "api://default");
    assert_eq!(at["cid"], CLIENT);
    assert_eq!(at["sub"], login);
    assert_eq!(at["ver"], 1);
    assert!(at["uid"].as_str().unwrap().starts_with("00u"));
    assert!(at["jti"].as_str().unwrap().starts_with("AT."));
    assert_eq!(at["scp"], serde_json::json!(["openid", "profile", "email", "offline_access"]));
    assert_eq!(at["exp"].as_i64().unwrap() - at["iat"].as_i64().unwrap(), 3600);
    assert!(at["auth_time"].as_i64().is_some());

    let id = verify_with_jwks(&tok.s("id_token"), &jwks);
    assert_eq!(id["iss"], issuer);
    assert_eq!(id["aud"], CLIENT);
    assert_eq!(id["sub"], at["uid"]);
    assert_eq!(id["amr"], serde_json::json!(["pwd", "otp", "mfa"]));
    assert_eq!(id["email"], login);
    assert_eq!(id["preferred_username"], login);
    assert_eq!(id["name"], "Morgan Otp");
    assert!(id["idp"].as_str().unwrap().starts_with("00o"));
    use sha2::Digest;
    let h = sha2::Sha256::digest(tok.s("access_token").as_bytes());
    assert_eq!(id["at_hash"], base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(&h[..16]));

    // The mfa_token is single-use.
    let again = emu.token(&[("client_id", CLIENT), ("grant_type", G_MFA_OTP), ("mfa_token", &mfa_token), ("otp", &code)]).await;
    again.expect(400, "invalid_grant");
}

#[tokio::test]
async fn org_and_custom_servers_issue_their_own_tokens() {
    let emu = Emu::start().await;
    let form = |scope: &'static str| {
        vec![
            ("client_id", CLIENT),
            ("grant_type", G_PASSWORD),
            ("username", "password.only@example.com"),
            ("password", PASSWORD),
            ("scope", scope),
        ]
    };
    let org = emu.post("/oauth2/v1/token", &form("openid")).await;
    assert_eq!(org.status, 200, "{}", org.text);
    let at = claims(&org.s("access_token"));
    assert_eq!(at["iss"], emu.base);
    assert_eq!(at["aud"], emu.base);
    assert!(org.json.get("refresh_token").is_none(), "no offline_access, no refresh token");
    assert_eq!(claims(&org.s("id_token"))["amr"], serde_json::json!(["pwd"]));

    let custom = emu.post("/oauth2/aus-demo-custom/v1/token", &form("openid demo.read")).await;
    assert_eq!(custom.status, 200, "{}", custom.text);
    let at = claims(&custom.s("access_token"));
    assert_eq!(at["iss"], format!("{}/oauth2/aus-demo-custom", emu.base));
    assert_eq!(at["aud"], "api://demo-custom");
    assert!(custom.json.get("id_token").is_some());

    // A scope another server defines is unknown here; no openid, no id_token.
    emu.post(&format!("{DA}/token"), &form("openid demo.read")).await.expect(400, "invalid_scope");
    let no_oidc = emu.post("/oauth2/aus-demo-custom/v1/token", &form("demo.read")).await;
    assert_eq!(no_oidc.status, 200);
    assert!(no_oidc.json.get("id_token").is_none());
}

#[tokio::test]
async fn otp_as_the_only_factor_and_replay() {
    let emu = Emu::start().await;
    let login = "otp.only@example.com";
    let code = emu.totp(login).await;
    let form = [("client_id", CLIENT), ("grant_type", G_OTP), ("login_hint", login), ("otp", code.as_str()), ("scope", "openid")];
    let ok = emu.token(&form).await;
    assert_eq!(ok.status, 200, "{}", ok.text);
    assert_eq!(claims(&ok.s("id_token"))["amr"], serde_json::json!(["otp"]));
    let replay = emu.token(&form).await;
    replay.expect(400, "invalid_grant");
    assert_eq!(replay.desc(), "The 'otp' provided is either empty or incorrect. Use the correct OTP and try again.");
    // The next step's code works.
    emu.advance(30).await;
    let next = emu.totp(login).await;
    let ok = emu.token(&[("client_id", CLIENT), ("grant_type", G_OTP), ("login_hint", login), ("otp", &next), ("scope", "openid")]).await;
    assert_eq!(ok.status, 200, "{}", ok.text);
    // TOTP endpoint shape.
    let t = emu.get(&format!("/__emulator/users/{login}/totp")).await;
    assert_eq!(t.json["code"].as_str().unwrap().len(), 6);
    assert!((1..=30).contains(&t.json["expiresIn"].as_i64().unwrap()));
}

#[tokio::test]
async fn push_primary_pending_approve_and_deny() {
    let emu = Emu::start().await;
    let login = "push.only@example.com";
    let start = emu.primary(CLIENT, login, "push").await;
    assert_eq!(start.status, 200, "{}", start.text);
    assert_eq!(start.json["channel"], "push");
    assert_eq!(start.json["binding_method"], "none");
    assert_eq!(start.json["interval"], 5);
    assert_eq!(start.json["expires_in"], 300);
    assert!(start.json.get("binding_code").is_none());
    assert!(start.json.get("challenge_type").is_none());
    let oob = start.s("oob_code");

    let p = emu.poll_oob(CLIENT, &oob).await;
    p.expect(400, "authorization_pending");
    assert_eq!(p.desc(), "No user response received on the out-of-band authenticator yet. Continue polling to wait for a response.");
    let push = emu.push_for(login).await;
    assert!(push["numberChallenge"].is_null());
    assert!(push["expiresAt"].as_i64().unwrap() > push["createdAt"].as_i64().unwrap());
    let id = push["id"].as_str().unwrap();
    let ok = emu.post_json(&format!("/__emulator/push/{id}/approve"), &serde_json::json!({})).await;
    assert_eq!(ok.json["status"], "approved");
    assert!(emu.pending_pushes().await.is_empty());
    emu.advance(5).await;
    let tok = emu.poll_oob(CLIENT, &oob).await;
    assert_eq!(tok.status, 200, "{}", tok.text);
    assert_eq!(claims(&tok.s("id_token"))["amr"], serde_json::json!(["swk"]));
    // Single use.
    emu.advance(5).await;
    emu.poll_oob(CLIENT, &oob).await.expect(400, "invalid_grant");

    // Deny.
    let oob = emu.primary(CLIENT, login, "push").await.s("oob_code");
    let id = emu.push_for(login).await["id"].as_str().unwrap().to_string();
    emu.post(&format!("/__emulator/push/{id}/deny"), &[]).await;
    let denied = emu.poll_oob(CLIENT, &oob).await;
    denied.expect(400, "invalid_grant");
    assert_eq!(denied.desc(), "User rejected out-of-band authentication prompt.");

    // The deprecated /oob-authenticate needs no challenge_hint.
    let old = emu.post(&format!("{DA}/oob-authenticate"), &[("client_id", CLIENT), ("login_hint", login), ("channel_hint", "push")]).await;
    assert_eq!(old.status, 200, "{}", old.text);
    assert_eq!(old.json["binding_method"], "none");
}

#[tokio::test]
async fn push_mfa_with_number_challenge() {
    let emu = Emu::start().await;
    let login = "mfa.number@example.com";
    let mfa_token = emu.mfa_token(CLIENT, login).await;

    let ch = emu.challenge(CLIENT, &mfa_token, G_MFA_OOB, Some("push")).await;
    assert_eq!(ch.status, 200, "{}", ch.text);
    assert_eq!(ch.json["challenge_type"], G_MFA_OOB);
    assert_eq!(ch.json["binding_method"], "transfer");
    assert_eq!(ch.json["channel"], "push");
    assert_eq!(ch.json["interval"], 5);
    let code = ch.s("binding_code");
    assert_eq!(code.len(), 2);
    let right: u32 = code.parse().unwrap();
    let push = emu.push_for(login).await;
    let choices: Vec<u32> = push["numberChallenge"]["choices"].as_array().unwrap().iter().map(|v| v.as_u64().unwrap() as u32).collect();
    assert_eq!(choices.len(), 3);
    assert!(choices.contains(&right));
    let id = push["id"].as_str().unwrap().to_string();
    // Approving without the number is refused and leaves the push pending.
    let missing = emu.post(&format!("/__emulator/push/{id}/approve"), &[]).await;
    assert_eq!(missing.status, 400);
    // A wrong number denies the push.
    let wrong = choices.iter().find(|&&c| c != right).copied().unwrap();
    let r = emu.post_json(&format!("/__emulator/push/{id}/approve"), &serde_json::json!({ "number": wrong })).await;
    assert_eq!(r.json["status"], "denied");
    let oob = ch.s("oob_code");
    let form = [("client_id", CLIENT), ("grant_type", G_MFA_OOB), ("mfa_token", mfa_token.as_str()), ("oob_code", oob.as_str())];
    emu.token(&form).await.expect(400, "invalid_grant");

    // A new challenge on the same mfa_token, the right number.
    let ch = emu.challenge(CLIENT, &mfa_token, G_MFA_OOB, Some("push")).await;
    let oob = ch.s("oob_code");
    let right: u32 = ch.s("binding_code").parse().unwrap();
    let id = emu.push_for(login).await["id"].as_str().unwrap().to_string();
    let form = [("client_id", CLIENT), ("grant_type", G_MFA_OOB), ("mfa_token", mfa_token.as_str()), ("oob_code", oob.as_str())];
    emu.token(&form).await.expect(400, "authorization_pending");
    let r = emu.post_json(&format!("/__emulator/push/{id}/approve"), &serde_json::json!({ "number": right })).await;
    assert_eq!(r.json["status"], "approved");
    emu.advance(5).await;
    let tok = emu.token(&form).await;
    assert_eq!(tok.status, 200, "{}", tok.text);
    assert_eq!(claims(&tok.s("id_token"))["amr"], serde_json::json!(["pwd", "swk", "mfa"]));
}

#[tokio::test]
async fn sms_and_voice_as_primary_factor() {
    let emu = Emu::start().await;
    let login = "phone.only@example.com";
    for (channel, amr) in [("sms", "sms"), ("voice", "tel")] {
        let start = emu.primary(CLIENT, login, channel).await;
        assert_eq!(start.status, 200, "{}", start.text);
        assert_eq!(start.json["channel"], channel);
        assert_eq!(start.json["binding_method"], "prompt");
        assert!(start.json.get("interval").is_none(), "no interval for prompt channels");
        let oob = start.s("oob_code");
        let outbox = emu.get(&format!("/__emulator/users/{login}/outbox")).await;
        let last = outbox.json.as_array().unwrap().last().unwrap().clone();
        assert_eq!(last["channel"], channel);
        assert_eq!(last["to"], "+15555550102");
        let code = last["code"].as_str().unwrap().to_string();
        assert_eq!(code.len(), 6);
        assert_eq!(last["body"], format!("Your verification code is {code}"));
        assert!(last["sentAt"].as_i64().is_some());

        let wrong = if code == "000000" { "111111" } else { "000000" };
        let bad = emu
            .token(&[("client_id", CLIENT), ("grant_type", G_OOB), ("oob_code", &oob), ("binding_code", wrong), ("scope", "openid")])
            .await;
        bad.expect(400, "invalid_grant");
        let tok = emu
            .token(&[("client_id", CLIENT), ("grant_type", G_OOB), ("oob_code", &oob), ("binding_code", &code), ("scope", "openid")])
            .await;
        assert_eq!(tok.status, 200, "{}", tok.text);
        assert_eq!(claims(&tok.s("id_token"))["amr"], serde_json::json!([amr]));
    }
    let outbox = emu.get(&format!("/__emulator/users/{login}/outbox")).await;
    let channels: Vec<&str> = outbox.json.as_array().unwrap().iter().map(|m| m["channel"].as_str().unwrap()).collect();
    assert_eq!(channels, ["sms", "voice"], "newest last");
}

#[tokio::test]
async fn sms_and_voice_as_second_factor() {
    let emu = Emu::start().await;
    let login = "mfa.phone@example.com";
    let mfa_token = emu.mfa_token(CLIENT, login).await;
    let ch = emu.challenge(CLIENT, &mfa_token, G_MFA_OOB, Some("sms")).await;
    assert_eq!(ch.status, 200, "{}", ch.text);
    assert_eq!(ch.json["challenge_type"], G_MFA_OOB);
    assert_eq!(ch.json["binding_method"], "prompt");
    assert!(ch.json.get("interval").is_none());
    let code = emu.last_code(login).await;
    let tok = emu
        .token(&[
            ("client_id", CLIENT),
            ("grant_type", G_MFA_OOB),
            ("mfa_token", &mfa_token),
            ("oob_code", &ch.s("oob_code")),
            ("binding_code", &code),
        ])
        .await;
    assert_eq!(tok.status, 200, "{}", tok.text);
    assert_eq!(claims(&tok.s("id_token"))["amr"], serde_json::json!(["pwd", "sms", "mfa"]));

    // Voice, and the guide's form without mfa_token (the code's own transaction is used).
    let mfa_token = emu.mfa_token(CLIENT, login).await;
    let ch = emu.challenge(CLIENT, &mfa_token, &format!("{G_MFA_OTP} {G_MFA_OOB}"), Some("voice")).await;
    assert_eq!(ch.json["channel"], "voice", "{}", ch.text);
    let code = emu.last_code(login).await;
    let tok =
        emu.token(&[("client_id", CLIENT), ("grant_type", G_MFA_OOB), ("oob_code", &ch.s("oob_code")), ("binding_code", &code)]).await;
    assert_eq!(tok.status, 200, "{}", tok.text);
    assert_eq!(claims(&tok.s("id_token"))["amr"], serde_json::json!(["pwd", "tel", "mfa"]));
}

#[tokio::test]
async fn push_as_primary_then_otp_for_a_two_factor_user() {
    let emu = Emu::start().await;
    let login = "alex@example.com";
    let start = emu.primary(CLIENT, login, "push").await;
    assert_eq!(start.json["binding_method"], "transfer", "{}", start.text);
    let right: u32 = start.s("binding_code").parse().unwrap();
    let id = emu.push_for(login).await["id"].as_str().unwrap().to_string();
    emu.post_json(&format!("/__emulator/push/{id}/approve"), &serde_json::json!({ "number": right })).await;
    let r = emu.poll_oob(CLIENT, &start.s("oob_code")).await;
    r.expect(403, "mfa_required");
    let mfa_token = r.s("mfa_token");
    // Push again is not a second factor.
    emu.challenge(CLIENT, &mfa_token, G_MFA_OOB, Some("push")).await.expect(403, "access_denied");
    let code = emu.totp(login).await;
    let tok = emu.token(&[("client_id", CLIENT), ("grant_type", G_MFA_OTP), ("mfa_token", &mfa_token), ("otp", &code)]).await;
    assert_eq!(tok.status, 200, "{}", tok.text);
    let amr = claims(&tok.s("id_token"))["amr"].clone();
    assert_eq!(amr, serde_json::json!(["swk", "otp", "mfa"]));
}

#[tokio::test]
async fn refresh_tokens_rotate() {
    let emu = Emu::start().await;
    let tok = emu.password(CLIENT, "password.only@example.com").await;
    assert_eq!(tok.status, 200, "{}", tok.text);
    let rt1 = tok.s("refresh_token");
    let r = emu.token(&[("client_id", CLIENT), ("grant_type", "refresh_token"), ("refresh_token", &rt1)]).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.json["scope"], SCOPE);
    let rt2 = r.s("refresh_token");
    assert_ne!(rt1, rt2);
    assert_eq!(claims(&r.s("id_token"))["amr"], serde_json::json!(["pwd"]));
    let reused = emu.token(&[("client_id", CLIENT), ("grant_type", "refresh_token"), ("refresh_token", &rt1)]).await;
    reused.expect(400, "invalid_grant");
    assert_eq!(reused.desc(), "The refresh token is invalid or expired.");
    // A narrower scope is fine; a wider one is not.
    let wider =
        emu.token(&[("client_id", CLIENT), ("grant_type", "refresh_token"), ("refresh_token", &rt2), ("scope", "openid phone")]).await;
    wider.expect(400, "access_denied");
    let narrower = emu
        .token(&[("client_id", CLIENT), ("grant_type", "refresh_token"), ("refresh_token", &rt2), ("scope", "openid offline_access")])
        .await;
    assert_eq!(narrower.status, 200, "{}", narrower.text);
    assert_eq!(narrower.json["scope"], "openid offline_access");
    // Another client cannot use it.
    let other = emu
        .token(&[("client_id", "0oa-short-lived"), ("grant_type", "refresh_token"), ("refresh_token", &narrower.s("refresh_token"))])
        .await;
    other.expect(400, "invalid_grant");
    // No offline_access: no refresh token.
    let tok = emu
        .token(&[
            ("client_id", CLIENT),
            ("grant_type", G_PASSWORD),
            ("username", "password.only@example.com"),
            ("password", PASSWORD),
            ("scope", "openid"),
        ])
        .await;
    assert!(tok.json.get("refresh_token").is_none());
}

#[tokio::test]
async fn userinfo_and_revoke() {
    let emu = Emu::start().await;
    let tok = emu.password(CLIENT, "password.only@example.com").await;
    let at = tok.s("access_token");
    let ui = to_resp(emu.http.get(emu.url(&format!("{DA}/userinfo"))).bearer_auth(&at).send().await.unwrap()).await;
    assert_eq!(ui.status, 200, "{}", ui.text);
    assert_eq!(ui.json["sub"], claims(&at)["uid"]);
    assert_eq!(ui.json["email"], "password.only@example.com");
    assert_eq!(ui.json["name"], "Pat Password");

    let none = emu.get(&format!("{DA}/userinfo")).await;
    assert_eq!(none.status, 401);
    assert!(none.header("www-authenticate").unwrap().starts_with("Bearer "));
    let bad = to_resp(emu.http.get(emu.url(&format!("{DA}/userinfo"))).bearer_auth("not.a.jwt").send().await.unwrap()).await;
    assert_eq!(bad.status, 401);
    assert!(bad.header("www-authenticate").unwrap().contains("error=\"invalid_token\""));
    // A token of another server is not valid here.
    let org = to_resp(emu.http.get(emu.url("/oauth2/v1/userinfo")).bearer_auth(&at).send().await.unwrap()).await;
    assert_eq!(org.status, 401);

    // Revoke: 200 for unknown tokens, and revoked tokens stop working.
    let r = emu.post(&format!("{DA}/revoke"), &[("client_id", CLIENT), ("token", "nonsense")]).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.text, "");
    let r = emu.post(&format!("{DA}/revoke"), &[("client_id", CLIENT), ("token", &at), ("token_type_hint", "access_token")]).await;
    assert_eq!(r.status, 200);
    let ui = to_resp(emu.http.get(emu.url(&format!("{DA}/userinfo"))).bearer_auth(&at).send().await.unwrap()).await;
    assert_eq!(ui.status, 401);
    let rt = tok.s("refresh_token");
    emu.post(&format!("{DA}/revoke"), &[("client_id", CLIENT), ("token", &rt)]).await;
    emu.token(&[("client_id", CLIENT), ("grant_type", "refresh_token"), ("refresh_token", &rt)]).await.expect(400, "invalid_grant");
    emu.post(&format!("{DA}/revoke"), &[("client_id", CLIENT)]).await.expect(400, "invalid_request");
    emu.post(&format!("{DA}/revoke"), &[("token", "x")]).await.expect(401, "invalid_client");
}

#[tokio::test]
async fn confidential_client_needs_its_secret() {
    let emu = Emu::start().await;
    let base = [("grant_type", G_PASSWORD), ("username", "password.only@example.com"), ("password", PASSWORD), ("scope", "openid")];
    let mut f = base.to_vec();
    f.push(("client_id", "0oa-confidential"));
    emu.token(&f).await.expect(401, "invalid_client");
    f.push(("client_secret", "wrong"));
    emu.token(&f).await.expect(401, "invalid_client");
    f.pop();
    f.push(("client_secret", "demo-client-secret"));
    assert_eq!(emu.token(&f).await.status, 200);
    let basic = emu
        .http
        .post(emu.url(&format!("{DA}/token")))
        .basic_auth("0oa-confidential", Some("demo-client-secret"))
        .form(&base)
        .send()
        .await
        .unwrap();
    assert_eq!(basic.status(), 200);
}

#[tokio::test]
async fn emulator_api_users_requests_and_reset() {
    let emu = Emu::start().await;
    let users = emu.get("/__emulator/users").await;
    assert_eq!(users.status, 200);
    assert!(!users.text.contains(PASSWORD), "no passwords in /__emulator/users");
    let alex = users.json.as_array().unwrap().iter().find(|u| u["login"] == "alex@example.com").unwrap().clone();
    assert_eq!(alex["factors"], serde_json::json!(["password", "otp", "sms", "voice", "push", "email"]));
    assert_eq!(alex["push"], "number_challenge");
    assert_eq!(alex["policy"], "two_factor");

    let before = emu.get("/__emulator/requests").await.json["seq"].as_u64().unwrap();
    emu.password(CLIENT, "mfa.otp@example.com").await;
    let code = emu.totp("otp.only@example.com").await;
    emu.token(&[("client_id", CLIENT), ("grant_type", G_OTP), ("login_hint", "otp.only@example.com"), ("otp", &code), ("scope", "openid")])
        .await;
    let log = emu.get(&format!("/__emulator/requests?since={before}")).await;
    let reqs = log.json["requests"].as_array().unwrap();
    assert_eq!(reqs.len(), 2, "{}", log.text);
    assert_eq!(reqs[0]["method"], "POST");
    assert_eq!(reqs[0]["path"], format!("{DA}/token"));
    assert_eq!(reqs[0]["clientId"], CLIENT);
    assert_eq!(reqs[0]["grantType"], "password");
    assert_eq!(reqs[0]["login"], "mfa.otp@example.com");
    assert_eq!(reqs[0]["status"], 403);
    assert_eq!(reqs[0]["error"], "mfa_required");
    assert_eq!(reqs[1]["status"], 200);
    assert!(reqs[1]["error"].is_null());
    assert!(!log.text.contains(PASSWORD) && !log.text.contains(&code), "no secrets in the request log");
    assert_eq!(log.json["seq"].as_u64().unwrap(), before + 2);

    emu.primary(CLIENT, "phone.only@example.com", "sms").await;
    assert_eq!(emu.get("/__emulator/users/phone.only@example.com/outbox").await.json.as_array().unwrap().len(), 1);
    assert_eq!(emu.post("/__emulator/reset", &[]).await.status, 200);
    assert!(emu.get("/__emulator/users/phone.only@example.com/outbox").await.json.as_array().unwrap().is_empty());
    assert!(emu.get("/__emulator/requests").await.json["requests"].as_array().unwrap().is_empty());
    assert_eq!(emu.get("/__emulator/users/nobody@example.com/totp").await.status, 404);
}
