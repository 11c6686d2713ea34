//! The imports from `web.js`, in one block so the glue imports the module once.
//!
//! `web.js` holds the browser calls of the web layer, one wasm import each. Nothing runs at
//! import time and nothing names `window`: every global is looked up when called (SSR, Web
//! Workers). It ships verbatim to every page, so its comments live here:
//! - `whenAborted(signal)`: one `abort` listener (`once`) per SDK call, or resolves at once;
//!   `stopWatching(promise)` removes that listener when the call ends, so an app that reuses
//!   one long-lived signal does not collect a listener per call.
//! - `send(url, method, headers, body, credentials, reload, limit)`: one request through the global
//!   `fetch` with its own `AbortController` (kept on the returned promise for `abortRequest`),
//!   `redirect: 'manual'` (a redirect is never followed, so a password or OTP is never re-sent
//!   elsewhere; it arrives as an opaque response of status 0), and `cache: 'reload'` when
//!   `reload`; resolves to `[status, content-type, body bytes, retry-after,
//!   x-rate-limit-reset]` once the whole body is in (a header is `null` when absent or hidden
//!   by CORS; the body `null` when it passed `limit` bytes: the rest is not read, the
//!   stream is cancelled), rejects when no response arrives (offline, DNS, CORS). `headers`
//!   is a JSON object's text.
//! - `rs256(n, e, data, signature)`: RSASSA-PKCS1-v1_5 with SHA-256 through WebCrypto, so no
//!   RSA code ships in the wasm. `data` and `signature` are copied first: the views into wasm
//!   memory must not be read after the call returns. `undefined` without `crypto.subtle` (it
//!   needs a secure context: https or localhost); the promise rejects when WebCrypto refuses
//!   the key.

use js_sys::Promise;
use wasm_bindgen::prelude::*;
use web_sys::AbortSignal;

/// The most of a response body `send` reads: 256 KiB (Okta's answers are a few KB).
pub const MAX_BODY_BYTES: u32 = 262_144;

#[wasm_bindgen(module = "/src/web/web.js")]
extern "C" {
    /// Resolves when `signal` aborts (at once if it already has).
    #[wasm_bindgen(js_name = whenAborted)]
    pub fn when_aborted(signal: &AbortSignal) -> Promise;
    /// Removes the listener `when_aborted` added (nothing once it fired).
    #[wasm_bindgen(js_name = stopWatching)]
    pub fn stop_watching(fired: &Promise);
    /// Resolves to `[status, content-type, body bytes, retry-after, x-rate-limit-reset]`;
    /// throws when there is no `fetch`.
    #[wasm_bindgen(catch)]
    pub fn send(
        url: &str,
        method: &str,
        headers: &str,
        body: Option<&str>,
        credentials: &str,
        reload: bool,
        limit: u32,
    ) -> Result<Promise, JsValue>;
    #[wasm_bindgen(js_name = abortRequest)]
    pub fn abort_request(response: &Promise);
    /// A promise of the verdict as a number (1: the signature verifies, 0: it does not; a number
    /// so the glue needs no boolean import), or `undefined` without `crypto.subtle`.
    #[wasm_bindgen(catch)]
    pub fn rs256(n: &str, e: &str, data: &[u8], signature: &[u8]) -> Result<JsValue, JsValue>;
}
