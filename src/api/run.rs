//! Every asynchronous API call, as one future type: the options, the call's subject and
//! arguments, a transport and a clock bound to its signal, then [`crate::flow`], then the
//! result as JSON. One state machine and one [`spawn`] for all the methods keeps the
//! wasm small: the one-step calls differ only in their face reader, whose step is a `dyn Step`.

use std::rc::Rc;

use crate::web::globals::Promise;
use wasm_bindgen::prelude::*;

use super::{error, js};
use crate::face::calls::Reader;
use crate::face::{args, options, results};
use crate::flow::{self, Context, KeyCache};
use crate::protocol::{Config, Error};
use crate::web::{spawn, BrowserClock, FetchTransport, WebCryptoVerifier};

/// What a call runs: one step (most calls), or one of the two flows of several requests.
#[derive(Clone, Copy)]
pub enum Call {
    Step(Reader),
    WaitForApproval,
    VerifyIdToken,
}

/// Validated options and the state one client keeps between calls (the issuer's signing keys).
pub struct Client {
    pub config: Config,
    pub keys: KeyCache,
}

/// Validates `DirectAuthOptions` (the low-level functions take them on every call).
pub fn client(options: &JsValue) -> Result<Rc<Client>, Error> {
    let config = options::options(&js::value(options))?.validate()?;
    Ok(Rc::new(Client { config, keys: KeyCache::default() }))
}

/// Runs `call` as a JS promise that rejects with a `DirectAuthError`. `subject` is what the call
/// acts on (the challenge, the ID token; `undefined` for most), `options` the argument object
/// (which also carries `signal`, and `onPending` for `waitForApproval`).
pub fn start(call: Call, client: Result<Rc<Client>, Error>, subject: JsValue, options: JsValue) -> Promise {
    spawn(async move { run(call, client, subject, options).await.map_err(error::to_js) })
}

async fn run(call: Call, client: Result<Rc<Client>, Error>, subject: JsValue, options: JsValue) -> Result<JsValue, Error> {
    let client = client?;
    let config = &client.config;
    let signal = js::signal(&options)?;
    let transport = FetchTransport { credentials: config.credentials, timeout_ms: config.timeout_ms, signal: signal.clone() };
    let clock = BrowserClock { signal };
    let cx = Context { config, transport: &transport, clock: &clock };
    // Read before the subject, for every call, as JS getters would see it.
    let args = js::value(&options);
    let text = match call {
        Call::Step(read) => flow::run(&cx, &*read(&js::value(&subject), &args)?).await?,
        Call::WaitForApproval => {
            let challenge = args::OobChallengeInput::from_json(&js::value(&subject))?;
            let on_pending = js::on_pending(&options)?;
            let report = |seconds_left: u64| {
                if let Some(callback) = &on_pending {
                    // The app's callback throwing must not end the wait.
                    let _ = callback.call1(&JsValue::UNDEFINED, &JsValue::from_f64(seconds_left as f64));
                }
            };
            results::sign_in(&flow::wait_for_approval(&cx, args::oob_challenge(challenge)?, report).await?)
        }
        Call::VerifyIdToken => {
            let id_token = args::id_token(subject.as_string())?;
            let max_age = args::max_age_seconds(&args)?;
            flow::verify_id_token(&cx, &WebCryptoVerifier, &client.keys, &id_token, max_age).await?
        }
    };
    // An empty result is `undefined` (`revoke`).
    if text.is_empty() {
        return Ok(JsValue::UNDEFINED);
    }
    js::parse_json(&text)
}
