//! One log line per request on stderr, and the in-memory request log behind
//! `GET /__emulator/requests`. Never records secrets: only method, path (without query),
//! client_id, grant_type, login, status and the `error` value.

use crate::errors::LoggedError;
use crate::server::AppState;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;
use serde::Serialize;
use std::collections::VecDeque;
use std::io::Write;
use std::sync::Arc;

/// Who and what a request was about, set by handlers as a response extension.
#[derive(Debug, Clone, Default)]
pub struct ReqInfo {
    pub client_id: Option<String>,
    pub grant_type: Option<String>,
    pub login: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LogEntry {
    pub seq: u64,
    pub at: i64,
    pub method: String,
    pub path: String,
    pub client_id: Option<String>,
    pub grant_type: Option<String>,
    pub login: Option<String>,
    pub status: u16,
    pub error: Option<String>,
}

#[derive(Debug, Default)]
pub struct RequestLog {
    pub seq: u64,
    pub entries: VecDeque<LogEntry>,
}

const KEEP: usize = 2000;

impl RequestLog {
    pub fn push(&mut self, mut e: LogEntry) -> LogEntry {
        self.seq += 1;
        e.seq = self.seq;
        self.entries.push_back(e.clone());
        while self.entries.len() > KEEP {
            self.entries.pop_front();
        }
        e
    }

    pub fn since(&self, seq: u64) -> Vec<LogEntry> {
        self.entries.iter().filter(|e| e.seq > seq).cloned().collect()
    }

    pub fn clear(&mut self) {
        self.entries.clear();
    }
}

pub async fn middleware(State(state): State<Arc<AppState>>, req: Request, next: Next) -> Response {
    let method = req.method().to_string();
    let path = req.uri().path().to_string();
    let resp = next.run(req).await;
    // The emulator API's own traffic (the demo phone polls it) stays out of the log.
    if crate::cors::is_emulator_api(&path) {
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
