//! The one HTTP client that talks to Okta: rustls (web PKI roots plus an optional extra CA),
//! no redirects followed, no environment proxy, a deadline for the whole exchange, and a cap
//! on the response body.

use crate::errors::ProxyError;
use crate::settings::Settings;
use axum::http::{HeaderName, HeaderValue, StatusCode};
use bytes::Bytes;

/// Response headers passed back to the caller; everything else (Set-Cookie first) is dropped.
const RESPONSE_HEADERS: &[&str] = &[
    "content-type",
    "cache-control",
    "pragma",
    "expires",
    "www-authenticate",
    "retry-after",
    "x-rate-limit-limit",
    "x-rate-limit-remaining",
    "x-rate-limit-reset",
    "x-okta-request-id",
];

pub fn client(s: &Settings) -> Result<reqwest::Client, String> {
    let mut b = reqwest::Client::builder()
        .use_rustls_tls()
        .redirect(reqwest::redirect::Policy::none())
        .no_proxy()
        .timeout(s.upstream_timeout)
        .connect_timeout(s.upstream_timeout.min(std::time::Duration::from_secs(5)))
        .user_agent(concat!("okta-direct-auth-proxy/", env!("CARGO_PKG_VERSION")))
        .https_only(s.upstream_is_https);
    if let Some(pem) = &s.upstream_ca_pem {
        let certs = reqwest::Certificate::from_pem_bundle(pem).map_err(|e| format!("upstream_ca_file: {e}"))?;
        for c in certs {
            b = b.add_root_certificate(c);
        }
    }
    b.build().map_err(|e| format!("cannot build the upstream HTTP client: {e}"))
}

pub struct UpstreamResponse {
    pub status: StatusCode,
    pub headers: Vec<(HeaderName, HeaderValue)>,
    pub body: Bytes,
}

fn failed(e: &reqwest::Error, timeout_ms: u128) -> ProxyError {
    if e.is_timeout() {
        ProxyError::new(
            StatusCode::GATEWAY_TIMEOUT,
            "temporarily_unavailable",
            "upstream_timeout",
            format!("Okta did not answer within {timeout_ms} ms; try again in a moment."),
        )
    } else if e.is_connect() {
        ProxyError::new(
            StatusCode::BAD_GATEWAY,
            "temporarily_unavailable",
            "upstream_unreachable",
            "The sign-in proxy could not connect to Okta (connection or TLS failure); try again later.",
        )
    } else {
        ProxyError::new(
            StatusCode::BAD_GATEWAY,
            "temporarily_unavailable",
            "upstream_failed",
            "The connection to Okta broke off; try again.",
        )
    }
}

pub async fn send(
    http: &reqwest::Client,
    s: &Settings,
    method: reqwest::Method,
    url: &str,
    headers: Vec<(&'static str, String)>,
    body: Option<String>,
) -> Result<UpstreamResponse, ProxyError> {
    let timeout_ms = s.upstream_timeout.as_millis();
    let mut req = http.request(method, url);
    for (name, value) in headers {
        req = req.header(name, value);
    }
    if let Some(body) = body {
        req = req.body(body);
    }
    let mut resp = req.send().await.map_err(|e| failed(&e, timeout_ms))?;
    let status = StatusCode::from_u16(resp.status().as_u16()).unwrap_or(StatusCode::BAD_GATEWAY);
    if status.is_redirection() {
        return Err(ProxyError::new(
            StatusCode::BAD_GATEWAY,
            "temporarily_unavailable",
            "upstream_redirect",
            format!(
                "Okta answered with a redirect ({}); the sign-in proxy does not follow redirects. Check the upstream URL.",
                status.as_u16()
            ),
        ));
    }
    let too_big = || {
        ProxyError::new(
            StatusCode::BAD_GATEWAY,
            "temporarily_unavailable",
            "upstream_response_too_large",
            format!("Okta's answer is larger than {} bytes; the sign-in proxy refuses it.", s.max_response_body),
        )
    };
    if resp.content_length().is_some_and(|n| n > s.max_response_body as u64) {
        return Err(too_big());
    }
    let mut kept = Vec::new();
    for name in RESPONSE_HEADERS {
        for v in resp.headers().get_all(*name) {
            if let (Ok(n), Ok(v)) = (HeaderName::from_bytes(name.as_bytes()), HeaderValue::from_bytes(v.as_bytes())) {
                kept.push((n, v));
            }
        }
    }
    let mut body = Vec::new();
    while let Some(chunk) = resp.chunk().await.map_err(|e| failed(&e, timeout_ms))? {
        if body.len() + chunk.len() > s.max_response_body {
            return Err(too_big());
        }
        body.extend_from_slice(&chunk);
    }
    Ok(UpstreamResponse { status, headers: kept, body: Bytes::from(body) })
}
