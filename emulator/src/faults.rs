//! Fault injection for tests (`POST /__emulator/faults`): the next N matching requests fail
//! the chosen way. What a fault is; `layers::faults` applies them.

use serde::{Deserialize, Serialize};
use std::sync::Arc;
use tokio::sync::Notify;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FaultMode {
    /// 500 in the Okta API error form (E0000009).
    ServerError,
    /// 502 `text/html` page, as a proxy in front of Okta would send.
    Html,
    /// 200 `application/json` whose body stops mid-way.
    TruncatedJson,
    /// The normal answer, after `--slow-ms`.
    Slow,
    /// The connection is closed with no response.
    Drop,
    /// 429 with X-Rate-Limit-* headers.
    RateLimit,
    /// A redirect (307 by default, or `status`) to `location` (the emulator's
    /// `/__emulator/redirect-sink` by default), as a misconfigured proxy would send.
    Redirect,
    /// 500 (or `status`) in the OAuth form: `{"error":"server_error", …}`.
    OauthServerError,
    /// 503 (or `status`; Okta's catalogue lists it as 400) in the OAuth form:
    /// `{"error":"temporarily_unavailable", …}`.
    TemporarilyUnavailable,
}

impl FaultMode {
    /// The status a fault of this mode answers with when the fault names none.
    pub fn default_status(self) -> Option<u16> {
        match self {
            FaultMode::Redirect => Some(307),
            FaultMode::OauthServerError => Some(500),
            FaultMode::TemporarilyUnavailable => Some(503),
            _ => None,
        }
    }

    /// Which `status` values a fault of this mode may set (`None`: it takes none).
    pub fn allows_status(self, status: u16) -> Option<bool> {
        match self {
            FaultMode::Redirect => Some(matches!(status, 301 | 302 | 303 | 307 | 308)),
            FaultMode::OauthServerError | FaultMode::TemporarilyUnavailable => Some((400..=599).contains(&status)),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Fault {
    pub mode: FaultMode,
    #[serde(default = "one")]
    pub count: u32,
    /// Suffix of the request path (`/token` matches every server's token endpoint).
    #[serde(default)]
    pub path: Option<String>,
    #[serde(default)]
    pub client_id: Option<String>,
    /// `rate_limit` only: `X-Rate-Limit-Reset` is this many seconds from the emulator's clock
    /// (Okta's windows are a minute: 60 when absent).
    #[serde(default)]
    pub reset_in_seconds: Option<i64>,
    /// `redirect`, `oauth_server_error`, `temporarily_unavailable`: the HTTP status.
    #[serde(default)]
    pub status: Option<u16>,
    /// `redirect` only: the `Location` (absolute or relative).
    #[serde(default)]
    pub location: Option<String>,
}

fn one() -> u32 {
    1
}

/// Lets a handler close the underlying connection (the `drop` fault).
#[derive(Clone)]
pub struct ConnDrop(pub Arc<Notify>);

pub const HTML_502: &str = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n";
pub const TRUNCATED_JSON: &str = r#"{"token_type":"Bearer","expires_in":3600,"access_token":"eyJraWQiOiJ"#;

pub fn mode_name(m: FaultMode) -> &'static str {
    match m {
        FaultMode::ServerError => "server_error",
        FaultMode::Html => "html",
        FaultMode::TruncatedJson => "truncated_json",
        FaultMode::Slow => "slow",
        FaultMode::Drop => "drop",
        FaultMode::RateLimit => "rate_limit",
        FaultMode::Redirect => "redirect",
        FaultMode::OauthServerError => "oauth_server_error",
        FaultMode::TemporarilyUnavailable => "temporarily_unavailable",
    }
}
