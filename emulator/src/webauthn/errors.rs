//! Typed assertion errors and the Okta catalogue entries they map to (release 2026.08,
//! `oauth2-error-codes.json`; ANCHORS-2026-12 §1.4). The wire carries the catalogue's `error`
//! and verbatim `description`; `hint()` says which check failed and what to do, for the
//! emulator's request log or a description suffix.

use super::b64::B64Problem;
use super::client_data::ClientDataProblem;
use axum::http::StatusCode;

/// One entry of Okta's error catalogue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OktaError {
    pub status: StatusCode,
    /// The wire `error` value.
    pub error: &'static str,
    /// Okta's internal error code (docs and logs only; not on the wire).
    pub code: &'static str,
    /// The wire `error_description`, verbatim.
    pub description: &'static str,
}

pub const NO_PENDING_CHALLENGE: OktaError = OktaError {
    status: StatusCode::BAD_REQUEST,
    error: "invalid_grant",
    code: "direct_auth_no_pending_challenge",
    description: "There is no pending WebAuthn challenge for the request.",
};

pub const VERIFICATION_FAILURE: OktaError = OktaError {
    status: StatusCode::BAD_REQUEST,
    error: "invalid_grant",
    code: "direct_auth_verification_failure",
    description: "None of the WebAuthn authenticators the user has enrolled for was able to validate the assertion",
};

pub const INVALID_CHALLENGE_DATA: OktaError = OktaError {
    status: StatusCode::BAD_REQUEST,
    error: "invalid_request",
    code: "direct_auth_invalid_webauthn_challenge_data",
    description: "'clientDataJSON' is not a Base64 encoded JSON string containing a 'challenge'.",
};

pub const INVALID_WEBAUTHN_REQUEST: OktaError = OktaError {
    status: StatusCode::BAD_REQUEST,
    error: "invalid_request",
    code: "direct_auth_invalid_webauthn_request",
    description: "WebAuthn requests must contain 'authenticatorData', 'clientDataJSON', and 'signature'.",
};

pub const CHALLENGE_NOT_FOR_MFA_TOKEN: OktaError = OktaError {
    status: StatusCode::BAD_REQUEST,
    error: "invalid_request",
    code: "direct_auth_webauthn_challenge_not_for_mfa_token",
    description: "The 'challenge' and the 'mfa_token' provided are not associated with each other. Review the values and try again.",
};

/// Why no pending challenge matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoPendingReason {
    /// Never issued, or already spent by an earlier assertion (challenges are single-use).
    UnknownOrUsed,
    Expired,
    /// Issued for an `mfa_token`, presented to the primary grant.
    IssuedForMfa,
    /// Issued for a registration ceremony, presented as an assertion.
    IssuedForRegistration,
    /// Issued to another `client_id`.
    OtherClient,
}

/// An assertion check that failed (Okta: `direct_auth_verification_failure`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FailedCheck {
    /// `clientDataJSON.type` is not `webauthn.get`.
    WrongType(Option<String>),
    /// `clientDataJSON.origin` is not a trusted origin.
    UntrustedOrigin(Option<String>),
    /// The ceremony ran in a cross-origin iframe (`crossOrigin: true`).
    CrossOrigin,
    MalformedAuthenticatorData(String),
    /// `rpIdHash` is not SHA-256 of the challenge's RP ID.
    RpIdHashMismatch {
        rp_id: String,
    },
    /// The UP flag is clear.
    UserNotPresent,
    /// `userVerification` was `required` and the UV flag is clear.
    UserNotVerified,
    /// A discoverable-credential sign-in (no `login_hint`) without `userHandle`.
    UserHandleMissing,
    /// No candidate passkey fits (RP ID, allowCredentials, userHandle).
    NoMatchingCredential {
        why: &'static str,
    },
    /// No candidate passkey's key verifies the signature.
    BadSignature,
    /// WebAuthn §7.2 step 21: the counter must grow unless both are 0.
    SignCountNotIncreasing {
        stored: u32,
        received: u32,
    },
}

/// Why an assertion sent to `/token` was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AssertionError {
    /// `authenticatorData`, `clientDataJSON` or `signature` is absent or empty.
    MissingField(&'static str),
    /// `authenticatorData`, `signature` or `userHandle` is not base64url, or too long.
    MalformedField {
        field: &'static str,
        problem: B64Problem,
    },
    /// `clientDataJSON` is not base64url JSON with a `challenge`.
    ClientData(ClientDataProblem),
    NoPendingChallenge(NoPendingReason),
    /// The challenge belongs to another `mfa_token`, or to no `mfa_token`.
    ChallengeNotForMfaToken,
    Verification(FailedCheck),
}

/// Shortens and quotes a value the client sent before it goes into a hint.
pub(super) fn clip(value: &Option<String>) -> String {
    match value {
        None => "nothing".to_owned(),
        Some(v) if v.chars().count() > 80 => format!("{:?}…", v.chars().take(80).collect::<String>()),
        Some(v) => format!("{v:?}"),
    }
}

impl AssertionError {
    /// The catalogue entry this error is answered with.
    pub fn okta(&self) -> OktaError {
        match self {
            AssertionError::MissingField(_) | AssertionError::MalformedField { .. } => INVALID_WEBAUTHN_REQUEST,
            AssertionError::ClientData(_) => INVALID_CHALLENGE_DATA,
            AssertionError::NoPendingChallenge(_) => NO_PENDING_CHALLENGE,
            AssertionError::ChallengeNotForMfaToken => CHALLENGE_NOT_FOR_MFA_TOKEN,
            AssertionError::Verification(_) => VERIFICATION_FAILURE,
        }
    }

    /// `(HTTP status, error, error_description)` as Okta answers.
    pub fn wire(&self) -> (StatusCode, &'static str, &'static str) {
        let e = self.okta();
        (e.status, e.error, e.description)
    }

    /// What exactly failed and what to do about it.
    pub fn hint(&self) -> String {
        match self {
            AssertionError::MissingField(field) => {
                format!("'{field}' is missing or empty: send the assertion's authenticatorData, clientDataJSON and signature, base64url-encoded")
            }
            AssertionError::MalformedField { field, problem } => format!("'{field}' is {problem}"),
            AssertionError::ClientData(ClientDataProblem::NotBase64Url(problem)) => format!("'clientDataJSON' is {problem}"),
            AssertionError::ClientData(ClientDataProblem::NotJsonObject) => {
                "'clientDataJSON' does not decode to a JSON object: send the browser's clientDataJSON bytes unchanged, base64url-encoded".into()
            }
            AssertionError::ClientData(ClientDataProblem::NoChallenge) => {
                "'clientDataJSON' has no 'challenge' string: send the clientDataJSON of the navigator.credentials.get() ceremony".into()
            }
            AssertionError::NoPendingChallenge(reason) => match reason {
                NoPendingReason::UnknownOrUsed => {
                    "the challenge in clientDataJSON was never issued or was already used (challenges are single-use): request a new challenge".into()
                }
                NoPendingReason::Expired => "the challenge has expired: request a new challenge and answer it within its timeout".into(),
                NoPendingReason::IssuedForMfa => {
                    "the challenge was issued for an mfa_token: send grant_type urn:okta:params:oauth:grant-type:mfa-webauthn with that mfa_token".into()
                }
                NoPendingReason::IssuedForRegistration => {
                    "the challenge was issued for registering a passkey, not for signing in: request a sign-in challenge".into()
                }
                NoPendingReason::OtherClient => "the challenge was issued to another client_id: use the client that requested it".into(),
            },
            AssertionError::ChallengeNotForMfaToken => {
                "the challenge was not issued for this mfa_token: answer the challenge requested with the same mfa_token".into()
            }
            AssertionError::Verification(check) => match check {
                FailedCheck::WrongType(found) => {
                    format!("clientDataJSON.type is {}, not \"webauthn.get\": send the response of navigator.credentials.get()", clip(found))
                }
                FailedCheck::UntrustedOrigin(found) => format!(
                    "clientDataJSON.origin {} is not a trusted origin: add the page's origin to the trusted origins (CORS) and serve it on that origin",
                    clip(found)
                ),
                FailedCheck::CrossOrigin => {
                    "the ceremony ran in a cross-origin iframe (crossOrigin: true): run it in the top-level page".into()
                }
                FailedCheck::MalformedAuthenticatorData(why) => format!("authenticatorData is malformed: {why}"),
                FailedCheck::RpIdHashMismatch { rp_id } => format!(
                    "authenticatorData's rpIdHash is not SHA-256 of the RP ID {rp_id:?}: call navigator.credentials.get() with publicKey.rpId {rp_id:?}"
                ),
                FailedCheck::UserNotPresent => "the authenticator did not report user presence (UP flag)".into(),
                FailedCheck::UserNotVerified => {
                    "userVerification is required and the authenticator did not verify the user (UV flag): use an authenticator with a PIN or biometrics".into()
                }
                FailedCheck::UserHandleMissing => {
                    "without a login_hint the passkey must be discoverable and the assertion must carry its userHandle".into()
                }
                FailedCheck::NoMatchingCredential { why } => format!("no enrolled passkey fits the assertion: {why}"),
                FailedCheck::BadSignature => {
                    "the signature does not verify with any of the user's passkeys: use a passkey enrolled for this user and RP ID".into()
                }
                FailedCheck::SignCountNotIncreasing { stored, received } => format!(
                    "the authenticator's signature counter went from {stored} to {received}: it must grow (the authenticator may be cloned)"
                ),
            },
        }
    }
}

impl std::fmt::Display for AssertionError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let e = self.okta();
        write!(f, "{} ({}): {}", e.error, e.code, self.hint())
    }
}

impl std::error::Error for AssertionError {}
