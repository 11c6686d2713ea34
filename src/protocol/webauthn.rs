//! Passkeys (WebAuthn) in Okta Direct Authentication (ANCHORS-2026-12 §1): the challenge
//! request, the reading of the browser's answer, and the `/token` assertion grant.
//!
//! - Primary: `/primary-authenticate` with `challenge_hint=…:webauthn` and `login_hint` when the
//!   user gave a username (without it: a discoverable credential), then `/token` with
//!   `grant_type=…:webauthn` and the assertion's four base64url fields.
//! - MFA: `/challenge` with `mfa_token` and `challenge_types_supported=…:mfa-webauthn` (Kotlin,
//!   the default) or `/primary-authenticate` with `mfa_token` and the webauthn `challenge_hint`
//!   (Swift), then `/token` with `grant_type=…:mfa-webauthn` and `mfa_token`.
//!
//! The request options are adjusted in the browser, where they are used (`ceremony` in `pkg-template/index.js`:
//! JSON is cheaper to reshape in JS than in the wasm, and the package's size budget is tight).

use super::config::Config;
use super::error::{hints, Error, ErrorKind};
use super::form::FormBody;
use super::json::Value;
use super::request::{post, token_form, HttpRequest};
use super::response::{self, reading, HttpResponse};
use super::secret::MfaToken;
use super::step::Step;
use super::steps::sign_in;
use super::types::SignIn;

pub const GRANT_WEBAUTHN: &str = "urn:okta:params:oauth:grant-type:webauthn";
pub const GRANT_MFA_WEBAUTHN: &str = "urn:okta:params:oauth:grant-type:mfa-webauthn";

/// Where the MFA challenge is asked for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MfaEndpoint {
    /// `/challenge` with `challenge_types_supported` (Kotlin 1.0).
    Challenge,
    /// `/primary-authenticate` with `mfa_token` and `challenge_hint` (Swift).
    PrimaryAuthenticate,
}

/// The request for a passkey challenge: primary (`login_hint` or discoverable) or MFA. Its
/// answer is Okta's JSON unchanged once it is known to hold `publicKey.challenge`; the browser
/// side adjusts the options (`rpId`, `transports`, `appid`: `ceremony` in `pkg-template/index.js`).
#[derive(Debug)]
pub struct WebAuthnChallenge {
    pub login_hint: Option<String>,
    pub mfa: Option<(MfaToken, MfaEndpoint)>,
}

impl Step for WebAuthnChallenge {
    type Output = String;

    fn request(&self, config: &Config) -> HttpRequest {
        let form = FormBody::new().field("client_id", &config.client_id);
        let (url, form) = match &self.mfa {
            Some((token, MfaEndpoint::Challenge)) => (
                &config.endpoints.challenge,
                form.field("mfa_token", token.expose()).field("challenge_types_supported", GRANT_MFA_WEBAUTHN),
            ),
            // Swift's MFA request is the primary one with the `mfa_token` instead of a username.
            _ => (
                &config.endpoints.primary_authenticate,
                form.field("challenge_hint", GRANT_WEBAUTHN)
                    .optional("mfa_token", self.mfa.as_ref().map(|(token, _)| token.expose()))
                    .optional("login_hint", self.login_hint.as_deref()),
            ),
        };
        post(url, form.optional("acr_values", config.acr_values.as_deref()))
    }

    fn process(&self, response: HttpResponse, _now_ms: f64) -> Result<String, Error> {
        let body = response::classify_json(&response, &reading::PLAIN)?;
        match body.get("publicKey").and_then(|p| p.get("challenge")).and_then(Value::as_str) {
            // The body parsed as JSON, so it is UTF-8.
            Some(_) => Ok(String::from_utf8(response.body).unwrap_or_default()),
            None => Err(Error::protocol(response.status, "invalid_passkey_challenge", "No publicKey.challenge.")),
        }
    }
}

/// The browser's assertion, its binary members base64url without padding
/// (`PublicKeyCredential.toJSON().response`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Assertion {
    pub client_data_json: String,
    pub authenticator_data: String,
    pub signature: String,
    pub user_handle: Option<String>,
}

fn base64url(text: Option<&str>) -> Option<&str> {
    text.filter(|t| !t.is_empty() && t.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'))
}

impl Assertion {
    /// Reads `{clientDataJSON, authenticatorData, signature, userHandle?}` (a caller's or the
    /// ceremony's); `None` when a required member is missing or not base64url.
    pub fn from_json(value: &Value) -> Option<Assertion> {
        let text = |key| base64url(value.get(key).and_then(Value::as_str)).map(str::to_owned);
        Some(Assertion {
            client_data_json: text("clientDataJSON")?,
            authenticator_data: text("authenticatorData")?,
            signature: text("signature")?,
            user_handle: text("userHandle"),
        })
    }
}

/// The typed error for the name of the `DOMException` the browser's ceremony failed with
/// (`AbortError`: aborted).
pub fn ceremony_error(name: &str) -> Error {
    let (code, description, hint) = match name {
        "AbortError" => return Error::aborted(),
        "NotAllowedError" => ("passkey_not_allowed", "Cancelled, timed out, or no passkey here matches.", hints::PASSKEY_NOT_ALLOWED),
        "SecurityError" => ("passkey_security_error", "The RP ID is not valid for this origin.", hints::PASSKEY_SECURITY),
        _ => ("passkey_failed", "The passkey request failed.", hints::PASSKEY_FAILED),
    };
    Error::local(ErrorKind::Passkey, code, description, hint)
}

/// `/token` with the assertion: grant `…:webauthn`, or `…:mfa-webauthn` with the `mfa_token`.
#[derive(Debug)]
pub struct WebAuthnGrant {
    pub assertion: Assertion,
    pub mfa_token: Option<MfaToken>,
}

impl Step for WebAuthnGrant {
    type Output = SignIn;

    fn request(&self, config: &Config) -> HttpRequest {
        let grant = if self.mfa_token.is_some() { GRANT_MFA_WEBAUTHN } else { GRANT_WEBAUTHN };
        let a = &self.assertion;
        let form = token_form(config, grant)
            .optional("mfa_token", self.mfa_token.as_ref().map(MfaToken::expose))
            .field("clientDataJSON", &a.client_data_json)
            .field("authenticatorData", &a.authenticator_data)
            .field("signature", &a.signature)
            .optional("userHandle", a.user_handle.as_deref());
        post(&config.endpoints.token, form)
    }

    fn process(&self, response: HttpResponse, now_ms: f64) -> Result<SignIn, Error> {
        sign_in(&response, &reading::PASSKEY, now_ms)
    }
}
