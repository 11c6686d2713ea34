//! The low-level API: one function per request, options validated on every call, no state.

use std::future::Future;
use std::rc::Rc;

use js_sys::Promise;
use wasm_bindgen::prelude::*;

use super::call::{config, promise};
use super::{error, js, ops};
use crate::protocol::{jwt, Config, Error};

/// Validates `options`, then runs `op` with the arguments.
fn with_options<F>(options: JsValue, args: JsValue, op: fn(Rc<Config>, JsValue) -> F) -> Promise
where
    F: Future<Output = Result<JsValue, Error>> + 'static,
{
    promise(Box::pin(async move { op(config(&options)?, args).await }))
}

#[wasm_bindgen(js_name = passwordGrant, skip_typescript)]
pub fn password_grant(options: JsValue, args: JsValue) -> Promise {
    with_options(options, args, ops::sign_in_with_password)
}

#[wasm_bindgen(js_name = otpGrant, skip_typescript)]
pub fn otp_grant(options: JsValue, args: JsValue) -> Promise {
    with_options(options, args, ops::sign_in_with_otp)
}

#[wasm_bindgen(js_name = mfaOtpGrant, skip_typescript)]
pub fn mfa_otp_grant(options: JsValue, args: JsValue) -> Promise {
    with_options(options, args, ops::verify_mfa_otp)
}

/// `…:oob` without `mfaToken`, `mfa-oob` with it; with or without `bindingCode`. One request.
#[wasm_bindgen(js_name = oobGrant, skip_typescript)]
pub fn oob_grant(options: JsValue, args: JsValue) -> Promise {
    with_options(options, args, ops::oob_grant)
}

#[wasm_bindgen(js_name = challengeRequest, skip_typescript)]
pub fn challenge_request(options: JsValue, args: JsValue) -> Promise {
    with_options(options, args, ops::challenge)
}

#[wasm_bindgen(js_name = primaryAuthenticate, skip_typescript)]
pub fn primary_authenticate(options: JsValue, args: JsValue) -> Promise {
    with_options(options, args, ops::start_oob)
}

#[wasm_bindgen(js_name = refreshTokenGrant, skip_typescript)]
pub fn refresh_token_grant(options: JsValue, args: JsValue) -> Promise {
    with_options(options, args, ops::refresh)
}

/// Decodes a JWT's claims without verifying anything (display only). Throws a
/// `DirectAuthError` (`kind: 'protocol'`) for anything that is not a JWT.
#[wasm_bindgen(js_name = decodeJwtClaims, skip_typescript)]
pub fn decode_jwt_claims(jwt: JsValue) -> Result<JsValue, JsValue> {
    let text = jwt.as_string().unwrap_or_default();
    let decoded = jwt::decode(&text).map_err(error::to_js)?;
    js::parse_json(&decoded.claims_json).map_err(error::to_js)
}
