//! `okta-demo-server`: serves the demo page and the npm package, a `/demo-config.json`, and a
//! same-origin reverse proxy `/okta/*` → the emulator that drops the `Origin` header (the
//! "same-origin proxy / BFF" deployment of protocol notes §9).

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get};
use axum::Router;
use serde_json::json;
use std::path::PathBuf;
use std::sync::Arc;
use tower_http::services::ServeDir;

const PROXY_MAX_BODY: usize = 1024 * 1024;

#[derive(Clone, Debug)]
pub struct DemoConfig {
    pub www: PathBuf,
    pub pkg: PathBuf,
    /// The emulator's base URL, e.g. `http://127.0.0.1:8081`.
    pub emulator: String,
}

struct DemoState {
    emulator: String,
    client: reqwest::Client,
}

pub fn router(cfg: &DemoConfig) -> Router {
    let emulator = cfg.emulator.trim_end_matches('/').to_string();
    let client = reqwest::Client::builder()
        .no_proxy()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap_or_else(|_| reqwest::Client::new());
    let state = Arc::new(DemoState { emulator, client });
    Router::new()
        .route("/demo-config.json", get(demo_config))
        .route("/okta/{*rest}", any(proxy))
        .nest_service("/pkg", ServeDir::new(&cfg.pkg))
        .fallback_service(ServeDir::new(&cfg.www))
        .layer(axum::middleware::from_fn(mime_fixup))
        .with_state(state)
}

async fn demo_config(State(state): State<Arc<DemoState>>) -> Response {
    let body = json!({
        "emulator": state.emulator,
        "issuer": format!("{}/oauth2/default", state.emulator),
        "clientId": "0oa-demo-spa",
        "proxyIssuerPath": "/okta/oauth2/default",
    });
    crate::errors::json_response(StatusCode::OK, &body)
}

/// Content types the browser insists on for modules and wasm streaming compilation.
async fn mime_fixup(req: Request, next: Next) -> Response {
    let path = req.uri().path().to_string();
    let mut resp = next.run(req).await;
    if resp.status().is_success() {
        let ct = if path.ends_with(".wasm") {
            Some("application/wasm")
        } else if path.ends_with(".js") || path.ends_with(".mjs") {
            Some("text/javascript")
        } else {
            None
        };
        if let Some(ct) = ct {
            resp.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(ct));
        }
    }
    resp
}

const FORWARD_REQUEST: &[header::HeaderName] = &[header::CONTENT_TYPE, header::ACCEPT, header::AUTHORIZATION];
const FORWARD_RESPONSE: &[&str] =
    &["content-type", "cache-control", "pragma", "www-authenticate", "x-rate-limit-limit", "x-rate-limit-remaining", "x-rate-limit-reset"];

async fn proxy(State(state): State<Arc<DemoState>>, req: Request) -> Response {
    let path = req.uri().path().strip_prefix("/okta").unwrap_or("/").to_string();
    let query = req.uri().query().map(|q| format!("?{q}")).unwrap_or_default();
    let url = format!("{}{}{}", state.emulator, path, query);
    let method = match reqwest::Method::from_bytes(req.method().as_str().as_bytes()) {
        Ok(m) => m,
        Err(_) => return StatusCode::METHOD_NOT_ALLOWED.into_response(),
    };
    let (parts, body) = req.into_parts();
    let bytes = match axum::body::to_bytes(body, PROXY_MAX_BODY).await {
        Ok(b) => b,
        Err(_) => return (StatusCode::PAYLOAD_TOO_LARGE, "request body too large").into_response(),
    };
    // The Origin header (and cookies, and everything else) is deliberately not forwarded.
    let mut out = state.client.request(method, &url);
    for name in FORWARD_REQUEST {
        if let Some(v) = parts.headers.get(name).and_then(|v| v.to_str().ok()) {
            out = out.header(name.as_str(), v);
        }
    }
    let upstream = match out.body(bytes.to_vec()).send().await {
        Ok(r) => r,
        Err(e) => return (StatusCode::BAD_GATEWAY, format!("okta-demo-server: the emulator did not answer: {e}")).into_response(),
    };
    let status = StatusCode::from_u16(upstream.status().as_u16()).unwrap_or(StatusCode::BAD_GATEWAY);
    let mut headers = Vec::new();
    for name in FORWARD_RESPONSE {
        if let Some(v) = upstream.headers().get(*name) {
            if let Ok(v) = HeaderValue::from_bytes(v.as_bytes()) {
                headers.push((*name, v));
            }
        }
    }
    let body = match upstream.bytes().await {
        Ok(b) => b,
        Err(e) => return (StatusCode::BAD_GATEWAY, format!("okta-demo-server: the emulator's answer broke off: {e}")).into_response(),
    };
    let mut resp = Response::new(Body::from(body));
    *resp.status_mut() = status;
    for (name, v) in headers {
        if let Ok(n) = header::HeaderName::from_bytes(name.as_bytes()) {
            resp.headers_mut().insert(n, v);
        }
    }
    resp
}

/// Serves the demo on `listener` until `shutdown` resolves.
pub async fn serve(
    listener: tokio::net::TcpListener,
    cfg: DemoConfig,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, router(&cfg)).with_graceful_shutdown(shutdown).await
}
