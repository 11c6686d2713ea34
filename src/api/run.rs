//! Every asynchronous API call, as one future type: the options, the call's arguments as JSON,
//! a transport and a clock bound to its signal, then [`crate::flow`], then the result as JSON.
//! One state machine and one `future_to_promise` for all the methods keeps the wasm small.

use std::rc::Rc;

use js_sys::Promise;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::future_to_promise;

use super::{error, js};
use crate::flow::{self, Context, KeyCache, Outcome, Step};
use crate::protocol::input::OobChallengeInput;
use crate::protocol::json::{Kind, Value};
use crate::protocol::{output, Config, ConfigInput, Error};
use crate::web::{AbortWatch, BrowserClock, FetchTransport, WebCryptoVerifier};

/// The operations, shared by the `DirectAuth` methods and the low-level functions.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Op {
    SignInWithOtp,
    SignInWithPassword,
    VerifyMfaOtp,
    Challenge,
    StartOob,
    VerifyOob,
    OobGrant,
    WaitForApproval,
    Refresh,
    Revoke,
    Userinfo,
    VerifyIdToken,
}

/// Validated options and the state one client keeps between calls (the issuer's signing keys).
pub struct Client {
    pub config: Config,
    pub keys: KeyCache,
}

/// Validates `DirectAuthOptions` (the low-level functions take them on every call).
pub fn client(options: &JsValue) -> Result<Rc<Client>, Error> {
    let config = ConfigInput::from_json(&js::value(options))?.validate()?;
    Ok(Rc::new(Client { config, keys: KeyCache::default() }))
}

/// Runs `op` as a JS promise that rejects with a `DirectAuthError`. `first` is the call's
/// argument object, or its subject (the challenge, the ID token) for the methods that take the
/// call options second.
pub fn start(op: Op, client: Result<Rc<Client>, Error>, first: JsValue, second: JsValue) -> Promise {
    future_to_promise(async move { run(op, client, first, second).await.map_err(error::to_js) })
}

async fn run(op: Op, client: Result<Rc<Client>, Error>, first: JsValue, second: JsValue) -> Result<JsValue, Error> {
    let client = client?;
    let config = &client.config;
    let (subject, options) = match op {
        Op::VerifyOob | Op::WaitForApproval | Op::VerifyIdToken => (first, second),
        _ => (JsValue::UNDEFINED, first),
    };
    let abort = Rc::new(AbortWatch::new(js::signal(&options)?));
    let transport = FetchTransport { credentials: config.credentials, timeout_ms: config.timeout_ms, abort: abort.clone() };
    let clock = BrowserClock { abort };
    let cx = Context { config, transport: &transport, clock: &clock };
    let args = js::value(&options);
    let step = match op {
        Op::WaitForApproval => {
            let challenge = OobChallengeInput::from_json(&js::value(&subject))?;
            let on_pending = js::on_pending(&options)?;
            let report = |seconds_left: u64| {
                if let Some(callback) = &on_pending {
                    // The app's callback throwing must not end the wait.
                    let _ = callback.call1(&JsValue::UNDEFINED, &JsValue::from_f64(seconds_left as f64));
                }
            };
            return js::parse_json(&output::sign_in(&flow::wait_for_approval(&cx, challenge, report).await?));
        }
        Op::VerifyIdToken => {
            let Some(id_token) = subject.as_string().filter(|t| !t.is_empty()) else {
                return Err(Error::input("invalid_id_token", "idToken must be the JWT string from the tokens."));
            };
            return js::parse_json(&flow::verify_id_token(&cx, &WebCryptoVerifier, &client.keys, &id_token).await?);
        }
        Op::SignInWithOtp => Step::SignInWithOtp { username: args.text("username"), otp: args.text("otp") },
        Op::SignInWithPassword => Step::SignInWithPassword { username: args.text("username"), password: args.text("password") },
        Op::VerifyMfaOtp => Step::VerifyMfaOtp { mfa_token: args.text("mfaToken"), otp: args.text("otp") },
        Op::Challenge => Step::Challenge { mfa_token: args.text("mfaToken"), channel: args.text("channel") },
        Op::StartOob => Step::StartOob { username: args.text("username"), channel: args.text("channel") },
        Op::VerifyOob => Step::VerifyOob {
            challenge: Box::new(OobChallengeInput::from_json(&js::value(&subject))?),
            binding_code: args.text("bindingCode"),
        },
        Op::OobGrant => {
            typed(
                &args,
                &[("mfaToken", Kind::Str), ("bindingCode", Kind::Str)],
                &[("invalid_mfa_token", "mfaToken must be a string."), ("invalid_binding_code", "bindingCode must be a string.")],
            )?;
            Step::OobGrant {
                oob_code: args.text("oobCode"),
                mfa_token: args.get("mfaToken").and_then(Value::as_str),
                binding_code: args.get("bindingCode").and_then(Value::as_str),
            }
        }
        Op::Refresh => {
            typed(&args, &[("scopes", Kind::Strs)], &[("invalid_scopes", "scopes must be an array of strings.")])?;
            Step::Refresh { refresh_token: args.text("refreshToken"), scopes: args.strings("scopes") }
        }
        Op::Revoke => {
            typed(
                &args,
                &[("tokenTypeHint", Kind::Str)],
                &[("invalid_token_type_hint", "tokenTypeHint must be 'access_token' or 'refresh_token'.")],
            )?;
            Step::Revoke { token: args.text("token"), token_type_hint: args.get("tokenTypeHint").and_then(Value::as_str) }
        }
        Op::Userinfo => Step::Userinfo { access_token: args.text("accessToken") },
    };
    let text = match flow::one_request(&cx, step).await? {
        Outcome::SignIn(result) => output::sign_in(&result),
        Outcome::Poll(outcome) => output::poll_result(&outcome),
        Outcome::Challenge(challenge) => output::challenge(&challenge),
        Outcome::Tokens(tokens) => output::tokens(&tokens),
        Outcome::Revoked => return Ok(JsValue::UNDEFINED),
        Outcome::Claims(text) => text,
    };
    js::parse_json(&text)
}

/// `input` error `errors[i]` when the caller's optional member `members[i]` has another type.
fn typed(args: &Value, members: &[(&str, Kind)], errors: &[(&'static str, &'static str)]) -> Result<(), Error> {
    match args.wrong_member(members).and_then(|i| errors.get(i)) {
        Some(&(code, description)) => Err(Error::input(code, description)),
        None => Ok(()),
    }
}
