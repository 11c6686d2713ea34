//! Passkeys (WebAuthn) on Okta's endpoints (ANCHORS-2026-12 §1): the challenge on
//! `/primary-authenticate` (`challenge_hint=…:webauthn`, with `login_hint` or discoverable;
//! Swift's MFA with an `mfa_token`) and on `/challenge` (Kotlin's MFA), and the `/token` grants
//! `…:webauthn` and `…:mfa-webauthn`. The checks themselves are `crate::webauthn`'s.

use super::{check_mfa_token, client_allows, first_factor_done, norm_acr, rate_limit, require_grant, Ctx, Failure};
use super::{parse_grant_types_supported, parse_scope, second_factor_done};
use crate::errors::{json_response, OAuthError};
use crate::form::Form;
use crate::passkeys::Passkeys;
use crate::seed::{ClientSeed, FactorKind, UserSeed, WebAuthnQuirk, GRANT_MFA_WEBAUTHN, GRANT_WEBAUTHN};
use crate::state::{AppState, AuthServer};
use crate::store::{MfaTxn, TxnContext};
use crate::webauthn::{
    verify_assertion, AllowedCredential, AssertionError, AssertionForm, AssertionGrant, ChallengeBinding, ChallengeRequest, IssueError,
    StoredPasskey,
};
use axum::http::StatusCode;
use axum::response::Response;

/// The `amr` value of a passkey (RFC 8176 `hwk`: proof of possession of a hardware-secured key;
/// what Okta puts there for WebAuthn is not in the sources).
pub const AMR_PASSKEY: &str = "hwk";

fn lock_passkeys(state: &AppState) -> Result<std::sync::MutexGuard<'_, Passkeys>, OAuthError> {
    state.passkeys.lock().map_err(|_| OAuthError::server_error())
}

fn assertion_failure(e: AssertionError) -> Failure {
    let (status, error, description) = e.wire();
    OAuthError::new(status, error, description).into()
}

fn issue_failure(e: IssueError) -> Failure {
    let (status, error, description) = e.wire();
    OAuthError::new(status, error, description).into()
}

/// Whether the user has a passkey (for `supported_challenge_types` and the factor choice).
pub fn has_passkey(state: &AppState, login: &str) -> bool {
    state.passkeys.lock().map(|p| !p.of(login).is_empty()).unwrap_or(false)
}

/// Whether a passkey can be the second factor after `first`.
pub fn usable_as_second(state: &AppState, client: &ClientSeed, user: &UserSeed, first: FactorKind, gts: Option<&[String]>) -> bool {
    first != FactorKind::Passkey
        && client_allows(client, GRANT_MFA_WEBAUTHN)
        && gts.is_none_or(|g| g.iter().any(|x| x == GRANT_MFA_WEBAUTHN))
        && has_passkey(state, &user.login)
}

/// A challenge request with the client's user-verification setting.
fn request_for(state: &AppState, client: &ClientSeed, binding: ChallengeBinding, passkeys: &[StoredPasskey]) -> ChallengeRequest {
    let rp_id = client.webauthn_rp_id.as_deref().unwrap_or(state.relying_party.rp_id());
    let mut request = ChallengeRequest::new(binding, rp_id);
    request.allow_credentials = passkeys.iter().map(AllowedCredential::from).collect();
    if let Some(uv) = client.webauthn_user_verification {
        request.user_verification = uv;
    }
    request.send_rp_id = !client.webauthn_quirks.contains(&WebAuthnQuirk::OmitRpId);
    if client.webauthn_quirks.contains(&WebAuthnQuirk::CrossDomainAppid) {
        request.appid = Some(CROSS_DOMAIN_APPID.into());
    }
    request
}

/// The `appid` of `WebAuthnQuirk::CrossDomainAppid`.
pub const CROSS_DOMAIN_APPID: &str = "https://example.okta.com";

fn issue(state: &AppState, client: &ClientSeed, request: ChallengeRequest) -> Result<Response, Failure> {
    let now = state.clock.now_ms();
    let mut body = lock_passkeys(state)?.challenges.issue(request, now).map_err(issue_failure)?.body;
    if client.webauthn_quirks.contains(&WebAuthnQuirk::TransportsAsString) {
        let credentials = body.pointer_mut("/publicKey/allowCredentials").and_then(serde_json::Value::as_array_mut);
        for credential in credentials.into_iter().flatten() {
            if let Some(t) = credential.get_mut("transports") {
                *t = serde_json::Value::String(t.to_string());
            }
        }
    }
    Ok(json_response(StatusCode::OK, &body))
}

/// `/primary-authenticate` with `challenge_hint=urn:okta:params:oauth:grant-type:webauthn`.
pub fn primary_challenge(
    state: &AppState,
    ctx: &mut Ctx,
    server: &AuthServer,
    client: &ClientSeed,
    form: &Form,
) -> Result<Response, Failure> {
    super::attestation::check_request(client, form.get("acr_values"))?;
    // Kotlin sends `scope` and `grant_types_supported` here: checked, then given again at /token.
    if let Some(scope) = form.get("scope") {
        parse_scope(server, scope)?;
    }
    parse_grant_types_supported(form.get("grant_types_supported"))?;
    if let Some(token) = form.get("mfa_token") {
        // Swift's MFA: the same endpoint with the transaction's mfa_token.
        let mfa = check_mfa_token(state, token, client, server, None, form.get("acr_values"))?;
        return mfa_challenge(state, ctx, client, token, &mfa);
    }
    require_grant(client, GRANT_WEBAUTHN)?;
    let Some(login) = form.get("login_hint") else {
        // Discoverable credentials: any passkey of the RP ID may answer, its userHandle names the user.
        let binding = ChallengeBinding::Primary { client_id: client.client_id.clone(), login_hint: None };
        return issue(state, client, request_for(state, client, binding, &[]));
    };
    ctx.info.login = Some(login.to_string());
    rate_limit(state, ctx, &client.client_id, login)?;
    let user = state.user(login).ok_or_else(OAuthError::invalid_login_hint)?;
    let passkeys = lock_passkeys(state)?.of(&user.login).to_vec();
    if passkeys.is_empty() {
        return Err(OAuthError::enrollment_required().into());
    }
    let binding = ChallengeBinding::Primary { client_id: client.client_id.clone(), login_hint: Some(user.login.to_ascii_lowercase()) };
    issue(state, client, request_for(state, client, binding, &passkeys))
}

/// The MFA challenge, from `/challenge` (Kotlin) or `/primary-authenticate` + `mfa_token` (Swift).
pub fn mfa_challenge(state: &AppState, ctx: &mut Ctx, client: &ClientSeed, token: &str, mfa: &MfaTxn) -> Result<Response, Failure> {
    require_grant(client, GRANT_MFA_WEBAUTHN)?;
    ctx.info.login = Some(mfa.login.clone());
    rate_limit(state, ctx, &client.client_id, &mfa.login)?;
    let passkeys = lock_passkeys(state)?.of(&mfa.login).to_vec();
    if passkeys.is_empty() {
        return Err(OAuthError::enrollment_required().into());
    }
    if mfa.first == FactorKind::Passkey {
        return Err(OAuthError::not_challenged().into());
    }
    let binding = ChallengeBinding::Mfa { client_id: client.client_id.clone(), mfa_token: token.to_owned() };
    issue(state, client, request_for(state, client, binding, &passkeys))
}

fn assertion_form(form: &Form) -> Result<AssertionForm, Failure> {
    AssertionForm::from_fields(form.get("clientDataJSON"), form.get("authenticatorData"), form.get("signature"), form.get("userHandle"))
        .map_err(assertion_failure)
}

/// `/token` with `grant_type=urn:okta:params:oauth:grant-type:webauthn`.
pub fn grant(
    state: &AppState,
    ctx: &mut Ctx,
    server: &AuthServer,
    client: &ClientSeed,
    form: &Form,
    gts: Option<&[String]>,
) -> Result<Response, Failure> {
    let scopes = match form.get("scope") {
        Some(s) => parse_scope(server, s)?,
        None => return Err(OAuthError::invalid_scope("No scopes were requested.").into()),
    };
    let assertion = assertion_form(form)?;
    let now = state.clock.now_ms();
    let login = {
        let mut passkeys = lock_passkeys(state)?;
        let grant = AssertionGrant::Primary { client_id: &client.client_id };
        let pending = passkeys.challenges.redeem_assertion(assertion.challenge(), &grant, now).map_err(assertion_failure)?;
        let candidates: Vec<&StoredPasskey> = match &pending.binding {
            ChallengeBinding::Primary { login_hint: Some(login), .. } => passkeys.of(login).iter().collect(),
            _ => passkeys.by_login.values().flatten().collect(),
        };
        let verified = verify_assertion(&assertion, &pending, &state.relying_party, candidates).map_err(assertion_failure)?;
        passkeys.set_sign_count(&verified.credential_id, verified.sign_count);
        passkeys.owner_of(&verified.credential_id).ok_or_else(OAuthError::server_error)?
    };
    ctx.info.login = Some(login.clone());
    rate_limit(state, ctx, &client.client_id, &login)?;
    let user = state.user(&login).ok_or_else(OAuthError::server_error)?;
    let txn = TxnContext {
        client_id: client.client_id.clone(),
        server: server.key.clone(),
        scope: Some(scopes.join(" ")),
        acr_values: norm_acr(form.get("acr_values")),
    };
    first_factor_done(state, txn, server, client, user, FactorKind::Passkey, AMR_PASSKEY, gts)
}

/// `/token` with `grant_type=urn:okta:params:oauth:grant-type:mfa-webauthn`.
pub fn mfa_grant(state: &AppState, ctx: &mut Ctx, server: &AuthServer, client: &ClientSeed, form: &Form) -> Result<Response, Failure> {
    let token = form.require("mfa_token")?;
    let mfa = check_mfa_token(state, token, client, server, form.get("scope"), form.get("acr_values"))?;
    ctx.info.login = Some(mfa.login.clone());
    rate_limit(state, ctx, &client.client_id, &mfa.login)?;
    let user = state.user(&mfa.login).ok_or_else(OAuthError::invalid_login_hint)?;
    let assertion = assertion_form(form)?;
    let now = state.clock.now_ms();
    {
        let mut passkeys = lock_passkeys(state)?;
        if passkeys.of(&mfa.login).is_empty() {
            return Err(OAuthError::enrollment_required().into());
        }
        let grant = AssertionGrant::Mfa { client_id: &client.client_id, mfa_token: token };
        let pending = passkeys.challenges.redeem_assertion(assertion.challenge(), &grant, now).map_err(assertion_failure)?;
        let verified = verify_assertion(&assertion, &pending, &state.relying_party, passkeys.of(&mfa.login)).map_err(assertion_failure)?;
        passkeys.set_sign_count(&verified.credential_id, verified.sign_count);
        passkeys.challenges.forget_mfa_token(token);
    }
    second_factor_done(state, token, &mfa, server, client, user, AMR_PASSKEY)
}
