//! okta-direct-auth-proxy: a hardened same-origin proxy for Okta Direct Authentication, as an
//! axum [`Router`] a Rust service mounts and as a binary. See `proxy/README.md` for the rules,
//! the configuration and the contracts the SDK relies on.
//!
//! ```no_run
//! # async fn f() -> Result<(), Box<dyn std::error::Error>> {
//! let toml = r#"
//!     upstream = "https://example.okta.com"
//!     authorization_servers = ["default"]
//!     client_ids = ["0oa1example"]
//!     app_origins = ["https://app.example.com"]
//!     custody.key = "base64 of 32 random bytes ...."
//! "#;
//! let config = okta_direct_auth_proxy::ProxyConfig::from_toml_and_env(toml, std::env::vars())?;
//! let app = axum::Router::new().merge(okta_direct_auth_proxy::router(config)?);
//! let listener = tokio::net::TcpListener::bind("127.0.0.1:8080").await?;
//! // The proxy needs the peer address (rate limits, X-Forwarded-For).
//! axum::serve(listener, app.into_make_service_with_connect_info::<std::net::SocketAddr>()).await?;
//! # Ok(()) }
//! ```

mod client_auth;
mod client_ip;
pub mod config;
mod cors;
mod custody;
mod errors;
mod form;
mod handler;
pub mod log;
mod origin;
pub mod probe;
mod ratelimit;
pub mod secret;
mod settings;
pub mod shutdown;
mod surface;
mod upstream;

pub use config::{ConfigError, ProxyConfig};
pub use handler::{CUSTODY_HEADER, CUSTODY_MEMBER};
pub use log::LogSink;

use axum::routing::{any, get};
use axum::Router;
use std::sync::Arc;

/// The proxy's routes, all under the configured mount: the forwarded surface,
/// `{mount}/session/end` (sign-out) and `{mount}/healthz`. Merge it into the service's router
/// (its paths already carry the mount; do not `nest` it) and serve with
/// `into_make_service_with_connect_info::<SocketAddr>()`.
pub fn router(config: ProxyConfig) -> Result<Router, ConfigError> {
    let s = settings::Settings::from_config(config)?;
    let http = upstream::client(&s).map_err(ConfigError)?;
    let per_ip = ratelimit::Limiter::new(s.per_ip_per_minute, s.max_tracked);
    let per_username = ratelimit::Limiter::new(s.per_username_per_minute, s.max_tracked);
    let mount = s.mount.clone();
    let cors = s.same_site.then(|| Arc::new(cors::Cors { origins: s.origins.clone() }));
    let proxy = Arc::new(handler::Proxy { s, http, per_ip, per_username });
    let router = Router::new()
        .route(&format!("{mount}/healthz"), get(handler::healthz))
        .route(&format!("{mount}/session/end"), any(handler::sign_out))
        .route(&format!("{mount}/{{*rest}}"), any(handler::handle))
        .route(&mount, any(handler::handle))
        .route(&format!("{mount}/"), any(handler::handle))
        .with_state(proxy);
    Ok(match cors {
        // Sibling app origins: CORS for exactly them (`same_site_app_origins`).
        Some(cors) => router.layer(axum::middleware::from_fn_with_state(cors, cors::layer)),
        None => router,
    })
}

/// `GET /healthz` for the binary's root: `{"status":"ok"}`.
pub async fn healthz() -> axum::response::Response {
    handler::healthz().await
}

/// For the crate's own tests (an expired cookie cannot be waited for): seals a custody cookie
/// value as the proxy would. Not part of the API.
#[doc(hidden)]
pub mod testing {
    pub fn seal_cookie(key_base64: &str, server: &str, client_id: &str, refresh_token: &str, expires_at: u64) -> Option<String> {
        let keys = crate::custody::CustodyKeys::new(&crate::secret::Secret::new(key_base64), &[]).ok()?;
        keys.seal(server, client_id, refresh_token, expires_at)
    }
}
