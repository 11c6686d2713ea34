//! Assertion verification (WebAuthn §7.2) for the `/token` WebAuthn grants.
//!
//! Okta's form carries no credential ID, so the passkey is found among the candidates the
//! caller passes (the user's when known, all of them for a discoverable sign-in) by RP ID,
//! `allowCredentials`, `userHandle` and finally by which key verifies the signature.

use super::auth_data::AuthenticatorData;
use super::b64;
use super::challenge::{ChallengeBinding, PendingChallenge, UserVerification};
use super::client_data::{ClientData, ClientDataProblem};
use super::credential::{StoredPasskey, MAX_USER_HANDLE_BYTES};
use super::errors::{AssertionError, FailedCheck};
use super::relying_party::RelyingParty;
use sha2::{Digest, Sha256};

/// Limits on the decoded form fields (real ones are far smaller: clientDataJSON ~250 bytes,
/// authenticatorData 37 plus extensions, an RSA-4096 signature 512).
pub const MAX_CLIENT_DATA_BYTES: usize = 8 * 1024;
pub const MAX_AUTHENTICATOR_DATA_BYTES: usize = 4 * 1024;
pub const MAX_SIGNATURE_BYTES: usize = 1024;
/// Signature verifications tried per assertion at most (a discoverable sign-in without
/// `userHandle` never gets here; this bounds a user with very many passkeys).
pub const MAX_SIGNATURE_ATTEMPTS: usize = 64;

/// The `/token` grant the assertion arrived with.
#[derive(Clone, Copy)]
pub enum AssertionGrant<'a> {
    /// `grant_type=urn:okta:params:oauth:grant-type:webauthn`.
    Primary { client_id: &'a str },
    /// `grant_type=urn:okta:params:oauth:grant-type:mfa-webauthn` with its `mfa_token`.
    Mfa { client_id: &'a str, mfa_token: &'a str },
}

impl std::fmt::Debug for AssertionGrant<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            AssertionGrant::Primary { client_id } => f.debug_struct("Primary").field("client_id", client_id).finish(),
            // The mfa_token is a credential: never printed.
            AssertionGrant::Mfa { client_id, .. } => {
                f.debug_struct("Mfa").field("client_id", client_id).field("mfa_token", &"<redacted>").finish()
            }
        }
    }
}

impl AssertionGrant<'_> {
    pub fn client_id(&self) -> &str {
        match self {
            AssertionGrant::Primary { client_id } | AssertionGrant::Mfa { client_id, .. } => client_id,
        }
    }
}

/// The four base64url form fields, decoded; `clientDataJSON` parsed far enough to know its challenge.
#[derive(Clone)]
pub struct AssertionForm {
    client_data_json: Vec<u8>,
    client_data: ClientData,
    authenticator_data: Vec<u8>,
    signature: Vec<u8>,
    user_handle: Option<Vec<u8>>,
}

impl std::fmt::Debug for AssertionForm {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AssertionForm")
            .field("client_data", &self.client_data)
            .field("authenticator_data_bytes", &self.authenticator_data.len())
            .field("signature_bytes", &self.signature.len())
            .field("user_handle", &self.user_handle.as_deref().map(b64::encode))
            .finish()
    }
}

impl AssertionForm {
    /// Reads the form fields `clientDataJSON`, `authenticatorData`, `signature` and `userHandle`
    /// (`None` when absent). An empty `userHandle` counts as absent (an authenticator returning
    /// no user handle). Errors: `direct_auth_invalid_webauthn_request` for a missing or
    /// non-base64url field, `direct_auth_invalid_webauthn_challenge_data` for clientDataJSON.
    pub fn from_fields(
        client_data_json: Option<&str>,
        authenticator_data: Option<&str>,
        signature: Option<&str>,
        user_handle: Option<&str>,
    ) -> Result<AssertionForm, AssertionError> {
        let authenticator_data = present(authenticator_data, "authenticatorData")?;
        let client_data_json = present(client_data_json, "clientDataJSON")?;
        let signature = present(signature, "signature")?;

        let client_data_json = b64::decode(client_data_json, MAX_CLIENT_DATA_BYTES)
            .map_err(|p| AssertionError::ClientData(ClientDataProblem::NotBase64Url(p)))?;
        let client_data = ClientData::parse(&client_data_json).map_err(AssertionError::ClientData)?;
        let field = |text: &str, field: &'static str, max: usize| {
            b64::decode(text, max).map_err(|problem| AssertionError::MalformedField { field, problem })
        };
        let authenticator_data = field(authenticator_data, "authenticatorData", MAX_AUTHENTICATOR_DATA_BYTES)?;
        let signature = field(signature, "signature", MAX_SIGNATURE_BYTES)?;
        let user_handle = match user_handle.filter(|v| !v.is_empty()) {
            Some(text) => Some(field(text, "userHandle", MAX_USER_HANDLE_BYTES)?),
            None => None,
        };
        Ok(AssertionForm { client_data_json, client_data, authenticator_data, signature, user_handle })
    }

    /// `clientDataJSON.challenge`: pass it to `ChallengeStore::redeem_assertion`.
    pub fn challenge(&self) -> &str {
        &self.client_data.challenge
    }

    /// The `userHandle` the authenticator returned, if any: for a discoverable sign-in it names the user.
    pub fn user_handle(&self) -> Option<&[u8]> {
        self.user_handle.as_deref()
    }
}

/// The field's text, unless it is absent or empty.
fn present<'v>(value: Option<&'v str>, name: &'static str) -> Result<&'v str, AssertionError> {
    value.filter(|v| !v.is_empty()).ok_or(AssertionError::MissingField(name))
}

/// A verified assertion: who signed in, and the counter to store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifiedAssertion {
    /// The passkey that verified; find its owner and store `sign_count` on it.
    pub credential_id: Vec<u8>,
    pub user_handle: Vec<u8>,
    /// The new signature counter: write it to the stored passkey.
    pub sign_count: u32,
    /// The UV flag (biometrics or PIN), e.g. for the token's `amr`.
    pub user_verified: bool,
    pub backup_eligible: bool,
    pub backed_up: bool,
}

/// Verifies `form` against the spent `pending` challenge, for `rp`'s trusted origins, trying the
/// `candidates` in order. Each check fails on its own with its own `FailedCheck`, in this order:
/// `type`, `origin`, `crossOrigin`, authenticatorData's form, `rpIdHash`, UP, UV (when
/// required), candidate selection, signature, `signCount`.
pub fn verify_assertion<'a>(
    form: &AssertionForm,
    pending: &PendingChallenge,
    rp: &RelyingParty,
    candidates: impl IntoIterator<Item = &'a StoredPasskey>,
) -> Result<VerifiedAssertion, AssertionError> {
    let fail = |check: FailedCheck| Err(AssertionError::Verification(check));
    let client_data = &form.client_data;
    if client_data.kind.as_deref() != Some("webauthn.get") {
        return fail(FailedCheck::WrongType(client_data.kind.clone()));
    }
    match &client_data.origin {
        Some(origin) if rp.trusts(origin) => {}
        other => return fail(FailedCheck::UntrustedOrigin(other.clone())),
    }
    if client_data.cross_origin {
        return fail(FailedCheck::CrossOrigin);
    }
    let auth_data = AuthenticatorData::parse(&form.authenticator_data)
        .map_err(|why| AssertionError::Verification(FailedCheck::MalformedAuthenticatorData(why)))?;
    if auth_data.attested.is_some() {
        return fail(FailedCheck::MalformedAuthenticatorData("an assertion carries no attested credential data (AT flag set)".into()));
    }
    if auth_data.rp_id_hash != <[u8; 32]>::from(Sha256::digest(pending.rp_id.as_bytes())) {
        return fail(FailedCheck::RpIdHashMismatch { rp_id: pending.rp_id.clone() });
    }
    if !auth_data.user_present() {
        return fail(FailedCheck::UserNotPresent);
    }
    if pending.user_verification == UserVerification::Required && !auth_data.user_verified() {
        return fail(FailedCheck::UserNotVerified);
    }
    let user_identified = match &pending.binding {
        ChallengeBinding::Primary { login_hint, .. } => login_hint.is_some(),
        ChallengeBinding::Mfa { .. } => true,
        ChallengeBinding::Registration { .. } => false,
    };
    if !user_identified && form.user_handle.is_none() {
        return fail(FailedCheck::UserHandleMissing);
    }

    let mut fitting = candidates
        .into_iter()
        .filter(|c| c.rp_id == pending.rp_id)
        .filter(|c| pending.allow_credential_ids.is_empty() || pending.allow_credential_ids.contains(&c.credential_id))
        .filter(|c| form.user_handle.as_ref().is_none_or(|h| *h == c.user_handle))
        .take(MAX_SIGNATURE_ATTEMPTS)
        .peekable();
    if fitting.peek().is_none() {
        let why = if form.user_handle.is_some() {
            "none has this RP ID, is in allowCredentials and has the assertion's userHandle"
        } else {
            "none has this RP ID and is in allowCredentials"
        };
        return fail(FailedCheck::NoMatchingCredential { why });
    }
    let mut signed = Vec::with_capacity(form.authenticator_data.len() + 32);
    signed.extend_from_slice(&form.authenticator_data);
    signed.extend_from_slice(&Sha256::digest(&form.client_data_json));
    let passkey =
        fitting.find(|c| c.public_key.verify(&signed, &form.signature)).ok_or(AssertionError::Verification(FailedCheck::BadSignature))?;

    let (stored, received) = (passkey.sign_count, auth_data.sign_count);
    if (stored != 0 || received != 0) && received <= stored {
        return fail(FailedCheck::SignCountNotIncreasing { stored, received });
    }
    Ok(VerifiedAssertion {
        credential_id: passkey.credential_id.clone(),
        user_handle: passkey.user_handle.clone(),
        sign_count: received,
        user_verified: auth_data.user_verified(),
        backup_eligible: auth_data.backup_eligible(),
        backed_up: auth_data.backed_up(),
    })
}
