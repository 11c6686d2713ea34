//! The JS side of the api layer: caller objects in as JSON text (one string per argument
//! instead of one `Reflect.get` per member), results out through `JSON.parse`, and the two
//! members JSON cannot carry (`signal`, `onPending`) read directly.
//!
//! `api.js` ships (minified) to every page, so its comments live here. It defines the one error
//! type every promise of okta-direct-auth rejects with, `DirectAuthError`, once: the wasm
//! constructs it through `makeError`, and the npm entry re-exports the class `errorClass()`
//! returns, so `instanceof DirectAuthError` holds for every error (its `static name` keeps
//! `constructor.name` once the package has minified the identifiers). `json(value)` is
//! `JSON.stringify` returning `undefined` for `undefined` or what JSON cannot write (a cycle, a
//! throwing `toJSON`); every value whose JS type JSON would silently lose (`NaN` and `±Infinity`
//! become `null`, a `Symbol` or a function vanishes, a BigInt throws) is written as `[[]]`
//! instead, a value no reader accepts for any member (not a string, number, object or array
//! of strings), so it is refused as the wrong type (`input` or `config`) before anything is
//! sent. `member(object, key)` reads `signal` (an `AbortSignal`) or `onPending` (a function)
//! from an object in one import: `undefined` when `object` is not an object or the member is
//! missing, `null`, or its getter throws; `0` when the member has another type (or
//! `instanceof` throws): a number, which the wasm already reads, rather than `null`, which
//! would need one more import.

use crate::web::globals::{json_parse, AbortSignal, Function};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::protocol::json::{self, Value};
use crate::protocol::Error;

#[wasm_bindgen(module = "/src/api/api.js")]
extern "C" {
    #[wasm_bindgen(js_name = json)]
    fn stringify(value: &JsValue) -> Option<String>;
    #[wasm_bindgen(js_name = makeError)]
    pub fn make_error(
        kind: &str,
        code: &str,
        description: Option<&str>,
        status: Option<u16>,
        hint: &str,
        okta_error_code: Option<&str>,
        retry_after: Option<u32>,
    ) -> JsValue;
    #[wasm_bindgen(js_name = errorClass)]
    pub fn error_class() -> JsValue;
    #[wasm_bindgen(js_name = member)]
    fn typed_member(object: &JsValue, key: &str) -> JsValue;
}

/// A caller's argument as JSON: `null` for `undefined` or what JSON cannot write, which the
/// checks then refuse member by member.
pub fn value(object: &JsValue) -> Value {
    stringify(object).and_then(|text| json::parse(text.as_bytes()).ok()).unwrap_or(Value::Null)
}

/// `object[key]` when `object` is an object and the member is neither `undefined` nor `null`;
/// `error` when it is there with another type than `key` asks for (`api.js`'s `member`).
fn member<T: JsCast>(object: &JsValue, key: &str, error: fn() -> Error) -> Result<Option<T>, Error> {
    let value = typed_member(object, key);
    if value.is_undefined() {
        Ok(None)
    } else if value.as_f64().is_some() {
        Err(error())
    } else {
        Ok(Some(value.unchecked_into()))
    }
}

/// The `signal` member of call options, if any.
pub fn signal(options: &JsValue) -> Result<Option<AbortSignal>, Error> {
    member(options, "signal", || Error::input("invalid_signal", "signal must be an AbortSignal."))
}

/// The `onPending` member of `waitForApproval`'s options, if any.
pub fn on_pending(options: &JsValue) -> Result<Option<Function>, Error> {
    member(options, "onPending", || Error::input("invalid_on_pending", "onPending must be a function."))
}

/// JSON text (a result, or JSON the protocol layer already validated) → a JS value.
pub fn parse_json(text: &str) -> Result<JsValue, Error> {
    json_parse(text).map_err(|_| Error::protocol(200, "invalid_json", "The response is not valid JSON."))
}
