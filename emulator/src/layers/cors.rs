//! CORS. Okta endpoints answer cross-origin requests only for trusted origins
//! (`--trusted-origin`, exact match, `*` trusts any); the `/__emulator/` API answers any
//! origin with `*` and no credentials. Two exceptions follow Okta's spec:
//!
//! * `/token`, while Okta's browser rules are on (no `--allow-browser-grants`): "CORS is
//!   enforced on a per-client basis. This endpoint always returns CORS headers with the
//!   current origin" (the spec's `OPTIONS /token`). So every origin gets CORS headers and the
//!   handler refuses with the catalogue's `*_browser_request` errors, which a page can read.
//! * `/challenge`, `/primary-authenticate`, `/oob-authenticate`: the spec marks none of them
//!   CORS-enabled (unlike `/keys`, `/userinfo`, `/revoke`, discovery), so unless
//!   `--cors-direct-auth-endpoints` they refuse every origin as an untrusted one is refused:
//!   403, no CORS headers (a network error in a browser), and nothing is started.

use crate::errors::OktaApiError;
use crate::state::AppState;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::sync::Arc;

pub const ALLOW_METHODS: &str = "GET, POST, OPTIONS";
/// MyAccount's password endpoint is a `PUT` (`endpoints::myaccount`).
pub const MYACCOUNT_ALLOW_METHODS: &str = "PUT, OPTIONS";
pub const ALLOW_HEADERS: &str = "Accept, Content-Type, Authorization, X-Okta-User-Agent-Extended";
pub const EXPOSE_HEADERS: &str = "X-Rate-Limit-Limit, X-Rate-Limit-Remaining, X-Rate-Limit-Reset";

pub fn is_emulator_api(path: &str) -> bool {
    path == "/__emulator" || path.starts_with("/__emulator/")
}

pub fn is_trusted(trusted: &[String], origin: &str) -> bool {
    trusted.iter().any(|t| t == "*" || t == origin)
}

/// How an Okta endpoint treats a request with an `Origin` header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum OriginPolicy {
    /// CORS for trusted origins only.
    TrustedOnly,
    /// CORS headers for every origin; the handler decides (per-client `/token`).
    EveryOrigin,
    /// No CORS for any origin.
    None,
}

fn origin_policy(state: &AppState, path: &str) -> OriginPolicy {
    let endpoint = path.rsplit('/').next().unwrap_or("");
    let under_v1 = path.starts_with("/oauth2/") && path.ends_with(&format!("/v1/{endpoint}"));
    match endpoint {
        "token" if under_v1 && !state.config.allow_browser_grants => OriginPolicy::EveryOrigin,
        "challenge" | "primary-authenticate" | "oob-authenticate" if under_v1 && !state.config.cors_direct_auth_endpoints => {
            OriginPolicy::None
        }
        _ => OriginPolicy::TrustedOnly,
    }
}

pub async fn middleware(State(state): State<Arc<AppState>>, req: Request, next: Next) -> Response {
    let path = req.uri().path().to_string();
    let is_options = req.method() == Method::OPTIONS;

    if is_emulator_api(&path) {
        if !state.config.emulator_api {
            return OktaApiError::not_found(&path, "Resource").into_response();
        }
        let mut resp = if is_options {
            let mut r = StatusCode::NO_CONTENT.into_response();
            let h = r.headers_mut();
            h.insert(header::ACCESS_CONTROL_ALLOW_METHODS, HeaderValue::from_static(ALLOW_METHODS));
            h.insert(header::ACCESS_CONTROL_ALLOW_HEADERS, HeaderValue::from_static("Content-Type, Accept"));
            h.insert(header::ACCESS_CONTROL_MAX_AGE, HeaderValue::from_static("600"));
            r
        } else {
            next.run(req).await
        };
        resp.headers_mut().insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, HeaderValue::from_static("*"));
        return resp;
    }

    let origin = req.headers().get(header::ORIGIN).and_then(|v| v.to_str().ok()).map(str::to_string);
    let Some(origin) = origin else {
        // No Origin (curl, a server-side proxy): served normally.
        return next.run(req).await;
    };
    let allowed = match origin_policy(&state, &path) {
        OriginPolicy::TrustedOnly => is_trusted(&state.config.trusted_origins, &origin),
        OriginPolicy::EveryOrigin => true,
        OriginPolicy::None => false,
    };
    if !allowed {
        // Untrusted origin: no CORS headers at all, so a browser reports a network error.
        return if is_options {
            let mut r = Response::new(Body::empty());
            *r.status_mut() = StatusCode::FORBIDDEN;
            r
        } else {
            OktaApiError::forbidden_origin().into_response()
        };
    }
    let mut resp = if is_options {
        let mut r = StatusCode::OK.into_response();
        let h = r.headers_mut();
        let methods = if path.starts_with("/idp/myaccount/") { MYACCOUNT_ALLOW_METHODS } else { ALLOW_METHODS };
        h.insert(header::ACCESS_CONTROL_ALLOW_METHODS, HeaderValue::from_static(methods));
        h.insert(header::ACCESS_CONTROL_ALLOW_HEADERS, HeaderValue::from_static(ALLOW_HEADERS));
        h.insert(header::ACCESS_CONTROL_MAX_AGE, HeaderValue::from_static("600"));
        r
    } else {
        next.run(req).await
    };
    add_origin_headers(resp.headers_mut(), &origin);
    resp
}

fn add_origin_headers(h: &mut HeaderMap, origin: &str) {
    if let Ok(v) = HeaderValue::from_str(origin) {
        h.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, v);
    }
    h.append(header::VARY, HeaderValue::from_static("Origin"));
    h.insert(header::ACCESS_CONTROL_EXPOSE_HEADERS, HeaderValue::from_static(EXPOSE_HEADERS));
}
