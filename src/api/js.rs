//! Reading caller objects and building result objects with `Reflect` (smaller than serde).

use js_sys::{Array, Object, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::AbortSignal;

use crate::protocol::config::{ConfigInput, EndpointOverrides};
use crate::protocol::input::OobChallengeInput;
use crate::protocol::{Endpoints, Error, OobChallenge, SignIn, TokenOutcome, Tokens};

/// `object[key]`, or `undefined` when `object` is not an object.
pub fn get(object: &JsValue, key: &str) -> JsValue {
    if !object.is_object() {
        return JsValue::UNDEFINED;
    }
    Reflect::get(object, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

/// A string member; anything else (missing, a number…) reads as empty, which the
/// protocol's checks then refuse with the right error.
pub fn string(object: &JsValue, key: &str) -> String {
    get(object, key).as_string().unwrap_or_default()
}

fn optional_string(object: &JsValue, key: &str, error: impl Fn() -> Error) -> Result<Option<String>, Error> {
    let value = get(object, key);
    if value.is_undefined() || value.is_null() {
        return Ok(None);
    }
    value.as_string().map(Some).ok_or_else(error)
}

fn optional_number(object: &JsValue, key: &str, error: impl Fn() -> Error) -> Result<Option<f64>, Error> {
    let value = get(object, key);
    if value.is_undefined() || value.is_null() {
        return Ok(None);
    }
    value.as_f64().map(Some).ok_or_else(error)
}

fn optional_strings(object: &JsValue, key: &str, error: impl Fn() -> Error) -> Result<Option<Vec<String>>, Error> {
    let value = get(object, key);
    if value.is_undefined() || value.is_null() {
        return Ok(None);
    }
    if !Array::is_array(&value) {
        return Err(error());
    }
    Array::from(&value).iter().map(|item| item.as_string().ok_or_else(&error)).collect::<Result<Vec<_>, _>>().map(Some)
}

/// `DirectAuthOptions` → `ConfigInput` (type errors are `config` errors).
pub fn config_input(options: &JsValue) -> Result<ConfigInput, Error> {
    if !options.is_object() {
        return Err(Error::config("invalid_options", "options must be an object with at least issuer and clientId."));
    }
    let wrong = |code: &'static str, description: &'static str| move || Error::config(code, description);
    let endpoints = get(options, "endpoints");
    let endpoint = |key: &str| optional_string(&endpoints, key, wrong("invalid_endpoint", "Endpoint overrides must be strings."));
    Ok(ConfigInput {
        issuer: string(options, "issuer"),
        client_id: string(options, "clientId"),
        scopes: optional_strings(options, "scopes", wrong("invalid_scopes", "scopes must be an array of strings."))?,
        acr_values: optional_strings(options, "acrValues", wrong("invalid_acr_values", "acrValues must be an array of strings."))?,
        grant_types_supported: optional_strings(options, "grantTypesSupported", wrong("invalid_grant_types_supported", "grantTypesSupported must be an array of strings."))?,
        primary_oob_endpoint: optional_string(options, "primaryOobEndpoint", wrong("invalid_primary_oob_endpoint", "primaryOobEndpoint must be a string."))?,
        endpoints: EndpointOverrides {
            token: endpoint("token")?,
            challenge: endpoint("challenge")?,
            primary_authenticate: endpoint("primaryAuthenticate")?,
            userinfo: endpoint("userinfo")?,
            revoke: endpoint("revoke")?,
            keys: endpoint("keys")?,
        },
        credentials: optional_string(options, "credentials", wrong("invalid_credentials", "credentials must be a string."))?,
        timeout_ms: optional_number(options, "timeoutMs", wrong("invalid_timeout", "timeoutMs must be a number."))?,
        slow_down_increment_seconds: optional_number(options, "slowDownIncrementSeconds", wrong("invalid_slow_down_increment", "slowDownIncrementSeconds must be a number."))?,
        clock_skew_seconds: optional_number(options, "clockSkewSeconds", wrong("invalid_clock_skew", "clockSkewSeconds must be a number."))?,
    })
}

/// The `signal` member of call options, if any.
pub fn signal(args: &JsValue) -> Result<Option<AbortSignal>, Error> {
    let value = get(args, "signal");
    if value.is_undefined() || value.is_null() {
        return Ok(None);
    }
    value.dyn_into::<AbortSignal>().map(Some).map_err(|_| Error::input("invalid_signal", "signal must be an AbortSignal."))
}

pub fn optional_arg(args: &JsValue, key: &str, code: &'static str, description: &'static str) -> Result<Option<String>, Error> {
    optional_string(args, key, || Error::input(code, description))
}

pub fn optional_scopes(args: &JsValue) -> Result<Option<Vec<String>>, Error> {
    optional_strings(args, "scopes", || Error::input("invalid_scopes", "scopes must be an array of strings."))
}

/// An `OobChallenge` object handed back by the caller.
pub fn oob_challenge(value: &JsValue) -> Result<OobChallengeInput, Error> {
    let bad = || Error::input("invalid_challenge", "Pass the object startOob() or challenge() returned, unchanged.");
    if !value.is_object() {
        return Err(bad());
    }
    Ok(OobChallengeInput {
        oob_code: optional_string(value, "oobCode", bad)?,
        channel: optional_string(value, "channel", bad)?,
        binding_method: optional_string(value, "bindingMethod", bad)?,
        binding_code: optional_string(value, "bindingCode", bad)?,
        expires_in: optional_number(value, "expiresIn", bad)?,
        expires_at: optional_number(value, "expiresAt", bad)?,
        interval: optional_number(value, "interval", bad)?,
        mfa_token: optional_string(value, "mfaToken", bad)?,
    })
}

// ---- results ---------------------------------------------------------------------------------

/// Builds a plain object; `None` values are left out (optional members are absent, not undefined).
fn object(entries: &[(&str, Option<JsValue>)]) -> JsValue {
    let object = Object::new();
    for (key, value) in entries {
        if let Some(value) = value {
            // Setting a property on a fresh plain object cannot fail.
            let _ = Reflect::set(&object, &JsValue::from_str(key), value);
        }
    }
    object.into()
}

fn s(value: &str) -> Option<JsValue> {
    Some(JsValue::from_str(value))
}

fn n(value: f64) -> Option<JsValue> {
    Some(JsValue::from_f64(value))
}

pub fn tokens(tokens: &Tokens) -> JsValue {
    object(&[
        ("tokenType", s(&tokens.token_type)),
        ("accessToken", s(tokens.access_token.expose())),
        ("expiresIn", n(tokens.expires_in as f64)),
        ("expiresAt", n(tokens.expires_at_ms.floor())),
        ("scope", tokens.scope.as_deref().and_then(s)),
        ("idToken", tokens.id_token.as_ref().and_then(|t| s(t.expose()))),
        ("refreshToken", tokens.refresh_token.as_ref().and_then(|t| s(t.expose()))),
    ])
}

pub fn sign_in(result: &SignIn) -> JsValue {
    match result {
        SignIn::Success(t) => object(&[("status", s("success")), ("tokens", Some(tokens(t)))]),
        SignIn::MfaRequired { mfa_token, supported_challenge_types } => object(&[
            ("status", s("mfa_required")),
            ("mfaToken", s(mfa_token.expose())),
            ("supportedChallengeTypes", supported_challenge_types.as_ref().map(|types| types.iter().map(|t| JsValue::from_str(t)).collect::<Array>().into())),
        ]),
    }
}

pub fn poll_result(outcome: &TokenOutcome) -> JsValue {
    match outcome {
        TokenOutcome::Done(result) => sign_in(result),
        TokenOutcome::Pending => object(&[("status", s("pending"))]),
        TokenOutcome::SlowDown => object(&[("status", s("slow_down"))]),
    }
}

pub fn challenge(challenge: &OobChallenge) -> JsValue {
    object(&[
        ("oobCode", s(challenge.oob_code.expose())),
        ("channel", s(challenge.channel.as_str())),
        ("bindingMethod", s(challenge.binding_method.as_str())),
        ("bindingCode", challenge.binding_code.as_ref().and_then(|c| s(c.expose()))),
        ("expiresIn", n(challenge.expires_in as f64)),
        ("expiresAt", n(challenge.expires_at_ms.floor())),
        ("interval", challenge.interval.and_then(|i| n(i as f64))),
        ("mfaToken", challenge.mfa_token.as_ref().and_then(|t| s(t.expose()))),
    ])
}

pub fn endpoints(e: &Endpoints) -> JsValue {
    object(&[
        ("token", s(&e.token)),
        ("challenge", s(&e.challenge)),
        ("primaryAuthenticate", s(&e.primary_authenticate)),
        ("oobAuthenticate", s(&e.oob_authenticate)),
        ("userinfo", s(&e.userinfo)),
        ("revoke", s(&e.revoke)),
        ("keys", s(&e.keys)),
    ])
}

/// JSON text the protocol layer already validated → a JS value, via the engine's parser.
pub fn parse_json(text: &str) -> Result<JsValue, Error> {
    js_sys::JSON::parse(text).map_err(|_| Error::protocol(200, "invalid_json", "The response is not valid JSON."))
}
