//! Registration (WebAuthn §7.1), enough for the demo and the tests: creation options for
//! `navigator.credentials.create()`, and verification of its response with attestation
//! `none` or `packed` self-attestation (no certificate chain). The emulator's own
//! `/__emulator/` endpoint drives it; Okta Direct Auth itself never registers.

use super::auth_data::AuthenticatorData;
use super::b64::{self, B64Problem};
use super::cbor::{self, Value};
use super::challenge::{AllowedCredential, ChallengeBinding, ChallengeStore, IssueError, IssuedChallenge, UserVerification};
use super::client_data::{ClientData, ClientDataProblem};
use super::credential::{StoredPasskey, KNOWN_TRANSPORTS, MAX_USER_HANDLE_BYTES};
use super::errors::{clip, NoPendingReason};
use super::keys::{COSE_ES256, COSE_RS256};
use super::relying_party::RelyingParty;
use axum::http::StatusCode;
use serde_json::{json, Value as Json};
use sha2::{Digest, Sha256};

/// Limits on the decoded response fields.
pub const MAX_ATTESTATION_OBJECT_BYTES: usize = 16 * 1024;
const MAX_CLIENT_DATA_BYTES: usize = 8 * 1024;

/// What to issue a registration challenge for.
#[derive(Debug, Clone)]
pub struct RegistrationRequest {
    /// The emulator's user (login); the result says whom the passkey belongs to.
    pub user: String,
    /// `user.id`: what assertions return as `userHandle` (1 to 64 bytes; Okta's user id works).
    pub user_handle: Vec<u8>,
    /// `user.name` and `user.displayName`.
    pub user_name: String,
    pub user_display_name: String,
    pub rp_id: String,
    /// `rp.name`.
    pub rp_name: String,
    /// The user's existing passkeys, so the authenticator does not make a second one.
    pub exclude_credentials: Vec<AllowedCredential>,
    pub user_verification: UserVerification,
    /// `residentKey: "required"` (a discoverable passkey, for sign-in without a username) or `"preferred"`.
    pub require_resident_key: bool,
    pub timeout_ms: u32,
}

impl RegistrationRequest {
    /// A request for a discoverable passkey with `preferred` user verification and a 60 s timeout.
    pub fn new(user: &str, user_handle: &[u8], rp_id: &str) -> RegistrationRequest {
        RegistrationRequest {
            user: user.to_owned(),
            user_handle: user_handle.to_vec(),
            user_name: user.to_owned(),
            user_display_name: user.to_owned(),
            rp_id: rp_id.to_owned(),
            rp_name: "Okta emulator".to_owned(),
            exclude_credentials: Vec::new(),
            user_verification: UserVerification::Preferred,
            require_resident_key: true,
            timeout_ms: super::challenge::DEFAULT_TIMEOUT_MS,
        }
    }
}

/// The browser's registration response (`PublicKeyCredential.toJSON().response`).
#[derive(Debug, Clone, Default)]
pub struct RegistrationResponse<'a> {
    pub client_data_json: Option<&'a str>,
    pub attestation_object: Option<&'a str>,
    /// `response.transports` (`getTransports()`); unknown values are dropped.
    pub transports: Vec<String>,
}

/// A verified registration.
#[derive(Debug, Clone)]
pub struct Registration {
    /// `RegistrationRequest::user`.
    pub user: String,
    /// Ready to store (and to save with `PasskeySeed::from_stored`). Check its credential ID is
    /// not already enrolled (for anyone) before storing it.
    pub passkey: StoredPasskey,
    pub aaguid: [u8; 16],
    pub attestation_format: String,
}

/// Why a registration response was refused. `Display` says what to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RegistrationError {
    MissingField(&'static str),
    MalformedField { field: &'static str, problem: B64Problem },
    ClientData(ClientDataProblem),
    NoPendingChallenge(NoPendingReason),
    WrongType(Option<String>),
    UntrustedOrigin(Option<String>),
    CrossOrigin,
    MalformedAttestationObject(String),
    UnsupportedAttestation(String),
    MalformedAuthenticatorData(String),
    RpIdHashMismatch { rp_id: String },
    UserNotPresent,
    UserNotVerified,
    NoAttestedCredential,
    BadAttestationSignature,
}

impl std::fmt::Display for RegistrationError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RegistrationError::MissingField(field) => {
                write!(f, "'{field}' is missing: send the response of navigator.credentials.create()")
            }
            RegistrationError::MalformedField { field, problem } => write!(f, "'{field}' is {problem}"),
            RegistrationError::ClientData(ClientDataProblem::NotBase64Url(p)) => write!(f, "'clientDataJSON' is {p}"),
            RegistrationError::ClientData(_) => f.write_str("'clientDataJSON' is not a JSON object with a 'challenge'"),
            RegistrationError::NoPendingChallenge(NoPendingReason::Expired) => {
                f.write_str("the registration challenge has expired: request a new one")
            }
            RegistrationError::NoPendingChallenge(_) => f.write_str(
                "the challenge is not a pending registration challenge (unknown, used, or issued for signing in): request a new one",
            ),
            RegistrationError::WrongType(t) => write!(f, "clientDataJSON.type is {}, not \"webauthn.create\"", clip(t)),
            RegistrationError::UntrustedOrigin(o) => write!(
                f,
                "clientDataJSON.origin {} is not a trusted origin: add the page's origin to the trusted origins and serve it there",
                clip(o)
            ),
            RegistrationError::CrossOrigin => f.write_str("the ceremony ran in a cross-origin iframe: run it in the top-level page"),
            RegistrationError::MalformedAttestationObject(why) => write!(f, "attestationObject is malformed: {why}"),
            RegistrationError::UnsupportedAttestation(what) => {
                write!(f, "attestation {what} is not supported: call navigator.credentials.create() with attestation \"none\"")
            }
            RegistrationError::MalformedAuthenticatorData(why) => write!(f, "authenticatorData is malformed: {why}"),
            RegistrationError::RpIdHashMismatch { rp_id } => {
                write!(f, "rpIdHash is not SHA-256 of the RP ID {rp_id:?}: create the passkey with rp.id {rp_id:?}")
            }
            RegistrationError::UserNotPresent => f.write_str("the authenticator did not report user presence (UP flag)"),
            RegistrationError::UserNotVerified => {
                f.write_str("userVerification is required and the authenticator did not verify the user (UV flag)")
            }
            RegistrationError::NoAttestedCredential => f.write_str("authenticatorData carries no attested credential (AT flag clear)"),
            RegistrationError::BadAttestationSignature => {
                f.write_str("the packed self-attestation signature does not verify with the new credential's key")
            }
        }
    }
}

impl std::error::Error for RegistrationError {}

impl RegistrationError {
    /// `(HTTP status, error, error_description)` for the emulator's registration endpoint (Okta has
    /// no such endpoint, so no catalogue entry): always 400 `invalid_request` with the reason.
    pub fn wire(&self) -> (StatusCode, &'static str, String) {
        (StatusCode::BAD_REQUEST, "invalid_request", self.to_string())
    }
}

impl ChallengeStore {
    /// Issues a registration challenge; the body is `{publicKey: PublicKeyCredentialCreationOptionsJSON}`,
    /// ready for `PublicKeyCredential.parseCreationOptionsFromJSON()`.
    pub fn issue_registration(&mut self, request: RegistrationRequest, now_ms: i64) -> Result<IssuedChallenge, IssueError> {
        if request.user_handle.is_empty() || request.user_handle.len() > MAX_USER_HANDLE_BYTES {
            return Err(IssueError::InvalidRequest(format!("the user handle must be 1 to {MAX_USER_HANDLE_BYTES} bytes")));
        }
        let binding = ChallengeBinding::Registration { user: request.user.clone(), user_handle: request.user_handle.clone() };
        let (challenge, expires_at_ms) =
            self.insert_registration(binding, &request.rp_id, request.user_verification, request.timeout_ms, now_ms)?;
        let exclude: Vec<Json> = request
            .exclude_credentials
            .iter()
            .map(|c| json!({ "id": b64::encode(&c.id), "type": "public-key", "transports": c.transports }))
            .collect();
        let body = json!({
            "publicKey": {
                "challenge": challenge,
                "rp": { "id": request.rp_id, "name": request.rp_name },
                "user": { "id": b64::encode(&request.user_handle), "name": request.user_name, "displayName": request.user_display_name },
                "pubKeyCredParams": [ { "type": "public-key", "alg": COSE_ES256 }, { "type": "public-key", "alg": COSE_RS256 } ],
                "timeout": request.timeout_ms,
                "attestation": "none",
                "authenticatorSelection": {
                    "residentKey": if request.require_resident_key { "required" } else { "preferred" },
                    "requireResidentKey": request.require_resident_key,
                    "userVerification": request.user_verification.as_str(),
                },
                "excludeCredentials": exclude,
            }
        });
        Ok(IssuedChallenge { challenge, expires_at_ms, body })
    }

    /// Verifies a registration response for a challenge from `issue_registration` and spends
    /// the challenge. Checks: `type` `webauthn.create`, the challenge, `origin`, `crossOrigin`,
    /// the attestation object, `rpIdHash`, UP, UV when required, attested credential data with an
    /// ES256 or RS256 key, and for `packed` the self-attestation signature.
    pub fn complete_registration(
        &mut self,
        response: &RegistrationResponse<'_>,
        rp: &RelyingParty,
        now_ms: i64,
    ) -> Result<Registration, RegistrationError> {
        let client_data_text =
            response.client_data_json.filter(|v| !v.is_empty()).ok_or(RegistrationError::MissingField("clientDataJSON"))?;
        let attestation_text =
            response.attestation_object.filter(|v| !v.is_empty()).ok_or(RegistrationError::MissingField("attestationObject"))?;
        let client_data_json = b64::decode(client_data_text, MAX_CLIENT_DATA_BYTES)
            .map_err(|p| RegistrationError::ClientData(ClientDataProblem::NotBase64Url(p)))?;
        let client_data = ClientData::parse(&client_data_json).map_err(RegistrationError::ClientData)?;
        let attestation_object = b64::decode(attestation_text, MAX_ATTESTATION_OBJECT_BYTES)
            .map_err(|problem| RegistrationError::MalformedField { field: "attestationObject", problem })?;

        let pending = self.redeem_registration(&client_data.challenge, now_ms).map_err(RegistrationError::NoPendingChallenge)?;
        let ChallengeBinding::Registration { user, user_handle } = pending.binding else {
            // redeem_registration only returns registration challenges.
            return Err(RegistrationError::NoPendingChallenge(NoPendingReason::UnknownOrUsed));
        };
        if client_data.kind.as_deref() != Some("webauthn.create") {
            return Err(RegistrationError::WrongType(client_data.kind));
        }
        match &client_data.origin {
            Some(origin) if rp.trusts(origin) => {}
            other => return Err(RegistrationError::UntrustedOrigin(other.clone())),
        }
        if client_data.cross_origin {
            return Err(RegistrationError::CrossOrigin);
        }

        let AttestationParts { format, statement, auth_data: auth_data_bytes } = split_attestation_object(&attestation_object)?;
        let auth_data = AuthenticatorData::parse(&auth_data_bytes).map_err(RegistrationError::MalformedAuthenticatorData)?;
        if auth_data.rp_id_hash != <[u8; 32]>::from(Sha256::digest(pending.rp_id.as_bytes())) {
            return Err(RegistrationError::RpIdHashMismatch { rp_id: pending.rp_id });
        }
        if !auth_data.user_present() {
            return Err(RegistrationError::UserNotPresent);
        }
        if pending.user_verification == UserVerification::Required && !auth_data.user_verified() {
            return Err(RegistrationError::UserNotVerified);
        }
        let attested = auth_data.attested.clone().ok_or(RegistrationError::NoAttestedCredential)?;
        match format.as_str() {
            "none" => {
                if !statement.is_empty() {
                    return Err(RegistrationError::MalformedAttestationObject("attestation 'none' has a non-empty attStmt".into()));
                }
            }
            "packed" => {
                if cbor::get_text(&statement, "x5c").is_some() {
                    return Err(RegistrationError::UnsupportedAttestation("'packed' with a certificate chain (x5c)".into()));
                }
                let alg = cbor::get_text(&statement, "alg").and_then(Value::as_int);
                let sig = cbor::get_text(&statement, "sig").and_then(Value::as_bytes);
                let (Some(alg), Some(sig)) = (alg, sig) else {
                    return Err(RegistrationError::MalformedAttestationObject("packed attStmt lacks 'alg' or 'sig'".into()));
                };
                if alg != i128::from(attested.public_key.cose_algorithm()) {
                    return Err(RegistrationError::MalformedAttestationObject(
                        "packed attStmt 'alg' differs from the credential key's".into(),
                    ));
                }
                let mut signed = auth_data_bytes.clone();
                signed.extend_from_slice(&Sha256::digest(&client_data_json));
                if !attested.public_key.verify(&signed, sig) {
                    return Err(RegistrationError::BadAttestationSignature);
                }
            }
            other => return Err(RegistrationError::UnsupportedAttestation(format!("format {other:?}"))),
        }
        let transports = response.transports.iter().filter(|t| KNOWN_TRANSPORTS.contains(&t.as_str())).cloned().collect();
        Ok(Registration {
            user,
            passkey: StoredPasskey {
                credential_id: attested.credential_id,
                user_handle,
                public_key: attested.public_key,
                sign_count: auth_data.sign_count,
                rp_id: pending.rp_id,
                transports,
                display_name: None,
            },
            aaguid: attested.aaguid,
            attestation_format: format,
        })
    }
}

/// The three members of an attestation object.
struct AttestationParts {
    format: String,
    statement: Vec<(Value, Value)>,
    auth_data: Vec<u8>,
}

/// `{fmt: text, attStmt: map, authData: bytes}`.
fn split_attestation_object(bytes: &[u8]) -> Result<AttestationParts, RegistrationError> {
    let bad = |why: String| RegistrationError::MalformedAttestationObject(why);
    let value = cbor::decode_exact(bytes).map_err(|e| bad(e.to_string()))?;
    let map = value.as_map().ok_or_else(|| bad("not a CBOR map".into()))?;
    let format = cbor::get_text(map, "fmt").and_then(Value::as_text).ok_or_else(|| bad("no 'fmt' text".into()))?;
    let statement = cbor::get_text(map, "attStmt").and_then(Value::as_map).ok_or_else(|| bad("no 'attStmt' map".into()))?;
    let auth_data = cbor::get_text(map, "authData").and_then(Value::as_bytes).ok_or_else(|| bad("no 'authData' bytes".into()))?;
    Ok(AttestationParts { format: format.to_owned(), statement: statement.to_vec(), auth_data: auth_data.to_vec() })
}
