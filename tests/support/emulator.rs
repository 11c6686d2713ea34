//! Shared by the browser test suites: the emulator's `/__emulator/` API, the public JS API
//! called the way JS calls it, and assertions on `DirectAuthError`.
//!
//! Test code: `unwrap`/`expect` here turn a broken test set-up into a failed test.

use js_sys::{Array, Promise, Reflect, JSON};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

#[wasm_bindgen(inline_js = r#"
export async function emu(method, url, body) {
  const init = { method };
  if (body !== undefined && body !== null) {
    init.headers = { 'Content-Type': 'application/json' };
    init.body = JSON.stringify(body);
  }
  const r = await fetch(url, init);
  const text = await r.text();
  if (!r.ok) throw new Error(`${method} ${url} -> ${r.status} ${text}`);
  return text ? JSON.parse(text) : null;
}
export function sleep(ms) { return new Promise((r) => setTimeout(r, ms)); }
export function isInstance(value, cls) { return value instanceof cls; }
export async function invoke(target, method, args) {
  return await target[method](...args);
}
"#)]
extern "C" {
    #[wasm_bindgen(catch)]
    fn emu(method: &str, url: &str, body: JsValue) -> Result<Promise, JsValue>;
    #[wasm_bindgen(js_name = sleep)]
    fn sleep_promise(ms: u32) -> Promise;
    #[wasm_bindgen(js_name = isInstance)]
    fn is_instance(value: &JsValue, class: &JsValue) -> bool;
    #[wasm_bindgen(catch)]
    fn invoke(target: &JsValue, method: &str, args: Array) -> Result<Promise, JsValue>;
}

pub const CLIENT_ID: &str = "0oa-demo-spa";
pub const SHORT_LIVED_CLIENT_ID: &str = "0oa-short-lived";
pub const PASSWORD: &str = "Demo-Passw0rd";

pub fn url() -> &'static str {
    // Read at compile time: the wasm cannot see the runner's environment.
    match option_env!("OKTA_EMULATOR_URL") {
        Some(url) => url,
        None => panic!("build the tests with OKTA_EMULATOR_URL=http://127.0.0.1:PORT of a running okta-emulator"),
    }
}

/// okta-direct-auth-proxy (custody off) in front of the strict emulator, mount included: what
/// [`options`] routes every flow through. `None` when the suites are built without one (then
/// they call [`url`] directly, which only an emulator with `--allow-browser-grants` serves).
pub fn proxy_url() -> Option<&'static str> {
    option_env!("OKTA_PROXY_URL")
}

/// okta-direct-auth-proxy with refresh-token custody, in front of the same strict emulator.
#[allow(dead_code)] // tests/proxy.rs only; other suites include this file privately
pub fn custody_proxy_url() -> &'static str {
    match option_env!("OKTA_CUSTODY_PROXY_URL") {
        Some(url) => url,
        None => panic!("build the tests with OKTA_CUSTODY_PROXY_URL (okta-direct-auth-proxy with custody, mount included)"),
    }
}

/// okta-direct-auth-proxy authenticating the emulator's confidential client
/// ([`CONFIDENTIAL_CLIENT_ID`]) with its secret, in front of the same strict emulator.
#[allow(dead_code)] // tests/proxy.rs only; other suites include this file privately
pub fn confidential_proxy_url() -> &'static str {
    match option_env!("OKTA_CONFIDENTIAL_PROXY_URL") {
        Some(url) => url,
        None => panic!("build the tests with OKTA_CONFIDENTIAL_PROXY_URL (okta-direct-auth-proxy with client_auth, mount included)"),
    }
}

/// The emulator's confidential client (`emulator/users.toml`): only a proxy that authenticates
/// it can sign a page in with it.
#[allow(dead_code)] // tests/proxy.rs only; other suites include this file privately
pub const CONFIDENTIAL_CLIENT_ID: &str = "0oa-confidential";

/// An emulator that serves browsers directly (`--allow-browser-grants --cors-direct-auth-endpoints`).
#[allow(dead_code)] // tests/proxy.rs only; other suites include this file privately
pub fn direct_url() -> &'static str {
    match option_env!("OKTA_DIRECT_EMULATOR_URL") {
        Some(url) => url,
        None => panic!("build the tests with OKTA_DIRECT_EMULATOR_URL (an emulator started with --allow-browser-grants)"),
    }
}

pub fn untrusted_url() -> &'static str {
    match option_env!("OKTA_EMULATOR_UNTRUSTED_URL") {
        Some(url) => url,
        None => panic!("build the tests with OKTA_EMULATOR_UNTRUSTED_URL (an emulator trusting no origin)"),
    }
}

pub fn json(text: &str) -> JsValue {
    JSON::parse(text).unwrap_or_else(|_| panic!("test JSON does not parse: {text}"))
}

pub fn get(value: &JsValue, key: &str) -> JsValue {
    Reflect::get(value, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

pub fn get_str(value: &JsValue, key: &str) -> String {
    get(value, key).as_string().unwrap_or_else(|| panic!("{key} is not a string in {}", show(value)))
}

pub fn show(value: &JsValue) -> String {
    JSON::stringify(value).ok().and_then(|s| s.as_string()).unwrap_or_else(|| format!("{value:?}"))
}

pub async fn sleep(ms: u32) {
    JsFuture::from(sleep_promise(ms)).await.unwrap();
}

pub fn now_ms() -> f64 {
    js_sys::Date::now()
}

// ---- the emulator's test API ------------------------------------------------------------------

pub async fn emulator(method: &str, path: &str, body: Option<&str>) -> JsValue {
    let body = body.map(json).unwrap_or(JsValue::NULL);
    let promise = emu(method, &format!("{}/__emulator{path}", url()), body).unwrap();
    JsFuture::from(promise).await.unwrap_or_else(|e| panic!("emulator API failed: {e:?}"))
}

pub async fn reset() {
    emulator("POST", "/reset", None).await;
}

pub async fn totp(login: &str) -> String {
    get_str(&emulator("GET", &format!("/users/{login}/totp"), None).await, "code")
}

/// The code of the newest message on `channel` ("sms" / "voice") in the user's outbox.
pub async fn outbox_code(login: &str, channel: &str) -> String {
    let messages = Array::from(&emulator("GET", &format!("/users/{login}/outbox"), None).await);
    messages
        .iter()
        .rev()
        .find(|m| get(m, "channel").as_string().as_deref() == Some(channel))
        .map(|m| get_str(&m, "code"))
        .unwrap_or_else(|| panic!("no {channel} message for {login}"))
}

/// The pending push for `login` (waits up to 5 s for it to appear).
pub async fn push_for(login: &str) -> JsValue {
    for _ in 0..50 {
        let pushes = Array::from(&emulator("GET", "/push", None).await);
        if let Some(push) = pushes.iter().find(|p| get(p, "login").as_string().as_deref() == Some(login)) {
            return push;
        }
        sleep(100).await;
    }
    panic!("no push for {login}");
}

pub async fn approve(push: &JsValue, number: Option<u32>) {
    let body = number.map(|n| format!(r#"{{"number":{n}}}"#));
    emulator("POST", &format!("/push/{}/approve", get_str(push, "id")), body.as_deref()).await;
}

pub async fn deny(push: &JsValue) {
    emulator("POST", &format!("/push/{}/deny", get_str(push, "id")), None).await;
}

pub async fn fault(mode: &str, count: u32, path: &str) {
    emulator("POST", "/faults", Some(&format!(r#"{{"mode":"{mode}","count":{count},"path":"{path}"}}"#))).await;
}

pub async fn advance_clock(seconds: i64) {
    emulator("POST", "/clock", Some(&format!(r#"{{"advanceSeconds":{seconds}}}"#))).await;
}

/// The request log's current sequence number.
pub async fn request_seq() -> f64 {
    get(&emulator("GET", "/requests?since=0", None).await, "seq").as_f64().unwrap()
}

/// Requests to Okta endpoints (not `/__emulator/`) logged after `seq`.
pub async fn requests_since(seq: f64) -> Vec<JsValue> {
    let log = emulator("GET", &format!("/requests?since={seq}"), None).await;
    Array::from(&get(&log, "requests"))
        .iter()
        .filter(|r| !get(r, "path").as_string().unwrap_or_default().starts_with("/__emulator"))
        .collect()
}

// ---- the public API, called as JS calls it ---------------------------------------------------

/// `DirectAuthOptions` for the emulator's org server, plus `extra` members (JSON, no braces).
/// The options of a suite's client. Against the emulator ([`url`]) every flow goes through the
/// proxy ([`proxy_url`]): the ONE place the suites are routed. The proxy is a sibling origin of
/// the test page (another port), so the cookies it sets travel only with `credentials: 'include'`.
pub fn options_with(issuer: &str, client_id: &str, extra: &str) -> JsValue {
    let proxied = match proxy_url() {
        Some(proxy) if issuer.starts_with(url()) && !extra.contains(r#""proxy""#) => Some(proxy),
        _ => None,
    };
    match proxied {
        Some(proxy) => options_via(issuer, client_id, proxy, extra),
        None => plain_options(issuer, client_id, extra),
    }
}

/// Options without a proxy: the SDK calls `issuer` directly.
pub fn plain_options(issuer: &str, client_id: &str, extra: &str) -> JsValue {
    let extra = if extra.is_empty() { String::new() } else { format!(",{extra}") };
    json(&format!(r#"{{"issuer":"{issuer}","clientId":"{client_id}","scopes":["openid","profile","email","offline_access"]{extra}}}"#))
}

/// Options through the proxy at `proxy` (a sibling origin: `credentials: 'include'` unless `extra` says otherwise).
pub fn options_via(issuer: &str, client_id: &str, proxy: &str, extra: &str) -> JsValue {
    let credentials = if extra.contains(r#""credentials""#) { "" } else { r#","credentials":"include""# };
    let extra = if extra.is_empty() { String::new() } else { format!(",{extra}") };
    json(&format!(
        r#"{{"issuer":"{issuer}","clientId":"{client_id}","proxy":"{proxy}","scopes":["openid","profile","email","offline_access"]{credentials}{extra}}}"#
    ))
}

/// Options through the proxy with refresh-token custody.
#[allow(dead_code)] // tests/proxy.rs only; other suites include this file privately
pub fn custody_options() -> JsValue {
    options_via(url(), CLIENT_ID, custody_proxy_url(), "")
}

/// Options for the emulator that serves browsers directly (no proxy).
#[allow(dead_code)] // tests/proxy.rs only; other suites include this file privately
pub fn direct_options() -> JsValue {
    plain_options(direct_url(), CLIENT_ID, "")
}

pub fn options() -> JsValue {
    options_with(url(), CLIENT_ID, "")
}

/// Awaits a promise: the crate's own `Promise` (its exports') or js-sys's.
pub async fn settle(promise: impl Into<JsValue>) -> Result<JsValue, JsValue> {
    JsFuture::from(promise.into().unchecked_into::<Promise>()).await
}

/// `await DirectAuth.create(options)`.
pub async fn create(options: JsValue) -> JsValue {
    settle(okta_direct_auth::api::DirectAuth::create(options)).await.unwrap_or_else(|e| panic!("create failed: {}", show(&e)))
}

/// `await auth[method](...args)` through the generated JS class.
pub async fn call(auth: &JsValue, method: &str, args: &[JsValue]) -> Result<JsValue, JsValue> {
    let promise = invoke(auth, method, args.iter().cloned().collect())?;
    JsFuture::from(promise).await
}

/// Starts `auth[method](...args)` without awaiting it.
pub fn start(auth: &JsValue, method: &str, args: &[JsValue]) -> JsFuture {
    JsFuture::from(invoke(auth, method, args.iter().cloned().collect()).unwrap())
}

pub fn ok(result: Result<JsValue, JsValue>) -> JsValue {
    result.unwrap_or_else(|e| panic!("expected success, got {} / {:?}", show(&e), e))
}

/// Asserts a rejection with a `DirectAuthError` of this kind and code; returns it.
pub fn expect_error(result: Result<JsValue, JsValue>, kind: &str, code: &str) -> JsValue {
    let error = match result {
        Ok(v) => panic!("expected {kind}/{code}, got success {}", show(&v)),
        Err(e) => e,
    };
    let class = okta_direct_auth::api::direct_auth_error_class();
    assert!(is_instance(&error, &class), "not a DirectAuthError: {error:?}");
    assert!(is_instance(&error, &js_sys::global().dyn_into::<js_sys::Object>().map(|g| get(&g, "Error")).unwrap()), "not an Error");
    assert_eq!(get_str(&error, "name"), "DirectAuthError");
    assert_eq!((get_str(&error, "kind"), get_str(&error, "code")), (kind.to_owned(), code.to_owned()), "{error:?}");
    assert!(!get_str(&error, "hint").is_empty());
    error
}

pub fn assert_success(result: &JsValue) -> JsValue {
    assert_eq!(get_str(result, "status"), "success", "{}", show(result));
    let tokens = get(result, "tokens");
    assert_eq!(get_str(&tokens, "tokenType"), "Bearer");
    assert!(get_str(&tokens, "accessToken").contains('.'));
    assert!(get(&tokens, "expiresAt").as_f64().unwrap() > now_ms());
    tokens
}
