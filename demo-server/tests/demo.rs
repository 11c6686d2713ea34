//! The demo server: files with the content types browsers insist on, the page's config, and
//! the real proxy at /okta (moved here from the emulator, where it was an open relay).

use serde_json::Value;

#[tokio::test]
async fn serves_files_config_and_the_proxy_for_its_own_origin_only() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let config = okta_emulator::Config { log_requests: false, ..Default::default() };
    let emu = okta_emulator::start(listener, config).await.unwrap();
    let dir = std::env::temp_dir().join(format!("okta-demo-server-test-{}", std::process::id()));
    let www = dir.join("www");
    let pkg = dir.join("pkg");
    std::fs::create_dir_all(&www).unwrap();
    std::fs::create_dir_all(&pkg).unwrap();
    std::fs::write(www.join("index.html"), "<!doctype html><title>demo</title>").unwrap();
    std::fs::write(pkg.join("a.wasm"), b"\0asm\x01\0\0\0").unwrap();
    std::fs::write(pkg.join("a.js"), "export {}").unwrap();
    std::fs::write(pkg.join("a.mjs"), "export {}").unwrap();

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let cfg = okta_demo_server::DemoConfig { www, pkg, emulator: emu.base_url.clone(), port: addr.port(), custody: false };
    tokio::spawn(okta_demo_server::serve(listener, cfg, std::future::pending()));
    let base = format!("http://{addr}");
    let http = reqwest::Client::builder().no_proxy().build().unwrap();

    let index = http.get(format!("{base}/")).send().await.unwrap();
    assert_eq!(index.status(), 200);
    assert!(index.text().await.unwrap().contains("demo"));
    for (file, ct) in [("a.wasm", "application/wasm"), ("a.js", "text/javascript"), ("a.mjs", "text/javascript")] {
        let r = http.get(format!("{base}/pkg/{file}")).send().await.unwrap();
        assert_eq!(r.status(), 200, "{file}");
        assert_eq!(r.headers()["content-type"], ct, "{file}");
    }
    let cfg: Value = http.get(format!("{base}/demo-config.json")).send().await.unwrap().json().await.unwrap();
    assert_eq!(cfg["emulator"], emu.base_url);
    assert_eq!(cfg["issuer"], format!("{}/oauth2/default", emu.base_url));
    assert_eq!(cfg["clientId"], "0oa-demo-spa");
    assert_eq!(cfg["proxyIssuerPath"], "/okta/oauth2/default");
    assert_eq!(cfg["proxyCustody"], false);

    let form = [
        ("client_id", "0oa-demo-spa"),
        ("grant_type", "password"),
        ("username", "mfa.otp@example.com"),
        ("password", "Demo-Passw0rd"),
        ("scope", "openid"),
    ];
    let token = format!("{base}/okta/oauth2/default/v1/token");
    // The page's own origins pass (both spellings of loopback); Okta's answer comes back.
    for origin in [format!("http://127.0.0.1:{}", addr.port()), format!("http://localhost:{}", addr.port())] {
        let r = http.post(&token).header("Origin", origin).form(&form).send().await.unwrap();
        assert_eq!(r.status(), 403);
        let body: Value = r.json().await.unwrap();
        assert_eq!(body["error"], "mfa_required");
    }
    // Another site is refused by the proxy (the old relay forwarded it).
    let r = http.post(&token).header("Origin", "http://elsewhere.example").form(&form).send().await.unwrap();
    assert_eq!(r.status(), 403);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["proxy_reason"], "origin_not_allowed");
    // The relay forwarded any path; the proxy only the direct-auth surface.
    let r = http.get(format!("{base}/okta/__emulator/users")).send().await.unwrap();
    assert_eq!(r.status(), 404);
    let keys = http.get(format!("{base}/okta/oauth2/default/v1/keys")).send().await.unwrap();
    assert_eq!(keys.status(), 200);
    let _ = std::fs::remove_dir_all(&dir);
}
