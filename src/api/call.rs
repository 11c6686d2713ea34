//! What one JS call needs: the options, and a transport and clock bound to its signal.

use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;

use js_sys::Promise;
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::future_to_promise;

use super::{error, js};
use crate::flow::Context;
use crate::protocol::{Config, Error};
use crate::web::{AbortWatch, BrowserClock, FetchTransport};

pub struct Call {
    config: Rc<Config>,
    transport: FetchTransport,
    clock: BrowserClock,
}

impl Call {
    /// Reads `signal` from the call's argument object.
    pub fn new(config: Rc<Config>, args: &JsValue) -> Result<Call, Error> {
        let abort = Rc::new(AbortWatch::new(js::signal(args)?));
        let transport = FetchTransport { credentials: config.credentials, timeout_ms: config.timeout_ms, abort: abort.clone() };
        Ok(Call { config, transport, clock: BrowserClock { abort } })
    }

    pub fn cx(&self) -> Context<'_, FetchTransport, BrowserClock> {
        Context { config: &self.config, transport: &self.transport, clock: &self.clock }
    }
}

/// Validates `DirectAuthOptions` (the low-level functions take them on every call).
pub fn config(options: &JsValue) -> Result<Rc<Config>, Error> {
    Ok(Rc::new(js::config_input(options)?.validate()?))
}

/// A step of the API, boxed: `future_to_promise` is then instantiated once for all of them
/// instead of once per method (which cost kilobytes of wasm each).
pub type Step = Pin<Box<dyn Future<Output = Result<JsValue, Error>>>>;

/// Runs a step as a JS promise that rejects with a `DirectAuthError`.
pub fn promise(step: Step) -> Promise {
    future_to_promise(async move { step.await.map_err(error::to_js) })
}
