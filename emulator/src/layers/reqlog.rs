//! One log line per request on stderr, and the entry in the in-memory request log. Never
//! records secrets: only method, path (without query), client_id, grant_type, login, status
//! and the `error` value.

use crate::errors::LoggedError;
use crate::reqlog::{LogEntry, ReqInfo};
use crate::state::AppState;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;
use std::io::Write;
use std::sync::Arc;

pub async fn middleware(State(state): State<Arc<AppState>>, req: Request, next: Next) -> Response {
    let method = req.method().to_string();
    let path = req.uri().path().to_string();
    let resp = next.run(req).await;
    // The emulator API's own traffic (the demo phone polls it) stays out of the log.
    if crate::layers::cors::is_emulator_api(&path) {
        return resp;
    }
    let info = resp.extensions().get::<ReqInfo>().cloned().unwrap_or_default();
    let error = resp.extensions().get::<LoggedError>().map(|e| e.0.clone());
    let entry = LogEntry {
        seq: 0,
        at: state.clock.now_ms(),
        method,
        path,
        client_id: info.client_id,
        grant_type: info.grant_type,
        login: info.login,
        status: resp.status().as_u16(),
        error,
    };
    let entry = match state.log.lock() {
        Ok(mut log) => log.push(entry),
        Err(_) => entry,
    };
    if state.config.log_requests {
        let mut line = format!("okta-emulator: {} {} {}", entry.method, entry.path, entry.status);
        for (k, v) in [("client_id", &entry.client_id), ("grant_type", &entry.grant_type), ("login", &entry.login), ("error", &entry.error)]
        {
            if let Some(v) = v {
                line.push_str(&format!(" {k}={v}"));
            }
        }
        let _ = writeln!(std::io::stderr(), "{line}");
    }
    resp
}
