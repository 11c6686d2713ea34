//! `/__emulator/users/{login}/passkeys`: enrol a passkey for a user, the way the demo's phone
//! panel and the tests do (Okta enrols through MyAccount, outside Direct Auth).
//!
//! * `POST …/passkeys/options` → `{publicKey}`: creation options for
//!   `PublicKeyCredential.parseCreationOptionsFromJSON()` / `navigator.credentials.create()`.
//!   Optional JSON body `{"userVerification": "required"|"preferred"|"discouraged"}`.
//! * `POST …/passkeys` ← either the `create()` credential's `toJSON()`
//!   (`{id, rawId, type, response: {clientDataJSON, attestationObject, transports?}}`), or a known
//!   key `{credentialId, publicKey (SPKI, base64url) | publicKeyJwk, userHandle?, signCount?, transports?, displayName?}`.
//! * `GET …/passkeys` → the user's passkeys (credential ID, counter, RP ID; no key material needed).

use super::{internal, ok};
use crate::errors::OktaApiError;
use crate::passkeys::KnownKey;
use crate::state::AppState;
use crate::webauthn::{AllowedCredential, PasskeySeed, RegistrationRequest, RegistrationResponse, StoredPasskey, UserVerification};
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{json, Value};
use std::sync::Arc;

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct OptionsBody {
    #[serde(default)]
    user_verification: Option<UserVerification>,
}

fn bad(summary: impl Into<String>) -> Response {
    OktaApiError::bad_request(summary).into_response()
}

fn describe(p: &StoredPasskey) -> Value {
    json!({
        "credentialId": p.credential_id_b64(),
        "signCount": p.sign_count,
        "rpId": p.rp_id,
        "transports": p.transports,
        "displayName": p.display_name,
    })
}

pub async fn list(State(state): State<Arc<AppState>>, Path(login): Path<String>) -> Response {
    if state.user(&login).is_none() {
        return OktaApiError::not_found(&login, "User").into_response();
    }
    let Ok(passkeys) = state.passkeys.lock() else { return internal() };
    ok(Value::Array(passkeys.of(&login).iter().map(describe).collect()))
}

pub async fn options(State(state): State<Arc<AppState>>, Path(login): Path<String>, body: Bytes) -> Response {
    let Some(user) = state.user(&login) else {
        return OktaApiError::not_found(&login, "User").into_response();
    };
    let parsed: OptionsBody = if body.iter().all(u8::is_ascii_whitespace) {
        OptionsBody::default()
    } else {
        match serde_json::from_slice(&body) {
            Ok(b) => b,
            Err(e) => return bad(format!("Expected {{\"userVerification\"?: \"required\"|\"preferred\"|\"discouraged\"}}: {e}")),
        }
    };
    let mut request = RegistrationRequest::new(&user.login, user.user_id().as_bytes(), state.relying_party.rp_id());
    request.user_display_name = user.name.clone();
    if let Some(uv) = parsed.user_verification {
        request.user_verification = uv;
    }
    let now = state.clock.now_ms();
    let Ok(mut passkeys) = state.passkeys.lock() else { return internal() };
    request.exclude_credentials = passkeys.of(&user.login).iter().map(AllowedCredential::from).collect();
    match passkeys.challenges.issue_registration(request, now) {
        Ok(issued) => ok(issued.body),
        Err(e) => bad(e.to_string()),
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct CreatedCredential {
    response: CreatedResponse,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct CreatedResponse {
    #[serde(default, rename = "clientDataJSON")]
    client_data_json: Option<String>,
    #[serde(default)]
    attestation_object: Option<String>,
    #[serde(default)]
    transports: Vec<String>,
}

pub async fn register(State(state): State<Arc<AppState>>, Path(login): Path<String>, body: Bytes) -> Response {
    let Some(user) = state.user(&login) else {
        return OktaApiError::not_found(&login, "User").into_response();
    };
    let value: Value = match serde_json::from_slice(&body) {
        Ok(v) => v,
        Err(e) => return bad(format!("Invalid JSON body: {e}")),
    };
    let now = state.clock.now_ms();
    let Ok(mut passkeys) = state.passkeys.lock() else { return internal() };
    let passkey = if value.get("response").is_some() {
        let created: CreatedCredential = match serde_json::from_value(value) {
            Ok(c) => c,
            Err(e) => return bad(format!("Expected the credential's toJSON(): {e}")),
        };
        let response = RegistrationResponse {
            client_data_json: created.response.client_data_json.as_deref(),
            attestation_object: created.response.attestation_object.as_deref(),
            transports: created.response.transports,
        };
        let registration = match passkeys.challenges.complete_registration(&response, &state.relying_party, now) {
            Ok(r) => r,
            Err(e) => return bad(e.wire().2),
        };
        if !registration.user.eq_ignore_ascii_case(&user.login) {
            return bad(format!("the registration challenge was issued for {}, not {}", registration.user, user.login));
        }
        registration.passkey
    } else {
        let known: KnownKey = match serde_json::from_value(value) {
            Ok(k) => k,
            Err(e) => return bad(format!(
                "Expected {{\"credentialId\", \"publicKey\" (SPKI, base64url) or \"publicKeyJwk\", \"userHandle\"?, \"signCount\"?, \"transports\"?, \"displayName\"?}} or a create() credential's toJSON(): {e}"
            )),
        };
        let seed: PasskeySeed = known.to_seed();
        match seed.to_stored(user.user_id().as_bytes(), state.relying_party.rp_id()) {
            Ok(p) => p,
            Err(e) => return bad(e),
        }
    };
    let described = describe(&passkey);
    match passkeys.add(&user.login, passkey) {
        Ok(()) => ok(described),
        Err(e) => bad(e),
    }
}
