//! Configuration and shared state: the emulator's `Config`, the `AppState` every endpoint
//! reads, the authorization server a request addressed, and building the state from a config.
//! Endpoints and middleware depend on this module; `server` depends on it and on them.

use crate::clock::Clock;
use crate::errors::OktaApiError;
use crate::faults::Fault;
use crate::keys::{KeyError, KeyRing, SigningKey};
use crate::reqlog::RequestLog;
use crate::seed::{ClientSeed, Seed, ServerSeed, UserSeed};
use crate::store::Store;
use rsa::RsaPrivateKey;
use serde_json::Value;
use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, RwLock};

/// Everything the emulator can be configured with (the CLI maps onto this one to one).
#[derive(Clone)]
pub struct Config {
    /// Base URL used as the org issuer; defaults to `http://<bound address>`.
    pub public_url: Option<String>,
    pub seed: Seed,
    /// Signing key; a fresh 2048-bit key is generated when absent.
    pub key: Option<RsaPrivateKey>,
    /// The key the first `POST /__emulator/keys/rotate` switches to; generated then when absent.
    pub next_key: Option<RsaPrivateKey>,
    /// The never-published key `POST /__emulator/id-tokens` signs with by default; generated on
    /// first use when absent.
    pub foreign_key: Option<RsaPrivateKey>,
    /// Seconds a rotated-out key stays published in `/keys` (emulator clock).
    pub key_grace_secs: u64,
    pub trusted_origins: Vec<String>,
    pub emulator_api: bool,
    /// Serve the direct-auth grants to browser requests (an `Origin` header) at `/token`.
    /// Off by default: Okta's browser rules apply (see `endpoints::browser_rules`).
    pub allow_browser_grants: bool,
    /// Answer CORS (preflights and response headers) for trusted origins on `/challenge`,
    /// `/primary-authenticate` and `/oob-authenticate`. Off by default: Okta's spec marks
    /// none of them CORS-enabled (see `layers::cors`).
    pub cors_direct_auth_endpoints: bool,
    pub oob_lifetime: u64,
    pub mfa_token_lifetime: u64,
    pub interval: u64,
    pub access_token_lifetime: u64,
    pub clock_offset: i64,
    pub slow_ms: u64,
    pub rate_limit_per_minute: u32,
    pub lockout_after: u32,
    pub lockout_secs: u64,
    /// One line per request on stderr.
    pub log_requests: bool,
    /// The WebAuthn RP ID passkeys are bound to (`--rp-id`); browsers refuse IP addresses.
    pub rp_id: String,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            public_url: None,
            seed: Seed::default_seed(),
            key: None,
            next_key: None,
            foreign_key: None,
            key_grace_secs: 3600,
            trusted_origins: Vec::new(),
            emulator_api: true,
            allow_browser_grants: false,
            cors_direct_auth_endpoints: false,
            oob_lifetime: 300,
            mfa_token_lifetime: 300,
            interval: 5,
            access_token_lifetime: 3600,
            clock_offset: 0,
            slow_ms: 10_000,
            rate_limit_per_minute: 600,
            lockout_after: 5,
            lockout_secs: 300,
            log_requests: true,
            rp_id: "localhost".into(),
        }
    }
}

pub struct AppState {
    pub config: Config,
    pub base_url: String,
    /// The published signing keys (the active one signs).
    pub keys: RwLock<KeyRing>,
    /// Keys used later, generated when first needed (key generation takes a while).
    pub spare_keys: Mutex<SpareKeys>,
    pub clock: Clock,
    /// Lower-cased login → user.
    pub users: HashMap<String, UserSeed>,
    pub clients: HashMap<String, ClientSeed>,
    /// Custom servers by id (`default` always present).
    pub servers: HashMap<String, ServerSeed>,
    pub store: Mutex<Store>,
    pub faults: Mutex<Vec<Fault>>,
    pub log: Mutex<RequestLog>,
    /// Passkeys and pending WebAuthn challenges.
    pub passkeys: Mutex<crate::passkeys::Passkeys>,
    /// The RP ID and the origins whose WebAuthn ceremonies are trusted (the trusted origins).
    pub relying_party: crate::webauthn::RelyingParty,
}

/// The authorization server a request addressed.
#[derive(Debug, Clone)]
pub struct AuthServer {
    /// `"org"` or the custom id.
    pub key: String,
    pub issuer: String,
    /// Base of the endpoints: `{issuer}/v1` (custom) or `{base}/oauth2/v1` (org).
    pub endpoint_base: String,
    pub audience: String,
    pub custom_scopes: Vec<String>,
}

/// Keys the emulator holds but does not publish yet (or ever).
#[derive(Default)]
pub struct SpareKeys {
    /// The next rotation's key.
    pub next: Option<RsaPrivateKey>,
    /// The foreign key of forged ID tokens.
    pub foreign: Option<SigningKey>,
}

impl AppState {
    /// Signs `claims` with the active key.
    pub fn sign_jwt(&self, claims: &Value) -> Result<String, KeyError> {
        let ring = self.keys.read().map_err(|_| KeyError("the key ring lock is poisoned".into()))?;
        ring.active().sign_jwt(claims)
    }

    /// Verifies a JWT against the keys `/keys` publishes now.
    pub fn verify_jwt(&self, token: &str) -> Option<Value> {
        self.keys.read().ok()?.verify_jwt(token, self.clock.now_ms())
    }

    /// The JWKS `/keys` serves now.
    pub fn jwks(&self) -> Option<Value> {
        Some(self.keys.read().ok()?.jwks(self.clock.now_ms()))
    }

    pub fn user(&self, login: &str) -> Option<&UserSeed> {
        self.users.get(&login.to_ascii_lowercase())
    }

    /// Resolves the authorization server from a request path
    /// (`/oauth2/v1/…` → org, `/oauth2/{id}/…` → custom).
    pub fn server_for_path(&self, path: &str) -> Result<AuthServer, OktaApiError> {
        let rest = path.strip_prefix("/oauth2/").unwrap_or("");
        let id = rest.split('/').next().unwrap_or("");
        if path.starts_with("/.well-known/") || id == "v1" {
            return Ok(AuthServer {
                key: "org".into(),
                issuer: self.base_url.clone(),
                endpoint_base: format!("{}/oauth2/v1", self.base_url),
                audience: self.base_url.clone(),
                custom_scopes: Vec::new(),
            });
        }
        match self.servers.get(id) {
            Some(s) => {
                let issuer = format!("{}/oauth2/{}", self.base_url, s.id);
                Ok(AuthServer {
                    key: s.id.clone(),
                    endpoint_base: format!("{issuer}/v1"),
                    issuer,
                    audience: s.audience.clone().unwrap_or_else(|| format!("api://{}", s.id)),
                    custom_scopes: s.scopes.clone(),
                })
            }
            None => Err(OktaApiError::not_found(id, "AuthorizationServer")),
        }
    }

    pub fn server_by_key(&self, key: &str) -> Result<AuthServer, OktaApiError> {
        if key == "org" {
            self.server_for_path("/oauth2/v1/")
        } else {
            self.server_for_path(&format!("/oauth2/{key}/"))
        }
    }
}

#[derive(Debug)]
pub struct StartError(pub String);

impl std::fmt::Display for StartError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for StartError {}

pub fn build_state(config: Config, addr: SocketAddr) -> Result<Arc<AppState>, StartError> {
    let base_url = match &config.public_url {
        Some(u) => u.trim_end_matches('/').to_string(),
        None => {
            let host = if addr.ip().is_unspecified() { "127.0.0.1".to_string() } else { addr.ip().to_string() };
            let host = if addr.is_ipv6() && !addr.ip().is_unspecified() { format!("[{host}]") } else { host };
            format!("http://{host}:{}", addr.port())
        }
    };
    let rsa_key = match &config.key {
        Some(k) => k.clone(),
        None => crate::keys::generate_rsa_key().map_err(|e| StartError(e.to_string()))?,
    };
    let users = config.seed.users.iter().map(|u| (u.login.to_ascii_lowercase(), u.clone())).collect();
    let clients = config.seed.clients.iter().map(|c| (c.client_id.clone(), c.clone())).collect();
    let mut servers: HashMap<String, ServerSeed> = config.seed.authorization_servers.iter().map(|s| (s.id.clone(), s.clone())).collect();
    servers.entry("default".into()).or_insert(ServerSeed {
        id: "default".into(),
        audience: Some("api://default".into()),
        scopes: Vec::new(),
    });
    let passkeys = crate::passkeys::Passkeys::from_seed(&config.seed.users, &config.rp_id).map_err(StartError)?;
    // `*` (any origin, for CORS) names no origin a ceremony can be checked against.
    let ceremony_origins: Vec<&String> = config.trusted_origins.iter().filter(|o| o.as_str() != "*").collect();
    let relying_party = crate::webauthn::RelyingParty::new(&config.rp_id, &ceremony_origins).map_err(StartError)?;
    Ok(Arc::new(AppState {
        clock: Clock::new(config.clock_offset),
        base_url,
        keys: RwLock::new(KeyRing::new(SigningKey::new(rsa_key))),
        spare_keys: Mutex::new(SpareKeys { next: config.next_key.clone(), foreign: config.foreign_key.clone().map(SigningKey::new) }),
        users,
        clients,
        servers,
        store: Mutex::new(Store::default()),
        faults: Mutex::new(Vec::new()),
        log: Mutex::new(RequestLog::default()),
        passkeys: Mutex::new(passkeys),
        relying_party,
        config,
    }))
}
