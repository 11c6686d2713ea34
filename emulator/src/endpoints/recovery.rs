//! Self-service password recovery on the direct-auth grants (protocol notes §3.11): the
//! recovery intent (Swift `intent=recovery`, Kotlin `prompt=recover_authenticator`), the scope
//! `okta.myAccount.password.manage` granted only under it, and the recovery policy. Texts are
//! the catalogue's (`direct_auth_intent_*`, `direct_auth_invalid_scope_for_intent`,
//! `direct_auth_recovery_*`, `oauth2-error-codes.json` 2026.08.1).
//!
//! The emulator's recovery policy: one recovery factor (OTP, SMS, voice, email, push) proves
//! the user, whatever their sign-in policy (no `mfa_required`); the password is never a
//! recovery factor; only users with a password can recover it. The token it gives carries
//! only the recovery scope (no ID or refresh token), for `PUT /idp/myaccount/password`.

use super::{issue_tokens, lock_store, Failure};
use crate::errors::OAuthError;
use crate::form::Form;
use crate::recovery_state::Intent;
use crate::seed::{ClientSeed, FactorKind, PushMode, UserSeed};
use crate::state::{AppState, AuthServer};
use axum::http::StatusCode;
use axum::response::Response;

pub const RECOVERY_SCOPE: &str = "okta.myAccount.password.manage";

/// The intent a `/token` request states, if any. `intent` takes `recovery` or `signIn`;
/// `prompt=recover_authenticator` means recovery (other `prompt` values are not about intent).
pub fn intent(form: &Form) -> Result<Option<Intent>, OAuthError> {
    let stated = match form.get("intent") {
        None => None,
        Some("recovery") => Some(Intent::Recovery),
        Some("signIn") => Some(Intent::SignIn),
        Some(other) => return Err(invalid_intent(other)),
    };
    let prompted = (form.get("prompt") == Some("recover_authenticator")).then_some(Intent::Recovery);
    match (stated, prompted) {
        (Some(Intent::SignIn), Some(_)) => Err(invalid_intent("signIn")),
        (stated, prompted) => Ok(stated.or(prompted)),
    }
}

/// The recovery scope only under the recovery intent, and nothing else under it.
pub fn check_scope(intent: Option<Intent>, scope: Option<&str>) -> Result<(), OAuthError> {
    let scopes: Vec<&str> = scope.unwrap_or("").split(' ').filter(|s| !s.is_empty()).collect();
    match intent {
        Some(Intent::Recovery) => match scopes.iter().find(|s| **s != RECOVERY_SCOPE) {
            Some(other) => Err(scope_for_intent(other, Intent::Recovery)),
            None => Ok(()),
        },
        _ if !scopes.contains(&RECOVERY_SCOPE) => Ok(()),
        None => Err(OAuthError::invalid_request("The intent parameter is required.")),
        Some(Intent::SignIn) => Err(scope_for_intent(RECOVERY_SCOPE, Intent::SignIn)),
    }
}

/// A second factor belongs to a sign-in: the recovery intent there changes the transaction's.
pub fn check_mfa_intent(intent: Option<Intent>) -> Result<(), OAuthError> {
    match intent {
        Some(Intent::Recovery) => Err(intent_changed(Intent::Recovery, Intent::SignIn)),
        _ => Ok(()),
    }
}

/// The first poll of an `oob_code` fixes its intent; later polls must state the same.
pub fn check_oob_intent(state: &AppState, oob_code: &str, intent: Option<Intent>) -> Result<(), OAuthError> {
    let intent = intent.unwrap_or(Intent::SignIn);
    let mut store = lock_store(state)?;
    let first = *store.recovery.oob_intents.entry(oob_code.to_owned()).or_insert(intent);
    if first == intent {
        Ok(())
    } else {
        Err(intent_changed(intent, first))
    }
}

/// The recovery factors the user has (the emulator's recovery policy).
fn has_recovery_factor(user: &UserSeed) -> bool {
    user.totp_secret.is_some() || user.phone.is_some() || user.push != PushMode::None || user.email_factor
}

/// A factor verified under the recovery intent: the recovery token, or the policy's refusal.
pub fn finish(
    state: &AppState,
    server: &AuthServer,
    client: &ClientSeed,
    user: &UserSeed,
    kind: FactorKind,
    amr: &'static str,
) -> Result<Response, Failure> {
    if user.password.is_none() {
        return Err(recovery_denied("Password recovery is not enabled for the user.").into());
    }
    if !has_recovery_factor(user) {
        return Err(recovery_denied("Recovery policy does not specify any authenticators that can be used for recovery.").into());
    }
    if kind == FactorKind::Password {
        return Err(recovery_denied("Authenticators required by recovery policy are not enabled authenticators.").into());
    }
    lock_store(state)?.record_success(&user.login.to_ascii_lowercase());
    issue_tokens(state, server, client, user, &[RECOVERY_SCOPE.to_owned()], vec![amr.to_owned()], state.clock.now_secs())
}

fn recovery_denied(description: &str) -> OAuthError {
    OAuthError::new(StatusCode::FORBIDDEN, "access_denied", description)
}

fn invalid_intent(value: &str) -> OAuthError {
    OAuthError::invalid_request(format!("'{value}' is an invalid intent."))
}

fn scope_for_intent(scope: &str, intent: Intent) -> OAuthError {
    OAuthError::invalid_scope(format!("scope '{scope}' cannot be requested with intent '{}'.", intent.as_str()))
}

fn intent_changed(got: Intent, original: Intent) -> OAuthError {
    OAuthError::invalid_request(format!(
        "The intent '{}' does not match the intent requested in the original request '{}'. Use the originally requested intent and try again.",
        got.as_str(),
        original.as_str()
    ))
}
