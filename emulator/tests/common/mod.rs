//! Shared helpers for the HTTP-level tests: one RSA key per test binary, an emulator on a
//! free port per test, a real HTTP client.
#![allow(dead_code)]

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use okta_emulator::{Config, RunningEmulator};
use reqwest::header::HeaderMap;
use rsa::{BigUint, Pkcs1v15Sign, RsaPrivateKey, RsaPublicKey};
use serde_json::Value;
use sha2::{Digest, Sha256};
use std::sync::OnceLock;

pub const DA: &str = "/oauth2/default/v1";
pub const CLIENT: &str = "0oa-demo-spa";
pub const SHORT: &str = "0oa-short-lived";
pub const PASSWORD: &str = "Demo-Passw0rd";
pub const SCOPE: &str = "openid profile email offline_access";
pub const G_PASSWORD: &str = "password";
pub const G_OTP: &str = "urn:okta:params:oauth:grant-type:otp";
pub const G_OOB: &str = "urn:okta:params:oauth:grant-type:oob";
pub const G_MFA_OTP: &str = "http://auth0.com/oauth/grant-type/mfa-otp";
pub const G_MFA_OOB: &str = "http://auth0.com/oauth/grant-type/mfa-oob";

pub fn shared_key() -> RsaPrivateKey {
    static KEY: OnceLock<RsaPrivateKey> = OnceLock::new();
    KEY.get_or_init(|| okta_emulator::keys::generate_rsa_key().expect("rsa keygen")).clone()
}

pub fn test_config() -> Config {
    Config { key: Some(shared_key()), log_requests: false, ..Config::default() }
}

pub struct Emu {
    pub base: String,
    pub http: reqwest::Client,
    pub running: RunningEmulator,
}

#[derive(Debug)]
pub struct Resp {
    pub status: u16,
    pub headers: HeaderMap,
    pub text: String,
    pub json: Value,
}

impl Resp {
    pub fn error(&self) -> &str {
        self.json["error"].as_str().unwrap_or("")
    }
    pub fn desc(&self) -> &str {
        self.json["error_description"].as_str().unwrap_or("")
    }
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
    pub fn s(&self, key: &str) -> String {
        self.json[key].as_str().unwrap_or_else(|| panic!("no string {key} in {}", self.text)).to_string()
    }
    #[track_caller]
    pub fn expect(&self, status: u16, error: &str) -> &Self {
        assert_eq!((self.status, self.error()), (status, error), "unexpected answer: {}", self.text);
        self
    }
}

pub async fn to_resp(r: reqwest::Response) -> Resp {
    let status = r.status().as_u16();
    let headers = r.headers().clone();
    let text = r.text().await.unwrap_or_default();
    let json = serde_json::from_str(&text).unwrap_or(Value::Null);
    Resp { status, headers, text, json }
}

impl Emu {
    pub async fn start() -> Emu {
        Emu::start_with(|_| {}).await
    }

    pub async fn start_with(f: impl FnOnce(&mut Config)) -> Emu {
        let mut cfg = test_config();
        f(&mut cfg);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let running = okta_emulator::start(listener, cfg).await.expect("start emulator");
        let http = reqwest::Client::builder().no_proxy().build().expect("client");
        Emu { base: running.base_url.clone(), http, running }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    pub async fn post(&self, path: &str, form: &[(&str, &str)]) -> Resp {
        to_resp(self.http.post(self.url(path)).form(form).send().await.expect("send")).await
    }

    pub async fn get(&self, path: &str) -> Resp {
        to_resp(self.http.get(self.url(path)).send().await.expect("send")).await
    }

    pub async fn post_json(&self, path: &str, body: &Value) -> Resp {
        to_resp(self.http.post(self.url(path)).json(body).send().await.expect("send")).await
    }

    pub async fn token(&self, form: &[(&str, &str)]) -> Resp {
        self.post(&format!("{DA}/token"), form).await
    }

    pub async fn password(&self, client: &str, login: &str) -> Resp {
        self.token(&[("client_id", client), ("grant_type", G_PASSWORD), ("username", login), ("password", PASSWORD), ("scope", SCOPE)])
            .await
    }

    /// Password for a two-factor user: the `mfa_token`.
    pub async fn mfa_token(&self, client: &str, login: &str) -> String {
        let r = self.password(client, login).await;
        r.expect(403, "mfa_required");
        r.s("mfa_token")
    }

    pub async fn totp(&self, login: &str) -> String {
        let r = self.get(&format!("/__emulator/users/{login}/totp")).await;
        assert_eq!(r.status, 200, "{}", r.text);
        r.s("code")
    }

    pub async fn advance(&self, secs: i64) {
        let r = self.post_json("/__emulator/clock", &serde_json::json!({ "advanceSeconds": secs })).await;
        assert_eq!(r.status, 200, "{}", r.text);
    }

    pub async fn last_code(&self, login: &str) -> String {
        let r = self.get(&format!("/__emulator/users/{login}/outbox")).await;
        let arr = r.json.as_array().expect("outbox array");
        arr.last().expect("a message")["code"].as_str().expect("code").to_string()
    }

    pub async fn pending_pushes(&self) -> Vec<Value> {
        self.get("/__emulator/push").await.json.as_array().cloned().unwrap_or_default()
    }

    pub async fn push_for(&self, login: &str) -> Value {
        self.pending_pushes().await.into_iter().rev().find(|p| p["login"] == login).unwrap_or_else(|| panic!("no pending push for {login}"))
    }

    pub async fn primary(&self, client: &str, login: &str, channel: &str) -> Resp {
        self.post(
            &format!("{DA}/primary-authenticate"),
            &[("client_id", client), ("login_hint", login), ("channel_hint", channel), ("challenge_hint", G_OOB)],
        )
        .await
    }

    pub async fn poll_oob(&self, client: &str, oob_code: &str) -> Resp {
        self.token(&[("client_id", client), ("grant_type", G_OOB), ("oob_code", oob_code), ("scope", SCOPE)]).await
    }

    pub async fn challenge(&self, client: &str, mfa_token: &str, types: &str, channel: Option<&str>) -> Resp {
        let mut form = vec![("client_id", client), ("mfa_token", mfa_token), ("challenge_types_supported", types)];
        if let Some(c) = channel {
            form.push(("channel_hint", c));
        }
        self.post(&format!("{DA}/challenge"), &form).await
    }
}

/// Decodes a JWT's payload without checking it.
pub fn claims(jwt: &str) -> Value {
    let payload = jwt.split('.').nth(1).expect("jwt payload");
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).expect("b64")).expect("json")
}

/// Verifies an RS256 JWT against a JWKS document (as the test's own check, with `rsa`).
pub fn verify_with_jwks(jwt: &str, jwks: &Value) -> Value {
    let mut parts = jwt.split('.');
    let (h, p, s) = (parts.next().unwrap(), parts.next().unwrap(), parts.next().unwrap());
    let header: Value = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(h).unwrap()).unwrap();
    assert_eq!(header["alg"], "RS256");
    let kid = header["kid"].as_str().expect("kid");
    let jwk = jwks["keys"].as_array().unwrap().iter().find(|k| k["kid"] == kid).expect("key with kid");
    let n = BigUint::from_bytes_be(&URL_SAFE_NO_PAD.decode(jwk["n"].as_str().unwrap()).unwrap());
    let e = BigUint::from_bytes_be(&URL_SAFE_NO_PAD.decode(jwk["e"].as_str().unwrap()).unwrap());
    let key = RsaPublicKey::new(n, e).expect("public key");
    let digest = Sha256::digest(format!("{h}.{p}").as_bytes());
    let sig = URL_SAFE_NO_PAD.decode(s).unwrap();
    key.verify(Pkcs1v15Sign::new::<Sha256>(), &digest, &sig).expect("signature verifies");
    claims(jwt)
}
