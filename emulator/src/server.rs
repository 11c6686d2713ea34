//! Wiring: the router (endpoints, the `/__emulator/` API and the middleware layers) and the
//! accept loop. Configuration and state live in `state`.

use crate::errors::OktaApiError;
use crate::faults::ConnDrop;
use crate::state::{build_state, AppState, Config, StartError};
use axum::extract::Request;
use axum::response::IntoResponse;
use axum::routing::{get, post};
use axum::Router;
use hyper_util::rt::{TokioIo, TokioTimer};
use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::sync::{oneshot, Notify};
use tower::ServiceExt;

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
        .route("/idp/myaccount/password", axum::routing::put(crate::endpoints::myaccount::replace_password))
        .nest("/__emulator", crate::emulator_api::router())
        .fallback(fallback)
        .method_not_allowed_fallback(|| async { OktaApiError::method_not_allowed().into_response() });
    app.layer(axum::middleware::from_fn_with_state(state.clone(), crate::layers::faults::middleware))
        .layer(axum::middleware::from_fn_with_state(state.clone(), crate::layers::cors::middleware))
        .layer(axum::middleware::from_fn_with_state(state.clone(), crate::layers::reqlog::middleware))
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
