//! CORS for sibling app origins (`same_site_app_origins`, off by default): a page on another
//! port or subdomain of the same site may call the proxy, and read its answers, when its origin
//! is one of the app origins. Exactly those origins get `Access-Control-Allow-Origin` (never
//! `*`) with credentials (the custody cookie); a preflight is answered only for an app origin,
//! the methods the proxy takes and the headers the SDK sends. Every answer says `Vary: Origin`.
//! With the setting off this layer is not installed: no CORS at all (same-origin only).

use crate::errors::ProxyError;
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::sync::Arc;

/// Methods a preflight may ask for.
const METHODS: &[&str] = &["GET", "POST", "PUT"];
/// Request headers a preflight may ask for: what the SDK sends (`Authorization` only reaches
/// `userinfo` and MyAccount; the proxy drops it elsewhere).
const HEADERS: &[&str] = &["accept", "content-type", "authorization"];
/// Response headers the page may read: Okta's rate-limit headers, `Retry-After`, the custody
/// marker, Okta's request id and `WWW-Authenticate`.
const EXPOSE: &str =
    "Retry-After, X-Rate-Limit-Limit, X-Rate-Limit-Remaining, X-Rate-Limit-Reset, X-Refresh-Token-Custody, X-Okta-Request-Id, WWW-Authenticate";

pub struct Cors {
    pub origins: Vec<String>,
}

/// The request's `Origin` when it is exactly one header naming an app origin.
fn allowed_origin(cors: &Cors, headers: &HeaderMap) -> Option<HeaderValue> {
    let mut values = headers.get_all(header::ORIGIN).iter();
    let origin = values.next()?;
    if values.next().is_some() {
        return None;
    }
    let text = origin.to_str().ok()?;
    cors.origins.iter().any(|o| o == text).then(|| origin.clone())
}

fn refuse_preflight(reason: String) -> Response {
    ProxyError::new(StatusCode::FORBIDDEN, "access_denied", "preflight_not_allowed", reason).into_response()
}

fn preflight(cors: &Cors, headers: &HeaderMap) -> Response {
    let Some(origin) = allowed_origin(cors, headers) else {
        return refuse_preflight("CORS preflight from an origin that is not one of the app origins.".into());
    };
    let method = headers.get(header::ACCESS_CONTROL_REQUEST_METHOD).and_then(|v| v.to_str().ok()).unwrap_or("");
    if !METHODS.contains(&method) {
        return refuse_preflight(format!("CORS preflight for method {method:?}: the proxy takes GET, POST and PUT only."));
    }
    let requested = headers.get(header::ACCESS_CONTROL_REQUEST_HEADERS).and_then(|v| v.to_str().ok()).unwrap_or("");
    let names: Vec<String> = requested.split(',').map(|h| h.trim().to_ascii_lowercase()).filter(|h| !h.is_empty()).collect();
    if let Some(other) = names.iter().find(|h| !HEADERS.contains(&h.as_str())) {
        return refuse_preflight(format!(
            "CORS preflight for header {other:?}: the proxy takes Accept, Content-Type and Authorization only."
        ));
    }
    let mut resp = Response::new(axum::body::Body::empty());
    *resp.status_mut() = StatusCode::NO_CONTENT;
    let h = resp.headers_mut();
    h.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, origin);
    h.insert(header::ACCESS_CONTROL_ALLOW_CREDENTIALS, HeaderValue::from_static("true"));
    h.insert(header::ACCESS_CONTROL_ALLOW_METHODS, HeaderValue::from_static("GET, POST, PUT"));
    if !names.is_empty() {
        if let Ok(v) = HeaderValue::from_str(&names.join(", ")) {
            h.insert(header::ACCESS_CONTROL_ALLOW_HEADERS, v);
        }
    }
    h.insert(header::ACCESS_CONTROL_MAX_AGE, HeaderValue::from_static("600"));
    resp
}

/// The middleware: answers preflights, adds the CORS headers for app origins, `Vary: Origin` always.
pub async fn layer(State(cors): State<Arc<Cors>>, req: Request, next: Next) -> Response {
    let is_preflight = req.method() == Method::OPTIONS && req.headers().contains_key(header::ACCESS_CONTROL_REQUEST_METHOD);
    let mut resp = if is_preflight {
        preflight(&cors, req.headers())
    } else {
        let origin = allowed_origin(&cors, req.headers());
        let mut resp = next.run(req).await;
        if let Some(origin) = origin {
            let h = resp.headers_mut();
            h.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, origin);
            h.insert(header::ACCESS_CONTROL_ALLOW_CREDENTIALS, HeaderValue::from_static("true"));
            h.insert(header::ACCESS_CONTROL_EXPOSE_HEADERS, HeaderValue::from_static(EXPOSE));
        }
        resp
    };
    resp.headers_mut().append(header::VARY, HeaderValue::from_static("Origin"));
    if is_preflight {
        resp.headers_mut().append(header::VARY, HeaderValue::from_static("Access-Control-Request-Method, Access-Control-Request-Headers"));
    }
    resp
}
