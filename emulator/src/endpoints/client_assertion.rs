//! `private_key_jwt` client authentication (RFC 7523): `client_assertion_type=
//! urn:ietf:params:oauth:client-assertion-type:jwt-bearer` and a `client_assertion` JWT signed
//! with RS256 by a key in the client's seed `jwks`. Okta's Kotlin SDK mints one per request
//! with `aud` = the exact endpoint URL. Every refusal is 401 `invalid_client` with the
//! catalogue's description.

use crate::errors::OAuthError;
use crate::seed::{ClientJwk, ClientSeed};
use crate::state::AppState;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use rsa::{BigUint, Pkcs1v15Sign, RsaPublicKey};
use serde_json::Value;
use sha2::{Digest, Sha256};

pub const ASSERTION_TYPE: &str = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

/// The furthest in the future an assertion may expire (Okta refuses "too far" ones).
const MAX_LIFETIME_SECS: i64 = 3600;
/// Clock skew allowed on `iat`.
const SKEW_SECS: i64 = 60;
/// Assertions longer than this are not parsed.
const MAX_ASSERTION_BYTES: usize = 8 * 1024;

fn refuse(description: &str) -> OAuthError {
    OAuthError::invalid_client(description)
}

fn decode_json(segment: &str) -> Option<Value> {
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(segment).ok()?).ok()
}

/// The client the assertion names, once its signature and claims check out. `endpoint` is
/// the absolute URL of the endpoint invoked (the required `aud`).
pub fn verify<'a>(
    state: &'a AppState,
    assertion: &str,
    form_client_id: Option<&str>,
    endpoint: &str,
) -> Result<&'a ClientSeed, OAuthError> {
    let parse_failed = || refuse("The parsing of the client_assertion failed.");
    if assertion.len() > MAX_ASSERTION_BYTES {
        return Err(parse_failed());
    }
    let mut parts = assertion.split('.');
    let (Some(h), Some(p), Some(s), None) = (parts.next(), parts.next(), parts.next(), parts.next()) else {
        return Err(parse_failed());
    };
    let header = decode_json(h).ok_or_else(parse_failed)?;
    let claims = decode_json(p).ok_or_else(parse_failed)?;
    let signature = URL_SAFE_NO_PAD.decode(s).map_err(|_| parse_failed())?;
    if header.get("alg").and_then(Value::as_str) != Some("RS256") {
        return Err(refuse("The client_assertion JWT signature algorithm is invalid."));
    }
    let claim = |name: &str| claims.get(name).and_then(Value::as_str);
    let iss = claim("iss").unwrap_or("");
    let client = state.clients.get(iss).ok_or_else(|| refuse("The issuer claim for client_assertion is not a valid client_id."))?;
    if claim("sub") != Some(iss) || form_client_id.is_some_and(|id| id != iss) {
        return Err(refuse("The subject claim for client_assertion is not a valid client_id."));
    }
    if client.jwks.is_empty() {
        return Err(refuse("The client does not have a JWKSet configured, but the client_assertion requires one."));
    }
    let kid = header.get("kid").and_then(Value::as_str);
    let candidates: Vec<&ClientJwk> = client.jwks.iter().filter(|k| kid.is_none() || k.kid.as_deref() == kid).collect();
    if candidates.is_empty() {
        return Err(refuse("The client_assertion JWT kid is invalid."));
    }
    let digest = Sha256::digest(format!("{h}.{p}").as_bytes());
    let signed = candidates
        .iter()
        .any(|jwk| public_key(jwk).map(|k| k.verify(Pkcs1v15Sign::new::<Sha256>(), &digest, &signature).is_ok()).unwrap_or(false));
    if !signed {
        return Err(refuse("The client_assertion signature is invalid."));
    }
    let aud_ok = match claims.get("aud") {
        Some(Value::String(a)) => a == endpoint,
        Some(Value::Array(list)) => list.iter().any(|a| a.as_str() == Some(endpoint)),
        _ => false,
    };
    if !aud_ok {
        return Err(refuse("The audience claim for client_assertion must be the endpoint invoked for the request."));
    }
    let now = state.clock.now_secs();
    let Some(exp) = claims.get("exp").and_then(Value::as_i64) else {
        return Err(refuse("The client_assertion must contain the 'exp' claim as seconds since epoch."));
    };
    if exp <= now {
        return Err(refuse("The client_assertion token is expired."));
    }
    if exp > now.saturating_add(MAX_LIFETIME_SECS) {
        return Err(refuse("The client_assertion token has an expiration too far into the future."));
    }
    if claims.get("iat").and_then(Value::as_i64).is_some_and(|iat| iat > now.saturating_add(SKEW_SECS)) {
        return Err(refuse("The client_assertion token must be issued before the current time."));
    }
    if let Some(jti) = claim("jti") {
        let mut store = state.store.lock().map_err(|_| OAuthError::server_error())?;
        if !store.use_assertion_jti(&client.client_id, jti, exp, now) {
            return Err(refuse("The client_assertion token has already been used."));
        }
    }
    Ok(client)
}

fn public_key(jwk: &ClientJwk) -> Option<RsaPublicKey> {
    if jwk.kty != "RSA" {
        return None;
    }
    let n = BigUint::from_bytes_be(&URL_SAFE_NO_PAD.decode(&jwk.n).ok()?);
    let e = BigUint::from_bytes_be(&URL_SAFE_NO_PAD.decode(&jwk.e).ok()?);
    RsaPublicKey::new(n, e).ok()
}
