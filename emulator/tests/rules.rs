//! Okta's rules and every error: bad input, unauthorized clients, expiry, slow_down, replay,
//! transaction consistency, lockout, rate limits, CORS, browser rules, fault modes.

mod common;
use common::*;
use serde_json::json;
use std::time::{Duration, Instant};

#[tokio::test]
async fn bad_input_is_a_400_invalid_request() {
    let emu = Emu::start().await;
    let token = format!("{DA}/token");
    let r = emu.token(&[("client_id", CLIENT)]).await;
    r.expect(400, "invalid_request");
    assert!(r.desc().starts_with("The token request must specify a 'grant_type'."));
    assert_eq!(r.header("content-type"), Some("application/json"));
    emu.token(&[("grant_type", G_PASSWORD)]).await.expect(401, "invalid_client");
    let unknown = emu.token(&[("client_id", "0oa-nobody"), ("grant_type", G_PASSWORD)]).await;
    unknown.expect(401, "invalid_client");
    assert_eq!(unknown.desc(), "Invalid value for 'client_id' parameter.");
    let missing = emu.token(&[("client_id", CLIENT), ("grant_type", G_PASSWORD), ("username", "a@b")]).await;
    missing.expect(400, "invalid_request");
    assert_eq!(missing.desc(), "The required parameter 'password' is missing.");
    let no_scope = emu.token(&[("client_id", CLIENT), ("grant_type", G_PASSWORD), ("username", "a@b"), ("password", "x")]).await;
    no_scope.expect(400, "invalid_scope");
    let bad_scope = emu
        .token(&[("client_id", CLIENT), ("grant_type", G_PASSWORD), ("username", "a@b"), ("password", "x"), ("scope", "openid nope")])
        .await;
    bad_scope.expect(400, "invalid_scope");

    // Wrong content type.
    let r = to_resp(emu.http.post(emu.url(&token)).json(&json!({"client_id": CLIENT})).send().await.unwrap()).await;
    r.expect(400, "invalid_request");
    // Too large (64 KiB cap).
    let big = format!("client_id={CLIENT}&grant_type=password&x={}", "a".repeat(70 * 1024));
    let r =
        to_resp(emu.http.post(emu.url(&token)).header("content-type", "application/x-www-form-urlencoded").body(big).send().await.unwrap())
            .await;
    r.expect(400, "invalid_request");
    assert!(r.desc().contains("too large"));
    // Duplicated parameter.
    let r = to_resp(
        emu.http
            .post(emu.url(&token))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(format!("client_id={CLIENT}&grant_type=password&grant_type=password"))
            .send()
            .await
            .unwrap(),
    )
    .await;
    r.expect(400, "invalid_request");
    // Unsupported grant and wrong method.
    emu.token(&[("client_id", CLIENT), ("grant_type", "urn:example:nope")]).await.expect(400, "unsupported_grant_type");
    let get = emu.get(&token).await;
    assert_eq!(get.status, 405);
    assert_eq!(get.json["errorCode"], "E0000022");
    let unknown_path = emu.get("/nope").await;
    assert_eq!(unknown_path.status, 404);
    assert_eq!(unknown_path.json["errorCode"], "E0000007");
}

#[tokio::test]
async fn grants_not_enabled_are_unauthorized_client() {
    let emu = Emu::start().await;
    let r = emu.password("0oa-no-direct-auth", "password.only@example.com").await;
    r.expect(400, "unauthorized_client");
    assert_eq!(
        r.desc(),
        "The client is not authorized to use the provided grant type. Configured grant types: [authorization_code, refresh_token]."
    );
    emu.primary("0oa-no-direct-auth", "push.only@example.com", "push").await.expect(400, "unauthorized_client");
    emu.primary("0oa-password-only", "push.only@example.com", "push").await.expect(400, "unauthorized_client");
    // password-only client: mfa_required cannot be finished, /challenge is not allowed.
    let mfa_token = emu.mfa_token("0oa-password-only", "mfa.otp@example.com").await;
    emu.challenge("0oa-password-only", &mfa_token, G_MFA_OTP, None).await.expect(400, "unauthorized_client");
    let code = emu.totp("mfa.otp@example.com").await;
    emu.token(&[("client_id", "0oa-password-only"), ("grant_type", G_MFA_OTP), ("mfa_token", &mfa_token), ("otp", &code)])
        .await
        .expect(400, "unauthorized_client");
}

#[tokio::test]
async fn primary_authenticate_parameters() {
    let emu = Emu::start().await;
    let path = format!("{DA}/primary-authenticate");
    let login = "push.only@example.com";
    let scoped = emu
        .post(
            &path,
            &[("client_id", CLIENT), ("login_hint", login), ("channel_hint", "push"), ("challenge_hint", G_OOB), ("scope", "openid")],
        )
        .await;
    scoped.expect(400, "invalid_scope");
    assert_eq!(scoped.desc(), "The 'scope' parameter is unsupported on this endpoint. Try again without this parameter.");
    emu.post(&path, &[("client_id", CLIENT), ("login_hint", login), ("channel_hint", "push")]).await.expect(400, "invalid_request");
    emu.post(&path, &[("client_id", CLIENT), ("login_hint", login), ("channel_hint", "push"), ("challenge_hint", G_OTP)])
        .await
        .expect(400, "invalid_request");
    let r = emu.primary(CLIENT, login, "pigeon").await;
    r.expect(400, "invalid_request");
    assert_eq!(r.desc(), "'pigeon' is not supported as a 'channel_hint'. Try again with another value.");
    let r = emu.post(&path, &[("client_id", CLIENT), ("channel_hint", "push"), ("challenge_hint", G_OOB)]).await;
    r.expect(400, "invalid_request");
    assert_eq!(r.desc(), "A 'login_hint' is required for the request.");
    emu.primary(CLIENT, "nobody@example.com", "push").await.expect(400, "invalid_grant");
    // A factor the user does not have.
    emu.primary(CLIENT, login, "sms").await.expect(403, "access_denied");
}

#[tokio::test]
async fn wrong_password_and_lockout() {
    let emu = Emu::start_with(|c| {
        c.lockout_after = 3;
        c.lockout_secs = 60;
    })
    .await;
    let login = "password.only@example.com";
    let wrong = [("client_id", CLIENT), ("grant_type", G_PASSWORD), ("username", login), ("password", "nope"), ("scope", "openid")];
    for _ in 0..3 {
        let r = emu.token(&wrong).await;
        r.expect(400, "invalid_grant");
        assert_eq!(r.desc(), "The credentials provided were invalid.");
    }
    // Locked: even the right password fails.
    emu.password(CLIENT, login).await.expect(400, "invalid_grant");
    emu.advance(61).await;
    assert_eq!(emu.password(CLIENT, login).await.status, 200);
    // Unknown users look like wrong passwords.
    emu.password(CLIENT, "nobody@example.com").await.expect(400, "invalid_grant");

    // OTP failures count too.
    let otp_user = "otp.only@example.com";
    for _ in 0..3 {
        emu.token(&[("client_id", CLIENT), ("grant_type", G_OTP), ("login_hint", otp_user), ("otp", "000000"), ("scope", "openid")]).await;
    }
    let code = emu.totp(otp_user).await;
    emu.token(&[("client_id", CLIENT), ("grant_type", G_OTP), ("login_hint", otp_user), ("otp", &code), ("scope", "openid")])
        .await
        .expect(400, "invalid_grant");
}

#[tokio::test]
async fn expiry_of_mfa_token_and_oob_code() {
    let emu = Emu::start().await;
    let mfa_token = emu.mfa_token(SHORT, "mfa.otp@example.com").await;
    emu.advance(4).await;
    let code = emu.totp("mfa.otp@example.com").await;
    let r = emu.token(&[("client_id", SHORT), ("grant_type", G_MFA_OTP), ("mfa_token", &mfa_token), ("otp", &code)]).await;
    r.expect(403, "access_denied");
    assert_eq!(r.desc(), "'mfa_token' has expired. Use a new 'mfa_token' and try again.");

    let start = emu.primary(SHORT, "push.only@example.com", "push").await;
    assert_eq!(start.json["expires_in"], 3);
    assert_eq!(start.json["interval"], 1);
    let oob = start.s("oob_code");
    emu.poll_oob(SHORT, &oob).await.expect(400, "authorization_pending");
    emu.advance(4).await;
    let r = emu.poll_oob(SHORT, &oob).await;
    r.expect(403, "access_denied");
    assert_eq!(r.desc(), "'oob_code' has expired. Use a new 'oob_code' and try again.");
    assert!(emu.pending_pushes().await.is_empty(), "expired pushes are not pending");
}

#[tokio::test]
async fn access_tokens_expire_for_userinfo() {
    let emu = Emu::start().await;
    let tok = emu.password(SHORT, "password.only@example.com").await;
    assert_eq!(tok.json["expires_in"], 5);
    let at = tok.s("access_token");
    let ui = |emu: &Emu, at: String| {
        let req = emu.http.get(emu.url(&format!("{DA}/userinfo"))).bearer_auth(at);
        async move { to_resp(req.send().await.unwrap()).await }
    };
    assert_eq!(ui(&emu, at.clone()).await.status, 200);
    emu.advance(6).await;
    let r = ui(&emu, at).await;
    assert_eq!(r.status, 401);
    assert!(r.header("www-authenticate").unwrap().contains("invalid_token"));
    // Without openid: 403 insufficient_scope.
    let tok = emu
        .token(&[
            ("client_id", CLIENT),
            ("grant_type", G_PASSWORD),
            ("username", "password.only@example.com"),
            ("password", PASSWORD),
            ("scope", "profile"),
        ])
        .await;
    let r = ui(&emu, tok.s("access_token")).await;
    assert_eq!(r.status, 403);
    assert!(r.header("www-authenticate").unwrap().contains("insufficient_scope"));
}

#[tokio::test]
async fn slow_down_when_polling_faster_than_interval() {
    let emu = Emu::start().await;
    let oob = emu.primary(CLIENT, "push.only@example.com", "push").await.s("oob_code");
    emu.poll_oob(CLIENT, &oob).await.expect(400, "authorization_pending");
    let r = emu.poll_oob(CLIENT, &oob).await;
    r.expect(400, "slow_down");
    assert_eq!(r.desc(), "Slow down the polling frequency. Please try again later.");
    emu.advance(5).await;
    emu.poll_oob(CLIENT, &oob).await.expect(400, "authorization_pending");
}

#[tokio::test]
async fn enforced_interval_above_the_advertised_one_answers_slow_down() {
    let emu = Emu::start().await;
    let r = emu.primary("0oa-slow-down", "push.only@example.com", "push").await;
    assert_eq!(r.json["interval"], 1, "the advertised interval");
    let oob = r.s("oob_code");
    emu.poll_oob("0oa-slow-down", &oob).await.expect(400, "authorization_pending");
    emu.advance(2).await; // past the advertised 1 s, inside the enforced 5 s
    emu.poll_oob("0oa-slow-down", &oob).await.expect(400, "slow_down");
    emu.advance(5).await;
    emu.poll_oob("0oa-slow-down", &oob).await.expect(400, "authorization_pending");
}

#[tokio::test]
async fn transaction_consistency() {
    let emu = Emu::start().await;
    let login = "mfa.otp@example.com";
    let mfa_token = emu.mfa_token(CLIENT, login).await;
    let code = emu.totp(login).await;
    let base = [("grant_type", G_MFA_OTP), ("mfa_token", mfa_token.as_str()), ("otp", code.as_str())];
    let with = |extra: &[(&'static str, &'static str)]| {
        let mut f: Vec<(&str, &str)> = base.to_vec();
        f.extend_from_slice(extra);
        f
    };
    let r = emu.token(&with(&[("client_id", CLIENT), ("scope", "openid")])).await;
    r.expect(400, "invalid_scope");
    assert!(r.desc().starts_with("The requested scopes 'openid' do not match the scopes requested in the original request"));
    let r = emu.token(&with(&[("client_id", SHORT)])).await;
    r.expect(401, "invalid_client");
    assert!(r.desc().contains("does not match the client_id in the original request"));
    let r = emu.post("/oauth2/v1/token", &with(&[("client_id", CLIENT)])).await;
    r.expect(400, "invalid_request");
    assert!(r.desc().contains("authorization server id"));
    let r = emu.token(&with(&[("client_id", CLIENT), ("acr_values", "urn:okta:loa:2fa:any")])).await;
    r.expect(400, "invalid_request");
    assert!(r.desc().starts_with("The acr_values"));
    emu.token(&with(&[("client_id", CLIENT), ("mfa_token", "")])).await.expect(400, "invalid_request");
    // None of those spent the code or the token: the consistent request works.
    let ok = emu.token(&with(&[("client_id", CLIENT), ("scope", "offline_access email profile openid")])).await;
    assert_eq!(ok.status, 200, "{}", ok.text);

    // An oob_code of another mfa_token.
    let phone = "mfa.phone@example.com";
    let a = emu.mfa_token(CLIENT, phone).await;
    let b = emu.mfa_token(CLIENT, phone).await;
    let ch = emu.challenge(CLIENT, &a, G_MFA_OOB, Some("sms")).await;
    let sms = emu.last_code(phone).await;
    let r = emu
        .token(&[
            ("client_id", CLIENT),
            ("grant_type", G_MFA_OOB),
            ("mfa_token", &b),
            ("oob_code", &ch.s("oob_code")),
            ("binding_code", &sms),
        ])
        .await;
    r.expect(400, "invalid_request");
    assert_eq!(
        r.desc(),
        "The 'oob_code' and the 'mfa_token' provided are not associated with each other. Review the values and try again."
    );
    // An MFA oob_code is not a primary one.
    emu.token(&[("client_id", CLIENT), ("grant_type", G_OOB), ("oob_code", &ch.s("oob_code")), ("binding_code", &sms), ("scope", SCOPE)])
        .await
        .expect(400, "invalid_grant");
    // Replaying a spent oob_code.
    let form = [
        ("client_id", CLIENT),
        ("grant_type", G_MFA_OOB),
        ("mfa_token", a.as_str()),
        ("oob_code", &ch.s("oob_code")),
        ("binding_code", &sms),
    ];
    assert_eq!(emu.token(&form).await.status, 200);
    emu.token(&form).await.expect(400, "invalid_grant");
    // Primary oob: scope fixed by the first poll.
    let oob = emu.primary(CLIENT, "push.only@example.com", "push").await.s("oob_code");
    emu.poll_oob(CLIENT, &oob).await.expect(400, "authorization_pending");
    emu.advance(5).await;
    emu.token(&[("client_id", CLIENT), ("grant_type", G_OOB), ("oob_code", &oob), ("scope", "openid")]).await.expect(400, "invalid_scope");
    emu.advance(5).await;
    emu.token(&[("client_id", SHORT), ("grant_type", G_OOB), ("oob_code", &oob), ("scope", SCOPE)]).await.expect(401, "invalid_client");
}

#[tokio::test]
async fn second_factor_must_differ_and_be_enrolled() {
    let emu = Emu::start().await;
    let login = "alex@example.com";
    let code = emu.totp(login).await;
    let r = emu.token(&[("client_id", CLIENT), ("grant_type", G_OTP), ("login_hint", login), ("otp", &code), ("scope", "openid")]).await;
    r.expect(403, "mfa_required");
    let mfa_token = r.s("mfa_token");
    emu.advance(30).await;
    let code = emu.totp(login).await;
    emu.token(&[("client_id", CLIENT), ("grant_type", G_MFA_OTP), ("mfa_token", &mfa_token), ("otp", &code)])
        .await
        .expect(403, "access_denied");
    emu.challenge(CLIENT, &mfa_token, G_MFA_OTP, None).await.expect(403, "access_denied");
    let ch = emu.challenge(CLIENT, &mfa_token, &format!("{G_MFA_OTP} {G_MFA_OOB}"), Some("sms")).await;
    assert_eq!(ch.json["channel"], "sms", "{}", ch.text);

    let push_user = emu.mfa_token(CLIENT, "mfa.push@example.com").await;
    emu.challenge(CLIENT, &push_user, G_MFA_OTP, None).await.expect(403, "access_denied");
    emu.challenge(CLIENT, &push_user, G_MFA_OOB, None).await.expect(400, "invalid_request");
    emu.challenge(CLIENT, &push_user, "urn:example:nope", None).await.expect(400, "invalid_request");
    emu.challenge(CLIENT, &push_user, G_MFA_OOB, Some("fax")).await.expect(400, "invalid_request");
    emu.challenge(CLIENT, "not-a-token", G_MFA_OOB, Some("push")).await.expect(400, "invalid_grant");
    // grant_types_supported that cannot finish MFA.
    let r = emu
        .token(&[
            ("client_id", CLIENT),
            ("grant_type", G_PASSWORD),
            ("username", "mfa.push@example.com"),
            ("password", PASSWORD),
            ("scope", "openid"),
            ("grant_types_supported", "password"),
        ])
        .await;
    r.expect(403, "access_denied");
    emu.token(&[
        ("client_id", CLIENT),
        ("grant_type", G_PASSWORD),
        ("username", "mfa.push@example.com"),
        ("password", PASSWORD),
        ("scope", "openid"),
        ("grant_types_supported", "password urn:example:bad"),
    ])
    .await
    .expect(400, "invalid_request");
}

#[tokio::test]
async fn rate_limit_answers_429_with_headers() {
    let emu = Emu::start_with(|c| c.rate_limit_per_minute = 3).await;
    for i in 0..3 {
        let r = emu.password(CLIENT, "password.only@example.com").await;
        assert_eq!(r.status, 200);
        assert_eq!(r.header("x-rate-limit-limit"), Some("3"));
        assert_eq!(r.header("x-rate-limit-remaining"), Some((2 - i).to_string().as_str()));
    }
    let r = emu.password(CLIENT, "password.only@example.com").await;
    r.expect(429, "invalid_grant");
    assert_eq!(r.desc(), "API call exceeded rate limit due to too many requests.");
    assert_eq!(r.header("x-rate-limit-remaining"), Some("0"));
    let reset: i64 = r.header("x-rate-limit-reset").unwrap().parse().unwrap();
    assert!(reset > 0);
    // Another user is not affected; the next minute is fresh.
    assert_eq!(emu.password(CLIENT, "mfa.otp@example.com").await.status, 403);
    emu.advance(60).await;
    assert_eq!(emu.password(CLIENT, "password.only@example.com").await.status, 200);
}

#[tokio::test]
async fn cors_for_trusted_and_untrusted_origins() {
    // The permissive emulator the page-level suites use: browser grants served, CORS on every endpoint.
    let permissive = |c: &mut okta_emulator::Config| {
        c.allow_browser_grants = true;
        c.cors_direct_auth_endpoints = true;
    };
    let emu = Emu::start_with(|c| {
        permissive(c);
        c.trusted_origins = vec!["http://app.example".into()];
    })
    .await;
    let token = emu.url(&format!("{DA}/token"));
    let pre = emu
        .http
        .request(reqwest::Method::OPTIONS, &token)
        .header("Origin", "http://app.example")
        .header("Access-Control-Request-Method", "POST")
        .header("Access-Control-Request-Headers", "content-type")
        .send()
        .await
        .unwrap();
    assert_eq!(pre.status(), 200);
    let h = pre.headers();
    assert_eq!(h["access-control-allow-origin"], "http://app.example");
    assert_eq!(h["access-control-allow-methods"], "GET, POST, OPTIONS");
    assert_eq!(h["access-control-allow-headers"], "Accept, Content-Type, Authorization, X-Okta-User-Agent-Extended");
    assert_eq!(h["vary"], "Origin");

    let simple = emu
        .http
        .post(&token)
        .header("Origin", "http://app.example")
        .form(&[
            ("client_id", CLIENT),
            ("grant_type", G_PASSWORD),
            ("username", "mfa.otp@example.com"),
            ("password", PASSWORD),
            ("scope", "openid"),
        ])
        .send()
        .await
        .unwrap();
    let r = to_resp(simple).await;
    r.expect(403, "mfa_required");
    assert_eq!(r.header("access-control-allow-origin"), Some("http://app.example"));
    assert_eq!(r.header("vary"), Some("Origin"));
    assert!(r.header("access-control-expose-headers").unwrap().contains("X-Rate-Limit-Remaining"));

    let bad_pre = emu
        .http
        .request(reqwest::Method::OPTIONS, &token)
        .header("Origin", "http://evil.example")
        .header("Access-Control-Request-Method", "POST")
        .send()
        .await
        .unwrap();
    assert_eq!(bad_pre.status(), 403);
    assert!(bad_pre.headers().get("access-control-allow-origin").is_none());
    let bad =
        to_resp(emu.http.post(&token).header("Origin", "http://evil.example").form(&[("client_id", CLIENT)]).send().await.unwrap()).await;
    assert_eq!(bad.status, 403);
    assert!(bad.json["errorCode"].is_string());
    assert!(bad.header("access-control-allow-origin").is_none());
    // No Origin: served.
    emu.password(CLIENT, "mfa.otp@example.com").await.expect(403, "mfa_required");
    // The emulator API answers any origin with `*`.
    let api = emu.http.get(emu.url("/__emulator/users")).header("Origin", "http://evil.example").send().await.unwrap();
    assert_eq!(api.status(), 200);
    assert_eq!(api.headers()["access-control-allow-origin"], "*");
    let api_pre = emu
        .http
        .request(reqwest::Method::OPTIONS, emu.url("/__emulator/push/x/approve"))
        .header("Origin", "http://evil.example")
        .header("Access-Control-Request-Method", "POST")
        .send()
        .await
        .unwrap();
    assert!(api_pre.status().is_success());
    assert_eq!(api_pre.headers()["access-control-allow-origin"], "*");

    let any = Emu::start_with(|c| {
        permissive(c);
        c.trusted_origins = vec!["*".into()];
    })
    .await;
    let r = any.http.get(any.url(&format!("{DA}/keys"))).header("Origin", "http://whatever.example").send().await.unwrap();
    assert_eq!(r.headers()["access-control-allow-origin"], "http://whatever.example");
}

#[tokio::test]
async fn browser_rules_are_the_default_and_no_emulator_api() {
    let emu = Emu::start_with(|c| {
        c.emulator_api = false;
        c.trusted_origins = vec!["http://app.example".into()];
    })
    .await;
    let r = to_resp(
        emu.http
            .post(emu.url(&format!("{DA}/token")))
            .header("Origin", "http://app.example")
            .form(&[
                ("client_id", CLIENT),
                ("grant_type", G_PASSWORD),
                ("username", "password.only@example.com"),
                ("password", PASSWORD),
                ("scope", "openid"),
            ])
            .send()
            .await
            .unwrap(),
    )
    .await;
    r.expect(400, "unauthorized_client");
    assert_eq!(r.desc(), "Browser requests to the token endpoint may only use the authorization_code grant_type.");
    assert_eq!(r.header("access-control-allow-origin"), Some("http://app.example"));
    assert_eq!(emu.password(CLIENT, "password.only@example.com").await.status, 200, "no Origin, no browser rules");
    assert_eq!(emu.get("/__emulator/users").await.status, 404);
    assert_eq!(emu.post("/__emulator/reset", &[]).await.status, 404);
}

async fn add_fault(emu: &Emu, fault: serde_json::Value) {
    let r = emu.post_json("/__emulator/faults", &fault).await;
    assert_eq!(r.status, 200, "{}", r.text);
}

#[tokio::test]
async fn fault_modes() {
    let emu = Emu::start_with(|c| c.slow_ms = 300).await;
    let login = "password.only@example.com";

    add_fault(&emu, json!({ "mode": "server_error", "count": 2, "path": "/token" })).await;
    // Another path is not affected.
    assert_eq!(emu.get(&format!("{DA}/keys")).await.status, 200);
    for _ in 0..2 {
        let r = emu.password(CLIENT, login).await;
        assert_eq!(r.status, 500);
        assert_eq!(r.json["errorCode"], "E0000009");
        assert_eq!(r.header("content-type"), Some("application/json"));
    }
    assert_eq!(emu.password(CLIENT, login).await.status, 200);

    add_fault(&emu, json!({ "mode": "html" })).await;
    let r = emu.password(CLIENT, login).await;
    assert_eq!(r.status, 502);
    assert_eq!(r.header("content-type"), Some("text/html"));
    assert!(r.text.contains("502 Bad Gateway"));

    add_fault(&emu, json!({ "mode": "truncated_json", "count": 1 })).await;
    let r = emu.password(CLIENT, login).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.header("content-type"), Some("application/json"));
    assert!(serde_json::from_str::<serde_json::Value>(&r.text).is_err());

    add_fault(&emu, json!({ "mode": "slow", "count": 1 })).await;
    let t = Instant::now();
    assert_eq!(emu.password(CLIENT, login).await.status, 200);
    assert!(t.elapsed() >= Duration::from_millis(300));

    add_fault(&emu, json!({ "mode": "drop", "count": 1 })).await;
    let dropped = emu.http.post(emu.url(&format!("{DA}/token"))).form(&[("client_id", CLIENT)]).send().await;
    assert!(dropped.is_err(), "connection closed without a response: {dropped:?}");
    assert_eq!(emu.password(CLIENT, login).await.status, 200, "serving after a drop");

    add_fault(&emu, json!({ "mode": "rate_limit", "count": 1 })).await;
    let r = emu.password(CLIENT, login).await;
    r.expect(429, "invalid_grant");
    assert_eq!(r.header("x-rate-limit-remaining"), Some("0"));
    assert!(r.header("x-rate-limit-limit").is_some() && r.header("x-rate-limit-reset").is_some());
    let reset = |r: &common::Resp| -> i64 { r.header("x-rate-limit-reset").and_then(|v| v.parse().ok()).expect("x-rate-limit-reset") };
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64;
    assert!((now + 59..=now + 61).contains(&reset(&r)), "a minute's window by default");
    add_fault(&emu, json!({ "mode": "rate_limit", "count": 2, "resetInSeconds": 3 })).await;
    for _ in 0..2 {
        let r = emu.password(CLIENT, login).await;
        r.expect(429, "invalid_grant");
        assert!((now + 2..=now + 5).contains(&reset(&r)), "resetInSeconds sets the reset");
    }

    // clientId filter.
    add_fault(&emu, json!({ "mode": "server_error", "count": 1, "clientId": SHORT })).await;
    assert_eq!(emu.password(CLIENT, login).await.status, 200);
    assert_eq!(emu.password(SHORT, login).await.status, 500);
    assert_eq!(emu.password(SHORT, login).await.status, 200);

    // Bad fault requests; reset clears queued faults.
    assert_eq!(emu.post_json("/__emulator/faults", &json!({ "mode": "explode" })).await.status, 400);
    add_fault(&emu, json!({ "mode": "server_error", "count": 5 })).await;
    emu.post("/__emulator/reset", &[]).await;
    assert_eq!(emu.password(CLIENT, login).await.status, 200);
    let log = emu.get("/__emulator/requests").await;
    assert_eq!(log.json["requests"].as_array().unwrap().len(), 1);
}
