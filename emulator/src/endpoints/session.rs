//! `GET …/v1/userinfo` (Bearer access token) and `POST …/v1/revoke`.

use super::{authenticate_client, lock_store, Ctx, Failure};
use crate::errors::{json_response, OAuthError};
use crate::form::read_form;
use crate::state::{AppState, AuthServer};
use axum::body::Body;
use axum::extract::{OriginalUri, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{json, Value};
use std::sync::Arc;

fn bearer_error(server: &AuthServer, path: &str, status: StatusCode, error: &'static str, description: &str) -> OAuthError {
    let mut e = OAuthError::new(status, error, description);
    e.www_authenticate = Some(format!(
        "Bearer authorization_uri=\"{}/authorize\", realm=\"{}\", scope=\"openid\", error=\"{}\", error_description=\"{}\", resource=\"{}\"",
        server.endpoint_base,
        server.issuer.split("/oauth2/").next().unwrap_or(&server.issuer),
        error,
        description,
        path
    ));
    e
}

pub async fn userinfo(State(state): State<Arc<AppState>>, uri: OriginalUri, headers: HeaderMap) -> Response {
    let mut ctx = Ctx::default();
    let result = userinfo_inner(&state, &mut ctx, uri.path(), &headers);
    ctx.finish(result)
}

fn userinfo_inner(state: &AppState, ctx: &mut Ctx, path: &str, headers: &HeaderMap) -> Result<Response, Failure> {
    let server = state.server_for_path(path)?;
    let auth = headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok());
    let Some(token) = auth.and_then(|a| a.strip_prefix("Bearer ").or_else(|| a.strip_prefix("bearer "))) else {
        return Err(bearer_error(&server, path, StatusCode::UNAUTHORIZED, "invalid_request", "The access token is missing.").into());
    };
    let invalid = || bearer_error(&server, path, StatusCode::UNAUTHORIZED, "invalid_token", "The access token is invalid.");
    let claims = state.verify_jwt(token.trim()).ok_or_else(invalid)?;
    let jti = claims.get("jti").and_then(Value::as_str).ok_or_else(invalid)?;
    let rec = lock_store(state)?.access_tokens.get(jti).cloned().ok_or_else(invalid)?;
    ctx.info.client_id = Some(rec.client_id.clone());
    ctx.info.login = Some(rec.login.clone());
    if rec.revoked || rec.server != server.key {
        return Err(invalid().into());
    }
    if rec.expires_at <= state.clock.now_secs() {
        return Err(bearer_error(&server, path, StatusCode::UNAUTHORIZED, "invalid_token", "The token has expired.").into());
    }
    let has = |s: &str| rec.scopes.iter().any(|x| x == s);
    if !has("openid") {
        return Err(bearer_error(
            &server,
            path,
            StatusCode::FORBIDDEN,
            "insufficient_scope",
            "The access token provided does not contain the required scopes.",
        )
        .into());
    }
    let user = state.user(&rec.login).ok_or_else(invalid)?;
    let mut body = json!({ "sub": user.user_id() });
    if has("profile") {
        body["name"] = json!(user.name);
        body["preferred_username"] = json!(user.login);
        body["updated_at"] = json!(1_700_000_000);
    }
    if has("email") {
        body["email"] = json!(user.email());
        body["email_verified"] = json!(true);
    }
    if has("phone") {
        if let Some(p) = &user.phone {
            body["phone_number"] = json!(p);
        }
    }
    Ok(json_response(StatusCode::OK, &body))
}

pub async fn revoke(State(state): State<Arc<AppState>>, uri: OriginalUri, headers: HeaderMap, body: Body) -> Response {
    let mut ctx = Ctx::default();
    let result = revoke_inner(&state, &mut ctx, uri.path(), &headers, body).await;
    ctx.finish(result)
}

async fn revoke_inner(state: &AppState, ctx: &mut Ctx, path: &str, headers: &HeaderMap, body: Body) -> Result<Response, Failure> {
    let server = state.server_for_path(path)?;
    let form = read_form(headers, body).await?;
    let client = authenticate_client(state, headers, &form, path, ctx)?;
    let token = form.get("token").ok_or_else(|| OAuthError::invalid_request("The 'token' parameter is required."))?;
    {
        let mut store = lock_store(state)?;
        if let Some(r) = store.refresh_tokens.get_mut(token) {
            if r.client_id == client.client_id && r.server == server.key {
                r.spent = true;
                ctx.info.login = Some(r.login.clone());
            }
        }
    }
    if let Some(claims) = state.verify_jwt(token) {
        if let Some(jti) = claims.get("jti").and_then(Value::as_str) {
            let mut store = lock_store(state)?;
            if let Some(a) = store.access_tokens.get_mut(jti) {
                if a.client_id == client.client_id && a.server == server.key {
                    a.revoked = true;
                    ctx.info.login = Some(a.login.clone());
                }
            }
        }
    }
    // 200 with an empty body, for unknown tokens too (RFC 7009 §2.2).
    Ok(StatusCode::OK.into_response())
}
