//! Fault injection for tests (`POST /__emulator/faults`): the next N matching requests fail
//! the chosen way.

use crate::errors::{LoggedError, OAuthError, OktaApiError};
use crate::form::read_body;
use crate::server::AppState;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
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
}

fn one() -> u32 {
    1
}

/// Lets a handler close the underlying connection (the `drop` fault).
#[derive(Clone)]
pub struct ConnDrop(pub Arc<Notify>);

pub const HTML_502: &str = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n";
pub const TRUNCATED_JSON: &str = r#"{"token_type":"Bearer","expires_in":3600,"access_token":"eyJraWQiOiJ"#;

fn client_id_of(req_query: Option<&str>, body: &[u8]) -> Option<String> {
    let from = |bytes: &[u8]| form_urlencoded::parse(bytes).find(|(k, _)| k == "client_id").map(|(_, v)| v.to_string());
    from(body).or_else(|| req_query.and_then(|q| from(q.as_bytes())))
}

pub async fn middleware(State(state): State<Arc<AppState>>, req: Request, next: Next) -> Response {
    if crate::cors::is_emulator_api(req.uri().path()) || req.method() == Method::OPTIONS {
        return next.run(req).await;
    }
    let wants_client = match state.faults.lock() {
        Ok(f) if !f.is_empty() => Some(f.iter().any(|f| f.client_id.is_some())),
        _ => None,
    };
    let Some(wants_client) = wants_client else {
        return next.run(req).await;
    };
    let path = req.uri().path().to_string();
    let (parts, body) = req.into_parts();
    let (body, client_id) = if wants_client {
        match read_body(&parts.headers, body).await {
            Ok(b) => {
                let c = client_id_of(parts.uri.query(), &b);
                (Body::from(b), c)
            }
            Err(e) => return OAuthError::from(e).into_response(),
        }
    } else {
        (body, None)
    };
    let fault = {
        let Ok(mut faults) = state.faults.lock() else {
            return OktaApiError::internal().into_response();
        };
        let idx = faults.iter().position(|f| {
            f.count > 0
                && f.path.as_deref().map(|p| path.ends_with(p)).unwrap_or(true)
                && f.client_id.as_ref().map(|c| Some(c) == client_id.as_ref()).unwrap_or(true)
        });
        idx.map(|i| {
            faults[i].count -= 1;
            if faults[i].count == 0 {
                faults.remove(i)
            } else {
                faults[i].clone()
            }
        })
    };
    let req = Request::from_parts(parts, body);
    match fault {
        None => next.run(req).await,
        Some(fault) => apply(&state, &fault, req, next).await,
    }
}

async fn apply(state: &AppState, fault: &Fault, req: Request, next: Next) -> Response {
    let mode = fault.mode;
    let mut resp = match mode {
        FaultMode::ServerError => OktaApiError::internal().into_response(),
        FaultMode::Html => {
            let mut r = (StatusCode::BAD_GATEWAY, HTML_502).into_response();
            r.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html"));
            r
        }
        FaultMode::TruncatedJson => {
            let mut r = (StatusCode::OK, TRUNCATED_JSON).into_response();
            r.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(crate::errors::JSON));
            r
        }
        FaultMode::Slow => {
            tokio::time::sleep(std::time::Duration::from_millis(state.config.slow_ms)).await;
            return next.run(req).await;
        }
        FaultMode::Drop => {
            if let Some(d) = req.extensions().get::<ConnDrop>() {
                d.0.notify_one();
                std::future::pending::<()>().await;
            }
            StatusCode::BAD_GATEWAY.into_response()
        }
        FaultMode::RateLimit => {
            let mut r = OAuthError::rate_limited().into_response();
            let reset = state.clock.now_secs() + fault.reset_in_seconds.unwrap_or(60);
            let limit = state.config.rate_limit_per_minute;
            crate::endpoints::set_rate_headers(r.headers_mut(), limit, 0, reset);
            r
        }
    };
    resp.extensions_mut().insert(LoggedError(format!("fault:{}", mode_name(mode))));
    resp
}

pub fn mode_name(m: FaultMode) -> &'static str {
    match m {
        FaultMode::ServerError => "server_error",
        FaultMode::Html => "html",
        FaultMode::TruncatedJson => "truncated_json",
        FaultMode::Slow => "slow",
        FaultMode::Drop => "drop",
        FaultMode::RateLimit => "rate_limit",
    }
}
