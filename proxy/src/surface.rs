//! The part of Okta the proxy forwards: the direct-authentication endpoints and discovery of
//! the configured authorization servers. Anything else is not found.
//!
//! `{mount}/oauth2/v1/{endpoint}`            → `{upstream}/oauth2/v1/{endpoint}`       (org server)
//! `{mount}/oauth2/{id}/v1/{endpoint}`       → `{upstream}/oauth2/{id}/v1/{endpoint}`  (custom server)
//! `{mount}/.well-known/{doc}`               → `{upstream}/.well-known/{doc}`          (org server)
//! `{mount}/oauth2/{id}/.well-known/{doc}`   → `{upstream}/oauth2/{id}/.well-known/{doc}`
//!
//! So the proxy URL of an authorization server is the mount followed by the issuer's path.

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Endpoint {
    Token,
    Challenge,
    PrimaryAuthenticate,
    OobAuthenticate,
    Revoke,
    Userinfo,
    Keys,
    OpenidConfiguration,
    OauthAuthorizationServer,
}

impl Endpoint {
    pub fn name(self) -> &'static str {
        match self {
            Endpoint::Token => "token",
            Endpoint::Challenge => "challenge",
            Endpoint::PrimaryAuthenticate => "primary-authenticate",
            Endpoint::OobAuthenticate => "oob-authenticate",
            Endpoint::Revoke => "revoke",
            Endpoint::Userinfo => "userinfo",
            Endpoint::Keys => "keys",
            Endpoint::OpenidConfiguration => "openid-configuration",
            Endpoint::OauthAuthorizationServer => "oauth-authorization-server",
        }
    }

    fn from_v1(s: &str) -> Option<Endpoint> {
        Some(match s {
            "token" => Endpoint::Token,
            "challenge" => Endpoint::Challenge,
            "primary-authenticate" => Endpoint::PrimaryAuthenticate,
            "oob-authenticate" => Endpoint::OobAuthenticate,
            "revoke" => Endpoint::Revoke,
            "userinfo" => Endpoint::Userinfo,
            "keys" => Endpoint::Keys,
            _ => return None,
        })
    }

    fn from_well_known(s: &str) -> Option<Endpoint> {
        match s {
            "openid-configuration" => Some(Endpoint::OpenidConfiguration),
            "oauth-authorization-server" => Some(Endpoint::OauthAuthorizationServer),
            _ => None,
        }
    }

    /// POST with a form body; the others are GET.
    pub fn is_form_post(self) -> bool {
        matches!(self, Endpoint::Token | Endpoint::Challenge | Endpoint::PrimaryAuthenticate | Endpoint::OobAuthenticate | Endpoint::Revoke)
    }

    pub fn allowed_method(self) -> &'static str {
        if self.is_form_post() {
            "POST"
        } else {
            "GET"
        }
    }
}

/// One request's target: which server, which endpoint.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Target {
    /// `org` or the custom server id.
    pub server: String,
    pub endpoint: Endpoint,
}

impl Target {
    /// The issuer's path: empty for the org server, `/oauth2/{id}` for a custom one.
    pub fn issuer_path(server: &str) -> String {
        if server == "org" {
            String::new()
        } else {
            format!("/oauth2/{server}")
        }
    }

    pub fn upstream_url(&self, upstream: &str) -> String {
        endpoint_url(upstream, &self.server, self.endpoint)
    }
}

pub fn endpoint_url(upstream: &str, server: &str, endpoint: Endpoint) -> String {
    match endpoint {
        Endpoint::OpenidConfiguration | Endpoint::OauthAuthorizationServer => {
            format!("{upstream}{}/.well-known/{}", Target::issuer_path(server), endpoint.name())
        }
        _ if server == "org" => format!("{upstream}/oauth2/v1/{}", endpoint.name()),
        _ => format!("{upstream}/oauth2/{server}/v1/{}", endpoint.name()),
    }
}

/// Reads the path after the mount (`/oauth2/default/v1/token`). `None`: not on the surface.
/// The server id is returned as written; whether it is allowed is the caller's check.
pub fn parse(rest: &str) -> Option<Target> {
    if let Some(doc) = rest.strip_prefix("/.well-known/") {
        return Endpoint::from_well_known(doc).map(|endpoint| Target { server: "org".into(), endpoint });
    }
    let segments: Vec<&str> = rest.strip_prefix("/oauth2/")?.split('/').collect();
    match segments.as_slice() {
        ["v1", ep] => Endpoint::from_v1(ep).map(|endpoint| Target { server: "org".into(), endpoint }),
        [id, "v1", ep] if valid_id(id) => Endpoint::from_v1(ep).map(|endpoint| Target { server: (*id).into(), endpoint }),
        [id, ".well-known", doc] if valid_id(id) => {
            Endpoint::from_well_known(doc).map(|endpoint| Target { server: (*id).into(), endpoint })
        }
        _ => None,
    }
}

fn valid_id(id: &str) -> bool {
    !id.is_empty() && id != "v1" && id != "org" && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_surface_and_nothing_else() {
        let t = |s: &str, e| Some(Target { server: s.into(), endpoint: e });
        assert_eq!(parse("/oauth2/v1/token"), t("org", Endpoint::Token));
        assert_eq!(parse("/oauth2/default/v1/primary-authenticate"), t("default", Endpoint::PrimaryAuthenticate));
        assert_eq!(parse("/.well-known/openid-configuration"), t("org", Endpoint::OpenidConfiguration));
        assert_eq!(parse("/oauth2/aus1/.well-known/oauth-authorization-server"), t("aus1", Endpoint::OauthAuthorizationServer));
        for bad in [
            "/oauth2/v1/introspect",
            "/oauth2/v1/authorize",
            "/oauth2/default/v1/token/",
            "/oauth2/default/v1/../v1/token",
            "/oauth2/../v1/token",
            "/oauth2/org/v1/token",
            "/api/v1/users",
            "/oauth2/v1/v1/token",
            "/oauth2/default/v1/logout",
            "",
            "/",
        ] {
            assert_eq!(parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn upstream_urls_keep_the_issuer_path() {
        let u = "https://x.okta.com";
        assert_eq!(endpoint_url(u, "org", Endpoint::Token), "https://x.okta.com/oauth2/v1/token");
        assert_eq!(endpoint_url(u, "default", Endpoint::Keys), "https://x.okta.com/oauth2/default/v1/keys");
        assert_eq!(endpoint_url(u, "org", Endpoint::OpenidConfiguration), "https://x.okta.com/.well-known/openid-configuration");
        assert_eq!(
            endpoint_url(u, "default", Endpoint::OauthAuthorizationServer),
            "https://x.okta.com/oauth2/default/.well-known/oauth-authorization-server"
        );
    }
}
