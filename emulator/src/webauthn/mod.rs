//! Passkeys (WebAuthn) for the emulator: stored credentials, single-use challenges bound to
//! a transaction, assertion verification with Okta's error catalogue, and a registration
//! helper. Self-contained: no endpoint, no shared state; the endpoints call it (issue 13).
//!
//! # Wiring it into the endpoints
//!
//! Keep one [`ChallengeStore`] in the emulator's state (plain data, behind the store mutex)
//! and a [`RelyingParty`] in its configuration (RP ID `localhost` and the trusted origins).
//! Times are the emulator clock's milliseconds (`Clock::now_ms`).
//!
//! * **`/primary-authenticate`** with `challenge_hint=urn:okta:params:oauth:grant-type:webauthn`
//!   (Kotlin and Swift, primary) or with an `mfa_token` (Swift's MFA), and **`/challenge`** with
//!   `mfa_token` and `challenge_types_supported` containing `…:mfa-webauthn` (Kotlin's MFA):
//!   build a [`ChallengeRequest`] with [`ChallengeBinding::Primary`] (`login_hint` when given)
//!   or [`ChallengeBinding::Mfa`], set `allow_credentials` to the user's passkeys when the user
//!   is known (`AllowedCredential::from(&passkey)`), then [`ChallengeStore::issue`] and answer
//!   200 with [`IssuedChallenge::body`] (`{challengeType, publicKey}`); an [`IssueError`] answers
//!   with [`IssueError::wire`]. A known user with no passkey should get the emulator's existing
//!   answer for an unenrolled factor (what Okta sends there is unknown, ANCHORS §1.4). Call
//!   [`ChallengeStore::forget_mfa_token`] when an `mfa_token` is spent or expires.
//! * **`/token`** with `grant_type` `…:webauthn` or `…:mfa-webauthn`:
//!   1. [`AssertionForm::from_fields`] with the form's `clientDataJSON`, `authenticatorData`,
//!      `signature`, `userHandle`;
//!   2. (MFA: check the `mfa_token` as for the other MFA grants first) then
//!      [`ChallengeStore::redeem_assertion`] with `form.challenge()` and an [`AssertionGrant`];
//!      it spends the challenge;
//!   3. pick the candidates from the returned [`PendingChallenge::binding`]: the `mfa_token`'s
//!      user, the `login_hint` user, or, for `Primary { login_hint: None }`, every user's
//!      passkeys (`form.user_handle()` narrows them);
//!   4. [`verify_assertion`]; on success write [`VerifiedAssertion::sign_count`] to the passkey
//!      with [`VerifiedAssertion::credential_id`] and sign its owner in. User handles must be
//!      unique across users (the seed loader should refuse duplicates), and so must credential IDs.
//!
//!   Every error is an [`AssertionError`]: answer `OAuthError::new(status, error, description)`
//!   from [`AssertionError::wire`]; [`AssertionError::hint`] says what failed (for the request log).
//! * **`/__emulator/` registration**: [`ChallengeStore::issue_registration`] with a
//!   [`RegistrationRequest`], then [`ChallengeStore::complete_registration`] with the browser's
//!   `clientDataJSON` and `attestationObject`; store the returned [`Registration::passkey`] after
//!   checking its credential ID is new; refusals answer with [`RegistrationError::wire`]. A known
//!   public key can also be added directly: [`PasskeySeed::to_stored`].
//!
//! # Seed file
//!
//! ```toml
//! [[users]]
//! login = "ada@example.com"
//! # …
//! [[users.passkeys]]
//! credential_id = "Y3JlZC0x"                     # base64url, no padding
//! public_key = "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE…"  # SPKI DER, base64url, or a PEM block
//! # or instead: public_key_jwk = { kty = "EC", crv = "P-256", x = "…", y = "…" }  (or kty = "RSA", n, e)
//! user_handle = "MDB1MWFkYQ"                     # optional, base64url; default: the user's id as UTF-8
//! rp_id = "localhost"                            # optional; default: the emulator's RP ID
//! sign_count = 0                                 # optional; default 0
//! transports = ["internal"]                      # optional
//! display_name = "Touch ID"                      # optional
//! ```
//!
//! `users.passkeys` is a `Vec<PasskeySeed>` on `UserSeed` (`#[serde(default)]`). SPKI is what
//! `node:crypto`'s `publicKey.export({type: 'spki', format: 'der'})` and Playwright's
//! `context.credentials` give; the private key goes to the browser (CDP `WebAuthn.addCredential`,
//! PKCS#8) and never into the seed. [`PasskeySeed::from_stored`] writes a registered passkey back.
//!
//! # What is checked, and how it differs from a full WebAuthn RP
//!
//! Only ES256 and RS256; attestation `none` or `packed` self-attestation; base64url without
//! padding only; `signCount` must grow unless both counters are 0 (WebAuthn §7.2 step 21:
//! an equal non-zero counter is refused too); `crossOrigin: true` is refused; a sign-in without
//! a `login_hint` requires `userHandle` (§7.2 step 6). A challenge is spent by the first
//! assertion its own transaction presents, whether that assertion verifies or not.

mod assertion;
mod auth_data;
mod b64;
mod cbor;
mod challenge;
mod client_data;
mod credential;
mod errors;
mod keys;
mod registration;
mod relying_party;

#[cfg(test)]
mod tests;

pub use assertion::{verify_assertion, AssertionForm, AssertionGrant, VerifiedAssertion};
pub use assertion::{MAX_AUTHENTICATOR_DATA_BYTES, MAX_CLIENT_DATA_BYTES, MAX_SIGNATURE_ATTEMPTS, MAX_SIGNATURE_BYTES};
pub use auth_data::{AttestedCredential, AuthenticatorData};
pub use b64::B64Problem;
pub use challenge::{
    AllowedCredential, ChallengeBinding, ChallengeRequest, ChallengeStore, IssueError, IssuedChallenge, PendingChallenge, UserVerification,
};
pub use challenge::{
    CHALLENGE_BYTES, CHALLENGE_TYPE_MFA, CHALLENGE_TYPE_PRIMARY, DEFAULT_MAX_PENDING, DEFAULT_TIMEOUT_MS, TRANSIT_GRACE_MS,
};
pub use client_data::ClientDataProblem;
pub use credential::{PasskeySeed, StoredPasskey, KNOWN_TRANSPORTS, MAX_USER_HANDLE_BYTES};
pub use errors::{AssertionError, FailedCheck, NoPendingReason, OktaError};
pub use errors::{
    CHALLENGE_NOT_FOR_MFA_TOKEN, INVALID_CHALLENGE_DATA, INVALID_WEBAUTHN_REQUEST, NO_PENDING_CHALLENGE, VERIFICATION_FAILURE,
};
pub use keys::{Jwk, KeyError, PublicKey, COSE_ES256, COSE_RS256};
pub use registration::{Registration, RegistrationError, RegistrationRequest, RegistrationResponse};
pub use relying_party::{validate_rp_id, RelyingParty};
