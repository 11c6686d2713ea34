//! The emulator's issue-10 test API (signing keys, forged ID tokens, faults with options, the
//! redirect sink), for `tests/hardening.rs`. Beside `emulator.rs` rather than in it: each
//! suite that includes a support module privately must use all of it.
//!
//! Test code: `unwrap`/`expect` here turn a broken test set-up into a failed test.

use js_sys::Array;
use wasm_bindgen::prelude::*;

use super::emulator::{emulator, get, get_str, requests_since};

/// `POST /__emulator/id-tokens` with `body` (JSON): the minted ID token.
pub async fn mint_id_token(body: &str) -> String {
    get_str(&emulator("POST", "/id-tokens", Some(body)).await, "idToken")
}

/// `GET /__emulator/keys`: `{activeKid, keys, foreignKid, foreign}`.
pub async fn signing_keys() -> JsValue {
    emulator("GET", "/keys", None).await
}

/// `POST /__emulator/keys/rotate`: a new key signs; the previous stays published (grace period).
pub async fn rotate_keys() -> JsValue {
    emulator("POST", "/keys/rotate", None).await
}

/// Queues a fault from its whole JSON body (`mode`, `count`, `path`, `status`, `location`…).
pub async fn fault_json(body: &str) {
    emulator("POST", "/faults", Some(body)).await;
}

/// What reached `/__emulator/redirect-sink` since the last reset.
pub async fn redirect_sink_hits() -> Vec<JsValue> {
    Array::from(&get(&emulator("GET", "/redirect-sink/hits", None).await, "hits")).iter().collect()
}

/// How many `/keys` requests reached the emulator after `seq` (an HTTP cache hit does not).
pub async fn key_fetches_since(seq: f64) -> usize {
    requests_since(seq).await.iter().filter(|r| get_str(r, "path").ends_with("/keys")).count()
}
