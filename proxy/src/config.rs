//! The proxy's configuration as written (TOML or environment), before validation.
//! `validate.rs` turns it into [`crate::settings::Settings`] or a [`ConfigError`] that says
//! which setting is wrong and what to write instead.

use crate::log::LogSink;
use crate::secret::Secret;
use serde::Deserialize;
use std::path::PathBuf;

/// Grants that pass by default: Okta's direct-authentication grants and `refresh_token`.
pub const DEFAULT_GRANTS: &[&str] = &[
    "password",
    "urn:okta:params:oauth:grant-type:otp",
    "urn:okta:params:oauth:grant-type:oob",
    "http://auth0.com/oauth/grant-type/mfa-otp",
    "http://auth0.com/oauth/grant-type/mfa-oob",
    "urn:okta:params:oauth:grant-type:webauthn",
    "urn:okta:params:oauth:grant-type:mfa-webauthn",
    "refresh_token",
];

/// Every setting. Field names are the TOML keys; [`ENV_SETTINGS`] lists their environment names.
/// `ProxyConfig::default()` has the same defaults as an empty TOML file.
#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
pub struct ProxyConfig {
    /// Binary only: the address to listen on (`127.0.0.1:8080` by default).
    #[serde(default)]
    pub listen: Option<String>,
    /// The path the proxy answers under, e.g. `/okta` (no trailing slash).
    #[serde(default = "default_mount")]
    pub mount: String,
    /// The Okta org, e.g. `https://example.okta.com` (https; http only for a loopback host).
    #[serde(default)]
    pub upstream: String,
    /// Authorization servers that pass: `org` for the org server, else the custom server id
    /// (`default`, `aus…`).
    #[serde(default)]
    pub authorization_servers: Vec<String>,
    /// Client IDs that pass.
    #[serde(default)]
    pub client_ids: Vec<String>,
    /// Grant types that pass on `/token` (default: [`DEFAULT_GRANTS`]).
    #[serde(default)]
    pub grant_types: Option<Vec<String>>,
    /// Origins of the app pages allowed to call the proxy, e.g. `https://app.example.com`.
    #[serde(default)]
    pub app_origins: Vec<String>,
    /// Off by default. On: the app origins may be *sibling* origins of the proxy (same site,
    /// another port or subdomain): the proxy answers CORS (preflights included) for exactly the
    /// app origins, with credentials, and accepts `Sec-Fetch-Site: same-site` from them.
    #[serde(default)]
    pub same_site_app_origins: bool,
    /// On by default: forward `PUT {mount}/idp/myaccount/password` (MyAccount "Replace a
    /// Password", the last step of password recovery) with the caller's bearer token.
    #[serde(default = "default_true")]
    pub my_account_password: bool,
    /// Load balancers / reverse proxies in front of this proxy (IPs or CIDRs) whose
    /// `X-Forwarded-For` is believed.
    #[serde(default)]
    pub trusted_proxies: Vec<String>,
    #[serde(default = "default_timeout_ms")]
    pub upstream_timeout_ms: u64,
    /// Extra PEM CA certificate(s) the upstream's certificate may chain to (besides the
    /// built-in web PKI roots).
    #[serde(default)]
    pub upstream_ca_file: Option<PathBuf>,
    #[serde(default = "default_max_request")]
    pub max_request_body_bytes: usize,
    #[serde(default = "default_max_response")]
    pub max_response_body_bytes: usize,
    #[serde(default)]
    pub rate_limit: RateLimitConfig,
    #[serde(default)]
    pub client_auth: ClientAuthConfig,
    #[serde(default)]
    pub custody: CustodyConfig,
    /// Where the one-line logs go (stderr when absent). Not a TOML key.
    #[serde(skip)]
    pub log: Option<LogSink>,
}

impl Default for ProxyConfig {
    fn default() -> Self {
        ProxyConfig {
            listen: None,
            mount: default_mount(),
            upstream: String::new(),
            authorization_servers: Vec::new(),
            client_ids: Vec::new(),
            grant_types: None,
            app_origins: Vec::new(),
            same_site_app_origins: false,
            my_account_password: true,
            trusted_proxies: Vec::new(),
            upstream_timeout_ms: default_timeout_ms(),
            upstream_ca_file: None,
            max_request_body_bytes: default_max_request(),
            max_response_body_bytes: default_max_response(),
            rate_limit: RateLimitConfig::default(),
            client_auth: ClientAuthConfig::default(),
            custody: CustodyConfig::default(),
            log: None,
        }
    }
}

#[derive(Deserialize, Debug, Clone)]
#[serde(deny_unknown_fields)]
pub struct RateLimitConfig {
    /// Requests per minute per client IP (burst = the same number); 0 turns the limit off.
    #[serde(default = "default_per_ip")]
    pub per_ip_per_minute: u32,
    /// Requests per minute per username / `login_hint`; 0 turns the limit off.
    #[serde(default = "default_per_username")]
    pub per_username_per_minute: u32,
    /// How many IPs / usernames are tracked at once (memory bound).
    #[serde(default = "default_max_tracked")]
    pub max_tracked: usize,
}

impl Default for RateLimitConfig {
    fn default() -> Self {
        RateLimitConfig {
            per_ip_per_minute: default_per_ip(),
            per_username_per_minute: default_per_username(),
            max_tracked: default_max_tracked(),
        }
    }
}

#[derive(Deserialize, Debug, Clone, Copy, PartialEq, Eq, Default)]
#[serde(rename_all = "snake_case")]
pub enum ClientAuthMethod {
    /// Public client: `client_id` only.
    #[default]
    None,
    ClientSecretBasic,
    ClientSecretPost,
    PrivateKeyJwt,
}

#[derive(Deserialize, Debug, Clone, Copy, PartialEq, Eq, Default)]
#[serde(rename_all = "snake_case")]
pub enum AssertionAudience {
    /// `aud` = the URL of the endpoint the request goes to (Okta's guide: "the full URL of
    /// the resource"; what Okta's Kotlin SDK does). For `/token` this is the token endpoint.
    #[default]
    Endpoint,
    /// `aud` = the token endpoint of the authorization server, whatever the endpoint.
    TokenEndpoint,
}

#[derive(Deserialize, Debug, Clone)]
#[serde(deny_unknown_fields)]
pub struct ClientAuthConfig {
    #[serde(default)]
    pub method: ClientAuthMethod,
    #[serde(default)]
    pub client_secret: Option<Secret>,
    #[serde(default)]
    pub client_secret_file: Option<PathBuf>,
    /// PEM RSA private key (PKCS#8 or PKCS#1) for `private_key_jwt`.
    #[serde(default)]
    pub private_key_file: Option<PathBuf>,
    #[serde(default)]
    pub private_key_pem: Option<Secret>,
    /// `kid` header of the client assertion (the key's id in the app's JWKS).
    #[serde(default)]
    pub key_id: Option<String>,
    #[serde(default = "default_assertion_lifetime")]
    pub assertion_lifetime_secs: u64,
    #[serde(default)]
    pub assertion_audience: AssertionAudience,
}

impl Default for ClientAuthConfig {
    fn default() -> Self {
        ClientAuthConfig {
            method: ClientAuthMethod::None,
            client_secret: None,
            client_secret_file: None,
            private_key_file: None,
            private_key_pem: None,
            key_id: None,
            assertion_lifetime_secs: default_assertion_lifetime(),
            assertion_audience: AssertionAudience::Endpoint,
        }
    }
}

#[derive(Deserialize, Debug, Clone)]
#[serde(deny_unknown_fields)]
pub struct CustodyConfig {
    #[serde(default = "default_true")]
    pub enabled: bool,
    /// 32 bytes, base64 (standard or URL-safe alphabet, padding optional).
    #[serde(default)]
    pub key: Option<Secret>,
    #[serde(default)]
    pub key_file: Option<PathBuf>,
    /// Older keys still accepted for decryption (key rotation); never used to encrypt.
    #[serde(default)]
    pub previous_keys: Vec<Secret>,
    #[serde(default = "default_cookie_name")]
    pub cookie_name: String,
    /// How long a custody cookie is good for; rotation and every refresh that returns a new
    /// refresh token start a new period.
    #[serde(default = "default_custody_lifetime")]
    pub lifetime_secs: u64,
}

impl Default for CustodyConfig {
    fn default() -> Self {
        CustodyConfig {
            enabled: true,
            key: None,
            key_file: None,
            previous_keys: Vec::new(),
            cookie_name: default_cookie_name(),
            lifetime_secs: default_custody_lifetime(),
        }
    }
}

fn default_mount() -> String {
    "/okta".into()
}
fn default_timeout_ms() -> u64 {
    10_000
}
fn default_max_request() -> usize {
    16 * 1024
}
fn default_max_response() -> usize {
    256 * 1024
}
fn default_per_ip() -> u32 {
    300
}
fn default_per_username() -> u32 {
    20
}
fn default_max_tracked() -> usize {
    100_000
}
fn default_assertion_lifetime() -> u64 {
    60
}
fn default_true() -> bool {
    true
}
fn default_cookie_name() -> String {
    "__Secure-oda-refresh".into()
}
fn default_custody_lifetime() -> u64 {
    7 * 24 * 3600
}

/// What a setting's environment value is.
#[derive(Clone, Copy, Debug)]
pub enum EnvKind {
    Str,
    /// Comma-separated.
    List,
    Int,
    Bool,
}

/// Every setting that can come from the environment: `(TOML path, variable, kind)`. An
/// environment value replaces the file's.
pub const ENV_SETTINGS: &[(&[&str], &str, EnvKind)] = &[
    (&["listen"], "OKTA_PROXY_LISTEN", EnvKind::Str),
    (&["mount"], "OKTA_PROXY_MOUNT", EnvKind::Str),
    (&["upstream"], "OKTA_PROXY_UPSTREAM", EnvKind::Str),
    (&["authorization_servers"], "OKTA_PROXY_AUTHORIZATION_SERVERS", EnvKind::List),
    (&["client_ids"], "OKTA_PROXY_CLIENT_IDS", EnvKind::List),
    (&["grant_types"], "OKTA_PROXY_GRANT_TYPES", EnvKind::List),
    (&["app_origins"], "OKTA_PROXY_APP_ORIGINS", EnvKind::List),
    (&["same_site_app_origins"], "OKTA_PROXY_SAME_SITE_APP_ORIGINS", EnvKind::Bool),
    (&["my_account_password"], "OKTA_PROXY_MY_ACCOUNT_PASSWORD", EnvKind::Bool),
    (&["trusted_proxies"], "OKTA_PROXY_TRUSTED_PROXIES", EnvKind::List),
    (&["upstream_timeout_ms"], "OKTA_PROXY_UPSTREAM_TIMEOUT_MS", EnvKind::Int),
    (&["upstream_ca_file"], "OKTA_PROXY_UPSTREAM_CA_FILE", EnvKind::Str),
    (&["max_request_body_bytes"], "OKTA_PROXY_MAX_REQUEST_BODY_BYTES", EnvKind::Int),
    (&["max_response_body_bytes"], "OKTA_PROXY_MAX_RESPONSE_BODY_BYTES", EnvKind::Int),
    (&["rate_limit", "per_ip_per_minute"], "OKTA_PROXY_RATE_LIMIT_PER_IP_PER_MINUTE", EnvKind::Int),
    (&["rate_limit", "per_username_per_minute"], "OKTA_PROXY_RATE_LIMIT_PER_USERNAME_PER_MINUTE", EnvKind::Int),
    (&["rate_limit", "max_tracked"], "OKTA_PROXY_RATE_LIMIT_MAX_TRACKED", EnvKind::Int),
    (&["client_auth", "method"], "OKTA_PROXY_CLIENT_AUTH_METHOD", EnvKind::Str),
    (&["client_auth", "client_secret"], "OKTA_PROXY_CLIENT_AUTH_CLIENT_SECRET", EnvKind::Str),
    (&["client_auth", "client_secret_file"], "OKTA_PROXY_CLIENT_AUTH_CLIENT_SECRET_FILE", EnvKind::Str),
    (&["client_auth", "private_key_file"], "OKTA_PROXY_CLIENT_AUTH_PRIVATE_KEY_FILE", EnvKind::Str),
    (&["client_auth", "private_key_pem"], "OKTA_PROXY_CLIENT_AUTH_PRIVATE_KEY_PEM", EnvKind::Str),
    (&["client_auth", "key_id"], "OKTA_PROXY_CLIENT_AUTH_KEY_ID", EnvKind::Str),
    (&["client_auth", "assertion_lifetime_secs"], "OKTA_PROXY_CLIENT_AUTH_ASSERTION_LIFETIME_SECS", EnvKind::Int),
    (&["client_auth", "assertion_audience"], "OKTA_PROXY_CLIENT_AUTH_ASSERTION_AUDIENCE", EnvKind::Str),
    (&["custody", "enabled"], "OKTA_PROXY_CUSTODY_ENABLED", EnvKind::Bool),
    (&["custody", "key"], "OKTA_PROXY_CUSTODY_KEY", EnvKind::Str),
    (&["custody", "key_file"], "OKTA_PROXY_CUSTODY_KEY_FILE", EnvKind::Str),
    (&["custody", "previous_keys"], "OKTA_PROXY_CUSTODY_PREVIOUS_KEYS", EnvKind::List),
    (&["custody", "cookie_name"], "OKTA_PROXY_CUSTODY_COOKIE_NAME", EnvKind::Str),
    (&["custody", "lifetime_secs"], "OKTA_PROXY_CUSTODY_LIFETIME_SECS", EnvKind::Int),
];

/// A configuration that cannot run, with what to change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError(pub String);

impl std::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "okta-direct-auth-proxy configuration: {}", self.0)
    }
}

impl std::error::Error for ConfigError {}

pub(crate) fn err<T>(msg: impl Into<String>) -> Result<T, ConfigError> {
    Err(ConfigError(msg.into()))
}

impl ProxyConfig {
    /// Reads TOML text, then lets every `OKTA_PROXY_*` variable in `env` replace its setting.
    /// An `OKTA_PROXY_*` variable that names no setting is an error (a typo would otherwise
    /// be silently ignored).
    pub fn from_toml_and_env(toml_text: &str, env: impl IntoIterator<Item = (String, String)>) -> Result<ProxyConfig, ConfigError> {
        let mut value: toml::Value = match toml::from_str(toml_text) {
            Ok(v) => v,
            Err(e) => return err(format!("the TOML does not parse: {e}")),
        };
        for (name, raw) in env {
            if !name.starts_with("OKTA_PROXY_") {
                continue;
            }
            let Some((path, _, kind)) = ENV_SETTINGS.iter().find(|(_, n, _)| *n == name) else {
                return err(format!(
                    "unknown environment variable {name}; the settings are: {}",
                    ENV_SETTINGS.iter().map(|(_, n, _)| *n).collect::<Vec<_>>().join(", ")
                ));
            };
            let v = match kind {
                EnvKind::Str => toml::Value::String(raw),
                EnvKind::List => toml::Value::Array(
                    raw.split(',').map(str::trim).filter(|s| !s.is_empty()).map(|s| toml::Value::String(s.to_owned())).collect(),
                ),
                EnvKind::Int => match raw.trim().parse::<i64>() {
                    Ok(n) if n >= 0 => toml::Value::Integer(n),
                    _ => return err(format!("{name} must be a whole number of 0 or more, got {raw:?}")),
                },
                EnvKind::Bool => match raw.trim() {
                    "true" | "1" | "yes" | "on" => toml::Value::Boolean(true),
                    "false" | "0" | "no" | "off" => toml::Value::Boolean(false),
                    _ => return err(format!("{name} must be true or false, got {raw:?}")),
                },
            };
            set_path(&mut value, path, v)?;
        }
        value.try_into().map_err(|e: toml::de::Error| ConfigError(e.message().to_string()))
    }
}

fn set_path(root: &mut toml::Value, path: &[&str], v: toml::Value) -> Result<(), ConfigError> {
    let mut table = match root {
        toml::Value::Table(t) => t,
        _ => return err("the configuration must be a TOML table"),
    };
    let Some((last, parents)) = path.split_last() else {
        return err("empty setting path");
    };
    for p in parents {
        let entry = table.entry((*p).to_owned()).or_insert_with(|| toml::Value::Table(Default::default()));
        table = match entry {
            toml::Value::Table(t) => t,
            _ => return err(format!("`{p}` must be a TOML table")),
        };
    }
    table.insert((*last).to_owned(), v);
    Ok(())
}
