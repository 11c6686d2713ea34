//! Emulator-only endpoints under `/__emulator/` — the demo's simulated phone and the tests
//! drive users' devices and the server through them. Not part of Okta's API. CORS `*`
//! (see `cors.rs`); switched off with `--no-emulator-api`.

use crate::errors::{json_response, OktaApiError};
use crate::faults::{Fault, FaultMode};
use crate::state::AppState;
use crate::store::{Binding, OobStatus};
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get, post};
use axum::Router;
use serde::Deserialize;
use serde_json::{json, Value};
use std::sync::Arc;

mod keys;
mod passkeys;
mod sink;

pub fn router() -> Router<Arc<AppState>> {
    Router::new()
        .route("/keys", get(keys::list))
        .route("/keys/rotate", post(keys::rotate))
        .route("/id-tokens", post(keys::mint_id_token))
        .route("/redirect-sink", any(sink::record))
        .route("/redirect-sink/hits", get(sink::hits))
        .route("/users", get(users))
        .route("/users/{login}/totp", get(totp))
        .route("/users/{login}/outbox", get(outbox))
        .route("/users/{login}/passkeys", get(passkeys::list).post(passkeys::register))
        .route("/users/{login}/passkeys/options", post(passkeys::options))
        .route("/push", get(pushes))
        .route("/push/{id}/approve", post(approve))
        .route("/push/{id}/deny", post(deny))
        .route("/requests", get(requests))
        .route("/clock", get(clock_get).post(clock_post))
        .route("/faults", get(faults_get).post(faults_post))
        .route("/reset", post(reset))
}

pub(crate) fn ok(v: Value) -> Response {
    json_response(StatusCode::OK, &v)
}

pub(crate) fn internal() -> Response {
    OktaApiError::internal().into_response()
}

async fn users(State(state): State<Arc<AppState>>) -> Response {
    // Passwords and TOTP secrets are never listed (the README documents the demo passwords).
    let with_passkey: Vec<String> = match state.passkeys.lock() {
        Ok(p) => p.by_login.iter().filter(|(_, l)| !l.is_empty()).map(|(k, _)| k.clone()).collect(),
        Err(_) => return internal(),
    };
    let mut list: Vec<Value> = state
        .config
        .seed
        .users
        .iter()
        .map(|u| {
            json!({
                "login": u.login,
                "name": u.name,
                "email": u.email(),
                "factors": factors(u, &with_passkey),
                "phone": u.phone,
                "push": u.push,
                "policy": u.policy,
                "passwordExpired": u.password_expired,
            })
        })
        .collect();
    list.sort_by(|a, b| a["login"].as_str().cmp(&b["login"].as_str()));
    ok(Value::Array(list))
}

/// The seed's factor names, and `passkey` when the user has one now.
fn factors(user: &crate::seed::UserSeed, with_passkey: &[String]) -> Vec<&'static str> {
    let mut f = user.factor_names();
    if with_passkey.contains(&user.login.to_ascii_lowercase()) {
        f.push("passkey");
    }
    f
}

async fn totp(State(state): State<Arc<AppState>>, Path(login): Path<String>) -> Response {
    let Some(user) = state.user(&login) else {
        return OktaApiError::not_found(&login, "User").into_response();
    };
    let Some(secret) = user.totp_secret.as_deref().and_then(crate::totp::decode_base32) else {
        return OktaApiError::not_found(&format!("{login} TOTP"), "Factor").into_response();
    };
    let now = state.clock.now_secs();
    ok(json!({
        "code": crate::totp::code_for_step(&secret, crate::totp::step_at(now)),
        "expiresIn": crate::totp::seconds_left(now),
    }))
}

async fn outbox(State(state): State<Arc<AppState>>, Path(login): Path<String>) -> Response {
    if state.user(&login).is_none() {
        return OktaApiError::not_found(&login, "User").into_response();
    }
    let Ok(store) = state.store.lock() else { return internal() };
    let msgs = store.outbox.get(&login.to_ascii_lowercase()).cloned().unwrap_or_default();
    ok(serde_json::to_value(msgs).unwrap_or(Value::Array(Vec::new())))
}

async fn pushes(State(state): State<Arc<AppState>>) -> Response {
    let now = state.clock.now_ms();
    let Ok(store) = state.store.lock() else { return internal() };
    let mut list: Vec<(i64, Value)> = store
        .pushes
        .iter()
        .filter_map(|(id, code)| {
            let t = store.oob.get(code)?;
            if t.status != OobStatus::Pending || t.consumed || now >= t.expires_at_ms {
                return None;
            }
            let nc = t.number_choices.as_ref().map(|c| json!({ "choices": c }));
            Some((
                t.created_ms,
                json!({
                    "id": id,
                    "login": t.login,
                    "createdAt": t.created_ms,
                    "expiresAt": t.expires_at_ms,
                    "numberChallenge": nc,
                }),
            ))
        })
        .collect();
    list.sort_by_key(|(t, _)| *t);
    ok(Value::Array(list.into_iter().map(|(_, v)| v).collect()))
}

#[derive(Deserialize, Default)]
struct ApproveBody {
    #[serde(default)]
    number: Option<u32>,
}

async fn approve(State(state): State<Arc<AppState>>, Path(id): Path<String>, body: Bytes) -> Response {
    let parsed: ApproveBody = if body.iter().all(u8::is_ascii_whitespace) {
        ApproveBody::default()
    } else {
        match serde_json::from_slice(&body) {
            Ok(b) => b,
            Err(e) => return OktaApiError::bad_request(format!("Invalid JSON body: {e}")).into_response(),
        }
    };
    answer(&state, &id, Some(parsed.number))
}

async fn deny(State(state): State<Arc<AppState>>, Path(id): Path<String>) -> Response {
    answer(&state, &id, None)
}

/// `approve = Some(number)` approves (checking the number challenge), `None` denies.
fn answer(state: &AppState, id: &str, approve: Option<Option<u32>>) -> Response {
    let now = state.clock.now_ms();
    let Ok(mut store) = state.store.lock() else { return internal() };
    let Some(code) = store.pushes.get(id).cloned() else {
        return OktaApiError::not_found(id, "Push").into_response();
    };
    let Some(t) = store.oob.get_mut(&code) else {
        return OktaApiError::not_found(id, "Push").into_response();
    };
    if t.status != OobStatus::Pending || t.consumed || now >= t.expires_at_ms {
        return OktaApiError::not_found(id, "Push").into_response();
    }
    let status = match (approve, &t.binding) {
        (None, _) => OobStatus::Denied,
        (Some(number), Binding::Transfer(right)) => match number {
            None => return OktaApiError::bad_request("This push has a number challenge: send {\"number\": N}.").into_response(),
            // Tapping the wrong number denies the push, as Okta Verify does.
            Some(n) if n.to_string() == *right => OobStatus::Approved,
            Some(_) => OobStatus::Denied,
        },
        (Some(_), _) => OobStatus::Approved,
    };
    t.status = status;
    let word = if status == OobStatus::Approved { "approved" } else { "denied" };
    ok(json!({ "id": id, "status": word }))
}

async fn requests(State(state): State<Arc<AppState>>, RawQuery(q): RawQuery) -> Response {
    let since = q
        .as_deref()
        .and_then(|q| form_urlencoded::parse(q.as_bytes()).find(|(k, _)| k == "since").map(|(_, v)| v.to_string()))
        .and_then(|v| v.parse::<u64>().ok())
        .unwrap_or(0);
    let Ok(log) = state.log.lock() else { return internal() };
    ok(json!({ "seq": log.seq, "requests": log.since(since) }))
}

async fn clock_get(State(state): State<Arc<AppState>>) -> Response {
    ok(json!({ "now": state.clock.now_ms(), "offsetSeconds": state.clock.offset_secs() }))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct ClockBody {
    advance_seconds: i64,
}

async fn clock_post(State(state): State<Arc<AppState>>, body: Bytes) -> Response {
    let b: ClockBody = match serde_json::from_slice(&body) {
        Ok(b) => b,
        Err(e) => return OktaApiError::bad_request(format!("Expected {{\"advanceSeconds\": N}}: {e}")).into_response(),
    };
    if b.advance_seconds.unsigned_abs() > 10 * 365 * 86400 {
        return OktaApiError::bad_request("advanceSeconds is out of range").into_response();
    }
    state.clock.advance(b.advance_seconds);
    clock_get(State(state)).await
}

async fn faults_get(State(state): State<Arc<AppState>>) -> Response {
    let Ok(f) = state.faults.lock() else { return internal() };
    ok(serde_json::to_value(&*f).unwrap_or(Value::Array(Vec::new())))
}

async fn faults_post(State(state): State<Arc<AppState>>, body: Bytes) -> Response {
    let fault: Fault = match serde_json::from_slice(&body) {
        Ok(f) => f,
        Err(e) => {
            return OktaApiError::bad_request(format!(
                "Expected {{\"mode\": \"server_error\"|\"html\"|\"truncated_json\"|\"slow\"|\"drop\"|\"rate_limit\"|\"redirect\"|\"oauth_server_error\"|\"temporarily_unavailable\", \"count\": N, \"path\"?, \"clientId\"?, \"resetInSeconds\"?, \"status\"?, \"location\"?}}: {e}"
            ))
            .into_response()
        }
    };
    if fault.count == 0 {
        return OktaApiError::bad_request("count must be at least 1").into_response();
    }
    if let Some(status) = fault.status {
        match fault.mode.allows_status(status) {
            None => {
                return OktaApiError::bad_request("status applies only to redirect, oauth_server_error and temporarily_unavailable")
                    .into_response()
            }
            Some(false) if fault.mode == FaultMode::Redirect => {
                return OktaApiError::bad_request("a redirect status is one of 301, 302, 303, 307, 308").into_response()
            }
            Some(false) => return OktaApiError::bad_request("status must be 400 to 599").into_response(),
            Some(true) => {}
        }
    }
    if fault.location.is_some() && fault.mode != FaultMode::Redirect {
        return OktaApiError::bad_request("location applies only to redirect").into_response();
    }
    if fault.location.as_deref().is_some_and(|l| axum::http::HeaderValue::from_str(l).is_err()) {
        return OktaApiError::bad_request("location is not a valid header value").into_response();
    }
    let Ok(mut f) = state.faults.lock() else { return internal() };
    f.push(fault);
    ok(serde_json::to_value(&*f).unwrap_or(Value::Array(Vec::new())))
}

async fn reset(State(state): State<Arc<AppState>>) -> Response {
    if let Ok(mut s) = state.store.lock() {
        s.reset();
    }
    if let Ok(mut f) = state.faults.lock() {
        f.clear();
    }
    if let Ok(mut l) = state.log.lock() {
        l.clear();
    }
    if let Ok(mut p) = state.passkeys.lock() {
        p.reset();
    }
    ok(json!({ "reset": true }))
}
