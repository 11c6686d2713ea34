//! The low-level API: one function per request, options validated on every call, no state.
//! (`decodeJwtClaims` is plain JS in `pkg-template/index.js`: it needs no wasm.)

use crate::web::globals::Promise;
use wasm_bindgen::prelude::*;

use super::run::{client, start, Call};
use crate::face::calls::{self, Reader};

/// Validates `options` (a rejection with `kind: 'config'`), then runs the step `read` makes of
/// the arguments.
fn with_options(read: Reader, options: JsValue, args: JsValue) -> Promise {
    start(Call::Step(read), client(&options), JsValue::UNDEFINED, args)
}

#[wasm_bindgen(js_name = passwordGrant, skip_typescript, skip_jsdoc)]
pub fn password_grant(options: JsValue, args: JsValue) -> Promise {
    with_options(calls::sign_in_with_password, options, args)
}

#[wasm_bindgen(js_name = otpGrant, skip_typescript, skip_jsdoc)]
pub fn otp_grant(options: JsValue, args: JsValue) -> Promise {
    with_options(calls::sign_in_with_otp, options, args)
}

#[wasm_bindgen(js_name = mfaOtpGrant, skip_typescript, skip_jsdoc)]
pub fn mfa_otp_grant(options: JsValue, args: JsValue) -> Promise {
    with_options(calls::verify_mfa_otp, options, args)
}

// `…:oob` without `mfaToken`, `mfa-oob` with it; with or without `bindingCode`. One request.
#[wasm_bindgen(js_name = oobGrant, skip_typescript, skip_jsdoc)]
pub fn oob_grant(options: JsValue, args: JsValue) -> Promise {
    with_options(calls::oob_grant, options, args)
}

#[wasm_bindgen(js_name = challengeRequest, skip_typescript, skip_jsdoc)]
pub fn challenge_request(options: JsValue, args: JsValue) -> Promise {
    with_options(calls::challenge, options, args)
}

#[wasm_bindgen(js_name = primaryAuthenticate, skip_typescript, skip_jsdoc)]
pub fn primary_authenticate(options: JsValue, args: JsValue) -> Promise {
    with_options(calls::start_oob, options, args)
}

#[wasm_bindgen(js_name = refreshTokenGrant, skip_typescript, skip_jsdoc)]
pub fn refresh_token_grant(options: JsValue, args: JsValue) -> Promise {
    with_options(calls::refresh, options, args)
}

// `PUT {org}/idp/myaccount/password` with a recovery's access token.
#[wasm_bindgen(js_name = replacePassword, skip_typescript, skip_jsdoc)]
pub fn replace_password(options: JsValue, args: JsValue) -> Promise {
    with_options(calls::replace_password, options, args)
}
