//! Signing keys for tests: `GET /__emulator/keys` (what is published), `POST
//! /__emulator/keys/rotate` (a new key signs, the old one stays published for a grace
//! period) and `POST /__emulator/id-tokens` (an ID token signed by a key `/keys` never
//! publishes, or forged in a chosen way, for the SDK's negative verification tests).

use super::{internal, ok};
use crate::errors::OktaApiError;
use crate::keys::{generate_rsa_key, SigningKey};
use crate::state::AppState;
use axum::body::Bytes;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use hmac::{Hmac, Mac};
use serde::Deserialize;
use serde_json::{json, Map, Value};
use sha2::Sha256;
use std::sync::Arc;

/// Grace periods longer than this are refused (ten years, as for the clock).
const MAX_GRACE_SECS: u64 = 10 * 365 * 86400;

fn published(state: &AppState) -> Option<Value> {
    let now = state.clock.now_ms();
    let ring = state.keys.read().ok()?;
    let keys: Vec<Value> = ring.published(now).map(|(k, end)| json!({ "kid": k.kid(), "retiresAt": end })).collect();
    Some(json!({ "activeKid": ring.active().kid(), "keys": keys }))
}

pub async fn list(State(state): State<Arc<AppState>>) -> Response {
    let Some(mut body) = published(&state) else { return internal() };
    // The foreign key exists once a token was minted with it (or it was configured).
    let foreign = match state.spare_keys.lock() {
        Ok(spare) => spare.foreign.as_ref().map(SigningKey::jwk),
        Err(_) => return internal(),
    };
    body["foreignKid"] = json!(foreign.as_ref().and_then(|k| k.get("kid")).cloned());
    body["foreign"] = json!(foreign);
    ok(body)
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct RotateBody {
    #[serde(default)]
    grace_seconds: Option<u64>,
}

/// A key generated off the async threads (2048-bit RSA takes a while).
async fn fresh_key() -> Result<SigningKey, Response> {
    match tokio::task::spawn_blocking(generate_rsa_key).await {
        Ok(Ok(k)) => Ok(SigningKey::new(k)),
        _ => Err(internal()),
    }
}

pub async fn rotate(State(state): State<Arc<AppState>>, body: Bytes) -> Response {
    let parsed: RotateBody = if body.iter().all(u8::is_ascii_whitespace) {
        RotateBody::default()
    } else {
        match serde_json::from_slice(&body) {
            Ok(b) => b,
            Err(e) => return OktaApiError::bad_request(format!("Expected {{\"graceSeconds\"?: N}}: {e}")).into_response(),
        }
    };
    let grace = parsed.grace_seconds.unwrap_or(state.config.key_grace_secs);
    if grace > MAX_GRACE_SECS {
        return OktaApiError::bad_request("graceSeconds is out of range").into_response();
    }
    let spare = match state.spare_keys.lock() {
        Ok(mut s) => s.next.take(),
        Err(_) => return internal(),
    };
    let next = match spare {
        Some(k) => SigningKey::new(k),
        None => match fresh_key().await {
            Ok(k) => k,
            Err(r) => return r,
        },
    };
    let retire_at = state.clock.now_ms().saturating_add((grace as i64).saturating_mul(1000));
    let previous = match state.keys.write() {
        Ok(mut ring) => ring.rotate(next, retire_at),
        Err(_) => return internal(),
    };
    let Some(mut body) = published(&state) else { return internal() };
    body["previousKid"] = json!(previous);
    body["previousRetiresAt"] = json!(retire_at);
    ok(body)
}

/// How a minted ID token is signed.
#[derive(Deserialize, Default, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
enum Signer {
    /// RS256 with a key `/keys` never publishes (`kid` = its thumbprint).
    #[default]
    Foreign,
    /// RS256 with the active signing key: a valid signature, for wrong-claim tests.
    Active,
    /// `alg: none`, empty signature.
    None,
    /// HS256 keyed with the active public key's SPKI PEM (the algorithm-confusion forgery).
    Hs256PublicKey,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct MintBody {
    login: String,
    #[serde(default)]
    client_id: Option<String>,
    /// `"org"` or a custom server id (`default` by default).
    #[serde(default)]
    server: Option<String>,
    #[serde(default)]
    signer: Signer,
    /// `exp` = emulator clock + this many seconds (may be negative); 3600 by default.
    #[serde(default)]
    expires_in: Option<i64>,
    /// Merged over the default claims; a `null` removes the claim.
    #[serde(default)]
    claims: Map<String, Value>,
    /// Merged over the default header; a `null` removes the member (`{"kid": null}`).
    #[serde(default)]
    header: Map<String, Value>,
}

fn merge(target: &mut Value, overrides: &Map<String, Value>) {
    if let Value::Object(obj) = target {
        for (k, v) in overrides {
            if v.is_null() {
                obj.remove(k);
            } else {
                obj.insert(k.clone(), v.clone());
            }
        }
    }
}

fn encode(v: &Value) -> String {
    URL_SAFE_NO_PAD.encode(v.to_string().as_bytes())
}

async fn foreign_key(state: &AppState) -> Result<SigningKey, Response> {
    if let Some(k) = state.spare_keys.lock().map_err(|_| internal())?.foreign.clone() {
        return Ok(k);
    }
    let key = fresh_key().await?;
    let mut spare = state.spare_keys.lock().map_err(|_| internal())?;
    // Two first requests at once: the first key stored wins, so every forged token shares one.
    Ok(spare.foreign.get_or_insert(key).clone())
}

pub async fn mint_id_token(State(state): State<Arc<AppState>>, body: Bytes) -> Response {
    let b: MintBody = match serde_json::from_slice(&body) {
        Ok(b) => b,
        Err(e) => {
            return OktaApiError::bad_request(format!(
                "Expected {{\"login\", \"clientId\"?, \"server\"?, \"signer\"?: \"foreign\"|\"active\"|\"none\"|\"hs256-public-key\", \"expiresIn\"?, \"claims\"?: {{}}, \"header\"?: {{}}}}: {e}"
            ))
            .into_response()
        }
    };
    let Some(user) = state.user(&b.login) else {
        return OktaApiError::not_found(&b.login, "User").into_response();
    };
    let server = match state.server_by_key(b.server.as_deref().unwrap_or("default")) {
        Ok(s) => s,
        Err(e) => return e.into_response(),
    };
    let now = state.clock.now_secs();
    let uid = user.user_id();
    let mut claims = json!({
        "sub": uid,
        "ver": 1,
        "iss": server.issuer,
        "aud": b.client_id.as_deref().unwrap_or("0oa-demo-spa"),
        "iat": now,
        "exp": now.saturating_add(b.expires_in.unwrap_or(3600)),
        "jti": format!("ID.{}", crate::keys::random_id(24)),
        "amr": ["pwd"],
        "idp": format!("00o{}", uid.get(3..).unwrap_or("emulator")),
        "auth_time": now,
        "name": user.name,
        "preferred_username": user.login,
        "email": user.email(),
    });
    merge(&mut claims, &b.claims);

    let active = match state.keys.read() {
        Ok(ring) => ring.active().clone(),
        Err(_) => return internal(),
    };
    let (signing, alg) = match b.signer {
        Signer::Foreign => match foreign_key(&state).await {
            Ok(k) => (Some(k), "RS256"),
            Err(r) => return r,
        },
        Signer::Active => (Some(active.clone()), "RS256"),
        Signer::None => (None, "none"),
        Signer::Hs256PublicKey => (None, "HS256"),
    };
    let mut header = match (&signing, b.signer) {
        (_, Signer::None) => json!({ "alg": alg }),
        (Some(k), _) => json!({ "kid": k.kid(), "alg": alg }),
        (None, _) => json!({ "kid": active.kid(), "alg": alg }),
    };
    merge(&mut header, &b.header);

    let token = match (b.signer, &signing) {
        (Signer::Foreign | Signer::Active, Some(k)) => match k.sign_with_header(&header, &claims) {
            Ok(t) => t,
            Err(_) => return internal(),
        },
        (Signer::Hs256PublicKey, _) => {
            let Ok(secret) = active.public_key_pem() else { return internal() };
            let input = format!("{}.{}", encode(&header), encode(&claims));
            let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(secret.as_bytes()) else { return internal() };
            mac.update(input.as_bytes());
            format!("{input}.{}", URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes()))
        }
        _ => format!("{}.{}.", encode(&header), encode(&claims)),
    };
    let signer = match b.signer {
        Signer::Foreign => "foreign",
        Signer::Active => "active",
        Signer::None => "none",
        Signer::Hs256PublicKey => "hs256-public-key",
    };
    ok(json!({ "idToken": token, "signer": signer, "header": header, "claims": claims }))
}
