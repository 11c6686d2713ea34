//! The seed file: users with their factors, clients with their grants, custom authorization
//! servers. TOML; `emulator/users.toml` is compiled in as the default.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

pub const DEFAULT_SEED: &str = include_str!("../users.toml");

pub const GRANT_PASSWORD: &str = "password";
pub const GRANT_OTP: &str = "urn:okta:params:oauth:grant-type:otp";
pub const GRANT_OOB: &str = "urn:okta:params:oauth:grant-type:oob";
pub const GRANT_MFA_OTP: &str = "http://auth0.com/oauth/grant-type/mfa-otp";
pub const GRANT_MFA_OOB: &str = "http://auth0.com/oauth/grant-type/mfa-oob";
pub const GRANT_REFRESH: &str = "refresh_token";
pub const GRANT_AUTH_CODE: &str = "authorization_code";
pub const GRANT_INTERACTION_CODE: &str = "interaction_code";
pub const GRANT_WEBAUTHN: &str = "urn:okta:params:oauth:grant-type:webauthn";
pub const GRANT_MFA_WEBAUTHN: &str = "urn:okta:params:oauth:grant-type:mfa-webauthn";

/// Grant types the emulator's `/token` implements.
pub const IMPLEMENTED_GRANTS: &[&str] =
    &[GRANT_PASSWORD, GRANT_OTP, GRANT_OOB, GRANT_MFA_OTP, GRANT_MFA_OOB, GRANT_REFRESH, GRANT_WEBAUTHN, GRANT_MFA_WEBAUTHN];

/// Every grant type value a client may list in the seed file.
pub const KNOWN_GRANTS: &[&str] = &[
    GRANT_AUTH_CODE,
    "implicit",
    GRANT_REFRESH,
    GRANT_PASSWORD,
    "client_credentials",
    "urn:ietf:params:oauth:grant-type:device_code",
    "urn:openid:params:grant-type:ciba",
    GRANT_INTERACTION_CODE,
    GRANT_OTP,
    GRANT_MFA_OTP,
    GRANT_OOB,
    GRANT_MFA_OOB,
    GRANT_WEBAUTHN,
    GRANT_MFA_WEBAUTHN,
];

/// Grant types advertised in discovery (what a real custom AS lists; §1 of the protocol notes).
pub const ADVERTISED_GRANTS: &[&str] = &[
    GRANT_AUTH_CODE,
    "implicit",
    GRANT_REFRESH,
    GRANT_PASSWORD,
    "urn:ietf:params:oauth:grant-type:device_code",
    "urn:openid:params:grant-type:ciba",
    GRANT_OTP,
    GRANT_MFA_OTP,
    GRANT_OOB,
    GRANT_MFA_OOB,
];

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum PushMode {
    #[default]
    None,
    Plain,
    NumberChallenge,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Policy {
    #[default]
    OneFactor,
    TwoFactor,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct UserSeed {
    pub login: String,
    pub name: String,
    /// Okta user id (`uid`, ID-token `sub`); derived from the login when absent.
    #[serde(default)]
    pub id: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub password: Option<String>,
    /// Base32 TOTP secret (RFC 6238, SHA-1, 6 digits, 30 s).
    #[serde(default)]
    pub totp_secret: Option<String>,
    /// E.164 phone number for SMS and voice.
    #[serde(default)]
    pub phone: Option<String>,
    #[serde(default)]
    pub push: PushMode,
    /// Enrolled in the email authenticator: codes go to `email()` (the outbox, channel "email").
    #[serde(default)]
    pub email_factor: bool,
    #[serde(default)]
    pub policy: Policy,
    /// The password is right but expired: the password grant answers with this error instead
    /// of tokens (see [`PasswordExpiry`]).
    #[serde(default)]
    pub password_expired: Option<PasswordExpiry>,
    /// Passkeys (WebAuthn credentials: public key and credential ID), shape in `webauthn::PasskeySeed`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub passkeys: Vec<crate::webauthn::PasskeySeed>,
}

/// Which of Okta's two expired-password answers the password grant gives. Okta's catalogue
/// has both and sends no stable field besides `error`: only the description tells them apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PasswordExpiry {
    /// 400 `invalid_grant` "Password has expired." (`expired_password_credentials`, listed with
    /// the resource-owner password errors: what the password grant sends).
    InvalidGrant,
    /// 403 `access_denied` "The user's password is expired." (`password_expired`, listed with
    /// the sign-in policy errors).
    AccessDenied,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ClientSeed {
    pub client_id: String,
    #[serde(default)]
    pub name: Option<String>,
    /// Grant types enabled for the client (exact Okta values).
    pub grant_types: Vec<String>,
    /// When set, the client is confidential: `client_secret` (post) or HTTP Basic is required.
    #[serde(default)]
    pub client_secret: Option<String>,
    #[serde(default)]
    pub oob_lifetime: Option<u64>,
    #[serde(default)]
    pub mfa_token_lifetime: Option<u64>,
    #[serde(default)]
    pub interval: Option<u64>,
    /// Seconds the emulator enforces between polls of one `oob_code` (a faster poll gets
    /// `slow_down`); defaults to `interval`. Set above `interval` to watch a client meet
    /// `slow_down` without misbehaving itself. Never below `interval`.
    #[serde(default)]
    pub enforced_interval: Option<u64>,
    #[serde(default)]
    pub access_token_lifetime: Option<u64>,
    /// Public keys for `private_key_jwt` client authentication (RS256 JWKs). When set, the
    /// client is confidential: it must send a `client_assertion` (or its `client_secret`).
    #[serde(default)]
    pub jwks: Vec<ClientJwk>,
    /// Redirect URIs registered for the client. Under Okta's browser rules a browser request
    /// to `/token` must come from the origin of one of them (`illegal_origin_browser_request`).
    #[serde(default)]
    pub redirect_uris: Vec<String>,
    /// `publicKey.userVerification` of this client's passkey challenges (`preferred` by default).
    #[serde(default)]
    pub webauthn_user_verification: Option<crate::webauthn::UserVerification>,
    /// The RP ID this client's passkey challenges name instead of the emulator's (`--rp-id`):
    /// e.g. `okta.com`, as an org whose passkeys are bound to Okta's domain sends (tests of
    /// the browser's `SecurityError`).
    #[serde(default)]
    pub webauthn_rp_id: Option<String>,
    /// Shapes Okta's passkey challenges may have that clients must cope with (ANCHORS §1.2).
    #[serde(default)]
    pub webauthn_quirks: Vec<WebAuthnQuirk>,
}

/// A deviation of a client's passkey challenges from the plain shape.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum WebAuthnQuirk {
    /// No `publicKey.rpId` (clients take `extensions.appid`'s host, else the issuer's).
    OmitRpId,
    /// `allowCredentials[].transports` as a JSON-encoded string (okta-auth-js's `coerceTransports`).
    TransportsAsString,
    /// `extensions.appid` of another domain (`https://example.okta.com`), as Okta sends its org URL.
    CrossDomainAppid,
}

/// One public key of a client's JWKS (RSA only).
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct ClientJwk {
    pub kty: String,
    #[serde(default)]
    pub kid: Option<String>,
    pub n: String,
    pub e: String,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ServerSeed {
    pub id: String,
    #[serde(default)]
    pub audience: Option<String>,
    /// Custom scopes accepted besides the OIDC ones.
    #[serde(default)]
    pub scopes: Vec<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Seed {
    #[serde(default)]
    pub users: Vec<UserSeed>,
    #[serde(default)]
    pub clients: Vec<ClientSeed>,
    #[serde(default)]
    pub authorization_servers: Vec<ServerSeed>,
}

#[derive(Debug)]
pub struct SeedError(pub String);

impl std::fmt::Display for SeedError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for SeedError {}

impl Seed {
    pub fn default_seed() -> Seed {
        // The compiled-in file is checked by a unit test.
        Seed::parse(DEFAULT_SEED).unwrap_or_default()
    }

    pub fn parse(text: &str) -> Result<Seed, SeedError> {
        let seed: Seed = toml::from_str(text).map_err(|e| SeedError(e.to_string()))?;
        seed.validate()?;
        Ok(seed)
    }

    fn validate(&self) -> Result<(), SeedError> {
        let mut logins = BTreeMap::new();
        for u in &self.users {
            if u.login.trim().is_empty() {
                return Err(SeedError("a user has an empty login".into()));
            }
            // A leading space marks the email channel's decoy transactions (endpoints::email).
            if u.login.trim() != u.login {
                return Err(SeedError(format!("user {:?}: the login has surrounding spaces", u.login)));
            }
            if logins.insert(u.login.to_ascii_lowercase(), ()).is_some() {
                return Err(SeedError(format!("duplicate user login {}", u.login)));
            }
            if let Some(s) = &u.totp_secret {
                if crate::totp::decode_base32(s).is_none() {
                    return Err(SeedError(format!("user {}: totp_secret is not base32", u.login)));
                }
            }
        }
        crate::passkeys::validate_seed(&self.users).map_err(SeedError)?;
        let mut ids = BTreeMap::new();
        for c in &self.clients {
            if ids.insert(c.client_id.clone(), ()).is_some() {
                return Err(SeedError(format!("duplicate client_id {}", c.client_id)));
            }
            if let Some(rp_id) = &c.webauthn_rp_id {
                crate::webauthn::validate_rp_id(rp_id).map_err(|e| SeedError(format!("client {}: webauthn_rp_id: {e}", c.client_id)))?;
            }
            for g in &c.grant_types {
                if !KNOWN_GRANTS.contains(&g.as_str()) {
                    return Err(SeedError(format!("client {}: unknown grant type {g}", c.client_id)));
                }
            }
        }
        for s in &self.authorization_servers {
            if s.id.is_empty() || s.id == "v1" || s.id.contains('/') {
                return Err(SeedError(format!("invalid authorization server id {:?}", s.id)));
            }
        }
        Ok(())
    }
}

/// A factor kind, for "the second factor must be a different one".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FactorKind {
    Password,
    Otp,
    Phone,
    Push,
    Passkey,
    Email,
}

impl ClientSeed {
    /// A confidential client authenticates itself (a secret); a public one sends only `client_id`.
    pub fn is_confidential(&self) -> bool {
        self.client_secret.is_some() || !self.jwks.is_empty()
    }
}

impl UserSeed {
    pub fn user_id(&self) -> String {
        if let Some(id) = &self.id {
            return id.clone();
        }
        use sha2::Digest;
        let digest = sha2::Sha256::digest(self.login.to_ascii_lowercase().as_bytes());
        let mut id = String::from("00u");
        for b in digest.iter().take(8) {
            id.push_str(&format!("{b:02x}"));
        }
        id
    }

    pub fn email(&self) -> String {
        self.email.clone().unwrap_or_else(|| self.login.clone())
    }

    /// Factor names for the emulator API: password, otp, sms, voice, push, email.
    pub fn factor_names(&self) -> Vec<&'static str> {
        let mut f = Vec::new();
        if self.password.is_some() {
            f.push("password");
        }
        if self.totp_secret.is_some() {
            f.push("otp");
        }
        if self.phone.is_some() {
            f.push("sms");
            f.push("voice");
        }
        if self.push != PushMode::None {
            f.push("push");
        }
        if self.email_factor {
            f.push("email");
        }
        f
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_seed_parses() {
        let seed = Seed::parse(DEFAULT_SEED).expect("users.toml must parse");
        assert!(seed.users.len() >= 8);
        assert!(seed.clients.iter().any(|c| c.client_id == "0oa-demo-spa"));
    }
}
