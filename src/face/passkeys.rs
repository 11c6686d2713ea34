//! The passkey calls' arguments and the ceremony's answer. `signInWithPasskey` and
//! `verifyWithPasskey` are three steps run by `pkg-template/index.js`, each one call into the
//! wasm (the export `passkey(step, args)`): the challenge (also the low-level
//! `webauthnChallengeRequest`), the browser's ceremony (`ceremony` in `index.js`), and
//! `webauthnGrant` with the ceremony's outcome (its assertion, or `ceremony`: the name of the
//! `DOMException` it failed with, read as a typed error, and then nothing is sent).

use super::args;
use super::calls::{typed, written, CallStep};
use super::members::Kind;
use crate::protocol::json::Value;
use crate::protocol::webauthn::{ceremony_error, Assertion, MfaEndpoint, WebAuthnChallenge, WebAuthnGrant};
use crate::protocol::Error;

const MEMBERS: [(&str, Kind); 4] = [("username", Kind::Str), ("mfaToken", Kind::Str), ("endpoint", Kind::Str), ("mediation", Kind::Str)];
const MEMBER_ERRORS: [(&str, &str); 4] = [
    ("invalid_username", "username must be a non-empty string."),
    ("invalid_mfa_token", "mfaToken must be the token from the mfa_required result."),
    ("invalid_endpoint", "endpoint must be 'challenge' or 'primary-authenticate'."),
    ("invalid_mediation", "mediation must be 'conditional'."),
];

/// The challenge request the arguments ask for: with `mfaToken` the MFA one (at `endpoint`),
/// else the primary one (`username` optional: without it, a discoverable passkey). With an
/// `mfaToken` a `username` is ignored (the transaction names the user). `verifyWithPasskey`
/// requires the `mfaToken`; `signInWithPasskey` and `webauthnChallengeRequest` take either.
fn challenge(a: &Value, mfa_required: bool) -> Result<CallStep, Error> {
    typed(a, &MEMBERS, &MEMBER_ERRORS)?;
    let endpoint = match a.get("endpoint").and_then(Value::as_str) {
        None | Some("challenge") => MfaEndpoint::Challenge,
        Some("primary-authenticate") => MfaEndpoint::PrimaryAuthenticate,
        Some(_) => return Err(Error::input(MEMBER_ERRORS[2].0, MEMBER_ERRORS[2].1)),
    };
    if a.get("mediation").and_then(Value::as_str).is_some_and(|m| m != "conditional") {
        return Err(Error::input(MEMBER_ERRORS[3].0, MEMBER_ERRORS[3].1));
    }
    let mfa_token = match a.get("mfaToken").and_then(Value::as_str) {
        None if !mfa_required => None,
        token => Some(args::mfa_token(token.unwrap_or_default())?),
    };
    let username = a.get("username").and_then(Value::as_str).map(args::username).transpose()?;
    // With an `mfaToken` the transaction names the user: no `login_hint`.
    let login_hint = username.filter(|_| mfa_token.is_none()).map(str::to_owned);
    written(WebAuthnChallenge { login_hint, mfa: mfa_token.map(|t| (t, endpoint)) })
}

/// The passkey step `step` names (the export's subject, a number): 0 the challenge of
/// `signInWithPasskey` and `webauthnChallengeRequest` (`{ username? | mfaToken, endpoint? }`),
/// 1 `verifyWithPasskey`'s (an `mfaToken` required), anything else `webauthnGrant`.
pub fn step(step: &Value, a: &Value) -> Result<CallStep, Error> {
    match step.as_u64() {
        Some(0) => challenge(a, false),
        Some(1) => challenge(a, true),
        _ => webauthn_grant(a),
    }
}

/// `webauthnGrant`: the assertion's base64url members, and `mfaToken` for the MFA grant. From
/// `index.js`, the ceremony's assertion, or `ceremony`: the name of the `DOMException` it
/// failed with, read as its typed error (and then nothing is sent).
fn webauthn_grant(a: &Value) -> Result<CallStep, Error> {
    if let Some(name) = a.get("ceremony").and_then(Value::as_str) {
        return Err(ceremony_error(name));
    }
    let assertion = Assertion::from_json(a).ok_or_else(|| {
        Error::input("invalid_assertion", "Pass credential.toJSON().response: clientDataJSON, authenticatorData, signature.")
    })?;
    let mfa_token = match a.get("mfaToken") {
        None | Some(Value::Null) => None,
        Some(token) => Some(args::mfa_token(token.as_str().unwrap_or_default())?),
    };
    written(WebAuthnGrant { assertion, mfa_token })
}
