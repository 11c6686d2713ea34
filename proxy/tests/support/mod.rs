//! Shared by the proxy's HTTP tests: the emulator as the upstream, the proxy on a free port
//! with its log lines captured, a recording upstream for what the emulator does not show
//! (headers, exact forms), and a plain HTTP client.
#![allow(dead_code)]

use axum::body::Bytes;
use axum::extract::{Request, State};
use axum::http::HeaderMap;
use axum::response::Response;
use okta_direct_auth_proxy::{LogSink, ProxyConfig};
use serde_json::Value;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

pub const CLIENT: &str = "0oa-demo-spa";
pub const PASSWORD: &str = "Demo-Passw0rd";
pub const APP: &str = "http://app.example.test";
pub const G_PASSWORD: &str = "password";
pub const G_OTP: &str = "urn:okta:params:oauth:grant-type:otp";
/// A base64 custody key (32 bytes of 0x2a).
pub const CUSTODY_KEY: &str = "KioqKioqKioqKioqKioqKioqKioqKioqKioqKioqKio=";

pub struct Emulator {
    pub base: String,
    pub running: okta_emulator::RunningEmulator,
}

pub async fn emulator() -> Emulator {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let config = okta_emulator::Config { log_requests: false, ..Default::default() };
    let running = okta_emulator::start(listener, config).await.unwrap();
    Emulator { base: running.base_url.clone(), running }
}

impl Emulator {
    /// Okta requests the emulator has seen (its request log): `(method, path, status)`.
    pub async fn seen(&self) -> Vec<(String, String, u16)> {
        let v: Value = http().get(format!("{}/__emulator/requests", self.base)).send().await.unwrap().json().await.unwrap();
        v["requests"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                (r["method"].as_str().unwrap().to_owned(), r["path"].as_str().unwrap().to_owned(), r["status"].as_u64().unwrap() as u16)
            })
            .collect()
    }

    pub async fn totp(&self, login: &str) -> String {
        let v: Value = http().get(format!("{}/__emulator/users/{login}/totp", self.base)).send().await.unwrap().json().await.unwrap();
        v["code"].as_str().unwrap().to_owned()
    }
}

/// A configuration for `upstream` with custody off and generous limits; tests change what
/// they are about.
pub fn config(upstream: &str) -> ProxyConfig {
    let text = format!(
        r#"
        mount = "/okta"
        upstream = "{upstream}"
        authorization_servers = ["org", "default"]
        client_ids = ["{CLIENT}"]
        app_origins = ["{APP}"]
        [rate_limit]
        per_ip_per_minute = 10000
        per_username_per_minute = 10000
        [custody]
        enabled = false
        "#
    );
    ProxyConfig::from_toml_and_env(&text, std::iter::empty()).unwrap()
}

pub fn custody_config(upstream: &str) -> ProxyConfig {
    let mut c = config(upstream);
    c.custody.enabled = true;
    c.custody.key = Some(okta_direct_auth_proxy::secret::Secret::new(CUSTODY_KEY));
    c
}

pub struct Proxy {
    pub base: String,
    pub logs: Arc<Mutex<Vec<String>>>,
}

impl Proxy {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub fn log_lines(&self) -> Vec<String> {
        self.logs.lock().unwrap().clone()
    }
}

pub async fn proxy(mut config: ProxyConfig) -> Proxy {
    let logs = Arc::new(Mutex::new(Vec::new()));
    let sink = logs.clone();
    config.log = Some(LogSink::new(move |line| sink.lock().unwrap().push(line.to_owned())));
    let router = okta_direct_auth_proxy::router(config).unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let _ = axum::serve(listener, router.into_make_service_with_connect_info::<SocketAddr>()).await;
    });
    Proxy { base: format!("http://{addr}"), logs }
}

pub fn http() -> reqwest::Client {
    reqwest::Client::builder().no_proxy().redirect(reqwest::redirect::Policy::none()).build().unwrap()
}

/// A response read whole.
pub struct Resp {
    pub status: u16,
    pub headers: reqwest::header::HeaderMap,
    pub text: String,
    pub json: Value,
}

impl Resp {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    pub fn set_cookies(&self) -> Vec<String> {
        self.headers.get_all("set-cookie").iter().map(|v| v.to_str().unwrap().to_owned()).collect()
    }

    /// The value the one `Set-Cookie` sets (`name=value; …`).
    pub fn cookie_value(&self, name: &str) -> Option<String> {
        self.set_cookies().iter().find_map(|c| c.strip_prefix(&format!("{name}="))?.split(';').next().map(str::to_owned))
    }

    /// Asserts a refusal of the proxy: status, `error`, `proxy_reason`.
    pub fn refused(&self, status: u16, error: &str, reason: &str) {
        assert_eq!(
            (self.status, self.json["error"].as_str(), self.json["proxy_reason"].as_str()),
            (status, Some(error), Some(reason)),
            "{}",
            self.text
        );
        assert!(self.json["error_description"].as_str().is_some_and(|d| d.len() > 20), "a description: {}", self.text);
        assert_eq!(self.header("content-type"), Some("application/json"));
    }
}

pub async fn read(r: reqwest::Response) -> Resp {
    let status = r.status().as_u16();
    let headers = r.headers().clone();
    let text = r.text().await.unwrap();
    let json = serde_json::from_str(&text).unwrap_or(Value::Null);
    Resp { status, headers, text, json }
}

/// A POST of `form` from the app's page (Origin and Sec-Fetch-Site as a browser sends them).
pub async fn post(url: &str, form: &[(&str, &str)], extra: &[(&str, &str)]) -> Resp {
    let mut req =
        http().post(url).header("Origin", APP).header("Sec-Fetch-Site", "same-origin").header("Accept", "application/json").form(form);
    for (k, v) in extra {
        req = req.header(*k, *v);
    }
    read(req.send().await.unwrap()).await
}

pub async fn get(url: &str, extra: &[(&str, &str)]) -> Resp {
    let mut req = http().get(url);
    for (k, v) in extra {
        req = req.header(*k, *v);
    }
    read(req.send().await.unwrap()).await
}

pub fn password_form<'a>(login: &'a str, scope: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![("client_id", CLIENT), ("grant_type", G_PASSWORD), ("username", login), ("password", PASSWORD), ("scope", scope)]
}

/// One request a [`Recorder`] received.
#[derive(Clone, Debug)]
pub struct Recorded {
    pub method: String,
    pub uri: String,
    pub headers: HeaderMap,
    pub body: Bytes,
}

impl Recorded {
    pub fn form(&self) -> Vec<(String, String)> {
        form_urlencoded::parse(&self.body).into_owned().collect()
    }

    pub fn field(&self, name: &str) -> Option<String> {
        self.form().into_iter().find(|(k, _)| k == name).map(|(_, v)| v)
    }
}

/// An upstream that records every request and answers with `answer`.
pub struct Recorder {
    pub base: String,
    pub seen: Arc<Mutex<Vec<Recorded>>>,
}

type Answer = Arc<dyn Fn(&Recorded) -> Response + Send + Sync>;

pub async fn recorder(answer: impl Fn(&Recorded) -> Response + Send + Sync + 'static) -> Recorder {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let state: (Arc<Mutex<Vec<Recorded>>>, Answer) = (seen.clone(), Arc::new(answer));
    async fn record(State((seen, answer)): State<(Arc<Mutex<Vec<Recorded>>>, Answer)>, req: Request) -> Response {
        let (parts, body) = req.into_parts();
        let body = axum::body::to_bytes(body, 1 << 20).await.unwrap_or_default();
        let r = Recorded { method: parts.method.to_string(), uri: parts.uri.to_string(), headers: parts.headers, body };
        seen.lock().unwrap().push(r.clone());
        let resp = answer(&r);
        if let Some(Delay(d)) = resp.extensions().get::<Delay>() {
            tokio::time::sleep(*d).await;
        }
        resp
    }
    let app = axum::Router::new().fallback(record).with_state(state);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    Recorder { base: format!("http://{addr}"), seen }
}

impl Recorder {
    pub fn requests(&self) -> Vec<Recorded> {
        self.seen.lock().unwrap().clone()
    }
}

/// Put into an answer's extensions: the recorder waits this long before answering.
#[derive(Clone, Copy)]
pub struct Delay(pub std::time::Duration);

/// A JSON answer with `status` and extra headers.
pub fn json_answer(status: u16, body: &str, headers: &[(&str, &str)]) -> Response {
    let mut r = Response::new(axum::body::Body::from(body.to_owned()));
    *r.status_mut() = axum::http::StatusCode::from_u16(status).unwrap();
    r.headers_mut().insert("content-type", "application/json".parse().unwrap());
    for (k, v) in headers {
        r.headers_mut().append(axum::http::HeaderName::from_bytes(k.as_bytes()).unwrap(), v.parse().unwrap());
    }
    r
}
