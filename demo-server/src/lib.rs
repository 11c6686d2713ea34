//! `okta-demo-server`: the demo page (`www/`) at `/`, the npm package at `/pkg/`,
//! `GET /demo-config.json`, and okta-direct-auth-proxy mounted at `/okta` in front of the
//! emulator — the deployment the README recommends, run locally.

use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use base64::Engine;
use okta_direct_auth_proxy::config::{ClientAuthMethod, ProxyConfig};
use okta_direct_auth_proxy::secret::Secret;
use rand::RngCore;
use serde_json::json;
use std::path::PathBuf;
use std::sync::Arc;
use tower_http::services::ServeDir;

/// Where the proxy is mounted; the page's proxy URL is this plus the issuer's path.
pub const MOUNT: &str = "/okta";
/// The emulator seed's public clients (every one the demo or the tests may use).
pub const CLIENT_IDS: &[&str] = &[
    "0oa-demo-spa",
    "0oa-short-lived",
    "0oa-slow-down",
    "0oa-no-direct-auth",
    "0oa-password-only",
    "0oa-passkey-uv",
    "0oa-passkey-okta-rp",
    "0oa-passkey-okta-shape",
    "0oa-passkey-appid",
];
/// The emulator's authorization servers.
pub const AUTHORIZATION_SERVERS: &[&str] = &["org", "default", "aus-demo-custom"];

#[derive(Clone, Debug)]
pub struct DemoConfig {
    pub www: PathBuf,
    pub pkg: PathBuf,
    /// The emulator's base URL, e.g. `http://127.0.0.1:8081`.
    pub emulator: String,
    /// The port the page is served on: the proxy's app origins are
    /// `http://127.0.0.1:{port}` and `http://localhost:{port}`.
    pub port: u16,
    /// Refresh-token custody in the proxy (`cargo xtask demo` turns it on).
    pub custody: bool,
}

struct DemoState {
    emulator: String,
    custody: bool,
}

/// The proxy's configuration for the demo: the emulator upstream, its servers and public
/// clients, the page's two origins, limits loose enough for the end-to-end tests, and (with
/// custody) a key made up at start (one instance, so nothing needs to share it).
pub fn proxy_config(cfg: &DemoConfig) -> ProxyConfig {
    let mut c = ProxyConfig {
        mount: MOUNT.into(),
        upstream: cfg.emulator.trim_end_matches('/').to_owned(),
        authorization_servers: AUTHORIZATION_SERVERS.iter().map(|s| (*s).to_owned()).collect(),
        client_ids: CLIENT_IDS.iter().map(|s| (*s).to_owned()).collect(),
        app_origins: vec![format!("http://127.0.0.1:{}", cfg.port), format!("http://localhost:{}", cfg.port)],
        upstream_timeout_ms: 30_000,
        ..Default::default()
    };
    c.rate_limit.per_ip_per_minute = 3000;
    c.rate_limit.per_username_per_minute = 60;
    c.rate_limit.max_tracked = 10_000;
    c.client_auth.method = ClientAuthMethod::None;
    c.custody.enabled = cfg.custody;
    if cfg.custody {
        let mut key = [0u8; 32];
        rand::rngs::OsRng.fill_bytes(&mut key);
        c.custody.key = Some(Secret::new(base64::engine::general_purpose::STANDARD.encode(key)));
    }
    c
}

pub fn router(cfg: &DemoConfig) -> Result<Router, okta_direct_auth_proxy::ConfigError> {
    let proxy = okta_direct_auth_proxy::router(proxy_config(cfg))?;
    let state = Arc::new(DemoState { emulator: cfg.emulator.trim_end_matches('/').to_owned(), custody: cfg.custody });
    let site = Router::new()
        .route("/demo-config.json", get(demo_config))
        .nest_service("/pkg", ServeDir::new(&cfg.pkg))
        .fallback_service(ServeDir::new(&cfg.www))
        .layer(axum::middleware::from_fn(mime_fixup))
        .with_state(state);
    Ok(site.merge(proxy))
}

async fn demo_config(State(state): State<Arc<DemoState>>) -> Response {
    let body = json!({
        "emulator": state.emulator,
        "issuer": format!("{}/oauth2/default", state.emulator),
        "clientId": "0oa-demo-spa",
        "proxyIssuerPath": format!("{MOUNT}/oauth2/default"),
        "proxyCustody": state.custody,
    });
    let mut resp = Response::new(axum::body::Body::from(body.to_string()));
    *resp.status_mut() = StatusCode::OK;
    resp.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    resp.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    resp
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

/// Serves the demo on `listener` until `shutdown` resolves.
pub async fn serve(
    listener: tokio::net::TcpListener,
    cfg: DemoConfig,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let app = router(&cfg).map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidInput, e.to_string()))?;
    axum::serve(listener, app.into_make_service_with_connect_info::<std::net::SocketAddr>()).with_graceful_shutdown(shutdown).await
}

/// Resolves on SIGINT or SIGTERM (the proxy crate's, so the two binaries stop alike).
pub use okta_direct_auth_proxy::shutdown::shutdown_signal;
