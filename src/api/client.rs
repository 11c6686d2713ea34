//! The `DirectAuth` class: a client bound to one set of validated options.

use std::rc::Rc;

use js_sys::Promise;
use wasm_bindgen::prelude::*;

use super::call::{self, promise};
use super::{js, ops};
use crate::protocol::Config;

/// Created by `DirectAuth.create(options)`; there is no public constructor.
#[wasm_bindgen(skip_typescript)]
pub struct DirectAuth {
    config: Rc<Config>,
}

#[wasm_bindgen(js_class = DirectAuth)]
impl DirectAuth {
    /// Validates the options; rejects with `kind: 'config'`.
    #[wasm_bindgen(skip_typescript)]
    pub fn create(options: JsValue) -> Promise {
        promise(Box::pin(async move { Ok(DirectAuth { config: call::config(&options)? }.into()) }))
    }

    #[wasm_bindgen(getter, skip_typescript)]
    pub fn endpoints(&self) -> JsValue {
        js::endpoints(&self.config.endpoints)
    }

    #[wasm_bindgen(js_name = signInWithOtp, skip_typescript)]
    pub fn sign_in_with_otp(&self, args: JsValue) -> Promise {
        promise(Box::pin(ops::sign_in_with_otp(self.config.clone(), args)))
    }

    #[wasm_bindgen(js_name = signInWithPassword, skip_typescript)]
    pub fn sign_in_with_password(&self, args: JsValue) -> Promise {
        promise(Box::pin(ops::sign_in_with_password(self.config.clone(), args)))
    }

    #[wasm_bindgen(js_name = verifyMfaOtp, skip_typescript)]
    pub fn verify_mfa_otp(&self, args: JsValue) -> Promise {
        promise(Box::pin(ops::verify_mfa_otp(self.config.clone(), args)))
    }

    #[wasm_bindgen(skip_typescript)]
    pub fn challenge(&self, args: JsValue) -> Promise {
        promise(Box::pin(ops::challenge(self.config.clone(), args)))
    }

    #[wasm_bindgen(js_name = startOob, skip_typescript)]
    pub fn start_oob(&self, args: JsValue) -> Promise {
        promise(Box::pin(ops::start_oob(self.config.clone(), args)))
    }

    #[wasm_bindgen(js_name = verifyOob, skip_typescript)]
    pub fn verify_oob(&self, challenge: JsValue, args: JsValue) -> Promise {
        promise(Box::pin(ops::verify_oob(self.config.clone(), challenge, args)))
    }

    #[wasm_bindgen(js_name = waitForApproval, skip_typescript)]
    pub fn wait_for_approval(&self, challenge: JsValue, options: JsValue) -> Promise {
        promise(Box::pin(ops::wait_for_approval(self.config.clone(), challenge, options)))
    }

    #[wasm_bindgen(skip_typescript)]
    pub fn refresh(&self, args: JsValue) -> Promise {
        promise(Box::pin(ops::refresh(self.config.clone(), args)))
    }

    #[wasm_bindgen(skip_typescript)]
    pub fn revoke(&self, args: JsValue) -> Promise {
        promise(Box::pin(ops::revoke(self.config.clone(), args)))
    }

    #[wasm_bindgen(skip_typescript)]
    pub fn userinfo(&self, args: JsValue) -> Promise {
        promise(Box::pin(ops::userinfo(self.config.clone(), args)))
    }

    #[wasm_bindgen(js_name = verifyIdToken, skip_typescript)]
    pub fn verify_id_token(&self, id_token: JsValue, options: JsValue) -> Promise {
        promise(Box::pin(ops::verify_id_token(self.config.clone(), id_token, options)))
    }
}
