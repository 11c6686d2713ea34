//! The passkey calls' arguments and the ceremony's answer. `signInWithPasskey` and
//! `verifyWithPasskey` are three steps run by `pkg-template/index.js`, each one call into the
//! wasm: `passkeyChallenge(args, mfa)` (also the low-level `webauthnChallengeRequest`), the
//! browser's ceremony (`passkeyCeremony`, `src/web/webauthn.rs`), and `webauthnGrant` with the
//! ceremony's outcome as `ceremony` (read here: an assertion, or the typed error its
//! `DOMException` maps to, and then nothing is sent).

use super::args;
use super::calls::{typed, written, CallStep};
use super::members::Kind;
use crate::protocol::json::Value;
use crate::protocol::webauthn::{read_ceremony, Assertion, MfaEndpoint, WebAuthnChallenge, WebAuthnGrant};
use crate::protocol::Error;

const MEMBERS: [(&str, Kind); 4] = [("username", Kind::Str), ("mfaToken", Kind::Str), ("endpoint", Kind::Str), ("mediation", Kind::Str)];
const MEMBER_ERRORS: [(&str, &str); 4] = [
    ("invalid_username", "username must be a non-empty string."),
    ("invalid_mfa_token", "mfaToken must be the token from the mfa_required result."),
    ("invalid_endpoint", "endpoint must be 'challenge' or 'primary-authenticate'."),
    ("invalid_mediation", "mediation must be 'conditional'."),
];

/// The challenge request the arguments ask for: with `mfaToken` the MFA one (at `endpoint`),
/// else the primary one (`username` optional: without it, a discoverable passkey). `mfa`:
/// `Some(true)` for `verifyWithPasskey` (an `mfaToken` is required), `Some(false)` for
/// `signInWithPasskey` (none allowed), `None` for the low-level call (either). With an
/// `mfaToken` a `username` is ignored (the transaction names the user).
pub fn challenge(a: &Value, mfa: Option<bool>) -> Result<CallStep, Error> {
    typed(a, &MEMBERS, &MEMBER_ERRORS)?;
    let endpoint = match a.get("endpoint").and_then(Value::as_str) {
        None | Some("challenge") => MfaEndpoint::Challenge,
        Some("primary-authenticate") => MfaEndpoint::PrimaryAuthenticate,
        Some(_) => return Err(Error::input(MEMBER_ERRORS[2].0, MEMBER_ERRORS[2].1)),
    };
    if a.get("mediation").and_then(Value::as_str).is_some_and(|m| m != "conditional") {
        return Err(Error::input(MEMBER_ERRORS[3].0, MEMBER_ERRORS[3].1));
    }
    let mfa_token = a.get("mfaToken").and_then(Value::as_str).map(args::mfa_token).transpose()?;
    if mfa.is_some_and(|mfa| mfa != mfa_token.is_some()) {
        return Err(Error::input("invalid_mfa_token", "verifyWithPasskey takes an mfaToken, signInWithPasskey none."));
    }
    let login_hint = a.get("username").and_then(Value::as_str).map(args::username).transpose()?.map(str::to_owned);
    written(WebAuthnChallenge { login_hint, mfa: mfa_token.map(|t| (t, endpoint)) })
}

/// `webauthnChallengeRequest`: `{ username? | mfaToken, endpoint? }`.
pub fn webauthn_challenge(_: &Value, a: &Value) -> Result<CallStep, Error> {
    challenge(a, None)
}

/// `signInWithPasskey`'s challenge.
pub fn sign_in_challenge(_: &Value, a: &Value) -> Result<CallStep, Error> {
    challenge(a, Some(false))
}

/// `verifyWithPasskey`'s challenge.
pub fn verify_challenge(_: &Value, a: &Value) -> Result<CallStep, Error> {
    challenge(a, Some(true))
}

/// `webauthnGrant`: the assertion's base64url members (or, from `index.js`, the ceremony's
/// outcome as `ceremony`), and `mfaToken` for the MFA grant.
pub fn webauthn_grant(_: &Value, a: &Value) -> Result<CallStep, Error> {
    typed(a, &MEMBERS[1..2], &MEMBER_ERRORS[1..2])?;
    let assertion = match a.get("ceremony").and_then(Value::as_str) {
        Some(outcome) => read_ceremony(outcome)?,
        None => Assertion::from_json(a).ok_or_else(|| {
            Error::input("invalid_assertion", "Pass credential.toJSON().response: clientDataJSON, authenticatorData, signature.")
        })?,
    };
    let mfa_token = a.get("mfaToken").and_then(Value::as_str).map(args::mfa_token).transpose()?;
    written(WebAuthnGrant { assertion, mfa_token })
}
