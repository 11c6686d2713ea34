//! The in-memory request log behind `GET /__emulator/requests` (the middleware that fills it
//! and prints one line per request is `layers::reqlog`). Never records secrets: only method, path (without query),
//! client_id, grant_type, login, status and the `error` value.

use serde::Serialize;
use std::collections::VecDeque;

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
