//! Confidential-client authentication the proxy adds on the endpoints Okta authenticates
//! clients on (token, challenge, primary-authenticate, oob-authenticate, revoke): a client
//! secret (HTTP Basic or in the form) or `private_key_jwt`, an RS256 client assertion minted
//! per request (unique `jti`, short `exp`).

use crate::config::{err, AssertionAudience, ConfigError};
use crate::form::Form;
use crate::secret::Secret;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;
use rand::RngCore;
use rsa::pkcs1::DecodeRsaPrivateKey;
use rsa::pkcs1v15::SigningKey;
use rsa::pkcs8::DecodePrivateKey;
use rsa::signature::{SignatureEncoding, Signer};
use rsa::traits::PublicKeyParts;
use rsa::RsaPrivateKey;
use serde_json::json;
use sha2::Sha256;

pub const ASSERTION_TYPE: &str = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

pub enum ClientAuth {
    None,
    SecretBasic(Secret),
    SecretPost(Secret),
    PrivateKeyJwt(Box<JwtSigner>),
}

pub struct JwtSigner {
    key: SigningKey<Sha256>,
    kid: Option<String>,
    lifetime_secs: u64,
    pub audience: AssertionAudience,
}

impl JwtSigner {
    pub fn from_pem(pem: &Secret, kid: Option<String>, lifetime_secs: u64, audience: AssertionAudience) -> Result<JwtSigner, ConfigError> {
        let key =
            match RsaPrivateKey::from_pkcs8_pem(pem.expose()).or_else(|_| RsaPrivateKey::from_pkcs1_pem(pem.expose())) {
                Ok(k) => k,
                Err(_) => return err(
                    "client_auth private key: not an RSA private key in PEM (PKCS#8 `BEGIN PRIVATE KEY` or PKCS#1 `BEGIN RSA PRIVATE KEY`)",
                ),
            };
        if key.size() * 8 < 2048 {
            return err(format!("client_auth private key: {} bits; Okta needs an RSA key of at least 2048 bits", key.size() * 8));
        }
        Ok(JwtSigner { key: SigningKey::<Sha256>::new(key), kid, lifetime_secs, audience })
    }

    /// A fresh signed assertion for one request to `audience`.
    pub fn assertion(&self, client_id: &str, audience: &str, now_secs: u64) -> Option<String> {
        let mut jti = [0u8; 16];
        rand::rngs::OsRng.fill_bytes(&mut jti);
        let mut header = json!({ "alg": "RS256", "typ": "JWT" });
        if let Some(kid) = &self.kid {
            header["kid"] = json!(kid);
        }
        let claims = json!({
            "iss": client_id,
            "sub": client_id,
            "aud": audience,
            "iat": now_secs,
            "exp": now_secs + self.lifetime_secs,
            "jti": URL_SAFE_NO_PAD.encode(jti),
        });
        let signing_input = format!("{}.{}", URL_SAFE_NO_PAD.encode(header.to_string()), URL_SAFE_NO_PAD.encode(claims.to_string()));
        let signature = self.key.try_sign(signing_input.as_bytes()).ok()?;
        Some(format!("{signing_input}.{}", URL_SAFE_NO_PAD.encode(signature.to_bytes())))
    }
}

impl ClientAuth {
    /// Adds the credentials to an outgoing request: form fields and/or an Authorization header
    /// value. `None` when the assertion could not be signed.
    pub fn apply(&self, form: &mut Form, client_id: &str, audience: &str, now_secs: u64) -> Option<Option<String>> {
        match self {
            ClientAuth::None => Some(None),
            ClientAuth::SecretPost(secret) => {
                form.set("client_secret", secret.expose());
                Some(None)
            }
            ClientAuth::SecretBasic(secret) => {
                // RFC 6749 §2.3.1: both parts form-urlencoded before base64.
                let enc = |s: &str| form_urlencoded::byte_serialize(s.as_bytes()).collect::<String>();
                let pair = format!("{}:{}", enc(client_id), enc(secret.expose()));
                Some(Some(format!("Basic {}", STANDARD.encode(pair))))
            }
            ClientAuth::PrivateKeyJwt(signer) => {
                let assertion = signer.assertion(client_id, audience, now_secs)?;
                form.set("client_assertion_type", ASSERTION_TYPE);
                form.set("client_assertion", &assertion);
                Some(None)
            }
        }
    }
}
