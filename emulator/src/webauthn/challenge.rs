//! Challenge issuance: single-use, random, bound to a transaction, expiring; and the
//! `publicKey` request options exactly as Okta sends them (camelCase, base64url without
//! padding; ANCHORS-2026-12 §1.2).

use super::assertion::AssertionGrant;
use super::b64;
use super::credential::StoredPasskey;
use super::errors::{AssertionError, NoPendingReason};
use super::relying_party::validate_rp_id;
use axum::http::StatusCode;
use rand::RngCore;
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};
use std::collections::HashMap;

/// `challengeType` of a primary (first-factor) WebAuthn challenge.
pub const CHALLENGE_TYPE_PRIMARY: &str = "urn:okta:params:oauth:grant-type:webauthn";
/// `challengeType` of an MFA WebAuthn challenge.
pub const CHALLENGE_TYPE_MFA: &str = "urn:okta:params:oauth:grant-type:mfa-webauthn";

/// Random bytes per challenge (WebAuthn §13.4.3 asks for at least 16).
pub const CHALLENGE_BYTES: usize = 32;
/// `publicKey.timeout` when the request does not set one (an emulator choice: Okta's is unknown).
pub const DEFAULT_TIMEOUT_MS: u32 = 60_000;
pub const MIN_TIMEOUT_MS: u32 = 1_000;
pub const MAX_TIMEOUT_MS: u32 = 600_000;
/// A challenge stays redeemable this long after the browser's timeout, for the `/token` round trip.
pub const TRANSIT_GRACE_MS: i64 = 30_000;
/// Pending challenges kept at most; beyond it issuance is refused rather than evicting live ones.
pub const DEFAULT_MAX_PENDING: usize = 10_000;

/// `publicKey.userVerification`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum UserVerification {
    /// The UV flag must be set, or the assertion fails.
    Required,
    #[default]
    Preferred,
    Discouraged,
}

impl UserVerification {
    pub fn as_str(self) -> &'static str {
        match self {
            UserVerification::Required => "required",
            UserVerification::Preferred => "preferred",
            UserVerification::Discouraged => "discouraged",
        }
    }
}

/// The transaction a challenge belongs to. Only an assertion for the same transaction redeems it.
#[derive(Clone, PartialEq, Eq)]
pub enum ChallengeBinding {
    /// `/primary-authenticate` with `challenge_hint=…:webauthn`; `login_hint` when given (without
    /// it the sign-in is with a discoverable credential).
    Primary { client_id: String, login_hint: Option<String> },
    /// `/challenge` (or Swift's `/primary-authenticate`) with an `mfa_token`.
    Mfa { client_id: String, mfa_token: String },
    /// A registration ceremony for `user` (the emulator's own endpoint); `user_handle` becomes `user.id`.
    Registration { user: String, user_handle: Vec<u8> },
}

impl std::fmt::Debug for ChallengeBinding {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ChallengeBinding::Primary { client_id, login_hint } => {
                f.debug_struct("Primary").field("client_id", client_id).field("login_hint", login_hint).finish()
            }
            // The mfa_token is a credential: never printed.
            ChallengeBinding::Mfa { client_id, .. } => {
                f.debug_struct("Mfa").field("client_id", client_id).field("mfa_token", &"<redacted>").finish()
            }
            ChallengeBinding::Registration { user, user_handle } => {
                f.debug_struct("Registration").field("user", user).field("user_handle", &b64::encode(user_handle)).finish()
            }
        }
    }
}

/// One `allowCredentials` entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AllowedCredential {
    pub id: Vec<u8>,
    pub transports: Vec<String>,
}

impl From<&StoredPasskey> for AllowedCredential {
    fn from(passkey: &StoredPasskey) -> Self {
        AllowedCredential { id: passkey.credential_id.clone(), transports: passkey.transports.clone() }
    }
}

/// What to issue a sign-in (primary or MFA) challenge for.
#[derive(Debug, Clone)]
pub struct ChallengeRequest {
    pub binding: ChallengeBinding,
    /// The RP ID assertions must be made for (checked through `rpIdHash`).
    pub rp_id: String,
    /// Send `publicKey.rpId`. Okta may leave it out (clients then take `extensions.appid`'s host
    /// or the issuer's); false lets a test exercise that fallback.
    pub send_rp_id: bool,
    /// The user's passkeys when the user is known (`login_hint` or `mfa_token`); empty for a
    /// discoverable-credential sign-in. When not empty, only these credentials can answer.
    pub allow_credentials: Vec<AllowedCredential>,
    pub user_verification: UserVerification,
    pub timeout_ms: u32,
    /// `extensions.appid`, e.g. `https://{oktaDomain}` as Okta sends it.
    pub appid: Option<String>,
}

impl ChallengeRequest {
    /// A request with Okta's defaults: `rpId` sent, no allow list, `preferred` UV, 60 s, no appid.
    pub fn new(binding: ChallengeBinding, rp_id: &str) -> ChallengeRequest {
        ChallengeRequest {
            binding,
            rp_id: rp_id.to_owned(),
            send_rp_id: true,
            allow_credentials: Vec::new(),
            user_verification: UserVerification::default(),
            timeout_ms: DEFAULT_TIMEOUT_MS,
            appid: None,
        }
    }
}

/// A challenge waiting for its assertion (or its registration response).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingChallenge {
    pub binding: ChallengeBinding,
    pub rp_id: String,
    pub user_verification: UserVerification,
    /// The `allowCredentials` ids; empty means any credential of the RP ID may answer.
    pub allow_credential_ids: Vec<Vec<u8>>,
    pub expires_at_ms: i64,
}

/// An issued challenge and the JSON body to answer with.
#[derive(Debug, Clone)]
pub struct IssuedChallenge {
    /// base64url without padding, as in `publicKey.challenge` and `clientDataJSON.challenge`.
    pub challenge: String,
    pub expires_at_ms: i64,
    /// The whole 200 body: `{challengeType, publicKey}` for sign-in, `{publicKey}` for registration.
    pub body: Value,
}

/// Why a challenge could not be issued.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IssueError {
    /// The request itself is wrong (a caller bug: timeout out of range, invalid RP ID).
    InvalidRequest(String),
    /// `DEFAULT_MAX_PENDING` challenges are pending.
    TooManyPending,
    /// The operating system's random source failed.
    NoRandomness,
}

impl IssueError {
    /// `(HTTP status, error, error_description)` to answer with.
    pub fn wire(&self) -> (StatusCode, &'static str, &'static str) {
        match self {
            IssueError::InvalidRequest(_) => {
                (StatusCode::INTERNAL_SERVER_ERROR, "server_error", "The authorization server encountered an unexpected error.")
            }
            IssueError::TooManyPending => {
                (StatusCode::TOO_MANY_REQUESTS, "invalid_grant", "API call exceeded rate limit due to too many requests.")
            }
            IssueError::NoRandomness => {
                (StatusCode::SERVICE_UNAVAILABLE, "temporarily_unavailable", "The authorization server is temporarily unavailable.")
            }
        }
    }
}

impl std::fmt::Display for IssueError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            IssueError::InvalidRequest(why) => write!(f, "cannot issue a WebAuthn challenge: {why}"),
            IssueError::TooManyPending => {
                write!(f, "{DEFAULT_MAX_PENDING} WebAuthn challenges are pending: answer or let some expire, then retry")
            }
            IssueError::NoRandomness => f.write_str("the system random source failed: retry"),
        }
    }
}

impl std::error::Error for IssueError {}

/// Pending challenges, keyed by their base64url text. Plain data: keep it behind the
/// emulator's store mutex; times are the emulator clock's milliseconds.
pub struct ChallengeStore {
    pending: HashMap<String, PendingChallenge>,
    max_pending: usize,
}

impl std::fmt::Debug for ChallengeStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Counts only: the challenges and the mfa_tokens they are bound to stay out of logs.
        f.debug_struct("ChallengeStore").field("pending", &self.pending.len()).field("max_pending", &self.max_pending).finish()
    }
}

impl Default for ChallengeStore {
    fn default() -> Self {
        ChallengeStore::with_limit(DEFAULT_MAX_PENDING)
    }
}

impl ChallengeStore {
    pub fn new() -> ChallengeStore {
        ChallengeStore::default()
    }

    /// A store that keeps at most `max_pending` unexpired challenges.
    pub fn with_limit(max_pending: usize) -> ChallengeStore {
        ChallengeStore { pending: HashMap::new(), max_pending }
    }

    /// Pending challenges (expired ones included until the next issue prunes them).
    pub fn len(&self) -> usize {
        self.pending.len()
    }

    pub fn is_empty(&self) -> bool {
        self.pending.is_empty()
    }

    /// Issues a sign-in challenge and builds Okta's `{challengeType, publicKey}` body.
    pub fn issue(&mut self, request: ChallengeRequest, now_ms: i64) -> Result<IssuedChallenge, IssueError> {
        let challenge_type = match &request.binding {
            ChallengeBinding::Primary { .. } => CHALLENGE_TYPE_PRIMARY,
            ChallengeBinding::Mfa { .. } => CHALLENGE_TYPE_MFA,
            ChallengeBinding::Registration { .. } => {
                return Err(IssueError::InvalidRequest("a registration challenge is issued with issue_registration".into()))
            }
        };
        check_common(&request.rp_id, request.timeout_ms)?;
        let challenge = self.reserve(now_ms)?;
        let mut public_key = Map::new();
        public_key.insert("challenge".into(), json!(challenge));
        if request.send_rp_id {
            public_key.insert("rpId".into(), json!(request.rp_id));
        }
        if !request.allow_credentials.is_empty() {
            let allow: Vec<Value> = request.allow_credentials.iter().map(allow_entry).collect();
            public_key.insert("allowCredentials".into(), Value::Array(allow));
        }
        public_key.insert("timeout".into(), json!(request.timeout_ms));
        public_key.insert("userVerification".into(), json!(request.user_verification.as_str()));
        if let Some(appid) = &request.appid {
            public_key.insert("extensions".into(), json!({ "appid": appid }));
        }
        let body = json!({ "challengeType": challenge_type, "publicKey": public_key });
        let expires_at_ms = expiry(now_ms, request.timeout_ms);
        let pending = PendingChallenge {
            binding: request.binding,
            rp_id: request.rp_id,
            user_verification: request.user_verification,
            allow_credential_ids: request.allow_credentials.into_iter().map(|c| c.id).collect(),
            expires_at_ms,
        };
        self.pending.insert(challenge.clone(), pending);
        Ok(IssuedChallenge { challenge, expires_at_ms, body })
    }

    /// Registers a pending registration challenge (see `registration.rs`).
    pub(super) fn insert_registration(
        &mut self,
        binding: ChallengeBinding,
        rp_id: &str,
        user_verification: UserVerification,
        timeout_ms: u32,
        now_ms: i64,
    ) -> Result<(String, i64), IssueError> {
        check_common(rp_id, timeout_ms)?;
        let challenge = self.reserve(now_ms)?;
        let expires_at_ms = expiry(now_ms, timeout_ms);
        let pending =
            PendingChallenge { binding, rp_id: rp_id.to_owned(), user_verification, allow_credential_ids: Vec::new(), expires_at_ms };
        self.pending.insert(challenge.clone(), pending);
        Ok((challenge, expires_at_ms))
    }

    /// Finds the challenge `clientDataJSON.challenge` names and spends it, if it belongs to the
    /// transaction of `grant`. A challenge presented by the wrong transaction is left in place
    /// (so a stranger cannot burn it); one presented by its own transaction is spent whatever
    /// the verification that follows decides: one attempt per challenge.
    pub fn redeem_assertion(
        &mut self,
        challenge: &str,
        grant: &AssertionGrant<'_>,
        now_ms: i64,
    ) -> Result<PendingChallenge, AssertionError> {
        let pending = self.pending.get(challenge).ok_or(AssertionError::NoPendingChallenge(NoPendingReason::UnknownOrUsed))?;
        if pending.expires_at_ms <= now_ms {
            self.pending.remove(challenge);
            return Err(AssertionError::NoPendingChallenge(NoPendingReason::Expired));
        }
        match (&pending.binding, grant) {
            (ChallengeBinding::Registration { .. }, _) => {
                return Err(AssertionError::NoPendingChallenge(NoPendingReason::IssuedForRegistration))
            }
            (ChallengeBinding::Primary { .. }, AssertionGrant::Mfa { .. }) => return Err(AssertionError::ChallengeNotForMfaToken),
            (ChallengeBinding::Mfa { mfa_token, .. }, AssertionGrant::Mfa { mfa_token: presented, .. })
                if !constant_time_eq(mfa_token.as_bytes(), presented.as_bytes()) =>
            {
                return Err(AssertionError::ChallengeNotForMfaToken)
            }
            (ChallengeBinding::Mfa { .. }, AssertionGrant::Primary { .. }) => {
                return Err(AssertionError::NoPendingChallenge(NoPendingReason::IssuedForMfa))
            }
            (ChallengeBinding::Primary { client_id, .. } | ChallengeBinding::Mfa { client_id, .. }, _)
                if client_id != grant.client_id() =>
            {
                return Err(AssertionError::NoPendingChallenge(NoPendingReason::OtherClient))
            }
            _ => {}
        }
        self.pending.remove(challenge).ok_or(AssertionError::NoPendingChallenge(NoPendingReason::UnknownOrUsed))
    }

    /// Finds and spends a registration challenge; `None` with the reason when it cannot.
    pub(super) fn redeem_registration(&mut self, challenge: &str, now_ms: i64) -> Result<PendingChallenge, NoPendingReason> {
        let pending = self.pending.get(challenge).ok_or(NoPendingReason::UnknownOrUsed)?;
        if pending.expires_at_ms <= now_ms {
            self.pending.remove(challenge);
            return Err(NoPendingReason::Expired);
        }
        if !matches!(pending.binding, ChallengeBinding::Registration { .. }) {
            return Err(NoPendingReason::UnknownOrUsed);
        }
        self.pending.remove(challenge).ok_or(NoPendingReason::UnknownOrUsed)
    }

    /// Moves a pending challenge to the text `to`, so a test can replay a browser's recorded
    /// ceremony, whose challenge was fixed when it was recorded.
    #[cfg(test)]
    pub(super) fn rekey(&mut self, from: &str, to: &str) {
        if let Some(pending) = self.pending.remove(from) {
            self.pending.insert(to.to_owned(), pending);
        }
    }

    /// Drops every challenge bound to `mfa_token` (call when the token is spent or expires).
    pub fn forget_mfa_token(&mut self, mfa_token: &str) {
        self.pending.retain(|_, p| !matches!(&p.binding, ChallengeBinding::Mfa { mfa_token: t, .. } if t == mfa_token));
    }

    /// Drops expired challenges.
    pub fn prune(&mut self, now_ms: i64) {
        self.pending.retain(|_, p| p.expires_at_ms > now_ms);
    }

    /// Makes room and draws a fresh challenge.
    fn reserve(&mut self, now_ms: i64) -> Result<String, IssueError> {
        if self.pending.len() >= self.max_pending {
            self.prune(now_ms);
        }
        if self.pending.len() >= self.max_pending {
            return Err(IssueError::TooManyPending);
        }
        let mut bytes = [0u8; CHALLENGE_BYTES];
        rand::rngs::OsRng.try_fill_bytes(&mut bytes).map_err(|_| IssueError::NoRandomness)?;
        let challenge = b64::encode(&bytes);
        if self.pending.contains_key(&challenge) {
            // 256 random bits repeating means the random source is broken.
            return Err(IssueError::NoRandomness);
        }
        Ok(challenge)
    }
}

fn check_common(rp_id: &str, timeout_ms: u32) -> Result<(), IssueError> {
    validate_rp_id(rp_id).map_err(IssueError::InvalidRequest)?;
    if !(MIN_TIMEOUT_MS..=MAX_TIMEOUT_MS).contains(&timeout_ms) {
        return Err(IssueError::InvalidRequest(format!("timeout {timeout_ms} ms is outside {MIN_TIMEOUT_MS}..={MAX_TIMEOUT_MS}")));
    }
    Ok(())
}

fn expiry(now_ms: i64, timeout_ms: u32) -> i64 {
    now_ms.saturating_add(i64::from(timeout_ms)).saturating_add(TRANSIT_GRACE_MS)
}

fn allow_entry(credential: &AllowedCredential) -> Value {
    let mut entry = Map::new();
    entry.insert("id".into(), json!(b64::encode(&credential.id)));
    entry.insert("type".into(), json!("public-key"));
    if !credential.transports.is_empty() {
        entry.insert("transports".into(), json!(credential.transports));
    }
    Value::Object(entry)
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}
