//! Requests through the global `fetch`, with a timeout and the caller's signal.

use std::rc::Rc;

use gloo_timers::future::TimeoutFuture;
use js_sys::{ArrayBuffer, Object, Promise, Reflect, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortController, RequestCredentials, RequestInit, Response};

use super::abort::AbortWatch;
use super::race::{first_of, First};
use crate::flow::Transport;
use crate::protocol::config::Credentials;
use crate::protocol::{Error, HttpRequest, HttpResponse};

#[wasm_bindgen]
extern "C" {
    // The global `fetch` (window or worker), looked up at call time.
    #[wasm_bindgen(catch, js_name = fetch)]
    fn global_fetch(url: &str, init: &RequestInit) -> Result<Promise, JsValue>;
}

pub struct FetchTransport {
    pub credentials: Credentials,
    pub timeout_ms: u32,
    pub abort: Rc<AbortWatch>,
}

impl FetchTransport {
    fn init(&self, request: &HttpRequest, controller: &AbortController) -> RequestInit {
        let init = RequestInit::new();
        init.set_method(request.method.as_str());
        init.set_credentials(match self.credentials {
            Credentials::Omit => RequestCredentials::Omit,
            Credentials::SameOrigin => RequestCredentials::SameOrigin,
            Credentials::Include => RequestCredentials::Include,
        });
        let headers = Object::new();
        for (name, value) in &request.headers {
            // Setting a property on a fresh plain object cannot fail.
            let _ = Reflect::set(&headers, &JsValue::from_str(name), &JsValue::from_str(value));
        }
        init.set_headers(&headers);
        if let Some(body) = &request.body {
            init.set_body(&JsValue::from_str(body));
        }
        init.set_signal(Some(&controller.signal()));
        init
    }

    /// The whole exchange: headers, then the body bytes. `Err` is fetch's rejection.
    async fn exchange(&self, request: &HttpRequest, controller: &AbortController) -> Result<HttpResponse, JsValue> {
        let response: Response = JsFuture::from(global_fetch(&request.url, &self.init(request, controller))?).await?.dyn_into()?;
        let content_type = response.headers().get("content-type").ok().flatten();
        let buffer: ArrayBuffer = JsFuture::from(response.array_buffer()?).await?.dyn_into()?;
        Ok(HttpResponse { status: response.status(), content_type, body: Uint8Array::new(&buffer).to_vec() })
    }
}

impl Transport for FetchTransport {
    async fn send(&self, request: &HttpRequest) -> Result<HttpResponse, Error> {
        if self.abort.is_aborted() {
            return Err(Error::aborted());
        }
        let controller = AbortController::new().map_err(|_| Error::network())?;
        let outcome = first_of(self.exchange(request, &controller), self.abort.fired(), TimeoutFuture::new(self.timeout_ms)).await;
        match outcome {
            First::A(Ok(response)) => Ok(response),
            // A TypeError: offline, DNS, refused connection, or a CORS refusal (the browser
            // hides which); the hint names Okta's Trusted Origins.
            First::A(Err(_)) => Err(Error::network()),
            First::B(()) => {
                controller.abort();
                Err(Error::aborted())
            }
            First::C(()) => {
                controller.abort();
                Err(Error::timeout())
            }
        }
    }
}
