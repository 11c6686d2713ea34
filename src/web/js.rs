//! The imports from `web.js`, in one block so the glue imports the module once.
//!
//! `web.js` holds the browser calls of the web layer, one wasm import each. Nothing runs at
//! import time and nothing names `window`: every global is looked up when called (SSR, Web
//! Workers). It ships (minified) to every page, so its comments live here:
//! - `deadline(signal, ms)`: the caller's signal (if any) and a timeout of `ms` as one signal,
//!   with `AbortSignal.any` and `AbortSignal.timeout` (Chrome 116, Firefox 124, Safari 17.4);
//!   without `AbortSignal.any` (Chrome before 116, Firefox before 124, Safari before 17.4,
//!   so iOS 16 phones) an `AbortController` aborted by a `setTimeout` and by an `abort` listener on the
//!   caller's signal, both removed when the request or the sleep settles (`done`), so an app that
//!   reuses one long-lived signal does not collect a listener per call. `timeout.aborted` says
//!   which of the two fired.
//! - `sleep(ms, signal)`: resolves to 0 after `ms`, or to 1 as soon as the caller's signal aborts
//!   (at once if it already has); the timer and the listener go with it.
//! - `send(url, method, headers, body, credentials, reload, limit, signal, ms)`: one request
//!   through the global `fetch` under the `deadline` of the caller's signal and the timeout,
//!   which covers the body too, `redirect: 'manual'` (a redirect is never followed, so a password or OTP is never re-sent
//!   elsewhere; it arrives as an opaque response of status 0), and `cache: 'reload'` when
//!   `reload`; resolves to `[status, content-type, body bytes, retry-after,
//!   x-rate-limit-reset]` once the whole body is in (a header is `null` when absent or hidden
//!   by CORS; the body `null` when it passed `limit` bytes: the rest is not read, the
//!   stream is cancelled; the chunks are copied into one array, not through a `Blob`, whose
//!   round trip through the browser's blob registry cost about 1.3 ms a call), or to 1 when the
//!   caller's signal aborted it, 2 when it timed out;
//!   rejects when no response arrives (offline, DNS, CORS). `headers` is a JSON object's text.
//! - `rs256(n, e, data, signature)`: RSASSA-PKCS1-v1_5 with SHA-256 through WebCrypto, so no
//!   RSA code ships in the wasm. `data` and `signature` are copied first: the views into wasm
//!   memory must not be read after the call returns. `undefined` without `crypto.subtle` (it
//!   needs a secure context: https or localhost); the promise rejects when WebCrypto refuses
//!   the key.
//! - `task()`: a call's promise and how to settle it, `[promise, resolve, reject]` (the
//!   promise's executor runs at once, so `resolve` and `reject` are in place when `new Promise`
//!   returns);
//!   `settle(t, ok, value)` resolves (`ok`) or rejects it; `wait(promise, wake, key)` calls
//!   `wake(key, true, value)` when `promise` fulfils and `wake(key, false, reason)` when it rejects
//!   (src/web/task.rs).

use super::globals::{AbortSignal, Array, Promise};
use wasm_bindgen::prelude::*;

/// The most of a response body `send` reads: 256 KiB (Okta's answers are a few KB).
pub const MAX_BODY_BYTES: u32 = 262_144;

#[wasm_bindgen(module = "/src/web/web.js")]
extern "C" {
    /// Resolves to 0 after `ms`, to 1 once `signal` aborts.
    pub fn sleep(ms: u32, signal: Option<&AbortSignal>) -> Promise;
    /// Resolves to `[status, content-type, body bytes, retry-after, x-rate-limit-reset]`, to 1
    /// (aborted) or 2 (timed out); throws when there is no `fetch`.
    #[wasm_bindgen(catch)]
    #[allow(clippy::too_many_arguments)]
    pub fn send(
        url: &str,
        method: &str,
        headers: &str,
        body: Option<&str>,
        credentials: &str,
        reload: bool,
        limit: u32,
        signal: Option<&AbortSignal>,
        ms: u32,
    ) -> Result<Promise, JsValue>;
    /// A promise of the verdict as a number (1: the signature verifies, 0: it does not; a number
    /// so the glue needs no boolean import), or `undefined` without `crypto.subtle`.
    #[wasm_bindgen(catch)]
    pub fn rs256(n: &str, e: &str, data: &[u8], signature: &[u8]) -> Result<JsValue, JsValue>;
    pub fn task() -> Array;
    pub fn settle(task: &Array, ok: bool, value: JsValue);
    pub fn wait(promise: &Promise, wake: &JsValue, key: u32);
}
