//! The `DirectAuth` class: a client bound to one set of validated options.

use std::rc::Rc;

use js_sys::Promise;
use wasm_bindgen::prelude::*;

use super::run::{client, start, Client, Op};
use super::{error, js};
use crate::protocol::output;

// Created by `DirectAuth.create(options)`; there is no public constructor.
#[wasm_bindgen(skip_typescript)]
pub struct DirectAuth {
    client: Rc<Client>,
}

impl DirectAuth {
    fn start(&self, op: Op, first: JsValue, second: JsValue) -> Promise {
        start(op, Ok(Rc::clone(&self.client)), first, second)
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
        js::parse_json(&output::endpoints(&self.client.config.endpoints)).unwrap_or(JsValue::UNDEFINED)
    }

    #[wasm_bindgen(js_name = signInWithOtp, skip_typescript, skip_jsdoc)]
    pub fn sign_in_with_otp(&self, args: JsValue) -> Promise {
        self.start(Op::SignInWithOtp, args, JsValue::UNDEFINED)
    }

    #[wasm_bindgen(js_name = signInWithPassword, skip_typescript, skip_jsdoc)]
    pub fn sign_in_with_password(&self, args: JsValue) -> Promise {
        self.start(Op::SignInWithPassword, args, JsValue::UNDEFINED)
    }

    #[wasm_bindgen(js_name = verifyMfaOtp, skip_typescript, skip_jsdoc)]
    pub fn verify_mfa_otp(&self, args: JsValue) -> Promise {
        self.start(Op::VerifyMfaOtp, args, JsValue::UNDEFINED)
    }

    #[wasm_bindgen(skip_typescript, skip_jsdoc)]
    pub fn challenge(&self, args: JsValue) -> Promise {
        self.start(Op::Challenge, args, JsValue::UNDEFINED)
    }

    #[wasm_bindgen(js_name = startOob, skip_typescript, skip_jsdoc)]
    pub fn start_oob(&self, args: JsValue) -> Promise {
        self.start(Op::StartOob, args, JsValue::UNDEFINED)
    }

    #[wasm_bindgen(js_name = verifyOob, skip_typescript, skip_jsdoc)]
    pub fn verify_oob(&self, challenge: JsValue, args: JsValue) -> Promise {
        self.start(Op::VerifyOob, challenge, args)
    }

    #[wasm_bindgen(js_name = waitForApproval, skip_typescript, skip_jsdoc)]
    pub fn wait_for_approval(&self, challenge: JsValue, options: JsValue) -> Promise {
        self.start(Op::WaitForApproval, challenge, options)
    }

    #[wasm_bindgen(skip_typescript, skip_jsdoc)]
    pub fn refresh(&self, args: JsValue) -> Promise {
        self.start(Op::Refresh, args, JsValue::UNDEFINED)
    }

    #[wasm_bindgen(skip_typescript, skip_jsdoc)]
    pub fn revoke(&self, args: JsValue) -> Promise {
        self.start(Op::Revoke, args, JsValue::UNDEFINED)
    }

    #[wasm_bindgen(skip_typescript, skip_jsdoc)]
    pub fn userinfo(&self, args: JsValue) -> Promise {
        self.start(Op::Userinfo, args, JsValue::UNDEFINED)
    }

    #[wasm_bindgen(js_name = verifyIdToken, skip_typescript, skip_jsdoc)]
    pub fn verify_id_token(&self, id_token: JsValue, options: JsValue) -> Promise {
        self.start(Op::VerifyIdToken, id_token, options)
    }
}
