//! `protocol::Error` → the JS `DirectAuthError` (defined once, in `api.js`).

use wasm_bindgen::prelude::*;

use super::js;
use crate::protocol::Error;

pub fn to_js(error: Error) -> JsValue {
    js::make_error(
        error.kind.as_str(),
        &error.code,
        error.description.as_deref(),
        error.status,
        error.hint,
        error.okta_error_code.as_deref(),
        error.retry_after_seconds,
    )
}

// The `DirectAuthError` class itself, for `instanceof` (the npm entry re-exports it).
#[wasm_bindgen(js_name = directAuthErrorClass, skip_typescript, skip_jsdoc)]
pub fn direct_auth_error_class() -> JsValue {
    js::error_class()
}
