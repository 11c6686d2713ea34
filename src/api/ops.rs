//! One async function per API operation, shared by the `DirectAuth` methods and the
//! low-level functions (compiled once each). Arguments are read from the caller's object.

use std::rc::Rc;

use js_sys::Function;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use super::call::Call;
use super::js;
use crate::flow;
use crate::protocol::{Config, Error};

pub async fn sign_in_with_otp(config: Rc<Config>, args: JsValue) -> Result<JsValue, Error> {
    let call = Call::new(config, &args)?;
    Ok(js::sign_in(&flow::sign_in_with_otp(&call.cx(), &js::string(&args, "username"), &js::string(&args, "otp")).await?))
}

pub async fn sign_in_with_password(config: Rc<Config>, args: JsValue) -> Result<JsValue, Error> {
    let call = Call::new(config, &args)?;
    Ok(js::sign_in(&flow::sign_in_with_password(&call.cx(), &js::string(&args, "username"), &js::string(&args, "password")).await?))
}

pub async fn verify_mfa_otp(config: Rc<Config>, args: JsValue) -> Result<JsValue, Error> {
    let call = Call::new(config, &args)?;
    Ok(js::sign_in(&flow::verify_mfa_otp(&call.cx(), &js::string(&args, "mfaToken"), &js::string(&args, "otp")).await?))
}

pub async fn challenge(config: Rc<Config>, args: JsValue) -> Result<JsValue, Error> {
    let call = Call::new(config, &args)?;
    Ok(js::challenge(&flow::challenge(&call.cx(), &js::string(&args, "mfaToken"), &js::string(&args, "channel")).await?))
}

pub async fn start_oob(config: Rc<Config>, args: JsValue) -> Result<JsValue, Error> {
    let call = Call::new(config, &args)?;
    Ok(js::challenge(&flow::start_oob(&call.cx(), &js::string(&args, "username"), &js::string(&args, "channel")).await?))
}

pub async fn verify_oob(config: Rc<Config>, challenge: JsValue, args: JsValue) -> Result<JsValue, Error> {
    let challenge = js::oob_challenge(&challenge)?;
    let call = Call::new(config, &args)?;
    Ok(js::sign_in(&flow::verify_oob(&call.cx(), challenge, &js::string(&args, "bindingCode")).await?))
}

/// Low-level `oobGrant`: one request, may answer pending.
pub async fn oob_grant(config: Rc<Config>, args: JsValue) -> Result<JsValue, Error> {
    let mfa_token = js::optional_arg(&args, "mfaToken", "invalid_mfa_token", "mfaToken must be a string.")?;
    let binding_code = js::optional_arg(&args, "bindingCode", "invalid_binding_code", "bindingCode must be a string.")?;
    let call = Call::new(config, &args)?;
    let outcome = flow::oob_grant(&call.cx(), &js::string(&args, "oobCode"), mfa_token.as_deref(), binding_code.as_deref()).await?;
    Ok(js::poll_result(&outcome))
}

pub async fn wait_for_approval(config: Rc<Config>, challenge: JsValue, options: JsValue) -> Result<JsValue, Error> {
    let challenge = js::oob_challenge(&challenge)?;
    let on_pending = match js::get(&options, "onPending") {
        v if v.is_undefined() || v.is_null() => None,
        v => Some(v.dyn_into::<Function>().map_err(|_| Error::input("invalid_on_pending", "onPending must be a function."))?),
    };
    let call = Call::new(config, &options)?;
    let report = |seconds_left: u64| {
        if let Some(callback) = &on_pending {
            // The app's callback throwing must not end the wait.
            let _ = callback.call1(&JsValue::UNDEFINED, &JsValue::from_f64(seconds_left as f64));
        }
    };
    Ok(js::sign_in(&flow::wait_for_approval(&call.cx(), challenge, report).await?))
}

pub async fn refresh(config: Rc<Config>, args: JsValue) -> Result<JsValue, Error> {
    let scopes = js::optional_scopes(&args)?;
    let call = Call::new(config, &args)?;
    Ok(js::tokens(&flow::refresh(&call.cx(), &js::string(&args, "refreshToken"), scopes).await?))
}

pub async fn revoke(config: Rc<Config>, args: JsValue) -> Result<JsValue, Error> {
    let hint = js::optional_arg(&args, "tokenTypeHint", "invalid_token_type_hint", "tokenTypeHint must be 'access_token' or 'refresh_token'.")?;
    let call = Call::new(config, &args)?;
    flow::revoke(&call.cx(), &js::string(&args, "token"), hint.as_deref()).await?;
    Ok(JsValue::UNDEFINED)
}

pub async fn userinfo(config: Rc<Config>, args: JsValue) -> Result<JsValue, Error> {
    let call = Call::new(config, &args)?;
    let body = flow::userinfo(&call.cx(), &js::string(&args, "accessToken")).await?;
    js::parse_json(&String::from_utf8_lossy(&body))
}

pub async fn verify_id_token(config: Rc<Config>, id_token: JsValue, options: JsValue) -> Result<JsValue, Error> {
    let Some(id_token) = id_token.as_string().filter(|t| !t.is_empty()) else {
        return Err(Error::input("invalid_id_token", "idToken must be the JWT string from the tokens."));
    };
    let call = Call::new(config, &options)?;
    js::parse_json(&flow::verify_id_token(&call.cx(), &crate::web::WebCryptoVerifier, &id_token).await?)
}
