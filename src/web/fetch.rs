//! Requests through the global `fetch` (a `web.js` import), bounded by the timeout and the
//! caller's signal (`web.js` races them, with `AbortSignal.any` where the browser has it).

use super::globals::{AbortSignal, Array, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use super::js::{send, MAX_BODY_BYTES};
use super::task::settled;
use crate::flow::Transport;
use crate::protocol::config::Credentials;
use crate::protocol::error::hints;
use crate::protocol::json::ObjectWriter;
use crate::protocol::{Error, ErrorKind, HttpRequest, HttpResponse};

pub struct FetchTransport {
    pub credentials: Credentials,
    pub timeout_ms: u32,
    /// The caller's `signal`.
    pub signal: Option<AbortSignal>,
}

fn response(parts: JsValue) -> Result<HttpResponse, Error> {
    // `send` settles to 1 or 2 instead of the parts when the signal or the timeout ended it.
    match parts.as_f64() {
        Some(1.0) => return Err(Error::aborted()),
        Some(_) => return Err(Error::timeout()),
        None => {}
    }
    let parts: Array = parts.unchecked_into();
    let status = parts.get(0).as_f64().unwrap_or(0.0) as u16;
    // `redirect: 'manual'` turns every redirect into an opaque response of status 0.
    if status == 0 {
        return Err(Error::local(
            ErrorKind::Protocol,
            "unexpected_redirect",
            "A redirect, which Okta never sends: not followed, nothing re-sent.",
            hints::REDIRECT,
        ));
    }
    let body = parts.get(2);
    if body.is_null() {
        return Err(Error::protocol(status, "response_too_large", "The response is over 256 KiB; the rest was not read."));
    }
    Ok(HttpResponse {
        status,
        content_type: parts.get(1).as_string(),
        body: body.unchecked_into::<Uint8Array>().to_vec(),
        retry_after: parts.get(3).as_string(),
        rate_limit_reset: parts.get(4).as_string(),
    })
}

impl Transport for FetchTransport {
    async fn send(&self, request: &HttpRequest) -> Result<HttpResponse, Error> {
        if self.signal.as_ref().is_some_and(AbortSignal::aborted) {
            return Err(Error::aborted());
        }
        let credentials = match self.credentials {
            Credentials::Omit => "omit",
            Credentials::SameOrigin => "same-origin",
            Credentials::Include => "include",
        };
        let mut headers = ObjectWriter::new();
        for (name, value) in &request.headers {
            headers.string(name, value);
        }
        let pending = send(
            &request.url,
            request.method.as_str(),
            &headers.finish(),
            request.body.as_deref(),
            credentials,
            request.bypass_cache,
            MAX_BODY_BYTES,
            self.signal.as_ref(),
            self.timeout_ms,
        )
        .map_err(|_| Error::network())?;
        match settled(pending).await {
            Ok(parts) => response(parts),
            // A TypeError: offline, DNS, refused connection, or a CORS refusal (the browser
            // hides which); the hint names Okta's Trusted Origins.
            Err(_) => Err(Error::network()),
        }
    }
}
