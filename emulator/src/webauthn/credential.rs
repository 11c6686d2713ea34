//! A stored passkey and its seed-file form (`[[users.passkeys]]`).

use super::auth_data::MAX_CREDENTIAL_ID_BYTES;
use super::b64;
use super::keys::{Jwk, PublicKey};
use super::relying_party::validate_rp_id;
use serde::{Deserialize, Serialize};

/// WebAuthn §5.4.3: a user handle is 1 to 64 bytes.
pub const MAX_USER_HANDLE_BYTES: usize = 64;

/// Transport hints a passkey may carry (WebAuthn §5.8.4, `AuthenticatorTransport`).
pub const KNOWN_TRANSPORTS: &[&str] = &["usb", "nfc", "ble", "smart-card", "hybrid", "internal"];

/// A passkey enrolled for a user.
#[derive(Clone, PartialEq, Eq)]
pub struct StoredPasskey {
    pub credential_id: Vec<u8>,
    /// The WebAuthn user handle (`user.id` at registration; `userHandle` in assertions).
    pub user_handle: Vec<u8>,
    pub public_key: PublicKey,
    /// The last signature counter seen; update it from `VerifiedAssertion::sign_count`.
    pub sign_count: u32,
    pub rp_id: String,
    /// Sent as `allowCredentials[].transports` when not empty.
    pub transports: Vec<String>,
    /// `authenticatorEnrollments[].displayName`.
    pub display_name: Option<String>,
}

impl std::fmt::Debug for StoredPasskey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StoredPasskey")
            .field("credential_id", &b64::encode(&self.credential_id))
            .field("user_handle", &b64::encode(&self.user_handle))
            .field("public_key", &self.public_key)
            .field("sign_count", &self.sign_count)
            .field("rp_id", &self.rp_id)
            .field("transports", &self.transports)
            .field("display_name", &self.display_name)
            .finish()
    }
}

impl StoredPasskey {
    /// The credential ID, base64url without padding (as in `allowCredentials[].id`).
    pub fn credential_id_b64(&self) -> String {
        b64::encode(&self.credential_id)
    }
}

/// A passkey in the seed file, under a user:
///
/// ```toml
/// [[users.passkeys]]
/// credential_id = "Y3JlZC0x"                  # base64url, no padding
/// public_key = "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE…"  # SPKI DER, base64url (or a PEM block)
/// # or: public_key_jwk = { kty = "EC", crv = "P-256", x = "…", y = "…" }   (or kty = "RSA", n, e)
/// user_handle = "MDB1MWFkYQ"                  # base64url; default: the user's id as UTF-8
/// rp_id = "localhost"                         # default: the emulator's RP ID
/// sign_count = 0                              # default 0
/// transports = ["internal"]                   # default none
/// display_name = "Touch ID on this Mac"       # default none
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct PasskeySeed {
    pub credential_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub public_key: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub public_key_jwk: Option<Jwk>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_handle: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rp_id: Option<String>,
    #[serde(default)]
    pub sign_count: u32,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub transports: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
}

impl PasskeySeed {
    /// Validates the entry and builds the passkey; `default_user_handle` (the user's id) and
    /// `default_rp_id` fill what the entry leaves out. The message names the bad member.
    pub fn to_stored(&self, default_user_handle: &[u8], default_rp_id: &str) -> Result<StoredPasskey, String> {
        let id = &self.credential_id;
        let credential_id = b64::decode(id, MAX_CREDENTIAL_ID_BYTES).map_err(|p| format!("passkey credential_id {id:?} is {p}"))?;
        if credential_id.is_empty() {
            return Err("passkey credential_id is empty".into());
        }
        let public_key = match (&self.public_key, &self.public_key_jwk) {
            (Some(text), None) => PublicKey::from_spki_text(text),
            (None, Some(jwk)) => PublicKey::from_jwk(jwk),
            _ => return Err(format!("passkey {id:?}: give exactly one of public_key (SPKI) and public_key_jwk")),
        }
        .map_err(|e| format!("passkey {id:?}: {e}"))?;
        let user_handle = match &self.user_handle {
            Some(text) => b64::decode(text, MAX_USER_HANDLE_BYTES).map_err(|p| format!("passkey {id:?}: user_handle is {p}"))?,
            None => default_user_handle.to_vec(),
        };
        if user_handle.is_empty() || user_handle.len() > MAX_USER_HANDLE_BYTES {
            return Err(format!("passkey {id:?}: the user handle must be 1 to {MAX_USER_HANDLE_BYTES} bytes"));
        }
        let rp_id = self.rp_id.clone().unwrap_or_else(|| default_rp_id.to_owned());
        validate_rp_id(&rp_id).map_err(|e| format!("passkey {id:?}: {e}"))?;
        if let Some(t) = self.transports.iter().find(|t| !KNOWN_TRANSPORTS.contains(&t.as_str())) {
            return Err(format!("passkey {id:?}: transport {t:?} is not one of {}", KNOWN_TRANSPORTS.join(", ")));
        }
        Ok(StoredPasskey {
            credential_id,
            user_handle,
            public_key,
            sign_count: self.sign_count,
            rp_id,
            transports: self.transports.clone(),
            display_name: self.display_name.clone(),
        })
    }

    /// The seed entry for `passkey` (public key as base64url SPKI), to save a registered passkey.
    pub fn from_stored(passkey: &StoredPasskey) -> Result<PasskeySeed, String> {
        let spki = passkey.public_key.to_spki_der().map_err(|e| e.0)?;
        Ok(PasskeySeed {
            credential_id: passkey.credential_id_b64(),
            public_key: Some(b64::encode(&spki)),
            public_key_jwk: None,
            user_handle: Some(b64::encode(&passkey.user_handle)),
            rp_id: Some(passkey.rp_id.clone()),
            sign_count: passkey.sign_count,
            transports: passkey.transports.clone(),
            display_name: passkey.display_name.clone(),
        })
    }
}
