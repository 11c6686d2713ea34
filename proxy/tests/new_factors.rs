//! What the newer factors send passes the allowlists unchanged: the email channel, passkeys
//! (the webauthn grants, `challenge_hint`, `challenge_types_supported` with mfa-webauthn) and
//! password recovery's MyAccount call (`PUT {mount}/idp/myaccount/password`: exact path, PUT
//! only, JSON within the cap, the caller's bearer token forwarded there and nowhere else).

mod support;
use support::*;

const G_WEBAUTHN: &str = "urn:okta:params:oauth:grant-type:webauthn";
const G_MFA_WEBAUTHN: &str = "urn:okta:params:oauth:grant-type:mfa-webauthn";
const MY_ACCOUNT: &str = "/okta/idp/myaccount/password";
const MY_ACCOUNT_ACCEPT: &str = "application/json; okta-version=1.0.0";

#[tokio::test]
async fn email_and_passkey_requests_pass_as_sent() {
    let up = recorder(|_| json_answer(400, r#"{"error":"invalid_grant","error_description":"x"}"#, &[])).await;
    let p = proxy(config(&up.base)).await;
    let base = "/okta/oauth2/default/v1";
    let sent: [(&str, Vec<(&str, &str)>); 6] = [
        (
            "primary-authenticate",
            vec![
                ("client_id", CLIENT),
                ("login_hint", "a@example.com"),
                ("channel_hint", "email"),
                ("challenge_hint", "urn:okta:params:oauth:grant-type:oob"),
            ],
        ),
        (
            "challenge",
            vec![
                ("client_id", CLIENT),
                ("mfa_token", "m"),
                ("challenge_types_supported", "http://auth0.com/oauth/grant-type/mfa-oob"),
                ("channel_hint", "email"),
            ],
        ),
        ("primary-authenticate", vec![("client_id", CLIENT), ("challenge_hint", G_WEBAUTHN), ("login_hint", "a@example.com")]),
        ("challenge", vec![("client_id", CLIENT), ("mfa_token", "m"), ("challenge_types_supported", G_MFA_WEBAUTHN)]),
        (
            "token",
            vec![
                ("grant_type", G_WEBAUTHN),
                ("client_id", CLIENT),
                ("scope", "openid"),
                ("clientDataJSON", "eyJ0eXBlIjoid2ViYXV0aG4uZ2V0In0"),
                ("authenticatorData", "SZYN5YgOjGh0NBcPZHZgW4_krrmihjLHmVzzuoMdl2MFAAAAAQ"),
                ("signature", "MEUCIQ"),
            ],
        ),
        ("token", vec![("grant_type", G_MFA_WEBAUTHN), ("client_id", CLIENT), ("mfa_token", "m"), ("signature", "MEUCIQ")]),
    ];
    for (endpoint, form) in &sent {
        let r = post(&p.url(&format!("{base}/{endpoint}")), form, &[]).await;
        assert!(r.json["proxy_reason"].is_null(), "{endpoint} refused by the proxy: {}", r.text);
        assert_eq!(r.status, 400, "Okta's answer comes back: {}", r.text);
    }
    let seen = up.requests();
    assert_eq!(seen.len(), sent.len());
    for (r, (endpoint, form)) in seen.iter().zip(&sent) {
        assert_eq!(r.uri, format!("/oauth2/default/v1/{endpoint}"));
        let expected: Vec<(String, String)> = form.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect();
        assert_eq!(r.form(), expected, "forwarded unchanged");
    }
}

async fn put_password(url: &str, body: &str, extra: &[(&str, &str)]) -> Resp {
    let site = extra.iter().find(|(k, _)| *k == "Sec-Fetch-Site").map_or("same-origin", |(_, v)| *v);
    let mut req = http()
        .put(url)
        .header("Origin", APP)
        .header("Sec-Fetch-Site", site)
        .header("Accept", MY_ACCOUNT_ACCEPT)
        .header("Content-Type", "application/json")
        .header("Authorization", "Bearer recovery-token")
        .body(body.to_owned());
    for (k, v) in extra.iter().filter(|(k, _)| *k != "Sec-Fetch-Site") {
        req = req.header(*k, *v);
    }
    read(req.send().await.unwrap()).await
}

#[tokio::test]
async fn my_account_password_replace_is_forwarded_with_its_bearer_token() {
    let up = recorder(|_| json_answer(200, r#"{"id":"00u1","status":"ACTIVE"}"#, &[])).await;
    let p = proxy(config(&up.base)).await;
    let body = r#"{"profile":{"password":"N3w-Passw0rd!"}}"#;
    let r = put_password(&p.url(MY_ACCOUNT), body, &[("Cookie", "sid=x")]).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let seen = up.requests();
    let put = &seen[0];
    assert_eq!((put.method.as_str(), put.uri.as_str()), ("PUT", "/idp/myaccount/password"), "on the org, not a server");
    assert_eq!(put.headers["authorization"], "Bearer recovery-token");
    assert_eq!(put.headers["accept"], MY_ACCOUNT_ACCEPT);
    assert_eq!(put.headers["content-type"], "application/json");
    assert!(put.headers.get("cookie").is_none() && put.headers.get("origin").is_none());
    assert_eq!(&put.body[..], body.as_bytes(), "the body arrives intact");
    assert!(!p.log_lines().iter().any(|l| l.contains("N3w-Passw0rd") || l.contains("recovery-token")), "no secret in the log");
}

#[tokio::test]
async fn my_account_password_rules() {
    let up = recorder(|_| json_answer(200, "{}", &[])).await;
    let p = proxy(config(&up.base)).await;
    let body = r#"{"profile":{"password":"N3w-Passw0rd!"}}"#;
    // Exact path only.
    for path in ["/okta/idp/myaccount/password/", "/okta/idp/myaccount/emails", "/okta/idp/myaccount", "/okta/api/v1/users/me/password"] {
        put_password(&p.url(path), body, &[]).await.refused(404, "not_found", "path_not_allowed");
    }
    // PUT only.
    let r = read(http().post(p.url(MY_ACCOUNT)).header("Origin", APP).body(body).send().await.unwrap()).await;
    r.refused(405, "invalid_request", "method_not_allowed");
    assert_eq!(r.header("allow"), Some("PUT"));
    // The origin rules of every write.
    let r = read(http().put(p.url(MY_ACCOUNT)).header("Content-Type", "application/json").body(body).send().await.unwrap()).await;
    r.refused(403, "access_denied", "origin_missing");
    put_password(&p.url(MY_ACCOUNT), body, &[("Sec-Fetch-Site", "cross-site")]).await.refused(403, "access_denied", "cross_site_request");
    // JSON of exactly that shape, within the cap.
    let r = read(
        http()
            .put(p.url(MY_ACCOUNT))
            .header("Origin", APP)
            .header("Content-Type", "application/x-www-form-urlencoded")
            .body("a=b")
            .send()
            .await
            .unwrap(),
    )
    .await;
    r.refused(415, "invalid_request", "unsupported_content_type");
    for bad in [
        "not json",
        r#"{"profile":{"password":5}}"#,
        r#"{"profile":{"password":"p","login":"other@example.com"}}"#,
        r#"{"profile":{"password":"p"},"credentials":{}}"#,
        r#"[]"#,
    ] {
        put_password(&p.url(MY_ACCOUNT), bad, &[]).await.refused(400, "invalid_request", "invalid_json_body");
    }
    let huge = format!(r#"{{"profile":{{"password":"{}"}}}}"#, "x".repeat(17 * 1024));
    put_password(&p.url(MY_ACCOUNT), &huge, &[]).await.refused(413, "invalid_request", "body_too_large");
    assert!(up.requests().is_empty(), "nothing refused reached Okta");
    // Switched off: not on the surface.
    let mut c = config(&up.base);
    c.my_account_password = false;
    let off = proxy(c).await;
    put_password(&off.url(MY_ACCOUNT), body, &[]).await.refused(404, "not_found", "path_not_allowed");
}

#[tokio::test]
async fn the_bearer_token_reaches_only_my_account_and_userinfo() {
    let up = recorder(|_| json_answer(200, "{}", &[])).await;
    let p = proxy(config(&up.base)).await;
    let auth = [("Authorization", "Bearer caller-token")];
    post(&p.url("/okta/oauth2/default/v1/revoke"), &[("client_id", CLIENT), ("token", "t")], &auth).await;
    post(&p.url("/okta/oauth2/default/v1/challenge"), &[("client_id", CLIENT), ("mfa_token", "m")], &auth).await;
    get(&p.url("/okta/oauth2/default/v1/keys"), &auth).await;
    put_password(&p.url(MY_ACCOUNT), r#"{"profile":{"password":"p"}}"#, &[]).await;
    let with_auth: Vec<String> = up.requests().iter().filter(|r| r.headers.get("authorization").is_some()).map(|r| r.uri.clone()).collect();
    assert_eq!(with_auth, ["/idp/myaccount/password"]);
}
