//! Client options: validation and endpoint derivation from the issuer.

use super::error::Error;

/// The options as the caller gave them (JS `DirectAuthOptions`, read by `crate::face::options`),
/// before any check.
#[derive(Clone, Debug, Default)]
pub struct ConfigInput {
    pub issuer: String,
    pub client_id: String,
    pub scopes: Option<Vec<String>>,
    pub acr_values: Option<Vec<String>>,
    pub grant_types_supported: Option<Vec<String>>,
    pub primary_oob_endpoint: Option<String>,
    pub recovery_parameter: Option<String>,
    pub endpoints: EndpointOverrides,
    /// okta-direct-auth-proxy's mount (absolute, or a same-origin path like `/okta`).
    pub proxy: Option<String>,
    pub credentials: Option<String>,
    pub timeout_ms: Option<f64>,
    pub slow_down_increment_seconds: Option<f64>,
    pub clock_skew_seconds: Option<f64>,
}

/// Endpoint URLs the caller set one by one (absolute, or a same-origin path like `/okta/token`).
#[derive(Clone, Debug, Default)]
pub struct EndpointOverrides {
    pub token: Option<String>,
    pub challenge: Option<String>,
    pub primary_authenticate: Option<String>,
    pub userinfo: Option<String>,
    pub revoke: Option<String>,
    pub keys: Option<String>,
    pub my_account_password: Option<String>,
}

/// Where each request goes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Endpoints {
    pub token: String,
    pub challenge: String,
    /// Where `startOob` posts: `/primary-authenticate`, or `/oob-authenticate` when configured.
    pub primary_authenticate: String,
    /// The deprecated `/oob-authenticate` endpoint (informational unless configured).
    pub oob_authenticate: String,
    pub userinfo: String,
    pub revoke: String,
    pub keys: String,
    /// `{org}/idp/myaccount/password`: MyAccount lives on the org, not under an authorization server.
    pub my_account_password: String,
    /// The proxy's sign-out (`{proxy}/session/end`), with the `proxy` option only.
    pub session_end: Option<String>,
}

/// How a recovery's token requests say so (§3.11).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RecoveryParameter {
    /// `prompt=recover_authenticator` (Okta's Kotlin SDK; the default).
    Prompt,
    /// `intent=recovery` (Okta's Swift SDK).
    Intent,
}

/// Which endpoint starts an out-of-band factor as the only factor.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PrimaryOobEndpoint {
    /// Current Okta docs; the request carries `challenge_hint`.
    PrimaryAuthenticate,
    /// Deprecated predecessor (older orgs); no `challenge_hint`.
    OobAuthenticate,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Credentials {
    Omit,
    SameOrigin,
    Include,
}

/// Validated options. Every transaction uses the same `client_id`, `scope` and `acr_values`.
#[derive(Clone, Debug)]
pub struct Config {
    /// The issuer as configured, without a trailing `/` (compared with the ID token's `iss`).
    pub issuer: String,
    pub client_id: String,
    /// Space-separated, as sent.
    pub scope: String,
    pub acr_values: Option<String>,
    pub grant_types_supported: Option<String>,
    pub primary_oob: PrimaryOobEndpoint,
    pub recovery_parameter: RecoveryParameter,
    pub endpoints: Endpoints,
    /// The proxy's mount without a trailing `/`, when the calls go through okta-direct-auth-proxy.
    pub proxy: Option<String>,
    pub credentials: Credentials,
    pub timeout_ms: u32,
    pub slow_down_increment_seconds: u32,
    pub clock_skew_seconds: u32,
}

/// The scopes when the options name none, as sent.
const DEFAULT_SCOPE: &str = "openid profile";
pub const DEFAULT_TIMEOUT_MS: u32 = 30_000;
pub const DEFAULT_SLOW_DOWN_INCREMENT_SECONDS: u32 = 5;
pub const DEFAULT_CLOCK_SKEW_SECONDS: u32 = 300;

/// The `grant_type` values this SDK sends (`GrantType` in index.d.ts).
pub const GRANT_TYPES: [&str; 7] = [
    "password",
    "urn:okta:params:oauth:grant-type:otp",
    "urn:okta:params:oauth:grant-type:oob",
    "http://auth0.com/oauth/grant-type/mfa-otp",
    "http://auth0.com/oauth/grant-type/mfa-oob",
    "urn:okta:params:oauth:grant-type:webauthn",
    "urn:okta:params:oauth:grant-type:mfa-webauthn",
];

impl ConfigInput {
    /// Every check first, in a fixed order (the first failing one is the error), then the
    /// `Config` is built with no more early return, so no partly built strings to drop.
    pub fn validate(&self) -> Result<Config, Error> {
        let end = self.issuer.bytes().rposition(|b| b != b'/').map_or(0, |i| i + 1);
        // `end` follows an ASCII byte, so this is a char boundary.
        let issuer = self.issuer.get(..end).unwrap_or("");
        let authority_end = check_absolute_url(issuer).ok_or_else(|| {
            Error::config("invalid_issuer", "issuer must be an https URL (http only on loopback) without query, fragment or user info.")
        })?;
        let path = issuer.as_bytes().get(authority_end..).unwrap_or(b"");
        // Org server: no path. Custom server: `…/oauth2/{authServerId}`; both get `/v1/…`.
        let api = if path.is_empty() {
            "/oauth2/v1"
        } else if second_last_segment(path) == b"oauth2" && !path.ends_with(b"/oauth2/") {
            "/v1"
        } else {
            return Err(Error::config(
                "invalid_issuer",
                "issuer must be https://{yourOktaDomain} or https://{yourOktaDomain}/oauth2/{authServerId}.",
            ));
        };

        if !is_token(&self.client_id) {
            return Err(Error::config("invalid_client_id", "clientId must be a non-empty string without spaces."));
        }

        // The default scopes pass both checks.
        if let Some(scopes) = &self.scopes {
            if !scopes.iter().all(|s| is_token(s)) {
                return Err(Error::config("invalid_scopes", "scopes must be non-empty strings without spaces."));
            }
            if !scopes.iter().any(|s| s == "openid") {
                return Err(Error::config("missing_openid_scope", "scopes must include 'openid'."));
            }
        }

        let acr_values = match &self.acr_values {
            Some(values) if values.is_empty() => None,
            Some(values) if values.iter().all(|v| is_token(v)) => Some(values),
            Some(_) => return Err(Error::config("invalid_acr_values", "acrValues must be non-empty strings without spaces.")),
            None => None,
        };

        let grant_types_supported = match &self.grant_types_supported {
            Some(grants) if grants.iter().all(|g| GRANT_TYPES.iter().any(|t| t == g)) => Some(grants),
            Some(_) => {
                return Err(Error::config("invalid_grant_types_supported", "grantTypesSupported may only list this SDK's grant types."))
            }
            None => None,
        };

        let primary_oob = match self.primary_oob_endpoint.as_deref() {
            None | Some("primary-authenticate") => PrimaryOobEndpoint::PrimaryAuthenticate,
            Some("oob-authenticate") => PrimaryOobEndpoint::OobAuthenticate,
            Some(_) => {
                return Err(Error::config(
                    "invalid_primary_oob_endpoint",
                    "primaryOobEndpoint must be 'primary-authenticate' or 'oob-authenticate'.",
                ))
            }
        };

        let recovery_parameter = match self.recovery_parameter.as_deref() {
            None | Some("prompt") => RecoveryParameter::Prompt,
            Some("intent") => RecoveryParameter::Intent,
            Some(_) => return Err(Error::config("invalid_recovery_parameter", "recoveryParameter must be 'prompt' or 'intent'.")),
        };

        // Through the proxy the custody cookie must travel: same-origin requests send it.
        let credentials = match self.credentials.as_deref() {
            None if self.proxy.is_some() => Credentials::SameOrigin,
            None | Some("omit") => Credentials::Omit,
            Some("same-origin") => Credentials::SameOrigin,
            Some("include") => Credentials::Include,
            Some(_) => return Err(Error::config("invalid_credentials", "credentials must be 'omit', 'same-origin' or 'include'.")),
        };

        let o = &self.endpoints;
        for url in
            [&o.primary_authenticate, &o.token, &o.challenge, &o.userinfo, &o.revoke, &o.keys, &o.my_account_password].into_iter().flatten()
        {
            if !is_same_origin_path(url) && check_absolute_url(url).is_none() {
                return Err(Error::config(
                    "invalid_endpoint",
                    "endpoints must be https URLs (http only on loopback) or paths starting with '/'.",
                ));
            }
        }

        let proxy = match &self.proxy {
            None => None,
            Some(url) => {
                let end = url.bytes().rposition(|b| b != b'/').map_or(0, |i| i + 1);
                // `end` follows an ASCII byte, so this is a char boundary.
                let trimmed = url.get(..end).unwrap_or("");
                let path_ok = url.starts_with('/') && (trimmed.is_empty() || is_same_origin_path(trimmed));
                if !path_ok && check_absolute_url(trimmed).is_none() {
                    return Err(Error::config(
                        "invalid_proxy",
                        "proxy must be the proxy's mount: an https URL (http only on loopback) or a path starting with '/'.",
                    ));
                }
                Some(trimmed.to_owned())
            }
        };

        let timeout_ms = bounded(
            self.timeout_ms,
            DEFAULT_TIMEOUT_MS,
            1,
            600_000,
            "invalid_timeout",
            "timeoutMs must be a whole number from 1 to 600000.",
        )?;
        let slow_down_increment_seconds = bounded(
            self.slow_down_increment_seconds,
            DEFAULT_SLOW_DOWN_INCREMENT_SECONDS,
            0,
            300,
            "invalid_slow_down_increment",
            "slowDownIncrementSeconds must be a whole number from 0 to 300.",
        )?;
        let clock_skew_seconds = bounded(
            self.clock_skew_seconds,
            DEFAULT_CLOCK_SKEW_SECONDS,
            0,
            3600,
            "invalid_clock_skew",
            "clockSkewSeconds must be a whole number from 0 to 3600.",
        )?;

        // Everything is checked: build.
        // Through the proxy: its mount followed by the issuer's path (proxy/README.md).
        let mut base = match &proxy {
            Some(mount) => {
                let mut base = mount.clone();
                base.push_str(core::str::from_utf8(path).unwrap_or(""));
                base
            }
            None => issuer.to_owned(),
        };
        base.push_str(api);
        let endpoint = |overridden: &Option<String>, name: &str| match overridden {
            Some(url) => url.clone(),
            None => concat(&base, name),
        };
        let primary_authenticate = endpoint(
            &o.primary_authenticate,
            if primary_oob == PrimaryOobEndpoint::PrimaryAuthenticate { "primary-authenticate" } else { "oob-authenticate" },
        );
        let endpoints = Endpoints {
            token: endpoint(&o.token, "token"),
            challenge: endpoint(&o.challenge, "challenge"),
            oob_authenticate: if primary_oob == PrimaryOobEndpoint::OobAuthenticate {
                primary_authenticate.clone()
            } else {
                concat(&base, "oob-authenticate")
            },
            primary_authenticate,
            userinfo: endpoint(&o.userinfo, "userinfo"),
            revoke: endpoint(&o.revoke, "revoke"),
            keys: endpoint(&o.keys, "keys"),
            my_account_password: match (&o.my_account_password, &proxy) {
                (Some(url), _) => url.clone(),
                // MyAccount is on the org: through the proxy, its mount (proxy/README.md).
                (None, Some(mount)) => concat(mount, "idp/myaccount/password"),
                // The org: the issuer's scheme and authority.
                (None, None) => concat(issuer.get(..authority_end).unwrap_or(issuer), "idp/myaccount/password"),
            },
            session_end: proxy.as_deref().map(|mount| concat(mount, "session/end")),
        };

        Ok(Config {
            issuer: issuer.to_owned(),
            client_id: self.client_id.clone(),
            scope: match &self.scopes {
                Some(scopes) => join(scopes),
                None => DEFAULT_SCOPE.to_owned(),
            },
            acr_values: acr_values.map(|v| join(v)),
            grant_types_supported: grant_types_supported.map(|g| join(g)),
            primary_oob,
            recovery_parameter,
            endpoints,
            proxy,
            credentials,
            timeout_ms,
            slow_down_increment_seconds,
            clock_skew_seconds,
        })
    }
}

/// A scope, ACR value or similar: non-empty, no whitespace or control characters.
pub(crate) fn is_token(value: &str) -> bool {
    !value.is_empty() && !has_space_or_control(value)
}

fn has_space_or_control(value: &str) -> bool {
    value.chars().any(|c| c.is_whitespace() || c.is_control())
}

/// `values.join(" ")` (as sent in `scope` and the like), without `alloc`'s generic join.
pub(crate) fn join(values: &[String]) -> String {
    let mut out = String::new();
    for value in values {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(value);
    }
    out
}

/// `{base}/{name}`.
fn concat(base: &str, name: &str) -> String {
    let mut url = String::with_capacity(base.len() + 1 + name.len());
    url.push_str(base);
    url.push('/');
    url.push_str(name);
    url
}

/// `b` in `…/b/c` (the whole of `b/c`'s first segment when there is no earlier `/`).
fn second_last_segment(path: &[u8]) -> &[u8] {
    let before = path.iter().rposition(|&b| b == b'/').and_then(|i| path.get(..i)).unwrap_or(b"");
    match before.iter().rposition(|&b| b == b'/') {
        Some(i) => before.get(i + 1..).unwrap_or(b""),
        None => before,
    }
}

fn bounded(value: Option<f64>, default: u32, min: u32, max: u32, code: &'static str, description: &'static str) -> Result<u32, Error> {
    match value {
        None => Ok(default),
        Some(v) if v.fract() == 0.0 && v >= f64::from(min) && v <= f64::from(max) => Ok(v as u32),
        Some(_) => Err(Error::config(code, description)),
    }
}

/// `bytes.contains(&byte)` as a plain loop: `<[u8]>::contains` searches a word at a time, which
/// is 361 B of wasm for URLs of a few dozen bytes.
#[allow(clippy::manual_contains)]
fn has_byte(bytes: &[u8], byte: u8) -> bool {
    bytes.iter().any(|&b| b == byte)
}

fn is_same_origin_path(url: &str) -> bool {
    let b = url.as_bytes();
    b.first() == Some(&b'/') && b.get(1) != Some(&b'/') && !has_byte(b, b'\\') && !has_space_or_control(url)
}

/// Checks `scheme://host[:port][/path]` with https (or http on loopback), no user info,
/// query or fragment. Returns where the authority ends (the path's start). Byte loops only
/// (no string searching in the wasm).
fn check_absolute_url(url: &str) -> Option<usize> {
    let bytes = url.as_bytes();
    if has_space_or_control(url) || bytes.iter().any(|b| matches!(b, b'?' | b'#' | b'\\')) {
        return None;
    }
    // The scheme ends at the first ':', which must start "://".
    let colon = bytes.iter().position(|&b| b == b':')?;
    let scheme = bytes.get(..colon)?;
    if bytes.get(colon + 1..colon + 3) != Some(b"//") {
        return None;
    }
    let rest = bytes.get(colon + 3..)?;
    let authority_len = rest.iter().position(|&b| b == b'/').unwrap_or(rest.len());
    let authority = rest.get(..authority_len)?;
    if has_byte(authority, b'@') {
        return None;
    }
    let host = if authority.first() == Some(&b'[') {
        let close = authority.iter().position(|&b| b == b']')?;
        match authority.get(close + 1..)? {
            [] => {}
            [b':', port @ ..] if is_port(port) => {}
            _ => return None,
        }
        authority.get(..=close)?
    } else {
        match authority.iter().position(|&b| b == b':') {
            Some(i) if is_port(authority.get(i + 1..)?) => authority.get(..i)?,
            Some(_) => return None,
            None => authority,
        }
    };
    if host.is_empty() || !host.iter().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'[' | b']' | b':')) {
        return None;
    }
    let loopback = [&b"localhost"[..], b"127.0.0.1", b"[::1]"].iter().any(|l| host.eq_ignore_ascii_case(l));
    if !(scheme.eq_ignore_ascii_case(b"https") || (loopback && scheme.eq_ignore_ascii_case(b"http"))) {
        return None;
    }
    Some(colon + 3 + authority_len)
}

fn is_port(port: &[u8]) -> bool {
    !port.is_empty() && port.len() <= 5 && port.iter().all(u8::is_ascii_digit)
}

#[cfg(test)]
#[cfg(not(target_arch = "wasm32"))] // proptest is native-only
mod tests {
    use super::*;
    use crate::protocol::error::ErrorKind;

    fn input(issuer: &str) -> ConfigInput {
        ConfigInput { issuer: issuer.into(), client_id: "0oa-demo-spa".into(), ..Default::default() }
    }

    /// All checks run before anything is built; the first failing one, in this order, is reported.
    #[test]
    fn validate_reports_the_first_failing_check() {
        let mut i = input("https://x.okta.com");
        i.timeout_ms = Some(0.5);
        assert_eq!(i.validate().unwrap_err().code, "invalid_timeout");
        i.endpoints.keys = Some("ftp://x".into());
        assert_eq!(i.validate().unwrap_err().code, "invalid_endpoint");
        i.credentials = Some("all".into());
        assert_eq!(i.validate().unwrap_err().code, "invalid_credentials");
        i.primary_oob_endpoint = Some("x".into());
        assert_eq!(i.validate().unwrap_err().code, "invalid_primary_oob_endpoint");
        i.grant_types_supported = Some(vec!["implicit".into()]);
        assert_eq!(i.validate().unwrap_err().code, "invalid_grant_types_supported");
        i.acr_values = Some(vec!["a b".into()]);
        assert_eq!(i.validate().unwrap_err().code, "invalid_acr_values");
        i.scopes = Some(vec!["profile".into()]);
        assert_eq!(i.validate().unwrap_err().code, "missing_openid_scope");
        i.scopes = Some(vec!["".into()]);
        assert_eq!(i.validate().unwrap_err().code, "invalid_scopes");
        i.client_id = String::new();
        assert_eq!(i.validate().unwrap_err().code, "invalid_client_id");
        i.issuer = "https://x.okta.com/a/b/c".into();
        assert_eq!(i.validate().unwrap_err().code, "invalid_issuer");
    }

    #[test]
    fn org_server_endpoints() {
        let config = input("https://x.okta.com/").validate().unwrap();
        assert_eq!(config.issuer, "https://x.okta.com");
        assert_eq!(config.scope, "openid profile");
        let e = &config.endpoints;
        assert_eq!(e.token, "https://x.okta.com/oauth2/v1/token");
        assert_eq!(e.challenge, "https://x.okta.com/oauth2/v1/challenge");
        assert_eq!(e.primary_authenticate, "https://x.okta.com/oauth2/v1/primary-authenticate");
        assert_eq!(e.oob_authenticate, "https://x.okta.com/oauth2/v1/oob-authenticate");
        assert_eq!(e.userinfo, "https://x.okta.com/oauth2/v1/userinfo");
        assert_eq!(e.revoke, "https://x.okta.com/oauth2/v1/revoke");
        assert_eq!(e.keys, "https://x.okta.com/oauth2/v1/keys");
        assert_eq!(config.credentials, Credentials::Omit);
        assert_eq!(config.timeout_ms, 30_000);
        assert_eq!(config.slow_down_increment_seconds, 5);
        assert_eq!(config.clock_skew_seconds, 300);
    }

    #[test]
    fn custom_server_endpoints() {
        let config = input("https://x.okta.com/oauth2/default").validate().unwrap();
        assert_eq!(config.endpoints.token, "https://x.okta.com/oauth2/default/v1/token");
        assert_eq!(config.endpoints.keys, "https://x.okta.com/oauth2/default/v1/keys");
        let config = input("https://x.okta.com:8443/oauth2/aus1a2b3").validate().unwrap();
        assert_eq!(config.endpoints.challenge, "https://x.okta.com:8443/oauth2/aus1a2b3/v1/challenge");
    }

    #[test]
    fn my_account_is_on_the_org() {
        for issuer in ["https://x.okta.com", "https://x.okta.com/oauth2/default", "https://x.okta.com/oauth2/aus1/"] {
            assert_eq!(input(issuer).validate().unwrap().endpoints.my_account_password, "https://x.okta.com/idp/myaccount/password");
        }
        let mut i = input("http://127.0.0.1:8080/oauth2/default");
        assert_eq!(i.clone().validate().unwrap().endpoints.my_account_password, "http://127.0.0.1:8080/idp/myaccount/password");
        i.endpoints.my_account_password = Some("/okta/idp/myaccount/password".into());
        assert_eq!(i.clone().validate().unwrap().endpoints.my_account_password, "/okta/idp/myaccount/password");
        assert_eq!(i.clone().validate().unwrap().recovery_parameter, RecoveryParameter::Prompt);
        i.recovery_parameter = Some("intent".into());
        assert_eq!(i.clone().validate().unwrap().recovery_parameter, RecoveryParameter::Intent);
        i.recovery_parameter = Some("prompt=x".into());
        assert_eq!(i.validate().unwrap_err().code, "invalid_recovery_parameter");
    }

    #[test]
    fn overrides_one_by_one() {
        let mut i = input("https://x.okta.com/oauth2/default");
        i.endpoints.token = Some("/api/okta/token".into());
        i.endpoints.keys = Some("https://cdn.example.com/keys".into());
        i.primary_oob_endpoint = Some("oob-authenticate".into());
        let e = i.validate().unwrap().endpoints;
        assert_eq!(e.token, "/api/okta/token");
        assert_eq!(e.keys, "https://cdn.example.com/keys");
        assert_eq!(e.challenge, "https://x.okta.com/oauth2/default/v1/challenge");
        assert_eq!(e.primary_authenticate, "https://x.okta.com/oauth2/default/v1/oob-authenticate");
        assert_eq!(e.oob_authenticate, e.primary_authenticate);
    }

    #[test]
    fn http_only_on_loopback() {
        for ok in ["http://127.0.0.1:8080", "http://localhost:1/oauth2/default", "http://[::1]:9", "HTTPS://X.okta.com"] {
            assert!(input(ok).validate().is_ok(), "{ok}");
        }
        for bad in [
            "http://x.okta.com",
            "http://127.0.0.2",
            "ftp://x",
            "x.okta.com",
            "https://",
            "https://u:p@x.okta.com",
            "https://x.okta.com?a=1",
            "https://x.okta.com#f",
            "https://x.okta.com/other",
            "https://x.okta.com/oauth2",
            "https://x .com",
            "https://x.okta.com:99999999",
            "https://x.okta.com:",
            "",
            "javascript:alert(1)",
            "https://x.okta.com/oauth2//",
        ] {
            let err = input(bad).validate().unwrap_err();
            assert_eq!((err.kind, err.code.as_ref()), (ErrorKind::Config, "invalid_issuer"), "{bad}");
        }
    }

    #[test]
    fn caller_mistakes_are_config_errors() {
        let code = |i: ConfigInput| i.validate().unwrap_err().code.clone();
        assert_eq!(code(ConfigInput { client_id: "".into(), ..input("https://x.okta.com") }), "invalid_client_id");
        assert_eq!(code(ConfigInput { scopes: Some(vec!["profile".into()]), ..input("https://x.okta.com") }), "missing_openid_scope");
        assert_eq!(
            code(ConfigInput { scopes: Some(vec!["openid".into(), "a b".into()]), ..input("https://x.okta.com") }),
            "invalid_scopes"
        );
        assert_eq!(
            code(ConfigInput { grant_types_supported: Some(vec!["implicit".into()]), ..input("https://x.okta.com") }),
            "invalid_grant_types_supported"
        );
        assert_eq!(code(ConfigInput { credentials: Some("always".into()), ..input("https://x.okta.com") }), "invalid_credentials");
        assert_eq!(code(ConfigInput { timeout_ms: Some(0.5), ..input("https://x.okta.com") }), "invalid_timeout");
        assert_eq!(code(ConfigInput { timeout_ms: Some(f64::NAN), ..input("https://x.okta.com") }), "invalid_timeout");
        assert_eq!(
            code(ConfigInput { primary_oob_endpoint: Some("x".into()), ..input("https://x.okta.com") }),
            "invalid_primary_oob_endpoint"
        );
        let mut i = input("https://x.okta.com");
        i.endpoints.revoke = Some("//evil.example/revoke".into());
        assert_eq!(code(i), "invalid_endpoint");
    }

    #[test]
    fn proxy_routes_every_endpoint_and_keeps_the_issuer() {
        let mut i = input("https://x.okta.com/oauth2/default");
        i.proxy = Some("/okta/".into());
        let config = i.validate().unwrap();
        assert_eq!(config.issuer, "https://x.okta.com/oauth2/default", "the issuer stays Okta's for ID token checks");
        let e = &config.endpoints;
        assert_eq!(e.token, "/okta/oauth2/default/v1/token");
        assert_eq!(e.challenge, "/okta/oauth2/default/v1/challenge");
        assert_eq!(e.primary_authenticate, "/okta/oauth2/default/v1/primary-authenticate");
        assert_eq!(e.oob_authenticate, "/okta/oauth2/default/v1/oob-authenticate");
        assert_eq!(e.userinfo, "/okta/oauth2/default/v1/userinfo");
        assert_eq!(e.revoke, "/okta/oauth2/default/v1/revoke");
        assert_eq!(e.keys, "/okta/oauth2/default/v1/keys");
        assert_eq!(e.session_end.as_deref(), Some("/okta/session/end"));
        assert_eq!(e.my_account_password, "/okta/idp/myaccount/password", "MyAccount is on the org: the mount, no issuer path");
        assert_eq!(config.credentials, Credentials::SameOrigin, "the custody cookie must travel");

        let mut i = input("https://x.okta.com");
        i.proxy = Some("https://app.example.com/auth".into());
        i.endpoints.keys = Some("https://cdn.example.com/keys".into());
        i.credentials = Some("include".into());
        let config = i.validate().unwrap();
        assert_eq!(config.endpoints.token, "https://app.example.com/auth/oauth2/v1/token", "org server: mount + /oauth2/v1");
        assert_eq!(config.endpoints.keys, "https://cdn.example.com/keys", "an override still wins");
        assert_eq!(config.credentials, Credentials::Include);

        let mut i = input("https://x.okta.com/oauth2/default");
        i.proxy = Some("/".into());
        assert_eq!(i.validate().unwrap().endpoints.token, "/oauth2/default/v1/token");
        assert_eq!(input("https://x.okta.com").validate().unwrap().endpoints.session_end, None);

        for bad in ["okta", "//evil.example/okta", "http://proxy.example.com", "https://p.example.com/a?b", "", "/a b", "/a\\b"] {
            let mut i = input("https://x.okta.com");
            i.proxy = Some(bad.into());
            assert_eq!(i.validate().unwrap_err().code, "invalid_proxy", "{bad}");
        }
        let mut i = input("https://x.okta.com");
        i.proxy = Some("http://127.0.0.1:9000/okta".into());
        assert_eq!(i.validate().unwrap().endpoints.revoke, "http://127.0.0.1:9000/okta/oauth2/v1/revoke");
    }

    #[test]
    fn joins_lists_as_sent() {
        let config = ConfigInput {
            scopes: Some(vec!["openid".into(), "offline_access".into()]),
            acr_values: Some(vec!["urn:okta:loa:2fa:any".into(), "phr".into()]),
            grant_types_supported: Some(vec![GRANT_TYPES[0].into(), GRANT_TYPES[4].into()]),
            ..input("https://x.okta.com")
        }
        .validate()
        .unwrap();
        assert_eq!(config.scope, "openid offline_access");
        assert_eq!(config.acr_values.as_deref(), Some("urn:okta:loa:2fa:any phr"));
        assert_eq!(config.grant_types_supported.as_deref(), Some("password http://auth0.com/oauth/grant-type/mfa-oob"));
    }
}
