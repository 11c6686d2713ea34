//! One JSON line per request, without secrets: what was asked (endpoint, client, grant), of
//! whom (authorization server, client IP), what came of it (status, upstream status, the
//! proxy's reason when it refused) and how long it took. Never a form value other than
//! `client_id`, `grant_type` and `token_type_hint`, never a header value, never a cookie.

use serde_json::{Map, Value};
use std::io::Write;
use std::sync::Arc;

/// Where the log lines go.
#[derive(Clone)]
pub struct LogSink(Arc<dyn Fn(&str) + Send + Sync>);

impl LogSink {
    pub fn new(f: impl Fn(&str) + Send + Sync + 'static) -> Self {
        LogSink(Arc::new(f))
    }

    /// One line per request on stderr.
    pub fn stderr() -> Self {
        LogSink::new(|line| {
            let _ = writeln!(std::io::stderr().lock(), "{line}");
        })
    }

    pub fn write(&self, line: &str) {
        (self.0)(line)
    }
}

impl std::fmt::Debug for LogSink {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("LogSink")
    }
}

/// The fields of one request's line, filled in as the request goes along.
#[derive(Default, Debug)]
pub struct LogLine {
    pub method: String,
    pub path: String,
    pub client_ip: Option<String>,
    pub auth_server: Option<String>,
    pub endpoint: Option<&'static str>,
    pub client_id: Option<String>,
    pub grant_type: Option<String>,
    pub token_type_hint: Option<String>,
    pub status: u16,
    pub upstream_status: Option<u16>,
    pub reason: Option<&'static str>,
    pub custody: Option<&'static str>,
    pub duration_ms: u128,
}

impl LogLine {
    pub fn render(&self) -> String {
        let mut m = Map::new();
        let now_ms = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_millis()).unwrap_or(0);
        m.insert("ts_ms".into(), Value::from(now_ms as u64));
        m.insert("msg".into(), Value::from("okta-direct-auth-proxy request"));
        m.insert("method".into(), Value::from(self.method.clone()));
        m.insert("path".into(), Value::from(self.path.clone()));
        let opt = |m: &mut Map<String, Value>, k: &str, v: Option<String>| {
            if let Some(v) = v {
                m.insert(k.into(), Value::from(v));
            }
        };
        opt(&mut m, "client_ip", self.client_ip.clone());
        opt(&mut m, "auth_server", self.auth_server.clone());
        opt(&mut m, "endpoint", self.endpoint.map(str::to_owned));
        opt(&mut m, "client_id", self.client_id.clone());
        opt(&mut m, "grant_type", self.grant_type.clone());
        opt(&mut m, "token_type_hint", self.token_type_hint.clone());
        m.insert("status".into(), Value::from(self.status));
        if let Some(s) = self.upstream_status {
            m.insert("upstream_status".into(), Value::from(s));
        }
        opt(&mut m, "reason", self.reason.map(str::to_owned));
        opt(&mut m, "custody", self.custody.map(str::to_owned));
        m.insert("duration_ms".into(), Value::from(self.duration_ms as u64));
        Value::Object(m).to_string()
    }
}
