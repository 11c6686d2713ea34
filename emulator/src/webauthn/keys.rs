//! Credential public keys: ES256 (ECDSA P-256 with SHA-256, DER signatures) and RS256
//! (RSASSA-PKCS1-v1_5 with SHA-256), read from a COSE_Key (attested credential data), an SPKI
//! (DER, base64url or PEM: what `node:crypto` and Playwright's `credentials` export) or a JWK.
//! Everything else is refused: an allowlist of two algorithms.

use super::b64;
use super::cbor::{self, Value};
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use p256::ecdsa::signature::Verifier;
use rsa::pkcs8::{DecodePublicKey as _, EncodePublicKey as _};
use rsa::traits::PublicKeyParts;
use rsa::{BigUint, Pkcs1v15Sign, RsaPublicKey};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// COSE algorithm identifiers (IANA "COSE Algorithms").
pub const COSE_ES256: i64 = -7;
pub const COSE_RS256: i64 = -257;

/// Smallest RSA modulus accepted; the `rsa` crate caps the largest at 4096 bits.
const MIN_RSA_BITS: usize = 2048;
/// The longest SPKI accepted (a 4096-bit RSA SPKI is 550 bytes).
const MAX_SPKI_BYTES: usize = 1024;

/// A passkey's public key.
#[derive(Clone, PartialEq, Eq)]
pub enum PublicKey {
    Es256(p256::ecdsa::VerifyingKey),
    Rs256(RsaPublicKey),
}

impl std::fmt::Debug for PublicKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PublicKey::Es256(_) => f.write_str("PublicKey::Es256(P-256)"),
            PublicKey::Rs256(k) => write!(f, "PublicKey::Rs256({} bits)", k.n().bits()),
        }
    }
}

/// Why a public key was refused; says what to supply instead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyError(pub String);

impl std::fmt::Display for KeyError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for KeyError {}

fn key_error(what: impl Into<String>) -> KeyError {
    KeyError(what.into())
}

/// A JWK public key, as `crypto.subtle.exportKey('jwk')` or `KeyObject.export({format:'jwk'})`
/// give it. Members other than these (`ext`, `key_ops`, `kid`, `use`) are ignored; a private
/// member (`d`) is refused so a private key never lands in a seed file.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
pub struct Jwk {
    pub kty: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub crv: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub x: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub y: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub n: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub e: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alg: Option<String>,
    #[serde(default, skip_serializing)]
    pub d: Option<String>,
}

impl PublicKey {
    /// The COSE algorithm this key verifies (`-7` or `-257`).
    pub fn cose_algorithm(&self) -> i64 {
        match self {
            PublicKey::Es256(_) => COSE_ES256,
            PublicKey::Rs256(_) => COSE_RS256,
        }
    }

    /// `"ES256"` or `"RS256"`.
    pub fn jose_algorithm(&self) -> &'static str {
        match self {
            PublicKey::Es256(_) => "ES256",
            PublicKey::Rs256(_) => "RS256",
        }
    }

    /// Verifies `signature` over `message` (for WebAuthn: authenticatorData ‖ SHA-256(clientDataJSON)).
    /// ES256 signatures are ASN.1 DER (WebAuthn §6.5.6); RS256 ones PKCS#1 v1.5. False on any
    /// malformed signature.
    pub fn verify(&self, message: &[u8], signature: &[u8]) -> bool {
        match self {
            PublicKey::Es256(key) => match p256::ecdsa::Signature::from_der(signature) {
                Ok(sig) => key.verify(message, &sig).is_ok(),
                Err(_) => false,
            },
            PublicKey::Rs256(key) => key.verify(Pkcs1v15Sign::new::<Sha256>(), &Sha256::digest(message), signature).is_ok(),
        }
    }

    /// Reads a COSE_Key that is exactly `bytes`.
    pub fn from_cose(bytes: &[u8]) -> Result<PublicKey, KeyError> {
        let value = cbor::decode_exact(bytes).map_err(|e| key_error(format!("the COSE key is not valid CBOR: {e}")))?;
        PublicKey::from_cose_value(&value)
    }

    /// Reads a decoded COSE_Key map (RFC 9053 §7: kty 2 EC2 with crv 1 P-256, or kty 3 RSA).
    pub fn from_cose_value(value: &Value) -> Result<PublicKey, KeyError> {
        let map = value.as_map().ok_or_else(|| key_error("the COSE key is not a CBOR map"))?;
        let kty = cbor::get_int(map, 1).and_then(Value::as_int);
        let alg = cbor::get_int(map, 3).and_then(Value::as_int);
        match (kty, alg) {
            (Some(2), Some(a)) if a == i128::from(COSE_ES256) => {
                if cbor::get_int(map, -1).and_then(Value::as_int) != Some(1) {
                    return Err(key_error("the COSE EC2 key is not on curve P-256 (crv 1)"));
                }
                let x = cbor::get_int(map, -2).and_then(Value::as_bytes);
                let y = cbor::get_int(map, -3).and_then(Value::as_bytes);
                match (x, y) {
                    (Some(x), Some(y)) => es256_from_xy(x, y),
                    _ => Err(key_error("the COSE EC2 key lacks its x (-2) or y (-3) coordinate as bytes")),
                }
            }
            (Some(3), Some(a)) if a == i128::from(COSE_RS256) => {
                let n = cbor::get_int(map, -1).and_then(Value::as_bytes);
                let e = cbor::get_int(map, -2).and_then(Value::as_bytes);
                match (n, e) {
                    (Some(n), Some(e)) => rs256_from_ne(n, e),
                    _ => Err(key_error("the COSE RSA key lacks its n (-1) or e (-2) as bytes")),
                }
            }
            (Some(kty), Some(alg)) => Err(key_error(format!(
                "COSE key type {kty} with algorithm {alg} is not supported: use ES256 (kty 2, alg -7) or RS256 (kty 3, alg -257)"
            ))),
            _ => Err(key_error("the COSE key lacks its kty (1) or alg (3)")),
        }
    }

    /// Reads a DER SubjectPublicKeyInfo (an EC P-256 or an RSA key).
    pub fn from_spki_der(der: &[u8]) -> Result<PublicKey, KeyError> {
        if let Ok(key) = p256::ecdsa::VerifyingKey::from_public_key_der(der) {
            return Ok(PublicKey::Es256(key));
        }
        match RsaPublicKey::from_public_key_der(der) {
            Ok(key) => check_rsa_size(key),
            Err(_) => Err(key_error("the public key is not a DER SubjectPublicKeyInfo of a P-256 or RSA key")),
        }
    }

    /// Reads an SPKI given as text: PEM (`-----BEGIN PUBLIC KEY-----`) or base64url DER.
    pub fn from_spki_text(text: &str) -> Result<PublicKey, KeyError> {
        let text = text.trim();
        if let Some(body) = text.strip_prefix("-----BEGIN PUBLIC KEY-----") {
            let body = body
                .trim_end()
                .strip_suffix("-----END PUBLIC KEY-----")
                .ok_or_else(|| key_error("the PEM public key has no '-----END PUBLIC KEY-----' line"))?;
            let b64: String = body.chars().filter(|c| !c.is_ascii_whitespace()).collect();
            if b64.len() > MAX_SPKI_BYTES * 2 {
                return Err(key_error("the PEM public key is too long"));
            }
            let der = STANDARD.decode(b64.as_bytes()).map_err(|_| key_error("the PEM public key's body is not base64"))?;
            return PublicKey::from_spki_der(&der);
        }
        let der = b64::decode(text, MAX_SPKI_BYTES)
            .map_err(|p| key_error(format!("the public key is neither PEM nor base64url SPKI DER: {p}")))?;
        PublicKey::from_spki_der(&der)
    }

    /// Reads a JWK (`kty` "EC" with `crv` "P-256", or "RSA").
    pub fn from_jwk(jwk: &Jwk) -> Result<PublicKey, KeyError> {
        if jwk.d.is_some() {
            return Err(key_error("the JWK holds a private key ('d'): give only its public members"));
        }
        let member = |name: &str, value: &Option<String>, max: usize| -> Result<Vec<u8>, KeyError> {
            let text = value.as_deref().ok_or_else(|| key_error(format!("the JWK lacks '{name}'")))?;
            b64::decode(text, max).map_err(|p| key_error(format!("the JWK's '{name}' is {p}")))
        };
        match jwk.kty.as_str() {
            "EC" => {
                if jwk.crv.as_deref() != Some("P-256") || !matches!(jwk.alg.as_deref(), None | Some("ES256")) {
                    return Err(key_error("the EC JWK must be on crv 'P-256' (alg ES256)"));
                }
                es256_from_xy(&member("x", &jwk.x, 32)?, &member("y", &jwk.y, 32)?)
            }
            "RSA" => {
                if !matches!(jwk.alg.as_deref(), None | Some("RS256")) {
                    return Err(key_error("the RSA JWK's alg must be RS256"));
                }
                rs256_from_ne(&member("n", &jwk.n, 512)?, &member("e", &jwk.e, 8)?)
            }
            other => Err(key_error(format!("JWK kty '{other}' is not supported: use 'EC' (P-256) or 'RSA'"))),
        }
    }

    /// The key as DER SubjectPublicKeyInfo (what the seed file's `public_key` holds, base64url).
    pub fn to_spki_der(&self) -> Result<Vec<u8>, KeyError> {
        let doc = match self {
            PublicKey::Es256(key) => key.to_public_key_der(),
            PublicKey::Rs256(key) => key.to_public_key_der(),
        };
        doc.map(|d| d.as_bytes().to_vec()).map_err(|e| key_error(format!("cannot encode the public key as SPKI: {e}")))
    }
}

fn es256_from_xy(x: &[u8], y: &[u8]) -> Result<PublicKey, KeyError> {
    if x.len() != 32 || y.len() != 32 {
        return Err(key_error("a P-256 key's x and y are 32 bytes each"));
    }
    let mut sec1 = Vec::with_capacity(65);
    sec1.push(0x04);
    sec1.extend_from_slice(x);
    sec1.extend_from_slice(y);
    p256::ecdsa::VerifyingKey::from_sec1_bytes(&sec1)
        .map(PublicKey::Es256)
        .map_err(|_| key_error("the P-256 key's point (x, y) is not on the curve"))
}

fn rs256_from_ne(n: &[u8], e: &[u8]) -> Result<PublicKey, KeyError> {
    let key = RsaPublicKey::new(BigUint::from_bytes_be(n), BigUint::from_bytes_be(e))
        .map_err(|err| key_error(format!("the RSA key is not valid: {err}")))?;
    check_rsa_size(key)
}

fn check_rsa_size(key: RsaPublicKey) -> Result<PublicKey, KeyError> {
    if key.n().bits() < MIN_RSA_BITS {
        return Err(key_error(format!("the RSA key has {} bits: at least {MIN_RSA_BITS} are required", key.n().bits())));
    }
    Ok(PublicKey::Rs256(key))
}
