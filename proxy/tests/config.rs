//! The configuration: TOML and environment, checked at start with errors that say what to do;
//! and the binary, configured from the environment alone.

mod support;
use okta_direct_auth_proxy::ProxyConfig;

const BASE: &str = r#"
upstream = "https://example.okta.com"
authorization_servers = ["default"]
client_ids = ["0oa1"]
app_origins = ["https://app.example.com"]
custody.enabled = false
"#;

fn env(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect()
}

fn start_error(toml: &str, vars: &[(&str, &str)]) -> String {
    match ProxyConfig::from_toml_and_env(toml, env(vars)) {
        Err(e) => e.to_string(),
        Ok(c) => okta_direct_auth_proxy::router(c).err().map(|e| e.to_string()).unwrap_or_default(),
    }
}

#[test]
fn the_environment_overrides_the_file() {
    let c = ProxyConfig::from_toml_and_env(
        BASE,
        env(&[
            ("OKTA_PROXY_CLIENT_IDS", "0oa2, 0oa3"),
            ("OKTA_PROXY_RATE_LIMIT_PER_USERNAME_PER_MINUTE", "7"),
            ("OKTA_PROXY_CUSTODY_ENABLED", "true"),
            ("OKTA_PROXY_CUSTODY_KEY", support::CUSTODY_KEY),
            ("OKTA_PROXY_MOUNT", "/auth"),
            ("PATH", "/usr/bin"),
        ]),
    )
    .unwrap();
    assert_eq!(c.client_ids, ["0oa2", "0oa3"]);
    assert_eq!(c.rate_limit.per_username_per_minute, 7);
    assert!(c.custody.enabled);
    assert_eq!(c.mount, "/auth");
    assert!(!format!("{c:?}").contains(support::CUSTODY_KEY), "Debug redacts the key");
    assert!(okta_direct_auth_proxy::router(c).is_ok());
}

#[test]
fn mistakes_are_refused_at_start_with_what_to_do() {
    type Case<'a> = (&'a str, &'a [(&'a str, &'a str)], &'a str);
    let cases: &[Case] = &[
        (BASE, &[("OKTA_PROXY_CLIENTIDS", "x")], "unknown environment variable OKTA_PROXY_CLIENTIDS"),
        (BASE, &[("OKTA_PROXY_UPSTREAM_TIMEOUT_MS", "soon")], "whole number"),
        (BASE, &[("OKTA_PROXY_CUSTODY_ENABLED", "maybe")], "true or false"),
        (&format!("{BASE}\nupstrem = \"x\""), &[], "unknown field `upstrem`"),
        (BASE, &[("OKTA_PROXY_UPSTREAM", "http://example.okta.com")], "must be https"),
        (BASE, &[("OKTA_PROXY_UPSTREAM", "https://example.okta.com/oauth2/default")], "must not have a path"),
        (BASE, &[("OKTA_PROXY_UPSTREAM", "")], "upstream is empty"),
        (BASE, &[("OKTA_PROXY_APP_ORIGINS", "")], "app_origins is empty"),
        (BASE, &[("OKTA_PROXY_APP_ORIGINS", "https://app.example.com/login")], "no path"),
        (BASE, &[("OKTA_PROXY_CLIENT_IDS", "")], "client_ids is empty"),
        (BASE, &[("OKTA_PROXY_AUTHORIZATION_SERVERS", "../x")], "not an authorization server id"),
        (BASE, &[("OKTA_PROXY_GRANT_TYPES", "passwrd")], "not a direct-authentication grant"),
        (BASE, &[("OKTA_PROXY_TRUSTED_PROXIES", "10.0.0.0/33")], "not an IP address or CIDR"),
        (BASE, &[("OKTA_PROXY_MOUNT", "/okta/")], "no trailing /"),
        (BASE, &[("OKTA_PROXY_MOUNT", "/{x}")], "must be a path like /okta"),
        (BASE, &[("OKTA_PROXY_MAX_REQUEST_BODY_BYTES", "0")], "max_request_body_bytes"),
        (BASE, &[("OKTA_PROXY_CUSTODY_ENABLED", "true")], "custody is on (the default) but has no key"),
        (BASE, &[("OKTA_PROXY_CUSTODY_ENABLED", "true"), ("OKTA_PROXY_CUSTODY_KEY", "c2hvcnQ=")], "exactly 32 random bytes"),
        (BASE, &[("OKTA_PROXY_UPSTREAM_CA_FILE", "/nonexistent/ca.pem")], "cannot read it"),
    ];
    for (toml, vars, expected) in cases {
        let e = start_error(toml, vars);
        assert!(e.contains(expected), "{vars:?}: expected {expected:?} in {e:?}");
    }
    // Plain http is for a loopback upstream (the emulator) only.
    assert!(start_error(BASE, &[("OKTA_PROXY_UPSTREAM", "http://127.0.0.1:8081")]).is_empty());
}

#[test]
fn the_binary_runs_from_the_environment_and_answers_healthz() {
    use std::io::{BufRead, BufReader, Read, Write};
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_okta-direct-auth-proxy"))
        .env("OKTA_PROXY_LISTEN", "127.0.0.1:0")
        .env("OKTA_PROXY_UPSTREAM", "https://example.okta.com")
        .env("OKTA_PROXY_AUTHORIZATION_SERVERS", "default")
        .env("OKTA_PROXY_CLIENT_IDS", "0oa1")
        .env("OKTA_PROXY_APP_ORIGINS", "https://app.example.com")
        .env("OKTA_PROXY_CUSTODY_KEY", support::CUSTODY_KEY)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    let addr = line.trim().strip_prefix("okta-direct-auth-proxy listening on http://").unwrap_or_else(|| panic!("{line:?}")).to_owned();
    let mut s = std::net::TcpStream::connect(&addr).unwrap();
    s.write_all(format!("GET /healthz HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n").as_bytes()).unwrap();
    let mut answer = String::new();
    s.read_to_string(&mut answer).unwrap();
    let _ = child.kill();
    let _ = child.wait();
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(answer.contains(r#"{"status":"ok"}"#));

    // A bad configuration: exit code 1 and the reason on stderr.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_okta-direct-auth-proxy"))
        .env("OKTA_PROXY_UPSTREAM", "https://example.okta.com")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("authorization_servers is empty"));
}
