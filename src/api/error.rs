//! `protocol::Error` → the JS `DirectAuthError` (defined once, in `error.js`).

use wasm_bindgen::prelude::*;

use crate::protocol::Error;

#[wasm_bindgen(module = "/src/api/error.js")]
extern "C" {
    #[wasm_bindgen(js_name = makeError)]
    fn make_error(kind: &str, code: &str, description: Option<String>, status: Option<u16>, hint: &str, okta_error_code: Option<String>) -> JsValue;
    #[wasm_bindgen(js_name = errorClass)]
    fn error_class() -> JsValue;
}

pub fn to_js(error: Error) -> JsValue {
    make_error(
        error.kind.as_str(),
        &error.code,
        error.description.map(|d| d.into_owned()),
        error.status,
        error.hint,
        error.okta_error_code,
    )
}

/// The `DirectAuthError` class itself, for `instanceof` (the npm entry re-exports it).
#[wasm_bindgen(js_name = directAuthErrorClass, skip_typescript)]
pub fn direct_auth_error_class() -> JsValue {
    error_class()
}
