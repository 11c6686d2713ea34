//! The email channel's one rule beyond SMS: Okta does not reveal whether an email exists (or
//! is enrolled), so `/primary-authenticate` with `channel_hint=email` answers an unknown user
//! with the same shape as a known one. The decoy's `oob_code` can never be redeemed: no code is
//! delivered, its binding code is random and unguessable, and its login names no user.

use super::{lock_store, Failure};
use crate::seed::ClientSeed;
use crate::state::AppState;
use crate::store::{Binding, Channel, OobStatus, OobTxn, TxnContext};
use serde_json::{json, Value};

/// The answer a known email user gets (protocol notes §3.5), for a login that has no email
/// factor; nothing is sent anywhere.
pub fn decoy(state: &AppState, client: &ClientSeed, login: &str, txn: TxnContext) -> Result<Value, Failure> {
    let now = state.clock.now_ms();
    let lifetime = client.oob_lifetime.unwrap_or(state.config.oob_lifetime);
    let code = crate::keys::random_id(24);
    let oob = OobTxn {
        ctx: txn,
        // Not a seed login (those have no surrounding space): redeeming it finds no user.
        login: format!(" {}", login.trim().to_ascii_lowercase()),
        channel: Channel::Email,
        binding: Binding::Prompt(crate::keys::random_id(32)),
        mfa_token: None,
        created_ms: now,
        expires_at_ms: now + (lifetime as i64) * 1000,
        interval_secs: None,
        last_poll_ms: None,
        status: OobStatus::Pending,
        consumed: false,
        push_id: None,
        number_choices: None,
    };
    let mut store = lock_store(state)?;
    store.prune(now);
    store.oob.insert(code.clone(), oob);
    Ok(json!({ "oob_code": code, "expires_in": lifetime, "channel": "email", "binding_method": "prompt" }))
}
