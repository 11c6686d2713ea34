//! `/__emulator/redirect-sink`: the default target of the `redirect` fault. It records that
//! something arrived (method, path, content type, body size, `Origin`), never what: a test
//! shows a redirected password or OTP went nowhere by finding no hit.

use super::{internal, ok};
use crate::state::AppState;
use crate::store::{RedirectHit, MAX_REDIRECT_HITS};
use axum::extract::{OriginalUri, Request, State};
use axum::http::header;
use axum::response::Response;
use http_body_util::BodyExt;
use serde_json::json;
use std::sync::Arc;

/// The most body bytes counted; the rest is not read.
const MAX_COUNTED: usize = 64 * 1024;

pub async fn record(State(state): State<Arc<AppState>>, uri: OriginalUri, req: Request) -> Response {
    let (parts, body) = req.into_parts();
    let text = |name: header::HeaderName| parts.headers.get(name).and_then(|v| v.to_str().ok()).map(str::to_string);
    let limited = http_body_util::Limited::new(body, MAX_COUNTED);
    let body_bytes = limited.collect().await.map(|c| c.to_bytes().len()).unwrap_or(MAX_COUNTED);
    let hit = RedirectHit {
        at: state.clock.now_ms(),
        method: parts.method.to_string(),
        path: uri.path().to_string(),
        content_type: text(header::CONTENT_TYPE),
        body_bytes,
        origin: text(header::ORIGIN),
    };
    let Ok(mut store) = state.store.lock() else { return internal() };
    if store.redirect_hits.len() >= MAX_REDIRECT_HITS {
        store.redirect_hits.remove(0);
    }
    store.redirect_hits.push(hit);
    ok(json!({ "received": true }))
}

pub async fn hits(State(state): State<Arc<AppState>>) -> Response {
    let Ok(store) = state.store.lock() else { return internal() };
    ok(json!({ "hits": store.redirect_hits }))
}
