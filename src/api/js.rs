//! The JS side of the api layer: caller objects in as JSON text (one string per argument
//! instead of one `Reflect.get` per member), results out through `JSON.parse`, and the two
//! members JSON cannot carry (`signal`, `onPending`) read directly.
//!
//! `api.js` ships verbatim to every page, so its comments live here. It defines the one error
//! type every promise of okta-direct-auth rejects with, `DirectAuthError`, once: the wasm
//! constructs it through `makeError`, and the npm entry re-exports the class `errorClass()`
//! returns, so `instanceof DirectAuthError` holds for every error. `json(value)` is
//! `JSON.stringify` returning `undefined` for `undefined`, a function, or what JSON cannot
//! write (a cycle, a BigInt); a non-finite number becomes a string, so the wasm refuses it as
//! the wrong type.

use js_sys::{Function, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::AbortSignal;

use crate::protocol::json::{self, Value};
use crate::protocol::Error;

#[wasm_bindgen(module = "/src/api/api.js")]
extern "C" {
    #[wasm_bindgen(js_name = json)]
    fn stringify(value: &JsValue) -> Option<String>;
    #[wasm_bindgen(js_name = makeError)]
    pub fn make_error(kind: &str, code: &str, description: Option<&str>, status: Option<u16>, hint: &str, okta_error_code: Option<&str>) -> JsValue;
    #[wasm_bindgen(js_name = errorClass)]
    pub fn error_class() -> JsValue;
}

/// A caller's argument as JSON: `null` for `undefined` or what JSON cannot write, which the
/// checks then refuse member by member.
pub fn value(object: &JsValue) -> Value {
    stringify(object).and_then(|text| json::parse(text.as_bytes()).ok()).unwrap_or(Value::Null)
}

/// `object[key]` when `object` is an object and the member is neither `undefined` nor `null`.
fn member(object: &JsValue, key: &str) -> Option<JsValue> {
    if !object.is_object() {
        return None;
    }
    Reflect::get(object, &JsValue::from_str(key)).ok().filter(|v| !v.is_undefined() && !v.is_null())
}

/// The `signal` member of call options, if any.
pub fn signal(options: &JsValue) -> Result<Option<AbortSignal>, Error> {
    member(options, "signal")
        .map(|v| v.dyn_into::<AbortSignal>().map_err(|_| Error::input("invalid_signal", "signal must be an AbortSignal.")))
        .transpose()
}

/// The `onPending` member of `waitForApproval`'s options, if any.
pub fn on_pending(options: &JsValue) -> Result<Option<Function>, Error> {
    member(options, "onPending")
        .map(|v| v.dyn_into::<Function>().map_err(|_| Error::input("invalid_on_pending", "onPending must be a function.")))
        .transpose()
}

/// JSON text (a result, or JSON the protocol layer already validated) → a JS value.
pub fn parse_json(text: &str) -> Result<JsValue, Error> {
    js_sys::JSON::parse(text).map_err(|_| Error::protocol(200, "invalid_json", "The response is not valid JSON."))
}
