//! Only the direct-authentication surface of the configured servers, clients and grants
//! passes, only from the app's own origin, only with the right method; and what passes
//! reaches Okta and comes back as Okta sent it.

mod support;
use support::*;

#[tokio::test]
async fn the_surface_maps_onto_the_issuer_path() {
    let emu = emulator().await;
    let p = proxy(config(&emu.base)).await;
    // Discovery and keys: same documents as from Okta directly.
    for path in ["/oauth2/default/.well-known/openid-configuration", "/.well-known/openid-configuration", "/oauth2/default/v1/keys"] {
        let via = get(&p.url(&format!("/okta{path}")), &[]).await;
        let direct = get(&format!("{}{path}", emu.base), &[]).await;
        assert_eq!(via.status, 200, "{path}: {}", via.text);
        assert_eq!(via.json, direct.json, "{path}");
        assert_eq!(via.header("content-type"), Some("application/json"));
    }
    let keys = get(&p.url("/okta/oauth2/default/v1/keys?client_id=0oa-demo-spa"), &[]).await;
    assert_eq!(keys.status, 200);
    assert!(keys.header("cache-control").is_some_and(|c| c.contains("max-age")), "Okta's caching headers pass");
    // A grant through the proxy: Okta's answer as Okta sent it.
    let r = post(&p.url("/okta/oauth2/default/v1/token"), &password_form("mfa.otp@example.com", "openid"), &[]).await;
    assert_eq!((r.status, r.json["error"].as_str()), (403, Some("mfa_required")), "{}", r.text);
    assert!(r.json["mfa_token"].is_string());
    let org = post(&p.url("/okta/oauth2/v1/token"), &password_form("password.only@example.com", "openid"), &[]).await;
    assert_eq!(org.status, 200, "{}", org.text);
    assert!(org.json["access_token"].is_string());
    let primary = post(
        &p.url("/okta/oauth2/default/v1/primary-authenticate"),
        &[
            ("client_id", CLIENT),
            ("login_hint", "push.only@example.com"),
            ("channel_hint", "push"),
            ("challenge_hint", "urn:okta:params:oauth:grant-type:oob"),
        ],
        &[],
    )
    .await;
    assert_eq!(primary.status, 200, "{}", primary.text);
    assert!(primary.json["oob_code"].is_string());
}

#[tokio::test]
async fn everything_else_is_not_found() {
    let emu = emulator().await;
    let p = proxy(config(&emu.base)).await;
    for path in [
        "/okta",
        "/okta/",
        "/okta/oauth2/v1/introspect",
        "/okta/oauth2/v1/authorize",
        "/okta/oauth2/default/v1/logout",
        "/okta/api/v1/users",
        "/okta/__emulator/users",
        "/okta/oauth2/default/v1/../../../__emulator/users",
        "/okta/oauth2/default/v1/token/extra",
        "/okta/oauth2/.well-known/openid-configuration",
    ] {
        let r = get(&p.url(path), &[]).await;
        r.refused(404, "not_found", "path_not_allowed");
        let r = post(&p.url(path), &[("client_id", CLIENT)], &[]).await;
        assert_eq!(r.status, 404, "{path}");
    }
    assert!(emu.seen().await.is_empty(), "nothing reached Okta");
}

#[tokio::test]
async fn only_the_configured_servers_clients_and_grants_pass() {
    let emu = emulator().await;
    let p = proxy(config(&emu.base)).await;
    get(&p.url("/okta/oauth2/aus-demo-custom/v1/keys"), &[]).await.refused(403, "access_denied", "authorization_server_not_allowed");
    post(&p.url("/okta/oauth2/aus-demo-custom/v1/token"), &password_form("password.only@example.com", "openid"), &[]).await.refused(
        403,
        "access_denied",
        "authorization_server_not_allowed",
    );
    let token = p.url("/okta/oauth2/default/v1/token");
    let mut other_client = password_form("password.only@example.com", "openid");
    other_client[0].1 = "0oa-short-lived";
    post(&token, &other_client, &[]).await.refused(403, "access_denied", "client_not_allowed");
    post(&token, &other_client[1..], &[]).await.refused(400, "invalid_request", "client_id_missing");
    get(&p.url("/okta/oauth2/default/v1/keys?client_id=0oa-short-lived"), &[]).await.refused(403, "access_denied", "client_not_allowed");
    get(&p.url("/okta/oauth2/default/v1/keys?client_id=0oa-demo-spa&x=1"), &[]).await.refused(
        400,
        "invalid_request",
        "query_parameter_not_allowed",
    );
    let cc = [("client_id", CLIENT), ("grant_type", "client_credentials"), ("scope", "openid")];
    post(&token, &cc, &[]).await.refused(400, "unsupported_grant_type", "grant_type_not_allowed");
    let code = [("client_id", CLIENT), ("grant_type", "authorization_code"), ("code", "x")];
    post(&token, &code, &[]).await.refused(400, "unsupported_grant_type", "grant_type_not_allowed");
    post(&token, &[("client_id", CLIENT)], &[]).await.refused(400, "invalid_request", "grant_type_missing");
    // A grant can also be switched off in the configuration.
    let mut c = config(&emu.base);
    c.grant_types = Some(vec![G_OTP.into()]);
    let otp_only = proxy(c).await;
    post(&otp_only.url("/okta/oauth2/default/v1/token"), &password_form("password.only@example.com", "openid"), &[]).await.refused(
        400,
        "unsupported_grant_type",
        "grant_type_not_allowed",
    );
    // Parameter pollution and client credentials from the browser.
    let dup = [("client_id", CLIENT), ("client_id", "0oa-short-lived"), ("grant_type", G_PASSWORD)];
    post(&token, &dup, &[]).await.refused(400, "invalid_request", "duplicate_parameter");
    let mut secret = password_form("password.only@example.com", "openid");
    secret.push(("client_secret", "x"));
    post(&token, &secret, &[]).await.refused(400, "invalid_request", "client_credentials_not_accepted");
    assert!(emu.seen().await.is_empty(), "no refused request reached Okta: {:?}", emu.seen().await);
}

#[tokio::test]
async fn methods_are_post_for_forms_and_get_for_documents() {
    let emu = emulator().await;
    let p = proxy(config(&emu.base)).await;
    let r = get(&p.url("/okta/oauth2/default/v1/token"), &[]).await;
    r.refused(405, "invalid_request", "method_not_allowed");
    assert_eq!(r.header("allow"), Some("POST"));
    let r = post(&p.url("/okta/oauth2/default/v1/keys"), &[("client_id", CLIENT)], &[]).await;
    r.refused(405, "invalid_request", "method_not_allowed");
    assert_eq!(r.header("allow"), Some("GET"));
    for method in ["PUT", "DELETE", "OPTIONS", "PATCH"] {
        let r = read(
            http()
                .request(reqwest::Method::from_bytes(method.as_bytes()).unwrap(), p.url("/okta/oauth2/default/v1/token"))
                .header("Origin", APP)
                .header("Access-Control-Request-Method", "POST")
                .send()
                .await
                .unwrap(),
        )
        .await;
        assert_eq!(r.status, 405, "{method}");
        assert!(r.header("access-control-allow-origin").is_none(), "no CORS, preflight included");
    }
    // A form endpoint wants a form.
    let r = read(
        http()
            .post(p.url("/okta/oauth2/default/v1/token"))
            .header("Origin", APP)
            .header("Content-Type", "application/json")
            .body(r#"{"client_id":"0oa-demo-spa"}"#)
            .send()
            .await
            .unwrap(),
    )
    .await;
    r.refused(415, "invalid_request", "unsupported_content_type");
}

#[tokio::test]
async fn cross_site_callers_are_refused() {
    let emu = emulator().await;
    let p = proxy(config(&emu.base)).await;
    let token = p.url("/okta/oauth2/default/v1/token");
    let form = password_form("password.only@example.com", "openid");
    let send = |origin: Option<&'static str>, site: Option<&'static str>| {
        let mut req = http().post(&token).form(&form);
        if let Some(o) = origin {
            req = req.header("Origin", o);
        }
        if let Some(s) = site {
            req = req.header("Sec-Fetch-Site", s);
        }
        async move { read(req.send().await.unwrap()).await }
    };
    send(None, None).await.refused(403, "access_denied", "origin_missing");
    send(Some("https://evil.example"), None).await.refused(403, "access_denied", "origin_not_allowed");
    send(Some("null"), None).await.refused(403, "access_denied", "origin_not_allowed");
    send(Some("http://app.example.test:8080"), None).await.refused(403, "access_denied", "origin_not_allowed");
    send(Some(APP), Some("cross-site")).await.refused(403, "access_denied", "cross_site_request");
    send(Some(APP), Some("same-site")).await.refused(403, "access_denied", "cross_site_request");
    send(Some(APP), Some("none")).await.refused(403, "access_denied", "cross_site_request");
    assert!(emu.seen().await.is_empty());
    // The app's own page: with and without Sec-Fetch-Site (older browsers).
    assert_eq!(send(Some(APP), Some("same-origin")).await.status, 200);
    assert_eq!(send(Some(APP), None).await.status, 200);
    // GETs: a same-origin GET carries no Origin; a foreign one is refused.
    let keys = p.url("/okta/oauth2/default/v1/keys");
    assert_eq!(get(&keys, &[]).await.status, 200);
    assert_eq!(get(&keys, &[("Sec-Fetch-Site", "same-origin")]).await.status, 200);
    assert_eq!(get(&keys, &[("Origin", APP)]).await.status, 200);
    get(&keys, &[("Origin", "https://evil.example")]).await.refused(403, "access_denied", "origin_not_allowed");
    get(&keys, &[("Sec-Fetch-Site", "cross-site")]).await.refused(403, "access_denied", "cross_site_request");
}
