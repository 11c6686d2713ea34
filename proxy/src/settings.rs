//! The validated configuration: every rule checked once at start, so a request never meets a
//! half-configured proxy.

use crate::client_auth::{ClientAuth, JwtSigner};
use crate::config::{err, ClientAuthMethod, ConfigError, ProxyConfig, DEFAULT_GRANTS};
use crate::custody::CustodyKeys;
use crate::log::LogSink;
use crate::secret::Secret;
use ipnet::IpNet;
use std::collections::HashSet;
use std::net::IpAddr;
use std::time::Duration;

/// Grants the proxy knows; anything else in `grant_types` is a typo.
const KNOWN_GRANTS: &[&str] = DEFAULT_GRANTS;

pub struct Settings {
    pub mount: String,
    /// `scheme://host[:port]`, no trailing slash.
    pub upstream: String,
    pub upstream_is_https: bool,
    pub servers: HashSet<String>,
    pub clients: HashSet<String>,
    pub grants: HashSet<String>,
    pub origins: Vec<String>,
    /// The app origins may be sibling origins (same site): CORS for exactly them.
    pub same_site: bool,
    pub my_account_password: bool,
    pub trusted_proxies: Vec<IpNet>,
    pub upstream_timeout: Duration,
    pub upstream_ca_pem: Option<Vec<u8>>,
    pub max_request_body: usize,
    pub max_response_body: usize,
    pub per_ip_per_minute: u32,
    pub per_username_per_minute: u32,
    pub max_tracked: usize,
    pub client_auth: ClientAuth,
    pub custody: Option<Custody>,
    pub log: LogSink,
}

pub struct Custody {
    pub keys: CustodyKeys,
    pub cookie_name: String,
    pub lifetime_secs: u64,
}

impl Settings {
    pub fn from_config(c: ProxyConfig) -> Result<Settings, ConfigError> {
        let mount = check_mount(&c.mount)?;
        let (upstream, upstream_is_https) = check_upstream(&c.upstream)?;
        let servers = check_servers(&c.authorization_servers)?;
        if c.client_ids.is_empty() {
            return err("client_ids is empty: list the Okta client IDs (0oa…) the proxy lets through");
        }
        for id in &c.client_ids {
            if id.is_empty() || !id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_') {
                return err(format!("client_ids: {id:?} is not a client ID (letters, digits, - and _ only)"));
            }
        }
        let clients: HashSet<String> = c.client_ids.iter().cloned().collect();
        let grants = match &c.grant_types {
            None => DEFAULT_GRANTS.iter().map(|g| (*g).to_owned()).collect(),
            Some(list) if list.is_empty() => return err("grant_types is empty: leave it out for the default direct-authentication set"),
            Some(list) => {
                for g in list {
                    if !KNOWN_GRANTS.contains(&g.as_str()) {
                        return err(format!("grant_types: {g:?} is not a direct-authentication grant; known: {}", KNOWN_GRANTS.join(", ")));
                    }
                }
                list.iter().cloned().collect()
            }
        };
        if c.app_origins.is_empty() {
            return err("app_origins is empty: list the origins of the pages that sign in through the proxy, e.g. https://app.example.com");
        }
        let origins = c.app_origins.iter().map(|o| check_origin(o)).collect::<Result<Vec<_>, _>>()?;
        let trusted_proxies = c.trusted_proxies.iter().map(|p| check_net(p)).collect::<Result<Vec<_>, _>>()?;
        if c.upstream_timeout_ms == 0 || c.upstream_timeout_ms > 120_000 {
            return err("upstream_timeout_ms must be between 1 and 120000");
        }
        let upstream_ca_pem = match &c.upstream_ca_file {
            None => None,
            Some(path) => match std::fs::read(path) {
                Ok(pem) => {
                    if reqwest::Certificate::from_pem_bundle(&pem).map(|v| v.is_empty()).unwrap_or(true) {
                        return err(format!("upstream_ca_file {}: no PEM certificate in it", path.display()));
                    }
                    Some(pem)
                }
                Err(e) => return err(format!("upstream_ca_file {}: cannot read it: {e}", path.display())),
            },
        };
        if c.max_request_body_bytes == 0 || c.max_request_body_bytes > 1024 * 1024 {
            return err("max_request_body_bytes must be between 1 and 1048576 (16384 by default)");
        }
        if c.max_response_body_bytes < 1024 || c.max_response_body_bytes > 16 * 1024 * 1024 {
            return err("max_response_body_bytes must be between 1024 and 16777216");
        }
        if c.rate_limit.max_tracked == 0 {
            return err("rate_limit.max_tracked must be at least 1");
        }
        let client_auth = client_auth(&c)?;
        let custody = custody(&c, &mount)?;
        Ok(Settings {
            mount,
            upstream,
            upstream_is_https,
            servers,
            clients,
            grants,
            origins,
            same_site: c.same_site_app_origins,
            my_account_password: c.my_account_password,
            trusted_proxies,
            upstream_timeout: Duration::from_millis(c.upstream_timeout_ms),
            upstream_ca_pem,
            max_request_body: c.max_request_body_bytes,
            max_response_body: c.max_response_body_bytes,
            per_ip_per_minute: c.rate_limit.per_ip_per_minute,
            per_username_per_minute: c.rate_limit.per_username_per_minute,
            max_tracked: c.rate_limit.max_tracked,
            client_auth,
            custody,
            log: c.log.unwrap_or_else(LogSink::stderr),
        })
    }
}

fn check_mount(m: &str) -> Result<String, ConfigError> {
    let ok = m.len() > 1
        && m.starts_with('/')
        && !m.ends_with('/')
        && m.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'/' | b'-' | b'_' | b'.'))
        && !m.contains("//")
        && !m.split('/').any(|s| s == "." || s == "..");
    if ok {
        Ok(m.to_owned())
    } else {
        err(format!("mount {m:?} must be a path like /okta: starts with /, no trailing /, letters, digits, - _ . and / only"))
    }
}

fn check_upstream(u: &str) -> Result<(String, bool), ConfigError> {
    if u.is_empty() {
        return err("upstream is empty: set it to your Okta org, e.g. https://example.okta.com");
    }
    let url = match reqwest::Url::parse(u) {
        Ok(url) => url,
        Err(e) => return err(format!("upstream {u:?} is not a URL: {e}")),
    };
    let host = url.host_str().unwrap_or("");
    let loopback =
        host == "localhost" || host.trim_matches(|c| c == '[' || c == ']').parse::<IpAddr>().map(|ip| ip.is_loopback()).unwrap_or(false);
    let https = match url.scheme() {
        "https" => true,
        "http" if loopback => false,
        "http" => return err(format!("upstream {u:?} must be https (plain http is allowed only for a loopback host such as 127.0.0.1)")),
        other => return err(format!("upstream {u:?}: scheme {other} is not http(s)")),
    };
    if host.is_empty() || !url.username().is_empty() || url.password().is_some() || url.query().is_some() || url.fragment().is_some() {
        return err(format!("upstream {u:?} must be just scheme://host[:port], e.g. https://example.okta.com"));
    }
    if url.path() != "/" && !url.path().is_empty() {
        return err(format!(
            "upstream {u:?} must not have a path: give the org URL (https://example.okta.com); the authorization server goes in authorization_servers"
        ));
    }
    Ok((url.as_str().trim_end_matches('/').to_owned(), https))
}

fn check_servers(list: &[String]) -> Result<HashSet<String>, ConfigError> {
    if list.is_empty() {
        return err("authorization_servers is empty: list \"org\" for the org server and/or custom server ids such as \"default\"");
    }
    for s in list {
        let ok = !s.is_empty() && s != "v1" && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        if !ok {
            return err(format!("authorization_servers: {s:?} is not an authorization server id (\"org\", \"default\", \"aus…\")"));
        }
    }
    Ok(list.iter().cloned().collect())
}

/// `scheme://host[:port]` as a browser serialises it in `Origin`.
pub fn check_origin(o: &str) -> Result<String, ConfigError> {
    let trimmed = o.strip_suffix('/').unwrap_or(o);
    let url = match reqwest::Url::parse(trimmed) {
        Ok(u) => u,
        Err(e) => return err(format!("app_origins: {o:?} is not an origin: {e}")),
    };
    let serialised = url.origin().ascii_serialization();
    if !matches!(url.scheme(), "http" | "https")
        || serialised == "null"
        || (url.path() != "/" && !url.path().is_empty())
        || url.query().is_some()
    {
        return err(format!("app_origins: {o:?} must be scheme://host[:port] with no path, e.g. https://app.example.com"));
    }
    Ok(serialised)
}

fn check_net(p: &str) -> Result<IpNet, ConfigError> {
    if let Ok(net) = p.parse::<IpNet>() {
        return Ok(net.trunc());
    }
    match p.parse::<IpAddr>() {
        Ok(ip) => Ok(IpNet::from(ip)),
        Err(_) => err(format!("trusted_proxies: {p:?} is not an IP address or CIDR (10.0.0.0/8, 2001:db8::/32, 192.0.2.7)")),
    }
}

fn read_secret_file(what: &str, path: &std::path::Path) -> Result<Secret, ConfigError> {
    match std::fs::read_to_string(path) {
        Ok(s) => Ok(Secret::new(s.trim().to_owned())),
        Err(e) => err(format!("{what} {}: cannot read it: {e}", path.display())),
    }
}

fn client_auth(c: &ProxyConfig) -> Result<ClientAuth, ConfigError> {
    let a = &c.client_auth;
    let secret = || -> Result<Secret, ConfigError> {
        let s = match (&a.client_secret, &a.client_secret_file) {
            (Some(_), Some(_)) => return err("client_auth: set client_secret or client_secret_file, not both"),
            (Some(s), None) => s.clone(),
            (None, Some(p)) => read_secret_file("client_auth.client_secret_file", p)?,
            (None, None) => return err("client_auth.method needs client_secret (or client_secret_file)"),
        };
        if s.is_empty() {
            return err("client_auth.client_secret is empty");
        }
        Ok(s)
    };
    if a.method != ClientAuthMethod::None && c.client_ids.len() != 1 {
        return err("client_auth authenticates one confidential client: client_ids must then list exactly that client");
    }
    if a.method != ClientAuthMethod::PrivateKeyJwt && (a.private_key_file.is_some() || a.private_key_pem.is_some()) {
        return err("client_auth: a private key is set but method is not private_key_jwt");
    }
    if matches!(a.method, ClientAuthMethod::None | ClientAuthMethod::PrivateKeyJwt)
        && (a.client_secret.is_some() || a.client_secret_file.is_some())
    {
        return err("client_auth: a client secret is set but method is not client_secret_basic or client_secret_post");
    }
    Ok(match a.method {
        ClientAuthMethod::None => ClientAuth::None,
        ClientAuthMethod::ClientSecretBasic => ClientAuth::SecretBasic(secret()?),
        ClientAuthMethod::ClientSecretPost => ClientAuth::SecretPost(secret()?),
        ClientAuthMethod::PrivateKeyJwt => {
            let pem = match (&a.private_key_pem, &a.private_key_file) {
                (Some(_), Some(_)) => return err("client_auth: set private_key_pem or private_key_file, not both"),
                (Some(p), None) => p.clone(),
                (None, Some(path)) => read_secret_file("client_auth.private_key_file", path)?,
                (None, None) => return err("client_auth.method = private_key_jwt needs private_key_file (or private_key_pem)"),
            };
            if a.assertion_lifetime_secs == 0 || a.assertion_lifetime_secs > 300 {
                return err("client_auth.assertion_lifetime_secs must be between 1 and 300 (a client assertion is for one request)");
            }
            ClientAuth::PrivateKeyJwt(Box::new(JwtSigner::from_pem(
                &pem,
                a.key_id.clone(),
                a.assertion_lifetime_secs,
                a.assertion_audience,
            )?))
        }
    })
}

fn custody(c: &ProxyConfig, _mount: &str) -> Result<Option<Custody>, ConfigError> {
    let k = &c.custody;
    if !k.enabled {
        return Ok(None);
    }
    let key = match (&k.key, &k.key_file) {
        (Some(_), Some(_)) => return err("custody: set key or key_file, not both"),
        (Some(key), None) => key.clone(),
        (None, Some(p)) => read_secret_file("custody.key_file", p)?,
        (None, None) => {
            return err(
                "custody is on (the default) but has no key: set custody.key (or OKTA_PROXY_CUSTODY_KEY) to 32 random bytes in base64 \
                 (e.g. `openssl rand -base64 32`), the same on every instance, or set custody.enabled = false",
            )
        }
    };
    let keys = CustodyKeys::new(&key, &k.previous_keys)?;
    let name_ok = !k.cookie_name.is_empty()
        && k.cookie_name.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
        && !k.cookie_name.starts_with("__Host-");
    if !name_ok {
        return err(format!(
            "custody.cookie_name {:?}: letters, digits, - _ . only (a __Host- name cannot be path-scoped to the mount)",
            k.cookie_name
        ));
    }
    if k.lifetime_secs < 60 || k.lifetime_secs > 400 * 24 * 3600 {
        return err("custody.lifetime_secs must be between 60 and 34560000 (400 days, the longest a browser keeps a cookie)");
    }
    Ok(Some(Custody { keys, cookie_name: k.cookie_name.clone(), lifetime_secs: k.lifetime_secs }))
}
