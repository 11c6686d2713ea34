//! Discovery documents and the JWKS.

use crate::errors::json_response;
use crate::state::{AppState, AuthServer};
use axum::extract::{OriginalUri, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{json, Value};
use std::sync::Arc;

fn metadata(server: &AuthServer, oidc: bool) -> Value {
    let b = &server.endpoint_base;
    let mut scopes: Vec<String> =
        ["openid", "profile", "email", "address", "phone", "offline_access"].iter().map(|s| s.to_string()).collect();
    scopes.extend(server.custom_scopes.iter().cloned());
    let mut doc = json!({
        "issuer": server.issuer,
        "authorization_endpoint": format!("{b}/authorize"),
        "token_endpoint": format!("{b}/token"),
        "registration_endpoint": format!("{}/oauth2/v1/clients", server.issuer.split("/oauth2/").next().unwrap_or(&server.issuer)),
        "jwks_uri": format!("{b}/keys"),
        "response_types_supported": ["code", "id_token", "code id_token", "code token", "id_token token", "code id_token token"],
        "response_modes_supported": ["query", "fragment", "form_post", "okta_post_message"],
        "grant_types_supported": crate::seed::ADVERTISED_GRANTS,
        "subject_types_supported": ["public"],
        "scopes_supported": scopes,
        "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post", "client_secret_jwt", "private_key_jwt", "none"],
        "claims_supported": ["iss", "ver", "sub", "aud", "iat", "exp", "jti", "auth_time", "amr", "idp", "nonce", "name", "preferred_username", "email", "email_verified", "at_hash"],
        "code_challenge_methods_supported": ["S256"],
        "introspection_endpoint": format!("{b}/introspect"),
        "introspection_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post", "client_secret_jwt", "private_key_jwt", "none"],
        "revocation_endpoint": format!("{b}/revoke"),
        "revocation_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post", "client_secret_jwt", "private_key_jwt", "none"],
        "end_session_endpoint": format!("{b}/logout"),
        "request_parameter_supported": true,
        "request_object_signing_alg_values_supported": ["HS256", "HS384", "HS512", "RS256", "RS384", "RS512", "ES256", "ES384", "ES512"],
    });
    if oidc {
        doc["userinfo_endpoint"] = Value::String(format!("{b}/userinfo"));
        doc["id_token_signing_alg_values_supported"] = json!(["RS256"]);
    }
    doc
}

fn cached(mut resp: Response, secs: u32) -> Response {
    if let Ok(v) = HeaderValue::from_str(&format!("max-age={secs}, must-revalidate")) {
        resp.headers_mut().insert(header::CACHE_CONTROL, v);
    }
    resp
}

/// `GET /.well-known/openid-configuration` (org) and `/oauth2/{id}/.well-known/openid-configuration`.
pub async fn openid_configuration(State(state): State<Arc<AppState>>, uri: OriginalUri) -> Response {
    match state.server_for_path(uri.path()) {
        Ok(server) => cached(json_response(StatusCode::OK, &metadata(&server, true)), 86400),
        Err(e) => e.into_response(),
    }
}

/// `GET /oauth2/{id}/.well-known/oauth-authorization-server` (custom servers).
pub async fn oauth_metadata(State(state): State<Arc<AppState>>, uri: OriginalUri) -> Response {
    match state.server_for_path(uri.path()) {
        Ok(server) => cached(json_response(StatusCode::OK, &metadata(&server, false)), 86400),
        Err(e) => e.into_response(),
    }
}

/// `GET …/v1/keys`: the signing key(s), cacheable.
pub async fn keys(State(state): State<Arc<AppState>>, uri: OriginalUri) -> Response {
    match state.server_for_path(uri.path()) {
        Ok(_) => match state.jwks() {
            Some(jwks) => cached(json_response(StatusCode::OK, &jwks), 3600),
            None => crate::errors::OktaApiError::internal().into_response(),
        },
        Err(e) => e.into_response(),
    }
}
