//! The SDK's steps as async functions, generic over how requests are sent and how time
//! passes (oauth2-rs style), so they run natively under `cargo test` with a scripted
//! transport and a fake clock, and in the browser with fetch and `setTimeout`.
//!
//! Each function checks its arguments first (errors of kind `input`, nothing sent), builds
//! its request with [`protocol::request`], sends it, and classifies the answer with
//! [`protocol::response`]. [`wait_for_approval`] drives [`protocol::poll::PollSchedule`].

use crate::protocol::input::{self, OobChallengeInput};
use crate::protocol::jwt::{self, RsaJwk};
use crate::protocol::poll::{PollEvent, PollSchedule, PollStep};
use crate::protocol::request::{self, TokenTypeHint};
use crate::protocol::response::{self, RequestKind};
use crate::protocol::{BindingMethod, Config, Error, HttpRequest, HttpResponse, OobChallenge, SignIn, TokenOutcome, Tokens};

#[cfg(all(test, not(target_arch = "wasm32")))] // proptest is native-only
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

impl<T: Transport, C: Clock> Context<'_, T, C> {
    /// Sends a `/token` request that must end in a sign-in result (not "pending").
    async fn token(&self, request: HttpRequest, kind: RequestKind) -> Result<SignIn, Error> {
        let response = self.transport.send(&request).await?;
        response::classify_token(&response, kind, self.clock.now_ms())?.into_sign_in(response.status)
    }

    async fn oob_start(&self, request: HttpRequest, kind: RequestKind, mfa_token: Option<crate::protocol::Secret>) -> Result<OobChallenge, Error> {
        let response = self.transport.send(&request).await?;
        response::classify_oob_challenge(&response, kind, self.clock.now_ms(), mfa_token)
    }
}

/// OTP as the only factor.
pub async fn sign_in_with_otp<T: Transport, C: Clock>(cx: &Context<'_, T, C>, username: &str, otp: &str) -> Result<SignIn, Error> {
    let username = input::username(username)?;
    let otp = input::otp(otp)?;
    cx.token(request::otp_grant(cx.config, username, &otp), RequestKind::Otp).await
}

/// Password first (usually answers `mfa_required`).
pub async fn sign_in_with_password<T: Transport, C: Clock>(cx: &Context<'_, T, C>, username: &str, password: &str) -> Result<SignIn, Error> {
    let username = input::username(username)?;
    let password = input::password(password)?;
    cx.token(request::password_grant(cx.config, username, &password), RequestKind::Password).await
}

/// Second factor by OTP.
pub async fn verify_mfa_otp<T: Transport, C: Clock>(cx: &Context<'_, T, C>, mfa_token: &str, otp: &str) -> Result<SignIn, Error> {
    let mfa_token = mfa_token_arg(mfa_token)?;
    let otp = input::otp(otp)?;
    cx.token(request::mfa_otp_grant(cx.config, &mfa_token, &otp), RequestKind::MfaOtp).await
}

fn mfa_token_arg(value: &str) -> Result<crate::protocol::Secret, Error> {
    input::opaque(value, "invalid_mfa_token", "mfaToken must be the token from the mfa_required result.")
}

/// Second factor out-of-band: `/challenge`.
pub async fn challenge<T: Transport, C: Clock>(cx: &Context<'_, T, C>, mfa_token: &str, channel: &str) -> Result<OobChallenge, Error> {
    let mfa_token = mfa_token_arg(mfa_token)?;
    let channel = input::channel(channel)?;
    cx.oob_start(request::challenge(cx.config, &mfa_token, channel), RequestKind::Challenge, Some(mfa_token)).await
}

/// Out-of-band as the only factor: `/primary-authenticate` (or `/oob-authenticate`).
pub async fn start_oob<T: Transport, C: Clock>(cx: &Context<'_, T, C>, username: &str, channel: &str) -> Result<OobChallenge, Error> {
    let username = input::username(username)?;
    let channel = input::channel(channel)?;
    cx.oob_start(request::primary_authenticate(cx.config, username, channel), RequestKind::PrimaryAuthenticate, None).await
}

/// SMS / voice: exchanges the code the user typed. One request.
pub async fn verify_oob<T: Transport, C: Clock>(cx: &Context<'_, T, C>, challenge: OobChallengeInput, binding_code: &str) -> Result<SignIn, Error> {
    let challenge = input::oob_challenge(challenge)?;
    if challenge.binding_method != BindingMethod::Prompt {
        return Err(Error::input("wrong_binding_method", "verifyOob is for SMS / voice challenges (bindingMethod 'prompt'); use waitForApproval for push."));
    }
    let code = input::binding_code(binding_code)?;
    let request = request::oob_grant(cx.config, &challenge.oob_code, challenge.mfa_token.as_ref(), Some(&code));
    cx.token(request, RequestKind::OobBindingCode).await
}

/// One `/token` request with an `oob_code` (low-level `oobGrant`): may answer pending.
pub async fn oob_grant<T: Transport, C: Clock>(
    cx: &Context<'_, T, C>,
    oob_code: &str,
    mfa_token: Option<&str>,
    binding_code: Option<&str>,
) -> Result<TokenOutcome, Error> {
    let oob_code = input::opaque(oob_code, "invalid_oob_code", "oobCode must be the code startOob() or challenge() returned.")?;
    let mfa_token = mfa_token.map(mfa_token_arg).transpose()?;
    let binding_code = binding_code.map(input::binding_code).transpose()?;
    let kind = if binding_code.is_some() { RequestKind::OobBindingCode } else { RequestKind::OobPoll };
    let request = request::oob_grant(cx.config, &oob_code, mfa_token.as_ref(), binding_code.as_ref());
    let response = cx.transport.send(&request).await?;
    response::classify_token(&response, kind, cx.clock.now_ms())
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
        return Err(Error::input("wrong_binding_method", "waitForApproval is for push challenges; SMS / voice codes go to verifyOob."));
    }
    let request = request::oob_grant(cx.config, &challenge.oob_code, challenge.mfa_token.as_ref(), None);
    let mut schedule = PollSchedule::new(cx.clock.now_ms(), challenge.interval, challenge.expires_at_ms, cx.config.slow_down_increment_seconds);
    loop {
        match schedule.step(cx.clock.now_ms()) {
            PollStep::Expired => return Err(local_expiry()),
            PollStep::Wait(ms) => cx.clock.sleep_ms(ms).await?,
            PollStep::Poll => {
                schedule.sent(cx.clock.now_ms());
                let outcome = match cx.transport.send(&request).await {
                    Ok(response) => response::classify_token(&response, RequestKind::OobPoll, cx.clock.now_ms()),
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
                        if schedule.record(PollEvent::TransientFailure).is_err() {
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
        "The out-of-band code expired before the user answered (expires_in ran out).",
        crate::protocol::error::hints::EXPIRED,
    )
}

/// `refresh_token` grant; `scopes` narrows the scope when given.
pub async fn refresh<T: Transport, C: Clock>(cx: &Context<'_, T, C>, refresh_token: &str, scopes: Option<Vec<String>>) -> Result<Tokens, Error> {
    let token = input::opaque(refresh_token, "invalid_refresh_token", "refreshToken must be a non-empty token.")?;
    let scope = input::scopes(scopes)?;
    match cx.token(request::refresh_token_grant(cx.config, &token, scope.as_deref()), RequestKind::Refresh).await? {
        SignIn::Success(tokens) => Ok(tokens),
        SignIn::MfaRequired { .. } => Err(Error::protocol(200, "unexpected_mfa_required", "Okta asked for MFA on a refresh.")),
    }
}

/// `/revoke`.
pub async fn revoke<T: Transport, C: Clock>(cx: &Context<'_, T, C>, token: &str, token_type_hint: Option<&str>) -> Result<(), Error> {
    let token = input::opaque(token, "invalid_token", "token must be a non-empty token.")?;
    let hint = match token_type_hint {
        None => None,
        Some("access_token") => Some(TokenTypeHint::AccessToken),
        Some("refresh_token") => Some(TokenTypeHint::RefreshToken),
        Some(_) => return Err(Error::input("invalid_token_type_hint", "tokenTypeHint must be 'access_token' or 'refresh_token'.")),
    };
    let response = cx.transport.send(&request::revoke(cx.config, &token, hint)).await?;
    response::classify_revoke(&response)
}

/// `/userinfo`: returns the JSON text of the claims (validated as a JSON object).
pub async fn userinfo<T: Transport, C: Clock>(cx: &Context<'_, T, C>, access_token: &str) -> Result<Vec<u8>, Error> {
    let token = input::opaque(access_token, "invalid_access_token", "accessToken must be a non-empty token.")?;
    let response = cx.transport.send(&request::userinfo(cx.config, &token)).await?;
    response::classify_json(&response, RequestKind::Userinfo)?;
    Ok(response.body)
}

/// Verifies an ID token (signature with the issuer's key, then the claims). Returns the
/// claims' JSON text.
pub async fn verify_id_token<T: Transport, C: Clock, V: SignatureVerifier>(cx: &Context<'_, T, C>, verifier: &V, id_token: &str) -> Result<String, Error> {
    let decoded = jwt::decode(id_token)?;
    let expect = jwt::Expectations {
        issuer: &cx.config.issuer,
        client_id: &cx.config.client_id,
        now_seconds: (cx.clock.now_ms() / 1000.0) as i64,
        clock_skew_seconds: i64::from(cx.config.clock_skew_seconds),
    };
    jwt::check_id_token(&decoded, &expect)?;
    let response = cx.transport.send(&request::keys(cx.config)).await?;
    let jwks = response::classify_json(&response, RequestKind::Keys)?;
    let key = jwt::select_key(&jwks, &decoded)?;
    if !verifier.verify_rs256(&key, decoded.signing_input.as_bytes(), &decoded.signature).await? {
        return Err(Error::local(
            crate::protocol::ErrorKind::Protocol,
            "invalid_id_token_signature",
            "The ID token's signature does not verify with the issuer's key.",
            crate::protocol::error::hints::ID_TOKEN,
        ));
    }
    Ok(decoded.claims_json)
}
