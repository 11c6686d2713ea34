//! The imports from `web.js`, in one block so the glue imports the module once.

use js_sys::Promise;
use wasm_bindgen::prelude::*;
use web_sys::AbortSignal;

#[wasm_bindgen(module = "/src/web/web.js")]
extern "C" {
    /// Resolves when `signal` aborts (at once if it already has).
    #[wasm_bindgen(js_name = whenAborted)]
    pub fn when_aborted(signal: &AbortSignal) -> Promise;
    /// Resolves to `[status, content-type, body bytes]`; throws when there is no `fetch`.
    #[wasm_bindgen(catch)]
    pub fn send(url: &str, method: &str, headers: &str, body: Option<&str>, credentials: &str) -> Result<Promise, JsValue>;
    #[wasm_bindgen(js_name = abortRequest)]
    pub fn abort_request(response: &Promise);
    /// A promise of the verdict, or `undefined` without `crypto.subtle`.
    #[wasm_bindgen(catch)]
    pub fn rs256(n: &str, e: &str, data: &[u8], signature: &[u8]) -> Result<JsValue, JsValue>;
}
