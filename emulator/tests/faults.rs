//! The fault modes added for hardening: `redirect` (and the sink that records what a followed
//! redirect re-sent), `oauth_server_error` and `temporarily_unavailable`.

mod common;
use common::*;
use serde_json::{json, Value};

async fn add_fault(emu: &Emu, fault: Value) -> Resp {
    emu.post_json("/__emulator/faults", &fault).await
}

fn password_form() -> [(&'static str, &'static str); 5] {
    [
        ("client_id", CLIENT),
        ("grant_type", G_PASSWORD),
        ("username", "password.only@example.com"),
        ("password", PASSWORD),
        ("scope", "openid"),
    ]
}

async fn hits(emu: &Emu) -> Vec<Value> {
    emu.get("/__emulator/redirect-sink/hits").await.json["hits"].as_array().cloned().unwrap_or_default()
}

#[tokio::test]
async fn redirect_fault_points_at_the_sink_which_records_what_arrives() {
    let emu = Emu::start().await;
    let manual = reqwest::Client::builder().no_proxy().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let token = emu.url(&format!("{DA}/token"));

    assert_eq!(add_fault(&emu, json!({ "mode": "redirect", "path": "/token" })).await.status, 200);
    let r = to_resp(manual.post(&token).form(&password_form()).send().await.unwrap()).await;
    assert_eq!(r.status, 307);
    assert_eq!(r.header("location"), Some(format!("{}/__emulator/redirect-sink", emu.base).as_str()));
    assert!(r.text.is_empty());
    assert!(hits(&emu).await.is_empty(), "not following the redirect sends nothing");
    let logged = emu.get("/__emulator/requests").await.json["requests"].as_array().unwrap().last().cloned().unwrap();
    assert_eq!(logged["error"], "fault:redirect");

    // A client that follows a 308 re-sends the password: the sink sees a form body arrive.
    add_fault(&emu, json!({ "mode": "redirect", "status": 308, "path": "/token" })).await;
    let followed = emu.token(&password_form()).await;
    assert_eq!(followed.status, 200);
    assert_eq!(followed.json, json!({ "received": true }));
    let h = hits(&emu).await;
    assert_eq!(h.len(), 1);
    assert_eq!(h[0]["method"], "POST");
    assert_eq!(h[0]["path"], "/__emulator/redirect-sink");
    assert_eq!(h[0]["contentType"], "application/x-www-form-urlencoded");
    assert!(h[0]["bodyBytes"].as_u64().unwrap() > 0);
    assert!(!h[0].to_string().contains(PASSWORD), "the sink never keeps the body");

    // The fault is spent; a chosen Location is used as given.
    emu.token(&password_form()).await.expect(200, "");
    add_fault(&emu, json!({ "mode": "redirect", "status": 302, "location": "http://127.0.0.1:9/elsewhere" })).await;
    let r = to_resp(manual.post(&token).form(&password_form()).send().await.unwrap()).await;
    assert_eq!((r.status, r.header("location")), (302, Some("http://127.0.0.1:9/elsewhere")));

    // Reset forgets the hits.
    emu.post("/__emulator/reset", &[]).await;
    assert!(hits(&emu).await.is_empty());
}

#[tokio::test]
async fn oauth_form_transient_errors() {
    let emu = Emu::start().await;
    add_fault(&emu, json!({ "mode": "oauth_server_error", "path": "/token" })).await;
    let r = emu.token(&password_form()).await;
    r.expect(500, "server_error");
    assert_eq!(r.desc(), "The authorization server encountered an unexpected condition that prevented it from fulfilling the request.");
    assert_eq!(r.header("content-type"), Some("application/json"));

    add_fault(&emu, json!({ "mode": "temporarily_unavailable", "path": "/token", "count": 2 })).await;
    let r = emu.token(&password_form()).await;
    r.expect(503, "temporarily_unavailable");
    assert_eq!(
        r.desc(),
        "The authorization server is currently unable to handle the request due to a temporary overloading or maintenance of the server."
    );
    emu.token(&password_form()).await.expect(503, "temporarily_unavailable");
    emu.token(&password_form()).await.expect(200, "");

    // As a 4xx, the status Okta's catalogue lists for temporarily_unavailable.
    add_fault(&emu, json!({ "mode": "temporarily_unavailable", "status": 400 })).await;
    emu.token(&password_form()).await.expect(400, "temporarily_unavailable");
    add_fault(&emu, json!({ "mode": "oauth_server_error", "status": 400 })).await;
    emu.token(&password_form()).await.expect(400, "server_error");

    // During a push wait: the poll fails, the transaction lives on.
    let oob = emu.primary(CLIENT, "push.only@example.com", "push").await.s("oob_code");
    add_fault(&emu, json!({ "mode": "temporarily_unavailable", "path": "/token" })).await;
    emu.poll_oob(CLIENT, &oob).await.expect(503, "temporarily_unavailable");
    emu.poll_oob(CLIENT, &oob).await.expect(400, "authorization_pending");
}

#[tokio::test]
async fn fault_status_and_location_are_checked() {
    let emu = Emu::start().await;
    for bad in [
        json!({ "mode": "redirect", "status": 200 }),
        json!({ "mode": "redirect", "status": 304 }),
        json!({ "mode": "temporarily_unavailable", "status": 302 }),
        json!({ "mode": "oauth_server_error", "status": 600 }),
        json!({ "mode": "html", "status": 500 }),
        json!({ "mode": "server_error", "location": "/x" }),
        json!({ "mode": "redirect", "location": "bad\nvalue" }),
    ] {
        let r = add_fault(&emu, bad.clone()).await;
        assert_eq!(r.status, 400, "{bad}: {}", r.text);
        assert_eq!(r.json["errorCode"], "E0000001");
    }
    assert!(emu.get("/__emulator/faults").await.json.as_array().unwrap().is_empty());
}
