//! Rate limits per client IP and per username / login_hint, on top of Okta's; and the logs.

mod support;
use support::*;

#[tokio::test]
async fn per_username_limit_stops_password_guessing_and_push_bombing() {
    let emu = emulator().await;
    let mut c = config(&emu.base);
    c.rate_limit.per_username_per_minute = 2;
    let p = proxy(c).await;
    let token = p.url("/okta/oauth2/default/v1/token");
    for _ in 0..2 {
        let r = post(&token, &password_form("password.only@example.com", "openid"), &[]).await;
        assert_eq!(r.status, 200, "{}", r.text);
    }
    // Case and blanks do not make a new username.
    let r = post(&token, &password_form(" Password.Only@Example.com", "openid"), &[]).await;
    r.refused(429, "temporarily_unavailable", "rate_limited_username");
    let retry: u64 = r.header("retry-after").unwrap().parse().unwrap();
    assert!((1..=60).contains(&retry), "Retry-After {retry}");
    // login_hint counts the same way (push bombing through /primary-authenticate).
    let push = [
        ("client_id", CLIENT),
        ("login_hint", "push.only@example.com"),
        ("channel_hint", "push"),
        ("challenge_hint", "urn:okta:params:oauth:grant-type:oob"),
    ];
    let primary = p.url("/okta/oauth2/default/v1/primary-authenticate");
    assert_eq!(post(&primary, &push, &[]).await.status, 200);
    assert_eq!(post(&primary, &push, &[]).await.status, 200);
    post(&primary, &push, &[]).await.refused(429, "temporarily_unavailable", "rate_limited_username");
    // Another user is not affected.
    assert_eq!(post(&token, &password_form("mfa.otp@example.com", "openid"), &[]).await.status, 403);
    let reached = emu.seen().await.len();
    assert_eq!(reached, 5, "the refused attempts never reached Okta");
}

#[tokio::test]
async fn per_ip_limit_counts_every_request() {
    let emu = emulator().await;
    let mut c = config(&emu.base);
    c.rate_limit.per_ip_per_minute = 3;
    let p = proxy(c).await;
    let keys = p.url("/okta/oauth2/default/v1/keys");
    for _ in 0..3 {
        assert_eq!(get(&keys, &[]).await.status, 200);
    }
    let r = get(&keys, &[]).await;
    r.refused(429, "temporarily_unavailable", "rate_limited_ip");
    assert_eq!(r.header("retry-after"), Some("20"), "3 a minute: one more in 20 s");
    post(&p.url("/okta/oauth2/default/v1/token"), &password_form("password.only@example.com", "openid"), &[]).await.refused(
        429,
        "temporarily_unavailable",
        "rate_limited_ip",
    );
    assert_eq!(emu.seen().await.len(), 3);
}

#[tokio::test]
async fn log_lines_say_what_happened_without_secrets() {
    let emu = emulator().await;
    let mut c = config(&emu.base);
    c.custody.enabled = true;
    c.custody.key = Some(okta_direct_auth_proxy::secret::Secret::new(CUSTODY_KEY));
    let p = proxy(c).await;
    let r = post(&p.url("/okta/oauth2/default/v1/token"), &password_form("password.only@example.com", "openid offline_access"), &[]).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let cookie = r.cookie_value("__Secure-oda-refresh").unwrap();
    let access = r.json["access_token"].as_str().unwrap().to_owned();
    let id = r.json["id_token"].as_str().unwrap().to_owned();
    let refreshed = post(
        &p.url("/okta/oauth2/default/v1/token"),
        &[("client_id", CLIENT), ("grant_type", "refresh_token")],
        &[("Cookie", &format!("__Secure-oda-refresh={cookie}"))],
    )
    .await;
    assert_eq!(refreshed.status, 200, "{}", refreshed.text);
    let otp = emu.totp("otp.only@example.com").await;
    post(
        &p.url("/okta/oauth2/default/v1/token"),
        &[("client_id", CLIENT), ("grant_type", G_OTP), ("login_hint", "otp.only@example.com"), ("otp", &otp), ("scope", "openid")],
        &[],
    )
    .await;
    post(&p.url("/okta/oauth2/default/v1/token"), &[("client_id", CLIENT)], &[("Origin", "https://evil.example")]).await;
    let lines = p.log_lines();
    assert_eq!(lines.len(), 4, "one line per request: {lines:?}");
    for line in &lines {
        assert!(!line.contains('\n'));
        let v: serde_json::Value = serde_json::from_str(line).expect("each line is JSON");
        assert!(v["status"].is_u64() && v["duration_ms"].is_u64() && v["client_ip"].is_string());
        for secret in [PASSWORD, access.as_str(), id.as_str(), cookie.as_str(), otp.as_str()] {
            assert!(!line.contains(secret), "a secret in the log: {line}");
        }
        assert!(!line.contains("password.only@example.com"), "no usernames either: {line}");
    }
    let first: serde_json::Value = serde_json::from_str(&lines[0]).unwrap();
    assert_eq!(first["grant_type"], "password");
    assert_eq!(first["client_id"], CLIENT);
    assert_eq!(first["endpoint"], "token");
    assert_eq!(first["auth_server"], "default");
    assert_eq!(first["upstream_status"], 200);
    assert_eq!(first["custody"], "proxy");
    let refused: serde_json::Value = serde_json::from_str(&lines[3]).unwrap();
    assert_eq!((refused["status"].as_u64(), refused["reason"].as_str()), (Some(403), Some("origin_not_allowed")));
}

#[tokio::test]
async fn healthz_answers() {
    let emu = emulator().await;
    let p = proxy(config(&emu.base)).await;
    let r = get(&p.url("/okta/healthz"), &[]).await;
    assert_eq!((r.status, r.json["status"].as_str()), (200, Some("ok")));
}
