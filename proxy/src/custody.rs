//! Refresh-token custody: the refresh token lives in a cookie the page's JavaScript cannot
//! read (`HttpOnly; Secure; SameSite=Strict; Path={mount}`), sealed with ChaCha20-Poly1305
//! under a key from the configuration. Nothing is stored server-side: any instance holding
//! the key can open it.
//!
//! Cookie value: base64url( version 1 | len(server) | server | len(client_id) | client_id |
//! nonce (12 random bytes) | ciphertext ). The header bytes (version .. client_id) are the
//! AEAD's associated data, so the binding to the authorization server and client cannot be
//! changed; the plaintext is expiry (8 bytes, big-endian Unix seconds) | refresh token.

use crate::config::{err, ConfigError};
use crate::secret::Secret;
use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD};
use base64::Engine;
use chacha20poly1305::aead::{Aead, Payload};
use chacha20poly1305::{ChaCha20Poly1305, Key, KeyInit, Nonce};
use rand::RngCore;

const VERSION: u8 = 1;

pub struct CustodyKeys {
    /// First: encrypts and decrypts; the rest: decrypt only.
    ciphers: Vec<ChaCha20Poly1305>,
}

/// Why a cookie cannot be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OpenError {
    /// Not made by a proxy with this key, or altered.
    Tampered,
    /// Made for another authorization server or client.
    Foreign,
    Expired,
}

pub struct Opened {
    pub refresh_token: Secret,
}

fn decode_key(what: &str, s: &Secret) -> Result<Key, ConfigError> {
    let t = s.expose().trim();
    let bytes = [&STANDARD, &STANDARD_NO_PAD, &URL_SAFE, &URL_SAFE_NO_PAD].iter().find_map(|e| e.decode(t).ok());
    match bytes {
        Some(b) if b.len() == 32 => Ok(*Key::from_slice(&b)),
        Some(b) => {
            err(format!("{what} is {} bytes; it must be exactly 32 random bytes, base64-encoded (`openssl rand -base64 32`)", b.len()))
        }
        None => err(format!("{what} is not base64; it must be 32 random bytes, base64-encoded (`openssl rand -base64 32`)")),
    }
}

fn header(server: &str, client_id: &str) -> Option<Vec<u8>> {
    let s = u8::try_from(server.len()).ok()?;
    let c = u8::try_from(client_id.len()).ok()?;
    let mut h = vec![VERSION, s];
    h.extend_from_slice(server.as_bytes());
    h.push(c);
    h.extend_from_slice(client_id.as_bytes());
    Some(h)
}

impl CustodyKeys {
    pub fn new(key: &Secret, previous: &[Secret]) -> Result<CustodyKeys, ConfigError> {
        let mut ciphers = vec![ChaCha20Poly1305::new(&decode_key("custody.key", key)?)];
        for (i, k) in previous.iter().enumerate() {
            ciphers.push(ChaCha20Poly1305::new(&decode_key(&format!("custody.previous_keys[{i}]"), k)?));
        }
        Ok(CustodyKeys { ciphers })
    }

    /// The cookie value holding `refresh_token` for (`server`, `client_id`) until `expires_at`.
    pub fn seal(&self, server: &str, client_id: &str, refresh_token: &str, expires_at: u64) -> Option<String> {
        let aad = header(server, client_id)?;
        let mut nonce = [0u8; 12];
        rand::rngs::OsRng.fill_bytes(&mut nonce);
        let mut plaintext = expires_at.to_be_bytes().to_vec();
        plaintext.extend_from_slice(refresh_token.as_bytes());
        let ct = self.ciphers.first()?.encrypt(Nonce::from_slice(&nonce), Payload { msg: &plaintext, aad: &aad }).ok()?;
        let mut out = aad;
        out.extend_from_slice(&nonce);
        out.extend_from_slice(&ct);
        Some(URL_SAFE_NO_PAD.encode(out))
    }

    /// Opens a cookie value for a request to (`server`, `client_id`) at `now`.
    /// `client_id` `None`: any client (sign-out, which names none); the cookie's own is returned.
    pub fn open(
        &self,
        value: &str,
        server: Option<&str>,
        client_id: Option<&str>,
        now: u64,
    ) -> Result<(Opened, String, String), OpenError> {
        let raw = URL_SAFE_NO_PAD.decode(value.trim()).map_err(|_| OpenError::Tampered)?;
        let (&version, rest) = raw.split_first().ok_or(OpenError::Tampered)?;
        if version != VERSION {
            return Err(OpenError::Tampered);
        }
        let (s_len, rest) = rest.split_first().ok_or(OpenError::Tampered)?;
        let (s, rest) = rest.split_at_checked(usize::from(*s_len)).ok_or(OpenError::Tampered)?;
        let (c_len, rest) = rest.split_first().ok_or(OpenError::Tampered)?;
        let (c, rest) = rest.split_at_checked(usize::from(*c_len)).ok_or(OpenError::Tampered)?;
        let (nonce, ct) = rest.split_at_checked(12).ok_or(OpenError::Tampered)?;
        let aad_len = raw.len() - rest.len();
        let aad = &raw[..aad_len];
        let plaintext = self
            .ciphers
            .iter()
            .find_map(|cipher| cipher.decrypt(Nonce::from_slice(nonce), Payload { msg: ct, aad }).ok())
            .ok_or(OpenError::Tampered)?;
        let cookie_server = std::str::from_utf8(s).map_err(|_| OpenError::Tampered)?.to_owned();
        let cookie_client = std::str::from_utf8(c).map_err(|_| OpenError::Tampered)?.to_owned();
        if server.is_some_and(|want| want != cookie_server) || client_id.is_some_and(|want| want != cookie_client) {
            return Err(OpenError::Foreign);
        }
        let (exp, token) = plaintext.split_at_checked(8).ok_or(OpenError::Tampered)?;
        let exp = u64::from_be_bytes(exp.try_into().map_err(|_| OpenError::Tampered)?);
        if exp <= now {
            return Err(OpenError::Expired);
        }
        let token = String::from_utf8(token.to_vec()).map_err(|_| OpenError::Tampered)?;
        Ok((Opened { refresh_token: Secret::new(token) }, cookie_server, cookie_client))
    }
}

/// `Set-Cookie` that stores `value`.
pub fn set_cookie(name: &str, value: &str, mount: &str, max_age: u64) -> String {
    format!("{name}={value}; Path={mount}; Max-Age={max_age}; HttpOnly; Secure; SameSite=Strict")
}

/// `Set-Cookie` that removes the cookie.
pub fn clear_cookie(name: &str, mount: &str) -> String {
    format!("{name}=; Path={mount}; Max-Age=0; HttpOnly; Secure; SameSite=Strict")
}

/// Every value of cookie `name` in the request's `Cookie` headers.
pub fn cookie_values<'a>(headers: &'a axum::http::HeaderMap, name: &str) -> Vec<&'a str> {
    let mut out = Vec::new();
    for h in headers.get_all("cookie") {
        let Ok(s) = h.to_str() else { continue };
        for part in s.split(';') {
            if let Some((k, v)) = part.trim().split_once('=') {
                if k.trim() == name {
                    out.push(v.trim());
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys() -> CustodyKeys {
        CustodyKeys::new(&Secret::new(STANDARD.encode([7u8; 32])), &[]).unwrap()
    }

    #[test]
    fn sealed_tokens_open_only_for_their_server_client_and_time() {
        let k = keys();
        let v = k.seal("default", "0oa1", "rt-secret", 1000).unwrap();
        assert!(!v.contains("rt-secret"));
        let (opened, s, c) = k.open(&v, Some("default"), Some("0oa1"), 999).unwrap();
        assert_eq!((opened.refresh_token.expose(), s.as_str(), c.as_str()), ("rt-secret", "default", "0oa1"));
        assert_eq!(k.open(&v, Some("other"), Some("0oa1"), 999).err(), Some(OpenError::Foreign));
        assert_eq!(k.open(&v, Some("default"), Some("0oa2"), 999).err(), Some(OpenError::Foreign));
        assert_eq!(k.open(&v, Some("default"), Some("0oa1"), 1000).err(), Some(OpenError::Expired));
        // Every single-byte change is caught.
        let raw = URL_SAFE_NO_PAD.decode(&v).unwrap();
        for i in 0..raw.len() {
            let mut t = raw.clone();
            t[i] ^= 1;
            let r = k.open(&URL_SAFE_NO_PAD.encode(&t), Some("default"), Some("0oa1"), 999);
            assert!(matches!(r.err(), Some(OpenError::Tampered) | Some(OpenError::Foreign)), "byte {i}");
        }
        let other = CustodyKeys::new(&Secret::new(STANDARD.encode([8u8; 32])), &[]).unwrap();
        assert_eq!(other.open(&v, Some("default"), Some("0oa1"), 999).err(), Some(OpenError::Tampered));
        let rotated = CustodyKeys::new(&Secret::new(STANDARD.encode([8u8; 32])), &[Secret::new(STANDARD.encode([7u8; 32]))]).unwrap();
        assert!(rotated.open(&v, Some("default"), Some("0oa1"), 999).is_ok(), "a previous key still opens");
    }

    #[test]
    fn key_length_is_checked() {
        assert!(CustodyKeys::new(&Secret::new(STANDARD.encode([1u8; 16])), &[]).is_err());
        assert!(CustodyKeys::new(&Secret::new("not base64 !!"), &[]).is_err());
    }
}
