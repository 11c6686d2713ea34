//! The proxy's own refusals: an OAuth-form JSON body `{error, error_description, proxy_reason}`
//! with the right status, so the SDK reads them like Okta's answers and can tell them apart
//! by `proxy_reason`.

use axum::body::Body;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::json;

#[derive(Debug)]
pub struct ProxyError {
    pub status: StatusCode,
    /// OAuth `error` value.
    pub error: &'static str,
    pub description: String,
    /// Stable machine-readable reason (`origin_not_allowed`, …), also logged.
    pub reason: &'static str,
    pub retry_after: Option<u64>,
    pub allow: Option<&'static str>,
    /// A `Set-Cookie` to send with the refusal (clearing a bad custody cookie).
    pub set_cookie: Option<String>,
}

impl ProxyError {
    pub fn new(status: StatusCode, error: &'static str, reason: &'static str, description: impl Into<String>) -> Self {
        ProxyError { status, error, description: description.into(), reason, retry_after: None, allow: None, set_cookie: None }
    }

    pub fn with_cookie(mut self, set_cookie: Option<String>) -> Self {
        self.set_cookie = set_cookie;
        self
    }
}

pub fn json_response(status: StatusCode, body: &serde_json::Value) -> Response {
    let mut resp = Response::new(Body::from(body.to_string()));
    *resp.status_mut() = status;
    let h = resp.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    resp
}

impl IntoResponse for ProxyError {
    fn into_response(self) -> Response {
        let body = json!({ "error": self.error, "error_description": self.description, "proxy_reason": self.reason });
        let mut resp = json_response(self.status, &body);
        let h = resp.headers_mut();
        if let Some(secs) = self.retry_after {
            if let Ok(v) = HeaderValue::from_str(&secs.to_string()) {
                h.insert(header::RETRY_AFTER, v);
            }
        }
        if let Some(allow) = self.allow {
            h.insert(header::ALLOW, HeaderValue::from_static(allow));
        }
        if let Some(c) = self.set_cookie.and_then(|c| HeaderValue::from_str(&c).ok()) {
            h.append(header::SET_COOKIE, c);
        }
        resp
    }
}
