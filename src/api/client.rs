//! The `DirectAuth` class: a client bound to one set of validated options.

use std::rc::Rc;

use crate::web::globals::Promise;
use wasm_bindgen::prelude::*;

use super::run::{client, start, Call, Client};
use super::{error, js};
#[cfg(feature = "passkeys")]
use crate::face::passkeys;
use crate::face::{calls, results};

// Created by `DirectAuth.create(options)`; there is no public constructor.
#[wasm_bindgen(skip_typescript)]
pub struct DirectAuth {
    client: Rc<Client>,
}

impl DirectAuth {
    fn start(&self, call: Call, subject: JsValue, options: JsValue) -> Promise {
        start(call, Ok(Rc::clone(&self.client)), subject, options)
    }

    /// A call that is one step, read by the face's `read`.
    fn step(&self, read: calls::Reader, subject: JsValue, args: JsValue) -> Promise {
        self.start(Call::Step(read), subject, args)
    }
}

#[wasm_bindgen(js_class = DirectAuth)]
impl DirectAuth {
    // Validates the options; rejects with `kind: 'config'`.
    #[wasm_bindgen(skip_typescript, skip_jsdoc)]
    pub fn create(options: JsValue) -> Promise {
        match client(&options) {
            Ok(client) => Promise::resolve(&JsValue::from(DirectAuth { client })),
            Err(e) => Promise::reject(&error::to_js(e)),
        }
    }

    #[wasm_bindgen(getter, skip_typescript, skip_jsdoc)]
    pub fn endpoints(&self) -> JsValue {
        // Our own JSON always parses.
        js::parse_json(&results::endpoints(&self.client.config.endpoints)).unwrap_or(JsValue::UNDEFINED)
    }

    #[wasm_bindgen(js_name = signInWithOtp, skip_typescript, skip_jsdoc)]
    pub fn sign_in_with_otp(&self, args: JsValue) -> Promise {
        self.step(calls::sign_in_with_otp, JsValue::UNDEFINED, args)
    }

    #[wasm_bindgen(js_name = signInWithPassword, skip_typescript, skip_jsdoc)]
    pub fn sign_in_with_password(&self, args: JsValue) -> Promise {
        self.step(calls::sign_in_with_password, JsValue::UNDEFINED, args)
    }

    #[wasm_bindgen(js_name = verifyMfaOtp, skip_typescript, skip_jsdoc)]
    pub fn verify_mfa_otp(&self, args: JsValue) -> Promise {
        self.step(calls::verify_mfa_otp, JsValue::UNDEFINED, args)
    }

    #[wasm_bindgen(skip_typescript, skip_jsdoc)]
    pub fn challenge(&self, args: JsValue) -> Promise {
        self.step(calls::challenge, JsValue::UNDEFINED, args)
    }

    #[wasm_bindgen(js_name = startOob, skip_typescript, skip_jsdoc)]
    pub fn start_oob(&self, args: JsValue) -> Promise {
        self.step(calls::start_oob, JsValue::UNDEFINED, args)
    }

    #[wasm_bindgen(js_name = verifyOob, skip_typescript, skip_jsdoc)]
    pub fn verify_oob(&self, challenge: JsValue, args: JsValue) -> Promise {
        self.step(calls::verify_oob, challenge, args)
    }

    // The passkey steps `index.js` runs (see `face::passkeys`), as one export whose subject is
    // the step: 0 is the challenge of `signInWithPasskey` and the low-level
    // `webauthnChallengeRequest`, 1 `verifyWithPasskey`'s, 2 the grant (`webauthnGrant`). The
    // signature is `verifyOob`'s, so wasm-opt merges the two exports' bodies into one.
    #[cfg(feature = "passkeys")]
    #[wasm_bindgen(skip_typescript, skip_jsdoc)]
    pub fn passkey(&self, step: JsValue, args: JsValue) -> Promise {
        self.step(passkeys::step, step, args)
    }

    #[wasm_bindgen(js_name = waitForApproval, skip_typescript, skip_jsdoc)]
    pub fn wait_for_approval(&self, challenge: JsValue, options: JsValue) -> Promise {
        self.start(Call::WaitForApproval, challenge, options)
    }

    #[wasm_bindgen(skip_typescript, skip_jsdoc)]
    pub fn refresh(&self, args: JsValue) -> Promise {
        self.step(calls::refresh, JsValue::UNDEFINED, args)
    }

    #[wasm_bindgen(skip_typescript, skip_jsdoc)]
    pub fn revoke(&self, args: JsValue) -> Promise {
        self.step(calls::revoke, JsValue::UNDEFINED, args)
    }

    #[wasm_bindgen(js_name = endProxySession, skip_typescript, skip_jsdoc)]
    pub fn end_proxy_session(&self, options: JsValue) -> Promise {
        self.step(calls::end_proxy_session, JsValue::UNDEFINED, options)
    }

    #[wasm_bindgen(skip_typescript, skip_jsdoc)]
    pub fn userinfo(&self, args: JsValue) -> Promise {
        self.step(calls::userinfo, JsValue::UNDEFINED, args)
    }

    #[wasm_bindgen(js_name = replacePassword, skip_typescript, skip_jsdoc)]
    pub fn replace_password(&self, args: JsValue) -> Promise {
        self.step(calls::replace_password, JsValue::UNDEFINED, args)
    }

    #[wasm_bindgen(js_name = verifyIdToken, skip_typescript, skip_jsdoc)]
    pub fn verify_id_token(&self, id_token: JsValue, options: JsValue) -> Promise {
        self.start(Call::VerifyIdToken, id_token, options)
    }
}
