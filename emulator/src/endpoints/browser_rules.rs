//! Okta's rules for browser requests to `/token` (protocol notes §9; ANCHORS §5): a request
//! carrying an `Origin` header may only use `authorization_code` (and, in practice,
//! `refresh_token`, which Okta's SPAs use for rotation). On unless `--allow-browser-grants`.
//!
//! The catalogue names the errors but not their order; the emulator checks, in this order:
//! 1. the grant (`unsupported_grant_type_browser_request`): no configuration fixes it;
//! 2. the origin is a trusted origin (`not_trusted_origin_browser_request`);
//! 3. the origin is the origin of one of the client's redirect URIs (`illegal_origin_browser_request`);
//! 4. `authorization_code` carries a `code_verifier` (`unsupported_auth_method_browser_request`);
//! 5. `offline_access` is asked for only by a client that has the `refresh_token` grant
//!    (`unsupported_scope_browser_request`; when Okta sends it is not documented, so the
//!    emulator ties it to the one setting that makes a browser refresh token impossible).

use crate::errors::OAuthError;
use crate::form::Form;
use crate::layers::cors::is_trusted;
use crate::seed::{ClientSeed, GRANT_AUTH_CODE, GRANT_INTERACTION_CODE, GRANT_REFRESH};
use crate::state::AppState;
use axum::http::{header, HeaderMap};

/// Grants a browser request may use.
const BROWSER_GRANTS: &[&str] = &[GRANT_AUTH_CODE, GRANT_REFRESH, GRANT_INTERACTION_CODE];

/// Applies the rules when they are on and the request has an `Origin` header.
pub fn check(state: &AppState, headers: &HeaderMap, client: &ClientSeed, grant: &str, form: &Form) -> Result<(), OAuthError> {
    if state.config.allow_browser_grants {
        return Ok(());
    }
    let Some(origin) = headers.get(header::ORIGIN) else {
        return Ok(());
    };
    if !BROWSER_GRANTS.contains(&grant) {
        return Err(OAuthError::browser_grant_type());
    }
    // A non-UTF-8 or `null` origin matches nothing.
    let origin = origin.to_str().unwrap_or("");
    if !is_trusted(&state.config.trusted_origins, origin) {
        return Err(OAuthError::browser_origin_not_trusted());
    }
    let normalised = normalise_origin(origin);
    if normalised.is_none() || !client.redirect_uris.iter().any(|u| origin_of(u) == normalised) {
        return Err(OAuthError::browser_origin_not_redirect_uri());
    }
    if grant == GRANT_AUTH_CODE && !form.contains("code_verifier") {
        return Err(OAuthError::browser_needs_pkce());
    }
    let wants_offline = form.get("scope").map(|s| s.split(' ').any(|x| x == "offline_access")).unwrap_or(false);
    if wants_offline && !client.grant_types.iter().any(|g| g == GRANT_REFRESH) {
        return Err(OAuthError::browser_offline_access());
    }
    Ok(())
}

/// `scheme://host[:port]` of an absolute URL, lower-cased, default port dropped.
pub fn origin_of(url: &str) -> Option<String> {
    let (scheme, rest) = url.split_once("://")?;
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    normalise_origin(&format!("{scheme}://{authority}"))
}

/// An `Origin` value in the same normal form as [`origin_of`]; `None` if it is not one.
pub fn normalise_origin(origin: &str) -> Option<String> {
    let (scheme, authority) = origin.split_once("://")?;
    let scheme = scheme.to_ascii_lowercase();
    let authority = authority.to_ascii_lowercase();
    if authority.is_empty() || authority.contains(['/', '?', '#', '@']) || !matches!(scheme.as_str(), "http" | "https") {
        return None;
    }
    let default_port = if scheme == "https" { ":443" } else { ":80" };
    let authority = authority.strip_suffix(default_port).unwrap_or(&authority);
    Some(format!("{scheme}://{authority}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_compare_in_normal_form() {
        assert_eq!(origin_of("http://127.0.0.1:8100/callback").as_deref(), Some("http://127.0.0.1:8100"));
        assert_eq!(origin_of("HTTPS://App.Example:443/cb?x=1").as_deref(), Some("https://app.example"));
        assert_eq!(normalise_origin("https://app.example").as_deref(), Some("https://app.example"));
        assert_eq!(origin_of("com.example.app:/callback"), None);
        assert_eq!(normalise_origin("null"), None);
        assert_eq!(normalise_origin("http://user@evil.example"), None);
        assert_ne!(origin_of("http://app.example:8080/cb"), normalise_origin("http://app.example"));
    }
}
