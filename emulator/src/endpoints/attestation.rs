//! MFA attestation (protocol notes §3.10): with `acr_values=urn:okta:app:mfa:attestation` a
//! confidential client asks Okta only to attest that the user passed MFA. The answer has an
//! ID token whose `acr` is the attestation value, `access_token: null` and `expires_in: 0`
//! (Okta's Swift SDK fixture `token-mfa_attestation.json`). Errors are the catalogue's.

use super::{split_scope, Failure};
use crate::errors::{json_response, OAuthError};
use crate::seed::{ClientSeed, Policy, UserSeed};
use crate::state::{AppState, AuthServer};
use crate::store::TxnContext;
use axum::http::StatusCode;
use axum::response::Response;
use serde_json::{json, Value};

pub const ACR_MFA_ATTESTATION: &str = "urn:okta:app:mfa:attestation";

/// Whether a (normalised) `acr_values` asks for MFA attestation.
pub fn requested(acr: Option<&str>) -> bool {
    acr.map(|a| a.split(' ').any(|v| v == ACR_MFA_ATTESTATION)).unwrap_or(false)
}

/// The request-level rules, on every endpoint that takes `acr_values`: the attestation value
/// stands alone, and only an authenticated (confidential) client may ask for it.
pub fn check_request(client: &ClientSeed, acr: Option<&str>) -> Result<(), OAuthError> {
    if !requested(acr) {
        return Ok(());
    }
    if acr.map(|a| a.split(' ').any(|v| !v.is_empty() && v != ACR_MFA_ATTESTATION)).unwrap_or(false) {
        return Err(OAuthError::invalid_request("urn:okta:app:mfa:attestation can not be used with any other ACR values."));
    }
    if !client.is_confidential() {
        return Err(OAuthError::invalid_request("Client authentication is required for MFA attestation requests."));
    }
    Ok(())
}

/// After the first factor of an attestation transaction: there must be MFA to attest, and
/// the transaction must ask for an ID token.
pub fn check_first_factor(txn: &TxnContext, user: &UserSeed) -> Result<(), OAuthError> {
    if !requested(txn.acr_values.as_deref()) {
        return Ok(());
    }
    if !split_scope(txn.scope.as_deref().unwrap_or("")).iter().any(|s| s == "openid") {
        return Err(OAuthError::invalid_scope("'scope' must be 'openid' for MFA attestation."));
    }
    if user.policy == Policy::OneFactor {
        return Err(OAuthError::new(
            StatusCode::BAD_REQUEST,
            "mfa_not_required",
            "The MFA attestation request cannot proceed because the client app policy does not require MFA.",
        ));
    }
    Ok(())
}

/// The attestation answer: an ID token and no access or refresh token.
pub fn token_response(
    state: &AppState,
    server: &AuthServer,
    client: &ClientSeed,
    user: &UserSeed,
    amr: Vec<String>,
    auth_time: i64,
) -> Result<Response, Failure> {
    let now = state.clock.now_secs();
    let uid = user.user_id();
    let claims = json!({
        "sub": uid,
        "ver": 1,
        "iss": server.issuer,
        "aud": client.client_id,
        "iat": now,
        "exp": now + 3600,
        "jti": format!("ID.{}", crate::keys::random_id(24)),
        "amr": amr,
        "acr": ACR_MFA_ATTESTATION,
        "idp": format!("00o{}", uid.get(3..).unwrap_or("emulator")),
        "auth_time": auth_time,
    });
    let id_token = state.sign_jwt(&claims).map_err(|_| Failure::OAuth(OAuthError::server_error()))?;
    let body = json!({
        "token_type": "Bearer",
        "expires_in": 0,
        "access_token": Value::Null,
        "scope": "openid",
        "id_token": id_token,
    });
    Ok(json_response(StatusCode::OK, &body))
}
