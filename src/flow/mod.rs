//! The SDK's steps, generic over how requests are sent and how time passes (oauth2-rs style),
//! so they run natively under `cargo test` with a scripted transport and a fake clock, and in
//! the browser with fetch and `setTimeout`.
//!
//! Every step but two is one request: [`one_request`] checks its arguments first (errors of
//! kind `input`, nothing sent), builds the request with [`crate::protocol::request`], sends it, and
//! classifies the answer with [`crate::protocol::response`] — one code path (and, in the wasm, one
//! state machine) for all of them. [`wait_for_approval`] drives
//! [`crate::protocol::poll::PollSchedule`]; [`verify_id_token`] fetches the keys and checks the
//! signature.

use std::cell::RefCell;
use std::rc::Rc;

use crate::protocol::input::{self, OobChallengeInput};
use crate::protocol::json::Value;
use crate::protocol::jwt::{self, RsaJwk};
use crate::protocol::poll::{PollEvent, PollSchedule, PollStep};
use crate::protocol::request::{self, TokenTypeHint};
use crate::protocol::response::{self, RequestKind};
use crate::protocol::{BindingMethod, Config, Error, HttpRequest, HttpResponse, OobChallenge, Secret, SignIn, TokenOutcome, Tokens};

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

/// A step that is one request and its answer (everything but [`wait_for_approval`] and
/// [`verify_id_token`]). The arguments are the caller's, unchecked.
pub enum Step<'a> {
    /// OTP as the only factor.
    SignInWithOtp { username: &'a str, otp: &'a str },
    /// Password first (usually answers `mfa_required`).
    SignInWithPassword { username: &'a str, password: &'a str },
    /// Second factor by OTP.
    VerifyMfaOtp { mfa_token: &'a str, otp: &'a str },
    /// Second factor out-of-band: `/challenge`.
    Challenge { mfa_token: &'a str, channel: &'a str },
    /// Out-of-band as the only factor: `/primary-authenticate` (or `/oob-authenticate`).
    StartOob { username: &'a str, channel: &'a str },
    /// SMS / voice: exchanges the code the user typed.
    VerifyOob { challenge: Box<OobChallengeInput>, binding_code: &'a str },
    /// One `/token` request with an `oob_code` (low-level `oobGrant`): may answer pending.
    OobGrant { oob_code: &'a str, mfa_token: Option<&'a str>, binding_code: Option<&'a str> },
    /// `refresh_token` grant; `scopes` narrows the scope when given.
    Refresh { refresh_token: &'a str, scopes: Option<Vec<String>> },
    /// `/revoke`.
    Revoke { token: &'a str, token_type_hint: Option<&'a str> },
    /// `/userinfo`.
    Userinfo { access_token: &'a str },
}

/// What a [`Step`] ends with.
#[derive(Debug)]
pub enum Outcome {
    SignIn(SignIn),
    /// `OobGrant` only.
    Poll(TokenOutcome),
    Challenge(OobChallenge),
    Tokens(Box<Tokens>),
    Revoked,
    /// `/userinfo`: the JSON text of the claims (validated as a JSON object).
    Claims(String),
}

/// How to read the answer to a step's request.
enum Expect {
    SignIn(RequestKind),
    Poll(RequestKind),
    Challenge(RequestKind, Option<Secret>),
    Refresh,
    Revoke,
    Userinfo,
}

/// Checks a step's arguments (errors of kind `input`, nothing sent) and builds its request.
#[inline(never)]
fn prepare(config: &Config, step: Step<'_>) -> Result<(HttpRequest, Expect), Error> {
    Ok(match step {
        Step::SignInWithOtp { username, otp } => {
            (request::otp_grant(config, input::username(username)?, &input::otp(otp)?), Expect::SignIn(RequestKind::Otp))
        }
        Step::SignInWithPassword { username, password } => (
            request::password_grant(config, input::username(username)?, &input::password(password)?),
            Expect::SignIn(RequestKind::Password),
        ),
        Step::VerifyMfaOtp { mfa_token, otp } => {
            (request::mfa_otp_grant(config, &mfa_token_arg(mfa_token)?, &input::otp(otp)?), Expect::SignIn(RequestKind::MfaOtp))
        }
        Step::Challenge { mfa_token, channel } => {
            let mfa_token = mfa_token_arg(mfa_token)?;
            let request = request::challenge(config, &mfa_token, input::channel(channel)?);
            (request, Expect::Challenge(RequestKind::Challenge, Some(mfa_token)))
        }
        Step::StartOob { username, channel } => (
            request::primary_authenticate(config, input::username(username)?, input::channel(channel)?),
            Expect::Challenge(RequestKind::PrimaryAuthenticate, None),
        ),
        Step::VerifyOob { challenge, binding_code } => {
            let challenge = input::oob_challenge(*challenge)?;
            if challenge.binding_method != BindingMethod::Prompt {
                return Err(Error::input("wrong_binding_method", "verifyOob is for SMS / voice; use waitForApproval for push."));
            }
            let code = input::binding_code(binding_code)?;
            (
                request::oob_grant(config, &challenge.oob_code, challenge.mfa_token.as_ref(), Some(&code)),
                Expect::SignIn(RequestKind::OobBindingCode),
            )
        }
        Step::OobGrant { oob_code, mfa_token, binding_code } => {
            let oob_code = input::opaque(oob_code, "invalid_oob_code", "oobCode must be the one startOob() or challenge() returned.")?;
            let mfa_token = mfa_token.map(mfa_token_arg).transpose()?;
            let binding_code = binding_code.map(input::binding_code).transpose()?;
            let kind = if binding_code.is_some() { RequestKind::OobBindingCode } else { RequestKind::OobPoll };
            (request::oob_grant(config, &oob_code, mfa_token.as_ref(), binding_code.as_ref()), Expect::Poll(kind))
        }
        Step::Refresh { refresh_token, scopes } => {
            let token = input::opaque(refresh_token, "invalid_refresh_token", "refreshToken must be a non-empty token.")?;
            let scope = input::scopes(scopes)?;
            (request::refresh_token_grant(config, &token, scope.as_deref()), Expect::Refresh)
        }
        Step::Revoke { token, token_type_hint } => {
            let token = input::opaque(token, "invalid_token", "token must be a non-empty token.")?;
            let hint = match token_type_hint {
                None => None,
                Some("access_token") => Some(TokenTypeHint::AccessToken),
                Some("refresh_token") => Some(TokenTypeHint::RefreshToken),
                Some(_) => return Err(Error::input("invalid_token_type_hint", "tokenTypeHint must be 'access_token' or 'refresh_token'.")),
            };
            (request::revoke(config, &token, hint), Expect::Revoke)
        }
        Step::Userinfo { access_token } => {
            let token = input::opaque(access_token, "invalid_access_token", "accessToken must be a non-empty token.")?;
            (request::userinfo(config, &token), Expect::Userinfo)
        }
    })
}

/// Classifies the answer to a step's request.
#[inline(never)]
fn finish(response: HttpResponse, expect: Expect, now_ms: f64) -> Result<Outcome, Error> {
    let status = response.status;
    Ok(match expect {
        Expect::SignIn(kind) => Outcome::SignIn(response::classify_token(&response, kind, now_ms)?.into_sign_in(status)?),
        Expect::Poll(kind) => Outcome::Poll(response::classify_token(&response, kind, now_ms)?),
        Expect::Challenge(kind, mfa_token) => Outcome::Challenge(response::classify_oob_challenge(&response, kind, now_ms, mfa_token)?),
        Expect::Refresh => match response::classify_token(&response, RequestKind::Refresh, now_ms)?.into_sign_in(status)? {
            SignIn::Success(tokens) => Outcome::Tokens(tokens),
            SignIn::MfaRequired { .. } => return Err(Error::protocol(200, "unexpected_mfa_required", "Okta asked for MFA on a refresh.")),
        },
        Expect::Revoke => {
            response::classify_revoke(&response)?;
            Outcome::Revoked
        }
        Expect::Userinfo => {
            response::classify_json(&response, RequestKind::Userinfo)?;
            // The JSON parser accepted the body, so it is UTF-8.
            Outcome::Claims(
                String::from_utf8(response.body).map_err(|_| Error::protocol(status, "invalid_json", "The response is not valid JSON."))?,
            )
        }
    })
}

/// Runs a one-request step: checks, sends, classifies. One future type for all of them, so
/// the wasm carries one state machine rather than one per operation.
pub async fn one_request<T: Transport, C: Clock>(cx: &Context<'_, T, C>, step: Step<'_>) -> Result<Outcome, Error> {
    let (request, expect) = prepare(cx.config, step)?;
    let response = cx.transport.send(&request).await?;
    classify(response, cx.clock.now_ms(), |response, now_ms| finish(response, expect, now_ms))
}

/// Runs a classifier; a rate-limited error it returns keeps how long the response asked to wait.
fn classify<R>(response: HttpResponse, now_ms: f64, classifier: impl FnOnce(HttpResponse, f64) -> Result<R, Error>) -> Result<R, Error> {
    let retry_after = response::retry_after_seconds(&response, now_ms);
    classifier(response, now_ms).map_err(|error| error.with_retry_after(retry_after))
}

fn mfa_token_arg(value: &str) -> Result<Secret, Error> {
    input::opaque(value, "invalid_mfa_token", "mfaToken must be the token from the mfa_required result.")
}

/// Push: polls `/token` until the user answers, the code expires, or the caller aborts
/// (the clock's sleep and the transport end with `aborted`). `on_pending` gets the whole
/// seconds left after each `authorization_pending`.
pub async fn wait_for_approval<T: Transport, C: Clock>(
    cx: &Context<'_, T, C>,
    challenge: OobChallengeInput,
    mut on_pending: impl FnMut(u64),
) -> Result<SignIn, Error> {
    let challenge = input::oob_challenge(challenge)?;
    if challenge.binding_method == BindingMethod::Prompt {
        return Err(Error::input("wrong_binding_method", "waitForApproval is for push; use verifyOob for SMS / voice."));
    }
    let request = request::oob_grant(cx.config, &challenge.oob_code, challenge.mfa_token.as_ref(), None);
    let mut schedule =
        PollSchedule::new(cx.clock.now_ms(), challenge.interval, challenge.expires_at_ms, cx.config.slow_down_increment_seconds);
    loop {
        match schedule.step(cx.clock.now_ms()) {
            PollStep::Expired => return Err(local_expiry()),
            PollStep::Wait(ms) => cx.clock.sleep_ms(ms).await?,
            PollStep::Poll => {
                schedule.sent(cx.clock.now_ms());
                let outcome = match cx.transport.send(&request).await {
                    Ok(response) => classify(response, cx.clock.now_ms(), |response, now_ms| {
                        response::classify_token(&response, RequestKind::OobPoll, now_ms)
                    }),
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

/// The issuer's signing keys from the last `/keys` fetch, kept by one `DirectAuth` so that
/// verifying every sign-in's ID token does not fetch them again (Okta rate-limits `/keys` and
/// asks clients to cache them). Reused for [`KEYS_MAX_AGE_MS`]; an unknown `kid` (Okta rotated
/// its keys) fetches them once more.
#[derive(Default)]
pub struct KeyCache(RefCell<Option<(Rc<Value>, f64)>>);

impl KeyCache {
    fn fresh(&self, now_ms: f64) -> Option<Rc<Value>> {
        match &*self.0.borrow() {
            Some((jwks, fetched_at_ms)) if now_ms - fetched_at_ms < KEYS_MAX_AGE_MS => Some(Rc::clone(jwks)),
            _ => None,
        }
    }

    fn store(&self, jwks: Rc<Value>, now_ms: f64) {
        *self.0.borrow_mut() = Some((jwks, now_ms));
    }
}

/// Verifies an ID token (signature with the issuer's key, then the claims). Returns the
/// claims' JSON text.
pub async fn verify_id_token<T: Transport, C: Clock, V: SignatureVerifier>(
    cx: &Context<'_, T, C>,
    verifier: &V,
    keys: &KeyCache,
    id_token: &str,
) -> Result<String, Error> {
    let decoded = jwt::decode(id_token)?;
    let now_ms = cx.clock.now_ms();
    let expect = jwt::Expectations {
        issuer: &cx.config.issuer,
        client_id: &cx.config.client_id,
        now_seconds: (now_ms / 1000.0) as i64,
        clock_skew_seconds: i64::from(cx.config.clock_skew_seconds),
    };
    jwt::check_id_token(&decoded, &expect)?;
    let cached = keys.fresh(now_ms);
    let key = match cached.as_deref().map(|jwks| jwt::select_key(jwks, &decoded)) {
        Some(Ok(key)) => key,
        // None cached, too old, or not the key this token names (Okta rotated its keys): fetch.
        _ => {
            let response = cx.transport.send(&request::keys(cx.config)).await?;
            let jwks = Rc::new(classify(response, now_ms, |response, _| response::classify_json(&response, RequestKind::Keys))?);
            keys.store(Rc::clone(&jwks), now_ms);
            jwt::select_key(&jwks, &decoded)?
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
    Ok(decoded.claims_json)
}
