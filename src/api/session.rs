//! The session layer's one export for its browser side (`src/web/session.js`, which makes the
//! session's decisions itself): `session(code)` is the session's `DirectAuthError` for `code`
//! ([`crate::session::error`], so its texts and hints sit with the SDK's others), and
//! `session()` the `Session` class (which only the wasm's import of `session.js` reaches).

use wasm_bindgen::prelude::*;

use super::error;

#[wasm_bindgen(skip_typescript, skip_jsdoc)]
pub fn session(code: Option<String>) -> JsValue {
    match code {
        Some(code) => error::to_js(crate::session::error(&code)),
        None => crate::web::session_class(),
    }
}
