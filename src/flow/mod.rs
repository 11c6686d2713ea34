//! The SDK's flows, generic over how requests are sent and how time passes (oauth2-rs style),
//! so they run natively under `cargo test` with a scripted transport and a fake clock, and in
//! the browser with fetch and `setTimeout`.
//!
//! [`run`] sends one [`Step`] and reads its answer: every call but two is one step, and the
//! wasm runs them all as one `dyn Step` (one state machine). [`wait_for_approval`] drives
//! [`crate::protocol::poll::PollSchedule`] with the poll step; [`verify_id_token`] fetches the
//! keys and checks the signature.

use std::cell::RefCell;
use std::rc::Rc;

use crate::protocol::json::Value;
use crate::protocol::jwt::{self, RsaJwk};
use crate::protocol::poll::{PollEvent, PollSchedule, PollStep};
use crate::protocol::response;
use crate::protocol::secret::IdToken;
use crate::protocol::steps::{Keys, OobGrant};
use crate::protocol::{BindingMethod, Config, Error, HttpRequest, HttpResponse, OobChallenge, SignIn, Step, TokenOutcome};

#[cfg(test)]
#[cfg(not(target_arch = "wasm32"))] // proptest is native-only
mod tests;

// The wasm side is single-threaded: these futures never need to be `Send`.
#[allow(async_fn_in_trait)]
/// Sends one request. `Err` only when there is no response: network failure, timeout, abort.
pub trait Transport {
    async fn send(&self, request: &HttpRequest) -> Result<HttpResponse, Error>;
}

#[allow(async_fn_in_trait)]
/// The time, and a sleep that ends early with an `aborted` error when the caller cancels.
pub trait Clock {
    /// Milliseconds since the Unix epoch.
    fn now_ms(&self) -> f64;
    async fn sleep_ms(&self, ms: f64) -> Result<(), Error>;
}

#[allow(async_fn_in_trait)]
/// Checks an RS256 (RSASSA-PKCS1-v1_5, SHA-256) signature with a JWK (WebCrypto in browsers).
pub trait SignatureVerifier {
    async fn verify_rs256(&self, key: &RsaJwk, signing_input: &[u8], signature: &[u8]) -> Result<bool, Error>;
}

/// What every step needs: the validated options, a transport and a clock.
pub struct Context<'a, T, C> {
    pub config: &'a Config,
    pub transport: &'a T,
    pub clock: &'a C,
}

/// Sends one step's request and reads its answer. `S` is a `dyn Step` in the wasm (one future
/// for every call) and each concrete step in native tests.
pub async fn run<T: Transport, C: Clock, S: Step + ?Sized>(cx: &Context<'_, T, C>, step: &S) -> Result<S::Output, Error> {
    step.check(cx.config)?;
    let response = cx.transport.send(&step.request(cx.config)).await?;
    classify(response, cx.clock.now_ms(), |response, now_ms| step.process(response, now_ms))
}

/// Runs a classifier; a rate-limited error it returns keeps how long the response asked to wait.
fn classify<R>(response: HttpResponse, now_ms: f64, classifier: impl FnOnce(HttpResponse, f64) -> Result<R, Error>) -> Result<R, Error> {
    let retry_after = response::retry_after_seconds(&response, now_ms);
    classifier(response, now_ms).map_err(|error| error.with_retry_after(retry_after))
}

/// Push: polls `/token` until the user answers, the code expires, or the caller aborts
/// (the clock's sleep and the transport end with `aborted`). `on_pending` gets the whole
/// seconds left after each `authorization_pending`.
pub async fn wait_for_approval<T: Transport, C: Clock>(
    cx: &Context<'_, T, C>,
    challenge: OobChallenge,
    mut on_pending: impl FnMut(u64),
) -> Result<SignIn, Error> {
    if challenge.binding_method == BindingMethod::Prompt {
        return Err(Error::input("wrong_binding_method", "waitForApproval is for push; use verifyOob for SMS, voice and email."));
    }
    let (interval, expires_at_ms) = (challenge.interval, challenge.expires_at_ms);
    let poll = OobGrant { oob_code: challenge.oob_code, mfa_token: challenge.mfa_token, binding_code: None, intent: challenge.intent };
    let request = poll.request(cx.config);
    let mut schedule = PollSchedule::new(cx.clock.now_ms(), interval, expires_at_ms, cx.config.slow_down_increment_seconds);
    loop {
        match schedule.step(cx.clock.now_ms()) {
            PollStep::Expired => return Err(local_expiry()),
            PollStep::Wait(ms) => cx.clock.sleep_ms(ms).await?,
            PollStep::Poll => {
                schedule.sent(cx.clock.now_ms());
                let outcome = match cx.transport.send(&request).await {
                    Ok(response) => classify(response, cx.clock.now_ms(), |response, now_ms| poll.process(response, now_ms)),
                    Err(error) => Err(error),
                };
                match outcome {
                    Ok(TokenOutcome::Done(result)) => return Ok(result),
                    Ok(TokenOutcome::Pending) => {
                        // Only transient failures count against the retry budget; this cannot fail.
                        let _ = schedule.record(PollEvent::Pending);
                        on_pending(schedule.seconds_left(cx.clock.now_ms()));
                    }
                    Ok(TokenOutcome::SlowDown) => {
                        let _ = schedule.record(PollEvent::SlowDown);
                    }
                    Err(error) if error.is_transient() => {
                        let reset_at_ms = error.retry_after_seconds.map(|s| cx.clock.now_ms() + f64::from(s) * 1000.0);
                        if schedule.record(PollEvent::TransientFailure).is_err() || reset_at_ms.is_some_and(|at| !schedule.defer_until(at))
                        {
                            return Err(error);
                        }
                    }
                    Err(error) => return Err(error),
                }
            }
        }
    }
}

fn local_expiry() -> Error {
    Error::local(
        crate::protocol::ErrorKind::Expired,
        "expired_token",
        "The out-of-band code expired before the user answered.",
        crate::protocol::error::hints::EXPIRED,
    )
}

/// How long fetched signing keys are reused. A token naming a key the cache lacks fetches at once.
pub const KEYS_MAX_AGE_MS: f64 = 3_600_000.0;
/// The least time between two refetches for an unknown `kid`: a stream of tokens naming random
/// keys then costs `/keys` (which Okta rate-limits) at most one request per cooldown.
pub const KEYS_REFETCH_COOLDOWN_MS: f64 = 30_000.0;

/// The issuer's signing keys from the last `/keys` fetch, kept by one `DirectAuth` instance
/// (two instances with the same options each fetch their own) so that
/// verifying every sign-in's ID token does not fetch them again (Okta rate-limits `/keys` and
/// asks clients to cache them). Reused for [`KEYS_MAX_AGE_MS`]; an unknown `kid` (Okta rotated
/// its keys) refetches them past the HTTP cache, at most once per [`KEYS_REFETCH_COOLDOWN_MS`].
#[derive(Default)]
pub struct KeyCache {
    keys: RefCell<Option<(Rc<Value>, f64)>>,
    last_refetch_ms: RefCell<Option<f64>>,
}

impl KeyCache {
    fn fresh(&self, now_ms: f64) -> Option<Rc<Value>> {
        match &*self.keys.borrow() {
            Some((jwks, fetched_at_ms)) if now_ms - fetched_at_ms < KEYS_MAX_AGE_MS => Some(Rc::clone(jwks)),
            _ => None,
        }
    }

    fn store(&self, jwks: Rc<Value>, now_ms: f64) {
        *self.keys.borrow_mut() = Some((jwks, now_ms));
    }

    /// Whether a refetch for an unknown `kid` may go out now (and records it when it may).
    fn may_refetch(&self, now_ms: f64) -> bool {
        let mut last = self.last_refetch_ms.borrow_mut();
        if last.is_some_and(|at| now_ms - at < KEYS_REFETCH_COOLDOWN_MS) {
            return false;
        }
        *last = Some(now_ms);
        true
    }
}

/// Verifies an ID token: its header, its signature with the issuer's key, then its claims
/// (so no claim of an unsigned or forged token is ever read). Returns the claims' JSON text.
pub async fn verify_id_token<T: Transport, C: Clock, V: SignatureVerifier>(
    cx: &Context<'_, T, C>,
    verifier: &V,
    keys: &KeyCache,
    id_token: &IdToken,
    max_age_seconds: Option<i64>,
) -> Result<String, Error> {
    let decoded = jwt::decode(id_token.expose())?;
    jwt::check_id_token_header(&decoded)?;
    let now_ms = cx.clock.now_ms();
    // One fetch site (one await in this future): the cached keys, else a fetch; then, for a
    // kid they lack (Okta rotated its keys, or the token is forged), one refetch past the HTTP
    // cache unless one went out within the cooldown.
    let mut bypass_cache = false;
    let key = loop {
        let jwks = match keys.fresh(now_ms).filter(|_| !bypass_cache) {
            Some(jwks) => jwks,
            None => {
                let step = Keys { bypass_cache };
                let response = cx.transport.send(&step.request(cx.config)).await?;
                let jwks = Rc::new(classify(response, now_ms, |response, _| step.process(response, now_ms))?);
                keys.store(Rc::clone(&jwks), now_ms);
                jwks
            }
        };
        match jwt::select_key(&jwks, &decoded) {
            Ok(key) => break key,
            Err(error) if error.code == "unknown_signing_key" && !bypass_cache && keys.may_refetch(now_ms) => bypass_cache = true,
            Err(error) => return Err(error),
        }
    };
    if !verifier.verify_rs256(&key, decoded.signing_input.as_bytes(), &decoded.signature).await? {
        return Err(Error::local(
            crate::protocol::ErrorKind::Protocol,
            "invalid_id_token_signature",
            "The ID token's signature does not verify.",
            crate::protocol::error::hints::ID_TOKEN,
        ));
    }
    let expect = jwt::Expectations {
        issuer: &cx.config.issuer,
        client_id: &cx.config.client_id,
        // `as` saturates (and reads NaN as 0).
        now_seconds: (cx.clock.now_ms() / 1000.0) as i64,
        clock_skew_seconds: i64::from(cx.config.clock_skew_seconds),
        max_age_seconds,
    };
    jwt::check_id_token_claims(&decoded, &expect)?;
    Ok(decoded.claims_json)
}
