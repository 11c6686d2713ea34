//! The signing keys: RS256, generated at start or loaded from a PEM file; the key ring that
//! rotates them (the new key signs, the old one stays published for a grace period); the
//! JWKS that `/keys` serves; JWT signing and verification.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use rsa::pkcs1::DecodeRsaPrivateKey;
use rsa::pkcs8::DecodePrivateKey;
use rsa::traits::PublicKeyParts;
use rsa::{Pkcs1v15Sign, RsaPrivateKey};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

#[derive(Clone)]
pub struct SigningKey {
    key: RsaPrivateKey,
    kid: String,
    n: String,
    e: String,
}

#[derive(Debug)]
pub struct KeyError(pub String);

impl std::fmt::Display for KeyError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for KeyError {}

/// A fresh 2048-bit RSA key.
pub fn generate_rsa_key() -> Result<RsaPrivateKey, KeyError> {
    RsaPrivateKey::new(&mut rand::rngs::OsRng, 2048).map_err(|e| KeyError(e.to_string()))
}

/// Reads a PKCS#8 (`BEGIN PRIVATE KEY`) or PKCS#1 (`BEGIN RSA PRIVATE KEY`) PEM.
pub fn rsa_key_from_pem(pem: &str) -> Result<RsaPrivateKey, KeyError> {
    RsaPrivateKey::from_pkcs8_pem(pem)
        .or_else(|_| RsaPrivateKey::from_pkcs1_pem(pem))
        .map_err(|e| KeyError(format!("not an RSA private key in PEM form: {e}")))
}

impl SigningKey {
    pub fn new(key: RsaPrivateKey) -> SigningKey {
        let n = URL_SAFE_NO_PAD.encode(key.n().to_bytes_be());
        let e = URL_SAFE_NO_PAD.encode(key.e().to_bytes_be());
        // RFC 7638 thumbprint: SHA-256 of the canonical JSON of the required members.
        let canonical = format!(r#"{{"e":"{e}","kty":"RSA","n":"{n}"}}"#);
        let kid = URL_SAFE_NO_PAD.encode(Sha256::digest(canonical.as_bytes()));
        SigningKey { key, kid, n, e }
    }

    pub fn kid(&self) -> &str {
        &self.kid
    }

    /// The public key as one JWK.
    pub fn jwk(&self) -> Value {
        json!({
            "kty": "RSA",
            "alg": "RS256",
            "kid": self.kid,
            "use": "sig",
            "e": self.e,
            "n": self.n,
        })
    }

    /// A JWKS with this key only.
    pub fn jwks(&self) -> Value {
        json!({ "keys": [self.jwk()] })
    }

    /// Signs `claims` as a compact RS256 JWT with this key's `kid`.
    pub fn sign_jwt(&self, claims: &Value) -> Result<String, KeyError> {
        self.sign_with_header(&json!({ "kid": self.kid, "alg": "RS256" }), claims)
    }

    /// Signs `header.claims` with RS256 whatever the header says (forged tokens for tests).
    pub fn sign_with_header(&self, header: &Value, claims: &Value) -> Result<String, KeyError> {
        let mut input = URL_SAFE_NO_PAD.encode(header.to_string().as_bytes());
        input.push('.');
        input.push_str(&URL_SAFE_NO_PAD.encode(claims.to_string().as_bytes()));
        let digest = Sha256::digest(input.as_bytes());
        let sig = self.key.sign(Pkcs1v15Sign::new::<Sha256>(), &digest).map_err(|e| KeyError(e.to_string()))?;
        input.push('.');
        input.push_str(&URL_SAFE_NO_PAD.encode(sig));
        Ok(input)
    }

    /// The public key as an SPKI PEM (`BEGIN PUBLIC KEY`): the "secret" of the classic
    /// HS256-with-the-public-key forgery.
    pub fn public_key_pem(&self) -> Result<String, KeyError> {
        use rsa::pkcs8::{EncodePublicKey, LineEnding};
        self.key.to_public_key().to_public_key_pem(LineEnding::LF).map_err(|e| KeyError(e.to_string()))
    }
}

/// The most keys published at once: the active one and up to three retiring ones.
const MAX_PUBLISHED: usize = 4;

/// The signing keys: one active (it signs), and the keys rotated out, each published until
/// its grace period ends (milliseconds on the emulator clock).
#[derive(Clone)]
pub struct KeyRing {
    active: SigningKey,
    retiring: Vec<(SigningKey, i64)>,
}

impl KeyRing {
    pub fn new(active: SigningKey) -> KeyRing {
        KeyRing { active, retiring: Vec::new() }
    }

    pub fn active(&self) -> &SigningKey {
        &self.active
    }

    /// `next` becomes the signing key; the previous one stays published until `retire_at_ms`.
    /// Returns the previous key's `kid`.
    pub fn rotate(&mut self, next: SigningKey, retire_at_ms: i64) -> String {
        let previous = std::mem::replace(&mut self.active, next);
        let kid = previous.kid.clone();
        self.retiring.retain(|(k, _)| k.kid != kid && k.kid != self.active.kid);
        self.retiring.insert(0, (previous, retire_at_ms));
        self.retiring.truncate(MAX_PUBLISHED - 1);
        kid
    }

    /// The published keys at `now_ms`: the active one first, then the retiring ones whose
    /// grace period has not ended, with the end (`None` for the active key).
    pub fn published(&self, now_ms: i64) -> impl Iterator<Item = (&SigningKey, Option<i64>)> {
        std::iter::once((&self.active, None))
            .chain(self.retiring.iter().filter(move |(_, end)| *end > now_ms).map(|(k, end)| (k, Some(*end))))
    }

    pub fn jwks(&self, now_ms: i64) -> Value {
        json!({ "keys": self.published(now_ms).map(|(k, _)| k.jwk()).collect::<Vec<_>>() })
    }

    /// Verifies a JWT against the published key its header's `kid` names.
    pub fn verify_jwt(&self, token: &str, now_ms: i64) -> Option<Value> {
        let header: Value = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(token.split('.').next()?).ok()?).ok()?;
        let kid = header.get("kid")?.as_str()?;
        self.published(now_ms).find(|(k, _)| k.kid == kid)?.0.verify_jwt(token)
    }
}

impl SigningKey {
    /// Checks an RS256 JWT signed by this key and returns its claims.
    pub fn verify_jwt(&self, token: &str) -> Option<Value> {
        let mut parts = token.split('.');
        let (h, p, sig) = (parts.next()?, parts.next()?, parts.next()?);
        if parts.next().is_some() {
            return None;
        }
        let sig = URL_SAFE_NO_PAD.decode(sig).ok()?;
        let digest = Sha256::digest(format!("{h}.{p}").as_bytes());
        self.key.to_public_key().verify(Pkcs1v15Sign::new::<Sha256>(), &digest, &sig).ok()?;
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(p).ok()?).ok()
    }
}

/// `at_hash`: base64url of the left half of SHA-256 of the access token.
pub fn at_hash(access_token: &str) -> String {
    let d = Sha256::digest(access_token.as_bytes());
    URL_SAFE_NO_PAD.encode(&d[..16])
}

/// A random URL-safe identifier with `bytes` bytes of entropy.
pub fn random_id(bytes: usize) -> String {
    use rand::RngCore;
    let mut buf = vec![0u8; bytes];
    rand::rngs::OsRng.fill_bytes(&mut buf);
    URL_SAFE_NO_PAD.encode(buf)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rsa::pkcs1::EncodeRsaPrivateKey;
    use rsa::pkcs8::{EncodePrivateKey, LineEnding};

    #[test]
    fn pem_keys_load_and_sign() {
        let key = generate_rsa_key().unwrap();
        let pkcs8 = key.to_pkcs8_pem(LineEnding::LF).unwrap();
        let pkcs1 = key.to_pkcs1_pem(LineEnding::LF).unwrap();
        let a = SigningKey::new(rsa_key_from_pem(&pkcs8).unwrap());
        let b = SigningKey::new(rsa_key_from_pem(&pkcs1).unwrap());
        assert_eq!(a.kid(), b.kid());
        assert!(rsa_key_from_pem("not a key").is_err());
        let jwt = a.sign_jwt(&json!({"sub": "x"})).unwrap();
        assert_eq!(b.verify_jwt(&jwt).unwrap()["sub"], "x");
        let mut tampered = jwt.clone();
        tampered.insert(jwt.find('.').unwrap() + 2, 'A');
        assert!(b.verify_jwt(&tampered).is_none());
    }

    #[test]
    fn rotation_keeps_the_previous_key_published_for_its_grace_period() {
        let first = SigningKey::new(generate_rsa_key().unwrap());
        let second = SigningKey::new(generate_rsa_key().unwrap());
        let mut ring = KeyRing::new(first.clone());
        let old_token = ring.active().sign_jwt(&json!({"sub": "x"})).unwrap();
        assert_eq!(ring.rotate(second.clone(), 1_000), first.kid());
        assert_eq!(ring.active().kid(), second.kid());
        let kids = |ring: &KeyRing, now| ring.published(now).map(|(k, _)| k.kid().to_string()).collect::<Vec<_>>();
        assert_eq!(kids(&ring, 999), vec![second.kid().to_string(), first.kid().to_string()]);
        assert!(ring.verify_jwt(&old_token, 999).is_some());
        assert_eq!(kids(&ring, 1_000), vec![second.kid().to_string()]);
        assert!(ring.verify_jwt(&old_token, 1_000).is_none(), "a dropped key verifies nothing");
        // Rotating back to a key still in the ring does not publish it twice.
        ring.rotate(first.clone(), 5_000);
        assert_eq!(kids(&ring, 0), vec![first.kid().to_string(), second.kid().to_string()]);
    }
}
