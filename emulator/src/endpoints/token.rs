//! `POST …/v1/token`: password, otp, oob, mfa-otp, mfa-oob and refresh_token grants.

use super::recovery;
use super::{
    authenticate_client, check_context, check_mfa_token, first_factor_done, issue_tokens, lock_store, norm_acr,
    parse_grant_types_supported, parse_scope, rate_limit, require_grant, same_scopes, second_factor_done, split_scope, Ctx, Failure,
};
use crate::errors::OAuthError;
use crate::form::{read_form, Form};
use crate::recovery_state::Intent;
use crate::seed::*;
use crate::state::{AppState, AuthServer};
use crate::store::{Binding, OobStatus, OobTxn, TxnContext};
use axum::body::Body;
use axum::extract::{OriginalUri, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use std::sync::Arc;

/// Polls arriving this much earlier than `interval` are still accepted (timer jitter).
const POLL_SLACK_MS: i64 = 250;

pub async fn token(State(state): State<Arc<AppState>>, uri: OriginalUri, headers: HeaderMap, body: Body) -> Response {
    let mut ctx = Ctx { no_store: true, ..Ctx::default() };
    let result = token_inner(&state, &mut ctx, uri.path(), &headers, body).await;
    ctx.finish(result)
}

async fn token_inner(state: &AppState, ctx: &mut Ctx, path: &str, headers: &HeaderMap, body: Body) -> Result<Response, Failure> {
    let server = state.server_for_path(path)?;
    let form = read_form(headers, body).await?;
    ctx.info.grant_type = form.get("grant_type").map(str::to_string);
    let client = authenticate_client(state, headers, &form, path, ctx)?;
    let Some(grant) = form.get("grant_type") else {
        let mut valid: Vec<&str> = vec![GRANT_AUTH_CODE];
        valid.extend(IMPLEMENTED_GRANTS);
        return Err(OAuthError::invalid_request(format!(
            "The token request must specify a 'grant_type'. Valid values: [{}]",
            valid.join(", ")
        ))
        .into());
    };

    // Okta's rules for browser requests (an Origin header) to /token (protocol notes §9).
    super::browser_rules::check(state, headers, client, grant, &form)?;
    super::attestation::check_request(client, form.get("acr_values"))?;

    if !IMPLEMENTED_GRANTS.contains(&grant) {
        if !KNOWN_GRANTS.contains(&grant) {
            return Err(OAuthError::unsupported_grant_type(&server_grants()).into());
        }
        require_grant(client, grant)?;
        if grant == GRANT_AUTH_CODE {
            // The emulator has no /authorize, so no code it could be sent is valid.
            return Err(OAuthError::invalid_grant("The authorization code is invalid or has expired.").into());
        }
        return Err(OAuthError::unsupported_grant_type(&server_grants()).into());
    }
    require_grant(client, grant)?;
    let gts = parse_grant_types_supported(form.get("grant_types_supported"))?;
    let gts = gts.as_deref();
    let intent = recovery::intent(&form)?;
    recovery::check_scope(intent, form.get("scope"))?;
    if matches!(grant, GRANT_MFA_OTP | GRANT_MFA_OOB) {
        recovery::check_mfa_intent(intent)?;
    }

    match grant {
        GRANT_PASSWORD => password(state, ctx, &server, client, &form, gts),
        GRANT_OTP => otp(state, ctx, &server, client, &form, gts),
        GRANT_OOB => oob(state, ctx, &server, client, &form, gts),
        GRANT_MFA_OTP => mfa_otp(state, ctx, &server, client, &form),
        GRANT_MFA_OOB => mfa_oob(state, ctx, &server, client, &form),
        GRANT_WEBAUTHN => super::webauthn::grant(state, ctx, &server, client, &form, gts),
        GRANT_MFA_WEBAUTHN => super::webauthn::mfa_grant(state, ctx, &server, client, &form),
        _ => refresh(state, ctx, &server, client, &form),
    }
}

fn server_grants() -> Vec<&'static str> {
    let mut g = vec![GRANT_AUTH_CODE, "implicit", "client_credentials"];
    g.extend(IMPLEMENTED_GRANTS);
    g
}

fn required_scope(server: &AuthServer, form: &Form) -> Result<Vec<String>, OAuthError> {
    match form.get("scope") {
        Some(s) => parse_scope(server, s),
        None => Err(OAuthError::invalid_scope("No scopes were requested.")),
    }
}

fn lock_check(state: &AppState, login: &str) -> Result<bool, OAuthError> {
    Ok(lock_store(state)?.is_locked(&login.to_ascii_lowercase(), state.clock.now_ms()))
}

fn record_failure(state: &AppState, login: &str) {
    if let Ok(mut s) = state.store.lock() {
        s.record_failure(&login.to_ascii_lowercase(), state.clock.now_ms(), state.config.lockout_after, state.config.lockout_secs);
    }
}

/// Verifies a TOTP code for `user` (±1 step, each step once).
fn verify_totp(state: &AppState, user: &UserSeed, code: Option<&str>) -> Result<(), Failure> {
    let Some(secret) = user.totp_secret.as_deref().and_then(crate::totp::decode_base32) else {
        return Err(OAuthError::enrollment_required().into());
    };
    if lock_check(state, &user.login)? {
        return Err(OAuthError::invalid_otp().into());
    }
    let step = code.and_then(|c| crate::totp::matching_step(&secret, state.clock.now_secs(), c));
    let fresh = match step {
        Some(s) => lock_store(state)?.use_totp_step(&user.login.to_ascii_lowercase(), s),
        None => false,
    };
    if !fresh {
        record_failure(state, &user.login);
        return Err(OAuthError::invalid_otp().into());
    }
    Ok(())
}

fn password(
    state: &AppState,
    ctx: &mut Ctx,
    server: &AuthServer,
    client: &ClientSeed,
    form: &Form,
    gts: Option<&[String]>,
) -> Result<Response, Failure> {
    let username = form.require("username")?;
    ctx.info.login = Some(username.to_string());
    let password = form.require("password")?;
    let scopes = required_scope(server, form)?;
    rate_limit(state, ctx, &client.client_id, username)?;
    let Some(user) = state.user(username) else {
        return Err(OAuthError::invalid_credentials().into());
    };
    if lock_check(state, &user.login)? {
        return Err(OAuthError::invalid_credentials().into());
    }
    let (current, replaced) = {
        let store = lock_store(state)?;
        (store.recovery.current(&user.login, user.password.as_deref()).map(str::to_owned), store.recovery.was_replaced(&user.login))
    };
    let ok = current.map(|p| crate::ct::constant_time_eq(p.as_bytes(), password.as_bytes())).unwrap_or(false);
    if !ok {
        record_failure(state, &user.login);
        return Err(OAuthError::invalid_credentials().into());
    }
    if recovery::intent(form)? == Some(Intent::Recovery) {
        return recovery::finish(state, server, client, user, FactorKind::Password, "pwd");
    }
    // Only once the password is known to be right does its expiry show (a new one is not expired).
    if let Some(kind) = user.password_expired.filter(|_| !replaced) {
        return Err(OAuthError::password_expired(kind).into());
    }
    let txn = TxnContext {
        client_id: client.client_id.clone(),
        server: server.key.clone(),
        scope: Some(scopes.join(" ")),
        acr_values: norm_acr(form.get("acr_values")),
    };
    first_factor_done(state, txn, server, client, user, FactorKind::Password, "pwd", gts)
}

fn otp(
    state: &AppState,
    ctx: &mut Ctx,
    server: &AuthServer,
    client: &ClientSeed,
    form: &Form,
    gts: Option<&[String]>,
) -> Result<Response, Failure> {
    let login = form.get("login_hint").ok_or_else(OAuthError::missing_login_hint)?;
    ctx.info.login = Some(login.to_string());
    let scopes = required_scope(server, form)?;
    rate_limit(state, ctx, &client.client_id, login)?;
    let Some(user) = state.user(login) else {
        return Err(OAuthError::invalid_login_hint().into());
    };
    verify_totp(state, user, form.get("otp"))?;
    if recovery::intent(form)? == Some(Intent::Recovery) {
        return recovery::finish(state, server, client, user, FactorKind::Otp, "otp");
    }
    let txn = TxnContext {
        client_id: client.client_id.clone(),
        server: server.key.clone(),
        scope: Some(scopes.join(" ")),
        acr_values: norm_acr(form.get("acr_values")),
    };
    first_factor_done(state, txn, server, client, user, FactorKind::Otp, "otp", gts)
}

fn load_oob(state: &AppState, code: &str) -> Result<OobTxn, Failure> {
    lock_store(state)?.oob.get(code).cloned().ok_or_else(|| OAuthError::invalid_grant("The 'oob_code' is invalid.").into())
}

/// One poll or exchange of an `oob_code`: slow_down, pending, denied, wrong binding code,
/// or success (which spends the code).
fn redeem_oob(state: &AppState, code: &str, binding_code: Option<&str>) -> Result<(), Failure> {
    let now = state.clock.now_ms();
    let lockout_after = state.config.lockout_after;
    let lockout_secs = state.config.lockout_secs;
    let mut store = lock_store(state)?;
    let Some(txn) = store.oob.get(code).cloned() else {
        return Err(OAuthError::invalid_grant("The 'oob_code' is invalid.").into());
    };
    if txn.consumed {
        return Err(OAuthError::invalid_grant("The 'oob_code' is invalid.").into());
    }
    if now >= txn.expires_at_ms {
        return Err(OAuthError::expired("oob_code").into());
    }
    let interval_ms = txn.interval_secs.unwrap_or(0) as i64 * 1000;
    let too_fast = txn.last_poll_ms.map(|last| now - last < interval_ms - POLL_SLACK_MS).unwrap_or(false);
    match (&txn.binding, binding_code) {
        (Binding::Prompt(expected), Some(given)) => {
            if store.is_locked(&txn.login, now) {
                return Err(OAuthError::invalid_otp().into());
            }
            if !crate::ct::constant_time_eq(expected.as_bytes(), given.trim().as_bytes()) {
                store.record_failure(&txn.login, now, lockout_after, lockout_secs);
                return Err(OAuthError::invalid_otp().into());
            }
        }
        _ => {
            if let Some(t) = store.oob.get_mut(code) {
                t.last_poll_ms = Some(now);
            }
            if too_fast {
                return Err(OAuthError::slow_down().into());
            }
            match (&txn.binding, txn.status) {
                (Binding::Prompt(_), _) => return Err(OAuthError::authorization_pending().into()),
                (_, OobStatus::Pending) => return Err(OAuthError::authorization_pending().into()),
                (_, OobStatus::Denied) => return Err(OAuthError::oob_rejected().into()),
                (_, OobStatus::Approved) => {}
            }
        }
    }
    if let Some(t) = store.oob.get_mut(code) {
        t.consumed = true;
        t.status = OobStatus::Approved;
    }
    if let Some(p) = &txn.push_id {
        store.pushes.remove(p);
    }
    Ok(())
}

fn oob(
    state: &AppState,
    ctx: &mut Ctx,
    server: &AuthServer,
    client: &ClientSeed,
    form: &Form,
    gts: Option<&[String]>,
) -> Result<Response, Failure> {
    let code = form.require("oob_code")?;
    let txn = load_oob(state, code)?;
    ctx.info.login = Some(txn.login.clone());
    let scopes = required_scope(server, form)?;
    if txn.mfa_token.is_some() {
        // A second-factor code cannot stand in for a first factor.
        return Err(OAuthError::invalid_grant("The 'oob_code' is invalid.").into());
    }
    rate_limit(state, ctx, &client.client_id, &txn.login)?;
    check_context(&txn.ctx, client, server, None, form.get("acr_values"))?;
    // The first poll fixes the transaction's scope; later polls must repeat it.
    match &txn.ctx.scope {
        Some(orig) if !same_scopes(&scopes, &split_scope(orig)) => {
            return Err(OAuthError::scopes_changed(form.get("scope").unwrap_or(""), orig).into());
        }
        Some(_) => {}
        None => {
            if let Some(t) = lock_store(state)?.oob.get_mut(code) {
                t.ctx.scope = Some(scopes.join(" "));
            }
        }
    }
    let intent = recovery::intent(form)?;
    recovery::check_oob_intent(state, code, intent)?;
    redeem_oob(state, code, form.get("binding_code"))?;
    let user = state.user(&txn.login).ok_or_else(OAuthError::invalid_login_hint)?;
    if intent == Some(Intent::Recovery) {
        return recovery::finish(state, server, client, user, txn.channel.kind(), txn.channel.amr());
    }
    let mut tctx = txn.ctx.clone();
    tctx.scope = Some(scopes.join(" "));
    first_factor_done(state, tctx, server, client, user, txn.channel.kind(), txn.channel.amr(), gts)
}

fn mfa_otp(state: &AppState, ctx: &mut Ctx, server: &AuthServer, client: &ClientSeed, form: &Form) -> Result<Response, Failure> {
    let token = form.require("mfa_token")?;
    let mfa = check_mfa_token(state, token, client, server, form.get("scope"), form.get("acr_values"))?;
    ctx.info.login = Some(mfa.login.clone());
    rate_limit(state, ctx, &client.client_id, &mfa.login)?;
    let user = state.user(&mfa.login).ok_or_else(OAuthError::invalid_login_hint)?;
    if user.totp_secret.is_none() {
        return Err(OAuthError::enrollment_required().into());
    }
    if mfa.first == FactorKind::Otp {
        return Err(OAuthError::not_challenged().into());
    }
    verify_totp(state, user, form.get("otp"))?;
    second_factor_done(state, token, &mfa, server, client, user, "otp")
}

fn mfa_oob(state: &AppState, ctx: &mut Ctx, server: &AuthServer, client: &ClientSeed, form: &Form) -> Result<Response, Failure> {
    let code = form.require("oob_code")?;
    let txn = load_oob(state, code)?;
    ctx.info.login = Some(txn.login.clone());
    // `mfa_token` is required by the spec but the guide's SMS/voice example omits it:
    // when absent, the code's own transaction is used.
    let token = match (form.get("mfa_token"), &txn.mfa_token) {
        (Some(given), Some(own)) if given == own => own.clone(),
        (Some(_), _) => return Err(OAuthError::oob_not_for_mfa_token().into()),
        (None, Some(own)) => own.clone(),
        (None, None) => return Err(OAuthError::missing_param("mfa_token").into()),
    };
    let mfa = check_mfa_token(state, &token, client, server, form.get("scope"), form.get("acr_values"))?;
    rate_limit(state, ctx, &client.client_id, &txn.login)?;
    redeem_oob(state, code, form.get("binding_code"))?;
    let user = state.user(&txn.login).ok_or_else(OAuthError::invalid_login_hint)?;
    second_factor_done(state, &token, &mfa, server, client, user, txn.channel.amr())
}

fn refresh(state: &AppState, ctx: &mut Ctx, server: &AuthServer, client: &ClientSeed, form: &Form) -> Result<Response, Failure> {
    let rt = form.require("refresh_token")?;
    let rec = lock_store(state)?.refresh_tokens.get(rt).cloned();
    let Some(rec) = rec.filter(|r| !r.spent) else {
        return Err(OAuthError::invalid_refresh_token().into());
    };
    ctx.info.login = Some(rec.login.clone());
    if rec.client_id != client.client_id {
        return Err(OAuthError::invalid_grant(
            "The grant was issued to another client. Please make sure the 'client_id' matches the one used at the authorize request.",
        )
        .into());
    }
    if rec.server != server.key {
        return Err(OAuthError::invalid_request("The grant was issued for another authorization server.").into());
    }
    let scopes = match form.get("scope") {
        Some(s) => {
            let requested = parse_scope(server, s)?;
            let denied: Vec<&String> = requested.iter().filter(|r| !rec.scopes.contains(r)).collect();
            if !denied.is_empty() {
                return Err(OAuthError::new(
                    StatusCode::BAD_REQUEST,
                    "access_denied",
                    format!(
                        "Some of the scopes requested for the refresh request were not granted in the original authorize request. Denied scopes: {}.",
                        denied.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(", ")
                    ),
                )
                .into());
            }
            requested
        }
        None => rec.scopes.clone(),
    };
    rate_limit(state, ctx, &client.client_id, &rec.login)?;
    let user = state.user(&rec.login).ok_or_else(OAuthError::invalid_refresh_token)?;
    {
        // Rotation: the presented refresh token is spent.
        let mut store = lock_store(state)?;
        match store.refresh_tokens.get_mut(rt) {
            Some(r) if !r.spent => r.spent = true,
            _ => return Err(OAuthError::invalid_refresh_token().into()),
        }
    }
    issue_tokens(state, server, client, user, &scopes, rec.amr.clone(), rec.auth_time)
}
