//! `POST …/v1/challenge`: trigger the second factor of an `mfa_required` transaction.

use super::{authenticate_client, check_mfa_token, client_allows, rate_limit, Ctx, Failure};
use crate::endpoints::primary::{has_channel, start_oob};
use crate::errors::{json_response, OAuthError};
use crate::form::read_form;
use crate::seed::{FactorKind, GRANT_MFA_OOB, GRANT_MFA_OTP, GRANT_MFA_WEBAUTHN};
use crate::state::AppState;
use crate::store::Channel;
use axum::body::Body;
use axum::extract::{OriginalUri, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use serde_json::json;
use std::sync::Arc;

pub async fn challenge(State(state): State<Arc<AppState>>, uri: OriginalUri, headers: HeaderMap, body: Body) -> Response {
    let mut ctx = Ctx::default();
    let result = challenge_inner(&state, &mut ctx, uri.path(), &headers, body).await;
    ctx.finish(result)
}

async fn challenge_inner(state: &AppState, ctx: &mut Ctx, path: &str, headers: &HeaderMap, body: Body) -> Result<Response, Failure> {
    let server = state.server_for_path(path)?;
    let form = read_form(headers, body).await?;
    let client = authenticate_client(state, headers, &form, path, ctx)?;
    let token = form.require("mfa_token")?;
    let types_raw = form.require("challenge_types_supported")?;
    let mut types = Vec::new();
    // Any list of known types, in any order (Okta's Kotlin SDK sends mfa-webauthn, mfa-oob and
    // mfa-otp by default); the first the user can use is chosen below.
    for t in types_raw.split(' ').filter(|s| !s.is_empty()) {
        if ![GRANT_MFA_OTP, GRANT_MFA_OOB, GRANT_MFA_WEBAUTHN].contains(&t) {
            return Err(OAuthError::invalid_challenge_type(t).into());
        }
        types.push(t);
    }
    let channel = match form.get("channel_hint") {
        Some(c) => Some(Channel::parse(c).ok_or_else(|| OAuthError::invalid_channel_hint(c))?),
        None => None,
    };
    if !types.iter().any(|t| client_allows(client, t)) {
        return Err(OAuthError::unauthorized_client(&client.grant_types).into());
    }
    super::attestation::check_request(client, form.get("acr_values"))?;
    // `scope` is not part of /challenge; if a client sends it anyway it must match the
    // transaction's (checked with acr_values and client/server consistency).
    let mfa = check_mfa_token(state, token, client, &server, form.get("scope"), form.get("acr_values"))?;
    ctx.info.login = Some(mfa.login.clone());
    rate_limit(state, ctx, &client.client_id, &mfa.login)?;
    let user = state.user(&mfa.login).ok_or_else(OAuthError::invalid_login_hint)?;

    // The first listed type the user can use and the policy allows (a different factor).
    let mut needs_channel = false;
    for t in &types {
        if !client_allows(client, t) {
            continue;
        }
        if *t == GRANT_MFA_WEBAUTHN {
            // A passkey when the user has one and the first factor was not one; else the next type.
            if mfa.first != FactorKind::Passkey && super::webauthn::has_passkey(state, &mfa.login) {
                return super::webauthn::mfa_challenge(state, ctx, client, token, &mfa);
            }
            continue;
        }
        if *t == GRANT_MFA_OTP {
            if user.totp_secret.is_some() && mfa.first != FactorKind::Otp {
                return Ok(json_response(StatusCode::OK, &json!({ "challenge_type": GRANT_MFA_OTP })));
            }
        } else {
            let Some(ch) = channel else {
                needs_channel = true;
                continue;
            };
            if has_channel(user, ch) && ch.kind() != mfa.first {
                let mut body = start_oob(state, client, user, ch, mfa.ctx.clone(), Some(token.to_string()))?;
                body["challenge_type"] = json!(GRANT_MFA_OOB);
                return Ok(json_response(StatusCode::OK, &body));
            }
        }
    }
    if needs_channel {
        return Err(OAuthError::missing_param("channel_hint").into());
    }
    Err(OAuthError::not_challenged().into())
}
