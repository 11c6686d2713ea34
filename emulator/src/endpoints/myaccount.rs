//! `PUT /idp/myaccount/password` (Okta's MyAccount API, "Replace a Password", on the org, not
//! under an authorization server): the bearer access token of a recovery (scope
//! `okta.myAccount.password.manage`, org server), `Accept: application/json;
//! okta-version=1.0.0`, `{"profile":{"password":"…"}}`. The new password works at once, the
//! old one no longer does, and failed attempts and a lockout are forgotten. Errors are the
//! Okta API form, with the shapes of the MyAccount spec (`idp-oneOfInheritance.yaml`).

use super::recovery::RECOVERY_SCOPE;
use super::{lock_store, Ctx};
use crate::errors::{json_response, LoggedError};
use crate::recovery_state::HISTORY;
use crate::seed::UserSeed;
use crate::state::AppState;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{json, Value};
use std::sync::Arc;

/// The content type of MyAccount answers (the spec's `application/json;okta-version=1.0.0`).
pub const MYACCOUNT_JSON: &str = "application/json;okta-version=1.0.0";
pub const MIN_LENGTH: usize = 8;

pub async fn replace_password(State(state): State<Arc<AppState>>, headers: HeaderMap, body: Bytes) -> Response {
    let mut ctx = Ctx::default();
    let result = replace(&state, &mut ctx, &headers, &body).or_else(|e| Ok(e.into_response()));
    ctx.finish(result)
}

fn replace(state: &AppState, ctx: &mut Ctx, headers: &HeaderMap, body: &[u8]) -> Result<Response, ApiError> {
    if !accepts_version(headers) {
        return Err(api_error(StatusCode::NOT_ACCEPTABLE, "E0000149", "The HTTP request is not acceptable", &[]));
    }
    let user = bearer_user(state, ctx, headers)?;
    let is_json = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).is_some_and(|c| c.starts_with("application/json"));
    let parsed: Option<Value> = if is_json { serde_json::from_slice(body).ok() } else { None };
    let Some(parsed) = parsed else {
        return Err(api_error(StatusCode::BAD_REQUEST, "E0000003", "The request body was not well-formed.", &[]));
    };
    let Some(new) = parsed.pointer("/profile/password").and_then(Value::as_str) else {
        return Err(validation("password: Property is required."));
    };
    let mut store = lock_store(state).map_err(|_| ApiError::internal())?;
    let recent = store.recovery.recent(&user.login, user.password.as_deref());
    if let Some(cause) = policy_violation(&user.login, new, &recent) {
        return Err(validation(&cause));
    }
    store.recovery.replace(&user.login, user.password.as_deref(), new);
    store.clear_lockout(&user.login.to_ascii_lowercase());
    let now = chrono_like(state.clock.now_secs());
    let answer = json!({
        "id": format!("00T{}", user.user_id().get(3..).unwrap_or("")),
        "status": "ACTIVE",
        "created": now,
        "lastUpdated": now,
        "_links": { "self": { "href": format!("{}/idp/myaccount/password", state.base_url), "hints": { "allow": ["GET", "DELETE", "PUT"] } } },
    });
    let mut resp = (StatusCode::CREATED, answer.to_string()).into_response();
    resp.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(MYACCOUNT_JSON));
    Ok(resp)
}

/// `Accept` lists `application/json` with `okta-version=1.0.0` (the MyAccount API's versioning).
fn accepts_version(headers: &HeaderMap) -> bool {
    headers.get_all(header::ACCEPT).iter().filter_map(|v| v.to_str().ok()).flat_map(|v| v.split(',')).any(|range| {
        let mut parts = range.split(';').map(str::trim);
        parts.next().is_some_and(|t| t.eq_ignore_ascii_case("application/json"))
            && parts.any(|p| p.replace(' ', "").eq_ignore_ascii_case("okta-version=1.0.0"))
    })
}

/// The user of a live access token from the org server that carries the recovery scope.
fn bearer_user<'a>(state: &'a AppState, ctx: &mut Ctx, headers: &HeaderMap) -> Result<&'a UserSeed, ApiError> {
    let invalid = || bearer_error(StatusCode::UNAUTHORIZED, "E0000011", "Invalid token provided", "invalid_token");
    let auth = headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()).unwrap_or("");
    let token = auth.strip_prefix("Bearer ").or_else(|| auth.strip_prefix("bearer ")).ok_or_else(invalid)?;
    let claims = state.verify_jwt(token.trim()).ok_or_else(invalid)?;
    let jti = claims.get("jti").and_then(Value::as_str).ok_or_else(invalid)?;
    let rec = lock_store(state).map_err(|_| ApiError::internal())?.access_tokens.get(jti).cloned().ok_or_else(invalid)?;
    ctx.info.client_id = Some(rec.client_id.clone());
    ctx.info.login = Some(rec.login.clone());
    if rec.revoked || rec.expires_at <= state.clock.now_secs() {
        return Err(invalid());
    }
    // Okta mints `okta.myAccount.*` only on the org authorization server.
    if rec.server != "org" || !rec.scopes.iter().any(|s| s == RECOVERY_SCOPE) {
        return Err(bearer_error(
            StatusCode::FORBIDDEN,
            "E0000006",
            "You do not have permission to perform the requested action",
            "insufficient_scope",
        ));
    }
    state.user(&rec.login).ok_or_else(invalid)
}

/// What the password breaks, as Okta words it (`None`: it is acceptable).
pub fn policy_violation(login: &str, new: &str, recent: &[&str]) -> Option<String> {
    if recent.first().is_some_and(|current| crate::ct::constant_time_eq(current.as_bytes(), new.as_bytes())) {
        return Some("password: Password cannot be your current password".into());
    }
    if recent.iter().any(|old| crate::ct::constant_time_eq(old.as_bytes(), new.as_bytes())) {
        return Some("password: Password has been used too recently".into());
    }
    let lower = new.to_lowercase();
    let username_part = login.split(['@', '.', '_', '-', '+']).filter(|p| p.len() >= 3).any(|p| lower.contains(&p.to_lowercase()));
    let weak = new.chars().count() < MIN_LENGTH
        || !new.chars().any(char::is_lowercase)
        || !new.chars().any(char::is_uppercase)
        || !new.chars().any(|c| c.is_ascii_digit())
        || username_part;
    weak.then(|| format!("password: Password requirements were not met. {}", requirements()))
}

/// The policy in Okta's words (its example policy: 8 characters, lower, upper, number, no
/// parts of the username, not the last 4).
pub fn requirements() -> String {
    format!("Password requirements: at least {MIN_LENGTH} characters, a lowercase letter, an uppercase letter, a number, no parts of your username. Your password cannot be any of your last {HISTORY} password(s).")
}

fn validation(cause: &str) -> ApiError {
    api_error(StatusCode::BAD_REQUEST, "E0000001", "Api validation failed: Password", &[cause])
}

fn api_error(status: StatusCode, code: &'static str, summary: &str, causes: &[&str]) -> ApiError {
    ApiError { status, code, summary: summary.to_owned(), causes: causes.iter().map(|c| (*c).to_owned()).collect(), www_authenticate: None }
}

fn bearer_error(status: StatusCode, code: &'static str, summary: &str, error: &str) -> ApiError {
    ApiError {
        www_authenticate: Some(format!("Bearer realm=\"IdpMyAccountAPI\", error=\"{error}\"")),
        ..api_error(status, code, summary, &[])
    }
}

/// The Okta API error form with `errorCauses` (and `WWW-Authenticate` for the bearer token).
#[derive(Debug)]
struct ApiError {
    status: StatusCode,
    code: &'static str,
    summary: String,
    causes: Vec<String>,
    www_authenticate: Option<String>,
}

impl ApiError {
    fn internal() -> Self {
        api_error(StatusCode::INTERNAL_SERVER_ERROR, "E0000009", "Internal Server Error", &[])
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let causes: Vec<Value> = self.causes.iter().map(|c| json!({ "errorSummary": c })).collect();
        let body = json!({
            "errorCode": self.code,
            "errorSummary": self.summary,
            "errorLink": self.code,
            "errorId": format!("oae{}", crate::keys::random_id(12)),
            "errorCauses": causes,
        });
        let mut resp = json_response(self.status, &body);
        if let Some(v) = self.www_authenticate.and_then(|w| HeaderValue::from_str(&w).ok()) {
            resp.headers_mut().insert(header::WWW_AUTHENTICATE, v);
        }
        resp.extensions_mut().insert(LoggedError(self.code.to_string()));
        resp
    }
}

/// `2026-12-01T09:30:00.000Z` for a Unix time (no date crate in the emulator).
fn chrono_like(secs: i64) -> String {
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    // Civil from days (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.000Z", rem / 3600, rem % 3600 / 60, rem % 60)
}
