//! The fault-injection layer: takes the first queued fault matching a request and answers
//! the way it says (see `crate::faults`).

use crate::errors::{LoggedError, OAuthError, OktaApiError};
use crate::faults::{mode_name, ConnDrop, Fault, FaultMode, HTML_502, TRUNCATED_JSON};
use crate::form::read_body;
use crate::state::AppState;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::sync::Arc;

fn client_id_of(req_query: Option<&str>, body: &[u8]) -> Option<String> {
    let from = |bytes: &[u8]| form_urlencoded::parse(bytes).find(|(k, _)| k == "client_id").map(|(_, v)| v.to_string());
    from(body).or_else(|| req_query.and_then(|q| from(q.as_bytes())))
}

/// The fault's `status`, or its mode's default (checked when the fault was queued).
fn status_of(fault: &Fault) -> StatusCode {
    fault.status.or(fault.mode.default_status()).and_then(|s| StatusCode::from_u16(s).ok()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
}

pub async fn middleware(State(state): State<Arc<AppState>>, req: Request, next: Next) -> Response {
    if crate::layers::cors::is_emulator_api(req.uri().path()) || req.method() == Method::OPTIONS {
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
        FaultMode::Redirect => {
            let location = fault.location.clone().unwrap_or_else(|| format!("{}/__emulator/redirect-sink", state.base_url));
            let mut r = Response::new(Body::empty());
            *r.status_mut() = status_of(fault);
            match HeaderValue::from_str(&location) {
                Ok(v) => {
                    r.headers_mut().insert(header::LOCATION, v);
                }
                Err(_) => return OktaApiError::internal().into_response(),
            }
            r
        }
        FaultMode::OauthServerError => {
            let mut e = OAuthError::server_error();
            e.status = status_of(fault);
            e.into_response()
        }
        FaultMode::TemporarilyUnavailable => {
            let mut e = OAuthError::temporarily_unavailable();
            e.status = status_of(fault);
            e.into_response()
        }
    };
    resp.extensions_mut().insert(LoggedError(format!("fault:{}", mode_name(mode))));
    resp
}
