//! `POST …/v1/primary-authenticate` and its deprecated predecessor `…/v1/oob-authenticate`:
//! start an out-of-band first factor (push, SMS, voice, email).

use super::{authenticate_client, lock_store, norm_acr, rate_limit, require_grant, Ctx, Failure};
use crate::errors::{json_response, OAuthError};
use crate::form::read_form;
use crate::seed::{ClientSeed, PushMode, UserSeed, GRANT_OOB};
use crate::state::AppState;
use crate::store::{Binding, Channel, OobStatus, OobTxn, OutboxMessage, TxnContext};
use axum::body::Body;
use axum::extract::{OriginalUri, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use rand::seq::SliceRandom;
use rand::Rng;
use serde_json::{json, Value};
use std::sync::Arc;

pub async fn primary_authenticate(State(state): State<Arc<AppState>>, uri: OriginalUri, headers: HeaderMap, body: Body) -> Response {
    let mut ctx = Ctx::default();
    let result = start(&state, &mut ctx, uri.path(), &headers, body, true).await;
    ctx.finish(result)
}

pub async fn oob_authenticate(State(state): State<Arc<AppState>>, uri: OriginalUri, headers: HeaderMap, body: Body) -> Response {
    let mut ctx = Ctx::default();
    let result = start(&state, &mut ctx, uri.path(), &headers, body, false).await;
    ctx.finish(result)
}

async fn start(
    state: &AppState,
    ctx: &mut Ctx,
    path: &str,
    headers: &HeaderMap,
    body: Body,
    challenge_hint_required: bool,
) -> Result<Response, Failure> {
    let server = state.server_for_path(path)?;
    let form = read_form(headers, body).await?;
    let client = authenticate_client(state, headers, &form, path, ctx)?;
    match form.get("challenge_hint") {
        Some(GRANT_OOB) => {}
        Some(crate::seed::GRANT_WEBAUTHN) if challenge_hint_required => {
            return super::webauthn::primary_challenge(state, ctx, &server, client, &form)
        }
        Some(other) => return Err(OAuthError::invalid_challenge_hint(other).into()),
        None if challenge_hint_required => return Err(OAuthError::missing_param("challenge_hint").into()),
        None => {}
    }
    // Choice (protocol notes §2, §11.5): Okta's catalogue has `direct_auth_scope_not_allowed`
    // ("The 'scope' parameter is unsupported on this endpoint") and the email-channel guide
    // draft says this endpoint does not accept `scope`, so a `scope` here is a 400
    // invalid_scope. Scope is given later, on the /token poll or exchange.
    if form.contains("scope") {
        return Err(OAuthError::scope_not_allowed().into());
    }
    require_grant(client, GRANT_OOB)?;
    super::attestation::check_request(client, form.get("acr_values"))?;
    let login = form.get("login_hint").ok_or_else(OAuthError::missing_login_hint)?;
    ctx.info.login = Some(login.to_string());
    let channel_raw = form.require("channel_hint")?;
    let channel = Channel::parse(channel_raw).ok_or_else(|| OAuthError::invalid_channel_hint(channel_raw))?;
    rate_limit(state, ctx, &client.client_id, login)?;
    let txn = TxnContext {
        client_id: client.client_id.clone(),
        server: server.key.clone(),
        scope: None,
        acr_values: norm_acr(form.get("acr_values")),
    };
    let user = match state.user(login) {
        Some(user) if has_channel(user, channel) => user,
        // Okta does not reveal whether an email exists or is enrolled: the same answer shape,
        // with an `oob_code` that can never be redeemed.
        _ if channel == Channel::Email => return Ok(json_response(StatusCode::OK, &super::email::decoy(state, client, login, txn)?)),
        Some(_) => return Err(OAuthError::enrollment_required().into()),
        None => return Err(OAuthError::invalid_login_hint().into()),
    };
    let body = start_oob(state, client, user, channel, txn, None)?;
    Ok(json_response(StatusCode::OK, &body))
}

pub fn has_channel(user: &UserSeed, channel: Channel) -> bool {
    match channel {
        Channel::Push => user.push != PushMode::None,
        Channel::Sms | Channel::Voice => user.phone.is_some(),
        Channel::Email => user.email_factor,
    }
}

/// Creates an `oob_code` (sending the push or delivering the SMS/voice code) and returns the
/// response fields of protocol notes §4.2.
pub fn start_oob(
    state: &AppState,
    client: &ClientSeed,
    user: &UserSeed,
    channel: Channel,
    txn: TxnContext,
    mfa_token: Option<String>,
) -> Result<Value, Failure> {
    let now = state.clock.now_ms();
    let lifetime = client.oob_lifetime.unwrap_or(state.config.oob_lifetime);
    let interval = client.interval.unwrap_or(state.config.interval);
    let enforced_interval = client.enforced_interval.unwrap_or(interval).max(interval);
    let mut rng = rand::thread_rng();
    let login = user.login.to_ascii_lowercase();
    let (binding, push_id, choices) = match channel {
        Channel::Push if user.push == PushMode::NumberChallenge => {
            let right: u32 = rng.gen_range(10..100);
            let mut choices = vec![right];
            while choices.len() < 3 {
                let n: u32 = rng.gen_range(10..100);
                if !choices.contains(&n) {
                    choices.push(n);
                }
            }
            choices.shuffle(&mut rng);
            (Binding::Transfer(format!("{right}")), Some(crate::keys::random_id(12)), Some(choices))
        }
        Channel::Push => (Binding::None, Some(crate::keys::random_id(12)), None),
        Channel::Sms | Channel::Voice | Channel::Email => (Binding::Prompt(format!("{:06}", rng.gen_range(0..1_000_000u32))), None, None),
    };
    let code = crate::keys::random_id(24);
    let mut body = json!({
        "oob_code": code,
        "expires_in": lifetime,
        "channel": channel.as_str(),
    });
    match &binding {
        Binding::None => {
            body["interval"] = json!(interval);
            body["binding_method"] = json!("none");
        }
        Binding::Transfer(bc) => {
            body["interval"] = json!(interval);
            body["binding_method"] = json!("transfer");
            body["binding_code"] = json!(bc);
        }
        Binding::Prompt(_) => {
            body["binding_method"] = json!("prompt");
        }
    }
    let oob = OobTxn {
        ctx: txn,
        login: login.clone(),
        channel,
        binding: binding.clone(),
        mfa_token,
        created_ms: now,
        expires_at_ms: now + (lifetime as i64) * 1000,
        interval_secs: if channel == Channel::Push { Some(enforced_interval) } else { None },
        last_poll_ms: None,
        status: OobStatus::Pending,
        consumed: false,
        push_id: push_id.clone(),
        number_choices: choices,
    };
    let mut store = lock_store(state)?;
    store.prune(now);
    if let Binding::Prompt(sms_code) = &binding {
        let (to, body) = match channel {
            Channel::Email => (user.email(), format!("Your sign-in code is {sms_code}. It expires in {} minutes.", lifetime.div_ceil(60))),
            _ => (user.phone.clone().unwrap_or_default(), format!("Your verification code is {sms_code}")),
        };
        store.deliver(&login, OutboxMessage { channel, to, code: sms_code.clone(), body, sent_at: now });
    }
    if let Some(p) = push_id {
        store.pushes.insert(p, code.clone());
    }
    store.oob.insert(code, oob);
    Ok(body)
}
