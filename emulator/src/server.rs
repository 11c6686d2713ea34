//! Wiring: configuration, shared state, the router and the accept loop.

use crate::clock::Clock;
use crate::errors::OktaApiError;
use crate::faults::{ConnDrop, Fault};
use crate::keys::SigningKey;
use crate::reqlog::RequestLog;
use crate::seed::{ClientSeed, Seed, ServerSeed, UserSeed};
use crate::store::Store;
use axum::extract::Request;
use axum::response::IntoResponse;
use axum::routing::{get, post};
use axum::Router;
use hyper_util::rt::{TokioIo, TokioTimer};
use rsa::RsaPrivateKey;
use std::collections::HashMap;
use std::future::Future;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::sync::{oneshot, Notify};
use tower::ServiceExt;

/// Everything the emulator can be configured with (the CLI maps onto this one to one).
#[derive(Clone)]
pub struct Config {
    /// Base URL used as the org issuer; defaults to `http://<bound address>`.
    pub public_url: Option<String>,
    pub seed: Seed,
    /// Signing key; a fresh 2048-bit key is generated when absent.
    pub key: Option<RsaPrivateKey>,
    pub trusted_origins: Vec<String>,
    pub emulator_api: bool,
    pub okta_browser_rules: bool,
    pub oob_lifetime: u64,
    pub mfa_token_lifetime: u64,
    pub interval: u64,
    pub access_token_lifetime: u64,
    pub clock_offset: i64,
    pub slow_ms: u64,
    pub rate_limit_per_minute: u32,
    pub lockout_after: u32,
    pub lockout_secs: u64,
    /// One line per request on stderr.
    pub log_requests: bool,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            public_url: None,
            seed: Seed::default_seed(),
            key: None,
            trusted_origins: Vec::new(),
            emulator_api: true,
            okta_browser_rules: false,
            oob_lifetime: 300,
            mfa_token_lifetime: 300,
            interval: 5,
            access_token_lifetime: 3600,
            clock_offset: 0,
            slow_ms: 10_000,
            rate_limit_per_minute: 600,
            lockout_after: 5,
            lockout_secs: 300,
            log_requests: true,
        }
    }
}

pub struct AppState {
    pub config: Config,
    pub base_url: String,
    pub key: SigningKey,
    pub clock: Clock,
    /// Lower-cased login → user.
    pub users: HashMap<String, UserSeed>,
    pub clients: HashMap<String, ClientSeed>,
    /// Custom servers by id (`default` always present).
    pub servers: HashMap<String, ServerSeed>,
    pub store: Mutex<Store>,
    pub faults: Mutex<Vec<Fault>>,
    pub log: Mutex<RequestLog>,
}

/// The authorization server a request addressed.
#[derive(Debug, Clone)]
pub struct AuthServer {
    /// `"org"` or the custom id.
    pub key: String,
    pub issuer: String,
    /// Base of the endpoints: `{issuer}/v1` (custom) or `{base}/oauth2/v1` (org).
    pub endpoint_base: String,
    pub audience: String,
    pub custom_scopes: Vec<String>,
}

impl AppState {
    pub fn user(&self, login: &str) -> Option<&UserSeed> {
        self.users.get(&login.to_ascii_lowercase())
    }

    /// Resolves the authorization server from a request path
    /// (`/oauth2/v1/…` → org, `/oauth2/{id}/…` → custom).
    pub fn server_for_path(&self, path: &str) -> Result<AuthServer, OktaApiError> {
        let rest = path.strip_prefix("/oauth2/").unwrap_or("");
        let id = rest.split('/').next().unwrap_or("");
        if path.starts_with("/.well-known/") || id == "v1" {
            return Ok(AuthServer {
                key: "org".into(),
                issuer: self.base_url.clone(),
                endpoint_base: format!("{}/oauth2/v1", self.base_url),
                audience: self.base_url.clone(),
                custom_scopes: Vec::new(),
            });
        }
        match self.servers.get(id) {
            Some(s) => {
                let issuer = format!("{}/oauth2/{}", self.base_url, s.id);
                Ok(AuthServer {
                    key: s.id.clone(),
                    endpoint_base: format!("{issuer}/v1"),
                    issuer,
                    audience: s.audience.clone().unwrap_or_else(|| format!("api://{}", s.id)),
                    custom_scopes: s.scopes.clone(),
                })
            }
            None => Err(OktaApiError::not_found(id, "AuthorizationServer")),
        }
    }

    pub fn server_by_key(&self, key: &str) -> Result<AuthServer, OktaApiError> {
        if key == "org" {
            self.server_for_path("/oauth2/v1/")
        } else {
            self.server_for_path(&format!("/oauth2/{key}/"))
        }
    }
}

#[derive(Debug)]
pub struct StartError(pub String);

impl std::fmt::Display for StartError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for StartError {}

pub fn build_state(config: Config, addr: SocketAddr) -> Result<Arc<AppState>, StartError> {
    let base_url = match &config.public_url {
        Some(u) => u.trim_end_matches('/').to_string(),
        None => {
            let host = if addr.ip().is_unspecified() { "127.0.0.1".to_string() } else { addr.ip().to_string() };
            let host = if addr.is_ipv6() && !addr.ip().is_unspecified() { format!("[{host}]") } else { host };
            format!("http://{host}:{}", addr.port())
        }
    };
    let rsa_key = match &config.key {
        Some(k) => k.clone(),
        None => crate::keys::generate_rsa_key().map_err(|e| StartError(e.to_string()))?,
    };
    let users = config.seed.users.iter().map(|u| (u.login.to_ascii_lowercase(), u.clone())).collect();
    let clients = config.seed.clients.iter().map(|c| (c.client_id.clone(), c.clone())).collect();
    let mut servers: HashMap<String, ServerSeed> = config.seed.authorization_servers.iter().map(|s| (s.id.clone(), s.clone())).collect();
    servers.entry("default".into()).or_insert(ServerSeed {
        id: "default".into(),
        audience: Some("api://default".into()),
        scopes: Vec::new(),
    });
    Ok(Arc::new(AppState {
        clock: Clock::new(config.clock_offset),
        base_url,
        key: SigningKey::new(rsa_key),
        users,
        clients,
        servers,
        store: Mutex::new(Store::default()),
        faults: Mutex::new(Vec::new()),
        log: Mutex::new(RequestLog::default()),
        config,
    }))
}

fn as_endpoints() -> Router<Arc<AppState>> {
    use crate::endpoints::{challenge, discovery, primary, session, token};
    Router::new()
        .route("/token", post(token::token))
        .route("/primary-authenticate", post(primary::primary_authenticate))
        .route("/oob-authenticate", post(primary::oob_authenticate))
        .route("/challenge", post(challenge::challenge))
        .route("/keys", get(discovery::keys))
        .route("/userinfo", get(session::userinfo))
        .route("/revoke", post(session::revoke))
}

pub fn router(state: Arc<AppState>) -> Router {
    use crate::endpoints::discovery;
    let app = Router::new()
        .route("/.well-known/openid-configuration", get(discovery::openid_configuration))
        .route("/oauth2/{server}/.well-known/openid-configuration", get(discovery::openid_configuration))
        .route("/oauth2/{server}/.well-known/oauth-authorization-server", get(discovery::oauth_metadata))
        .nest("/oauth2/v1", as_endpoints())
        .nest("/oauth2/{server}/v1", as_endpoints())
        .nest("/__emulator", crate::emulator_api::router())
        .fallback(fallback)
        .method_not_allowed_fallback(|| async { OktaApiError::method_not_allowed().into_response() });
    app.layer(axum::middleware::from_fn_with_state(state.clone(), crate::faults::middleware))
        .layer(axum::middleware::from_fn_with_state(state.clone(), crate::cors::middleware))
        .layer(axum::middleware::from_fn_with_state(state.clone(), crate::reqlog::middleware))
        .with_state(state)
}

async fn fallback(axum::extract::State(state): axum::extract::State<Arc<AppState>>, req: Request) -> axum::response::Response {
    let path = req.uri().path();
    if path.starts_with("/oauth2/") {
        if let Err(e) = state.server_for_path(path) {
            return e.into_response();
        }
    }
    OktaApiError::not_found(path, "Resource").into_response()
}

/// A running emulator. Dropping it leaves the server running until the runtime ends;
/// call [`RunningEmulator::shutdown`] to stop accepting connections.
pub struct RunningEmulator {
    pub addr: SocketAddr,
    pub base_url: String,
    pub state: Arc<AppState>,
    shutdown: Option<oneshot::Sender<()>>,
    pub task: tokio::task::JoinHandle<()>,
}

impl RunningEmulator {
    pub fn shutdown(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }
}

/// Starts the emulator on `listener` (bind port 0 for a free port) and returns at once.
pub async fn start(listener: TcpListener, config: Config) -> Result<RunningEmulator, StartError> {
    let addr = listener.local_addr().map_err(|e| StartError(e.to_string()))?;
    let state = tokio::task::spawn_blocking(move || build_state(config, addr)).await.map_err(|e| StartError(e.to_string()))??;
    let app = router(state.clone());
    let (tx, rx) = oneshot::channel::<()>();
    let task = tokio::spawn(serve_loop(listener, app, async {
        let _ = rx.await;
    }));
    Ok(RunningEmulator { addr, base_url: state.base_url.clone(), state, shutdown: Some(tx), task })
}

/// Serves `app` on `listener` until `shutdown` resolves. HTTP/1.1; each connection may be
/// closed from inside a handler (the `drop` fault).
pub async fn serve_loop(listener: TcpListener, app: Router, shutdown: impl Future<Output = ()>) {
    tokio::pin!(shutdown);
    loop {
        let accepted = tokio::select! {
            a = listener.accept() => a,
            _ = &mut shutdown => break,
        };
        let (stream, _) = match accepted {
            Ok(s) => s,
            Err(_) => {
                // Out of file descriptors and the like: back off instead of spinning.
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
        };
        let app = app.clone();
        tokio::spawn(async move {
            let dropper = Arc::new(Notify::new());
            let d = dropper.clone();
            let svc = hyper::service::service_fn(move |mut req: hyper::Request<hyper::body::Incoming>| {
                req.extensions_mut().insert(ConnDrop(d.clone()));
                app.clone().oneshot(req.map(axum::body::Body::new))
            });
            let conn = hyper::server::conn::http1::Builder::new()
                .timer(TokioTimer::new())
                .header_read_timeout(Duration::from_secs(30))
                .serve_connection(TokioIo::new(stream), svc);
            tokio::select! {
                _ = conn => {}
                _ = dropper.notified() => {}
            }
        });
    }
}
