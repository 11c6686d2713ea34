//! The flows against a scripted transport and a fake clock: no network, no real time.

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::future::Future;
use std::pin::pin;
use std::task::{Context as TaskContext, Poll, RawWaker, RawWakerVTable, Waker};

use super::*;

#[cfg(feature = "passkeys")]
mod passkey;
use crate::face::args::{self, OobChallengeInput};
use crate::face::calls;
use crate::face::members::Members;
use crate::protocol::base64url::encode as b64;
use crate::protocol::secret::RefreshToken;
use crate::protocol::steps::{Challenge, MfaOtpGrant, OtpGrant, PasswordGrant, PrimaryAuthenticate, RefreshTokenGrant};
use crate::protocol::{form, json, Channel, ConfigInput, ErrorKind, Intent, Tokens};

/// Runs a future that never waits on anything outside itself (all our fakes are ready at once).
fn block_on<F: Future>(future: F) -> F::Output {
    fn noop_raw() -> RawWaker {
        fn clone(_: *const ()) -> RawWaker {
            noop_raw()
        }
        fn noop(_: *const ()) {}
        static VTABLE: RawWakerVTable = RawWakerVTable::new(clone, noop, noop, noop);
        RawWaker::new(std::ptr::null(), &VTABLE)
    }
    // SAFETY: the vtable's functions do nothing and never touch the (null) data pointer.
    let waker = unsafe { Waker::from_raw(noop_raw()) };
    let mut cx = TaskContext::from_waker(&waker);
    let mut future = pin!(future);
    loop {
        if let Poll::Ready(output) = future.as_mut().poll(&mut cx) {
            return output;
        }
    }
}

// The calls the tests drive: the caller's arguments checked by the face, as the api does, then
// the protocol step run by [`run`], the one code path the wasm uses.

async fn sign_in_with_otp<T: Transport, C: Clock>(cx: &Context<'_, T, C>, username: &str, otp: &str) -> Result<SignIn, Error> {
    run(cx, &OtpGrant { username: args::username(username)?.to_owned(), otp: args::otp(otp)?, intent: Intent::SignIn }).await
}

async fn sign_in_with_password<T: Transport, C: Clock>(cx: &Context<'_, T, C>, username: &str, password: &str) -> Result<SignIn, Error> {
    run(cx, &PasswordGrant { username: args::username(username)?.to_owned(), password: args::password(password)? }).await
}

async fn verify_mfa_otp<T: Transport, C: Clock>(cx: &Context<'_, T, C>, mfa_token: &str, otp: &str) -> Result<SignIn, Error> {
    run(cx, &MfaOtpGrant { mfa_token: args::mfa_token(mfa_token)?, otp: args::otp(otp)? }).await
}

async fn challenge<T: Transport, C: Clock>(cx: &Context<'_, T, C>, mfa_token: &str, channel: &str) -> Result<OobChallenge, Error> {
    run(cx, &Challenge { mfa_token: args::mfa_token(mfa_token)?, channel: args::channel(channel)? }).await
}

async fn start_oob<T: Transport, C: Clock>(cx: &Context<'_, T, C>, username: &str, channel: &str) -> Result<OobChallenge, Error> {
    run(
        cx,
        &PrimaryAuthenticate { username: args::username(username)?.to_owned(), channel: args::channel(channel)?, intent: Intent::SignIn },
    )
    .await
}

async fn verify_oob<T: Transport, C: Clock>(
    cx: &Context<'_, T, C>,
    challenge: OobChallengeInput,
    binding_code: &str,
) -> Result<SignIn, Error> {
    run(cx, &calls::binding_code_grant(args::oob_challenge(challenge)?, binding_code)?).await
}

async fn wait<T: Transport, C: Clock>(
    cx: &Context<'_, T, C>,
    challenge: OobChallengeInput,
    on_pending: impl FnMut(u64),
) -> Result<SignIn, Error> {
    wait_for_approval(cx, args::oob_challenge(challenge)?, on_pending).await
}

/// The low-level `oobGrant`, through its face reader: the JS result's JSON.
async fn oob_grant<T: Transport, C: Clock>(cx: &Context<'_, T, C>, args: &str) -> Result<Value, Error> {
    let step = calls::oob_grant(&Value::Null, &json::parse(args.as_bytes()).unwrap())?;
    Ok(json::parse(run(cx, &*step).await?.as_bytes()).unwrap())
}

async fn refresh<T: Transport, C: Clock>(
    cx: &Context<'_, T, C>,
    refresh_token: &str,
    scopes: Option<Vec<String>>,
) -> Result<Tokens, Error> {
    let token = args::opaque(refresh_token, "invalid_refresh_token", "refreshToken must be a non-empty token.")?;
    run(cx, &RefreshTokenGrant { refresh_token: Some(RefreshToken::new(token)), scope: args::scopes(scopes)? }).await
}

/// `revoke`, through its face reader.
async fn revoke<T: Transport, C: Clock>(cx: &Context<'_, T, C>, args: &str) -> Result<String, Error> {
    run(cx, &*calls::revoke(&Value::Null, &json::parse(args.as_bytes()).unwrap())?).await
}

/// Replays responses in order and records each request with the time it was sent.
struct Scripted<'c> {
    clock: &'c FakeClock,
    replies: RefCell<VecDeque<Result<HttpResponse, Error>>>,
    sent: RefCell<Vec<(f64, HttpRequest)>>,
}

impl<'c> Scripted<'c> {
    fn new(clock: &'c FakeClock, replies: Vec<Result<HttpResponse, Error>>) -> Self {
        Scripted { clock, replies: RefCell::new(replies.into()), sent: RefCell::new(Vec::new()) }
    }
    fn times(&self) -> Vec<f64> {
        self.sent.borrow().iter().map(|(t, _)| *t).collect()
    }
}

impl Transport for Scripted<'_> {
    async fn send(&self, request: &HttpRequest) -> Result<HttpResponse, Error> {
        if self.clock.aborted.get() {
            return Err(Error::aborted());
        }
        self.sent.borrow_mut().push((self.clock.now_ms(), request.clone()));
        self.replies.borrow_mut().pop_front().expect("the script ran out: an unexpected request was sent")
    }
}

/// Time moves only when the flow sleeps. `abort_after_sleeps` simulates the caller's signal.
struct FakeClock {
    now: Cell<f64>,
    sleeps: Cell<u32>,
    abort_after_sleeps: Option<u32>,
    aborted: Cell<bool>,
}

impl FakeClock {
    fn new() -> Self {
        FakeClock { now: Cell::new(1_000_000.0), sleeps: Cell::new(0), abort_after_sleeps: None, aborted: Cell::new(false) }
    }
}

impl Clock for FakeClock {
    fn now_ms(&self) -> f64 {
        self.now.get()
    }
    async fn sleep_ms(&self, ms: f64) -> Result<(), Error> {
        if self.abort_after_sleeps == Some(self.sleeps.get()) {
            self.aborted.set(true);
            return Err(Error::aborted());
        }
        self.sleeps.set(self.sleeps.get() + 1);
        self.now.set(self.now.get() + ms);
        Ok(())
    }
}

fn config() -> Config {
    ConfigInput { issuer: "https://x.okta.com".into(), client_id: "0oa-demo-spa".into(), ..Default::default() }.validate().unwrap()
}

fn json(status: u16, body: &str) -> Result<HttpResponse, Error> {
    Ok(HttpResponse { status, content_type: Some("application/json".into()), body: body.as_bytes().to_vec(), ..Default::default() })
}

const TOKENS: &str = r#"{"token_type":"Bearer","expires_in":3600,"access_token":"at","scope":"openid profile","id_token":"x.y.z"}"#;
const PENDING: &str =
    r#"{"error":"authorization_pending","error_description":"No user response received on the out-of-band authenticator yet."}"#;
const SLOW_DOWN: &str = r#"{"error":"slow_down"}"#;

fn push_challenge(clock: &FakeClock, interval: Option<f64>, expires_in: f64) -> OobChallengeInput {
    OobChallengeInput {
        oob_code: Some("oob-1".into()),
        channel: Some("push".into()),
        binding_method: Some("none".into()),
        expires_in: Some(expires_in),
        expires_at: Some(clock.now_ms() + expires_in * 1000.0),
        interval,
        ..Default::default()
    }
}

fn field(request: &HttpRequest, name: &str) -> Option<String> {
    form::decode(request.body.as_deref()?).into_iter().find(|(k, _)| k == name).map(|(_, v)| v)
}

#[test]
fn password_then_mfa_otp() {
    let clock = FakeClock::new();
    let config = config();
    let transport = Scripted::new(&clock, vec![json(403, r#"{"error":"mfa_required","mfa_token":"mfa-1"}"#), json(200, TOKENS)]);
    let cx = Context { config: &config, transport: &transport, clock: &clock };
    let SignIn::MfaRequired { mfa_token, .. } = block_on(sign_in_with_password(&cx, "mfa.otp@example.com", "pw")).unwrap() else {
        panic!()
    };
    let SignIn::Success(tokens) = block_on(verify_mfa_otp(&cx, mfa_token.expose(), "123456")).unwrap() else { panic!() };
    assert_eq!(tokens.access_token.expose(), "at");
    let sent = transport.sent.borrow();
    assert_eq!(field(&sent[1].1, "mfa_token").as_deref(), Some("mfa-1"));
    assert_eq!(field(&sent[0].1, "scope"), field(&sent[1].1, "scope"));
}

#[test]
fn caller_mistakes_send_nothing() {
    let clock = FakeClock::new();
    let config = config();
    let transport = Scripted::new(&clock, vec![]);
    let cx = Context { config: &config, transport: &transport, clock: &clock };
    let kind = |r: Result<SignIn, Error>| r.unwrap_err().kind;
    assert_eq!(kind(block_on(sign_in_with_otp(&cx, "", "123456"))), ErrorKind::Input);
    assert_eq!(kind(block_on(sign_in_with_otp(&cx, "u", "12345"))), ErrorKind::Input);
    assert_eq!(kind(block_on(sign_in_with_password(&cx, "u", ""))), ErrorKind::Input);
    assert_eq!(kind(block_on(verify_mfa_otp(&cx, "", "123456"))), ErrorKind::Input);
    assert_eq!(block_on(start_oob(&cx, "u", "fax")).unwrap_err().code, "invalid_channel");
    assert_eq!(block_on(challenge(&cx, "m", "fax")).unwrap_err().kind, ErrorKind::Input);
    assert_eq!(block_on(refresh(&cx, "", None)).unwrap_err().kind, ErrorKind::Input);
    assert_eq!(block_on(revoke(&cx, r#"{"token":"t","tokenTypeHint":"id_token"}"#)).unwrap_err().kind, ErrorKind::Input);
    let sms =
        OobChallengeInput { binding_method: Some("prompt".into()), channel: Some("sms".into()), ..push_challenge(&clock, None, 300.0) };
    assert_eq!(block_on(wait(&cx, sms.clone(), |_| {})).unwrap_err().code, "wrong_binding_method");
    assert_eq!(block_on(verify_oob(&cx, sms, " ")).unwrap_err().code, "invalid_binding_code");
    assert_eq!(block_on(verify_oob(&cx, push_challenge(&clock, None, 300.0), "123456")).unwrap_err().code, "wrong_binding_method");
    assert!(transport.sent.borrow().is_empty());
}

#[test]
fn push_approved_after_pending_polls_one_interval_apart() {
    let clock = FakeClock::new();
    let start = clock.now_ms();
    let config = config();
    let transport = Scripted::new(&clock, vec![json(400, PENDING), json(400, PENDING), json(200, TOKENS)]);
    let cx = Context { config: &config, transport: &transport, clock: &clock };
    let mut seconds_left = Vec::new();
    let result = block_on(wait(&cx, push_challenge(&clock, Some(2.0), 300.0), |s| seconds_left.push(s)));
    assert!(matches!(result, Ok(SignIn::Success(_))));
    assert_eq!(transport.times(), vec![start + 2_000.0, start + 4_000.0, start + 6_000.0]);
    assert_eq!(seconds_left, vec![298, 296]);
    let sent = transport.sent.borrow();
    assert_eq!(field(&sent[0].1, "grant_type").as_deref(), Some("urn:okta:params:oauth:grant-type:oob"));
    assert_eq!(field(&sent[0].1, "oob_code").as_deref(), Some("oob-1"));
}

#[test]
fn mfa_push_polls_with_mfa_oob_grant() {
    let clock = FakeClock::new();
    let config = config();
    let transport = Scripted::new(&clock, vec![json(200, TOKENS)]);
    let cx = Context { config: &config, transport: &transport, clock: &clock };
    let challenge = OobChallengeInput {
        mfa_token: Some("mfa-1".into()),
        binding_method: Some("transfer".into()),
        binding_code: Some("95".into()),
        ..push_challenge(&clock, None, 300.0)
    };
    block_on(wait(&cx, challenge, |_| {})).unwrap();
    let sent = transport.sent.borrow();
    assert_eq!(sent[0].0, clock.now_ms(), "default interval 5 s");
    assert_eq!(field(&sent[0].1, "grant_type").as_deref(), Some("http://auth0.com/oauth/grant-type/mfa-oob"));
    assert_eq!(field(&sent[0].1, "mfa_token").as_deref(), Some("mfa-1"));
    assert_eq!(field(&sent[0].1, "binding_code"), None, "transfer: nothing is sent back");
}

#[test]
fn slow_down_adds_to_every_later_interval() {
    let clock = FakeClock::new();
    let start = clock.now_ms();
    let config = config();
    let transport =
        Scripted::new(&clock, vec![json(400, SLOW_DOWN), json(400, PENDING), json(400, SLOW_DOWN), json(400, PENDING), json(200, TOKENS)]);
    let cx = Context { config: &config, transport: &transport, clock: &clock };
    block_on(wait(&cx, push_challenge(&clock, Some(1.0), 300.0), |_| {})).unwrap();
    // interval 1 s; slow_down → 6 s; pending keeps 6 s; slow_down → 11 s; pending keeps 11 s.
    let offsets: Vec<f64> = transport.times().iter().map(|t| t - start).collect();
    assert_eq!(offsets, vec![1_000.0, 7_000.0, 13_000.0, 24_000.0, 35_000.0]);
}

#[test]
fn stops_at_expiry_with_kind_expired() {
    let clock = FakeClock::new();
    let config = config();
    let transport = Scripted::new(&clock, vec![json(400, PENDING), json(400, PENDING)]);
    let cx = Context { config: &config, transport: &transport, clock: &clock };
    let error = block_on(wait(&cx, push_challenge(&clock, Some(5.0), 12.0), |_| {})).unwrap_err();
    assert_eq!((error.kind, error.code.as_ref()), (ErrorKind::Expired, "expired_token"));
    assert_eq!(transport.sent.borrow().len(), 2, "no poll at or after expiry");
}

#[test]
fn server_expiry_denial_and_other_errors_end_the_wait() {
    for (body, status, kind) in [
        (r#"{"error":"access_denied","error_description":"'oob_code' has expired."}"#, 403, ErrorKind::Expired),
        (r#"{"error":"invalid_grant","error_description":"User rejected the push."}"#, 400, ErrorKind::Denied),
        (r#"{"error":"invalid_client"}"#, 401, ErrorKind::OAuth),
    ] {
        let clock = FakeClock::new();
        let config = config();
        let transport = Scripted::new(&clock, vec![json(400, PENDING), json(status, body)]);
        let cx = Context { config: &config, transport: &transport, clock: &clock };
        let error = block_on(wait(&cx, push_challenge(&clock, Some(1.0), 300.0), |_| {})).unwrap_err();
        assert_eq!(error.kind, kind, "{body}");
        assert_eq!(transport.sent.borrow().len(), 2);
    }
}

#[test]
fn transient_failures_are_retried_with_backoff_then_give_up() {
    let clock = FakeClock::new();
    let start = clock.now_ms();
    let config = config();
    let html = Ok(HttpResponse { status: 503, content_type: Some("text/html".into()), body: b"<html>".to_vec(), ..Default::default() });
    let transport = Scripted::new(
        &clock,
        vec![
            Err(Error::network()),
            html.clone(),
            json(400, PENDING),
            Err(Error::timeout()),
            html.clone(),
            json(500, r#"{"errorCode":"E0000009"}"#),
            Err(Error::network()),
        ],
    );
    let cx = Context { config: &config, transport: &transport, clock: &clock };
    let error = block_on(wait(&cx, push_challenge(&clock, Some(1.0), 300.0), |_| {})).unwrap_err();
    assert_eq!(error.kind, ErrorKind::Network, "the fourth consecutive failure ends the wait");
    let offsets: Vec<f64> = transport.times().iter().map(|t| t - start).collect();
    // 1 s interval; failures back off 1, 2 s; pending resets; then 1, 2, 4 s, then give up.
    assert_eq!(offsets, vec![1_000.0, 2_000.0, 4_000.0, 5_000.0, 6_000.0, 8_000.0, 12_000.0]);
}

#[test]
fn a_rate_limited_poll_waits_for_the_reset_okta_names() {
    let clock = FakeClock::new();
    let start = clock.now_ms();
    let config = config();
    let limited = |reset_in_seconds: f64| {
        let reset = ((start + reset_in_seconds * 1000.0) / 1000.0).ceil().to_string();
        json(429, r#"{"error":"invalid_grant","error_description":"API call exceeded rate limit due to too many requests."}"#)
            .map(|r| HttpResponse { rate_limit_reset: Some(reset), ..r })
    };
    let transport = Scripted::new(&clock, vec![limited(30.0), json(400, PENDING), json(200, TOKENS)]);
    let cx = Context { config: &config, transport: &transport, clock: &clock };
    assert!(matches!(block_on(wait(&cx, push_challenge(&clock, Some(5.0), 300.0), |_| {})), Ok(SignIn::Success(_))));
    let offsets: Vec<f64> = transport.times().iter().map(|t| (t - start) / 1000.0).collect();
    // The 429 at 5 s: back-off alone would poll again at 10 s; the reset is at 30 s.
    assert!(offsets[1] >= 30.0 && offsets[1] < 31.0, "{offsets:?}");
    assert_eq!(offsets[2] - offsets[1], 5.0, "then one interval again");

    // A reset after the code expires ends the wait at once with the 429, which says how long.
    let clock = FakeClock::new();
    let transport = Scripted::new(&clock, vec![limited(400.0)]);
    let cx = Context { config: &config, transport: &transport, clock: &clock };
    let error = block_on(wait(&cx, push_challenge(&clock, Some(5.0), 300.0), |_| {})).unwrap_err();
    assert_eq!((error.kind, error.retry_after_seconds.map(|s| s / 10)), (ErrorKind::RateLimited, Some(39)));
    assert_eq!(transport.times().len(), 1);

    // Outside a wait, the error carries it too.
    let clock = FakeClock::new();
    let transport = Scripted::new(&clock, vec![limited(20.0)]);
    let cx = Context { config: &config, transport: &transport, clock: &clock };
    let error = block_on(sign_in_with_otp(&cx, "otp.only@example.com", "123456")).unwrap_err();
    assert_eq!((error.kind, error.retry_after_seconds), (ErrorKind::RateLimited, Some(20)));
}

#[test]
fn abort_during_the_wait_stops_at_once() {
    let mut clock = FakeClock::new();
    clock.abort_after_sleeps = Some(2);
    let config = config();
    let transport = Scripted::new(&clock, vec![json(400, PENDING), json(400, PENDING), json(200, TOKENS)]);
    let cx = Context { config: &config, transport: &transport, clock: &clock };
    let error = block_on(wait(&cx, push_challenge(&clock, Some(1.0), 300.0), |_| {})).unwrap_err();
    assert_eq!(error.kind, ErrorKind::Aborted);
    assert_eq!(transport.sent.borrow().len(), 2, "nothing is sent after the abort");
}

#[test]
fn abort_from_on_pending_is_honoured_before_the_next_request() {
    let clock = FakeClock::new();
    let config = config();
    let transport = Scripted::new(&clock, vec![json(400, PENDING), json(200, TOKENS)]);
    let cx = Context { config: &config, transport: &transport, clock: &clock };
    let error = block_on(wait(&cx, push_challenge(&clock, Some(1.0), 300.0), |_| clock.aborted.set(true))).unwrap_err();
    assert_eq!(error.kind, ErrorKind::Aborted);
    assert_eq!(transport.sent.borrow().len(), 1);
}

#[test]
fn sms_primary_and_mfa_code_exchange() {
    let clock = FakeClock::new();
    let config = config();
    let transport = Scripted::new(
        &clock,
        vec![
            json(200, r#"{"oob_code":"oob-sms","expires_in":300,"channel":"sms","binding_method":"prompt"}"#),
            json(400, r#"{"error":"invalid_grant","error_description":"The binding code is invalid."}"#),
            json(200, TOKENS),
        ],
    );
    let cx = Context { config: &config, transport: &transport, clock: &clock };
    let started = block_on(start_oob(&cx, "phone.only@example.com", "sms")).unwrap();
    let back = OobChallengeInput {
        oob_code: Some(started.oob_code.expose().into()),
        channel: Some(started.channel.as_str().into()),
        binding_method: Some(started.binding_method.as_str().into()),
        expires_in: Some(started.expires_in as f64),
        expires_at: Some(started.expires_at_ms),
        ..Default::default()
    };
    let wrong = block_on(verify_oob(&cx, back.clone(), "000000")).unwrap_err();
    assert_eq!((wrong.kind, wrong.hint), (ErrorKind::OAuth, crate::protocol::error::hints::WRONG_BINDING_CODE));
    assert!(matches!(block_on(verify_oob(&cx, back, "123456")), Ok(SignIn::Success(_))));
    let sent = transport.sent.borrow();
    assert!(sent[0].1.url.ends_with("/oauth2/v1/primary-authenticate"));
    assert_eq!(field(&sent[2].1, "binding_code").as_deref(), Some("123456"));
    assert_eq!(field(&sent[2].1, "grant_type").as_deref(), Some("urn:okta:params:oauth:grant-type:oob"));
}

#[test]
fn email_primary_and_mfa_code_exchange() {
    let clock = FakeClock::new();
    let config = config();
    let transport = Scripted::new(
        &clock,
        vec![json(200, r#"{"oob_code":"oob-mail","expires_in":300,"channel":"email","binding_method":"prompt"}"#), json(200, TOKENS)],
    );
    let cx = Context { config: &config, transport: &transport, clock: &clock };
    let started = block_on(start_oob(&cx, "email.only@example.com", "email")).unwrap();
    assert_eq!((started.channel, started.binding_method, started.interval), (Channel::Email, BindingMethod::Prompt, None));
    let back = OobChallengeInput {
        oob_code: Some(started.oob_code.expose().into()),
        channel: Some("email".into()),
        binding_method: Some("prompt".into()),
        expires_at: Some(started.expires_at_ms),
        ..Default::default()
    };
    let waited = block_on(wait(&cx, back.clone(), |_| {})).unwrap_err();
    assert_eq!(waited.code, "wrong_binding_method", "an email code is typed, not waited for");
    assert!(matches!(block_on(verify_oob(&cx, back, " 482910 ")), Ok(SignIn::Success(_))));
    let sent = transport.sent.borrow();
    assert_eq!(sent.len(), 2, "no poll");
    assert_eq!(field(&sent[0].1, "channel_hint").as_deref(), Some("email"));
    assert_eq!(field(&sent[1].1, "binding_code").as_deref(), Some("482910"));
}

#[test]
fn low_level_oob_grant_reports_pending() {
    let clock = FakeClock::new();
    let config = config();
    let transport = Scripted::new(&clock, vec![json(400, PENDING), json(400, SLOW_DOWN)]);
    let cx = Context { config: &config, transport: &transport, clock: &clock };
    assert_eq!(block_on(oob_grant(&cx, r#"{"oobCode":"o"}"#)).unwrap().text("status"), "pending");
    assert_eq!(block_on(oob_grant(&cx, r#"{"oobCode":"o","mfaToken":"m"}"#)).unwrap().text("status"), "slow_down");
}

struct AcceptAll(bool);
impl SignatureVerifier for AcceptAll {
    async fn verify_rs256(&self, _: &RsaJwk, _: &[u8], _: &[u8]) -> Result<bool, Error> {
        Ok(self.0)
    }
}

#[test]
fn verify_id_token_checks_claims_then_signature() {
    let clock = FakeClock::new();
    let now = (clock.now_ms() / 1000.0) as i64;
    let claims = format!(r#"{{"iss":"https://x.okta.com","aud":"0oa-demo-spa","sub":"00u1","exp":{},"iat":{now}}}"#, now + 60);
    let jwt = format!("{}.{}.c2ln", b64(r#"{"alg":"RS256","kid":"k1"}"#), b64(&claims));
    let keys = r#"{"keys":[{"kty":"RSA","kid":"k1","n":"AQAB","e":"AQAB"}]}"#;
    let config = config();
    let transport = Scripted::new(&clock, vec![json(200, keys), json(200, keys)]);
    let cx = Context { config: &config, transport: &transport, clock: &clock };
    assert_eq!(block_on(verify_id_token(&cx, &AcceptAll(true), &KeyCache::default(), &IdToken::new(jwt.as_str()), None)).unwrap(), claims);
    assert_eq!(
        block_on(verify_id_token(&cx, &AcceptAll(false), &KeyCache::default(), &IdToken::new(jwt.as_str()), None)).unwrap_err().code,
        "invalid_id_token_signature"
    );
    assert_eq!(transport.sent.borrow()[0].1.url, "https://x.okta.com/oauth2/v1/keys");
}

/// A JWT with header `{"alg":"RS256","kid":KID}` and valid claims for `config()` at `now`.
fn id_token_for(kid: &str, now: i64) -> String {
    let claims = format!(r#"{{"iss":"https://x.okta.com","aud":"0oa-demo-spa","sub":"00u1","exp":{},"iat":{now}}}"#, now + 7_200);
    format!("{}.{}.c2ln", b64(format!(r#"{{"alg":"RS256","kid":"{kid}"}}"#)), b64(&claims))
}

#[test]
fn signing_keys_are_reused_until_a_new_kid_or_an_hour_passes() {
    let clock = FakeClock::new();
    let now = (clock.now_ms() / 1000.0) as i64;
    let k1 = r#"{"keys":[{"kty":"RSA","kid":"k1","n":"AQAB","e":"AQAB"}]}"#;
    let rotated = r#"{"keys":[{"kty":"RSA","kid":"k1","n":"AQAB","e":"AQAB"},{"kty":"RSA","kid":"k2","n":"AQAB","e":"AQAB"}]}"#;
    let config = config();
    let transport = Scripted::new(&clock, vec![json(200, k1), json(200, rotated), json(200, rotated)]);
    let cx = Context { config: &config, transport: &transport, clock: &clock };
    let keys = KeyCache::default();
    let verify = |jwt: &str| block_on(verify_id_token(&cx, &AcceptAll(true), &keys, &IdToken::new(jwt), None));

    verify(&id_token_for("k1", now)).unwrap();
    verify(&id_token_for("k1", now)).unwrap();
    assert_eq!(transport.sent.borrow().len(), 1, "the second token reuses the keys");
    verify(&id_token_for("k2", now)).unwrap();
    assert_eq!(transport.sent.borrow().len(), 2, "a kid the cache lacks fetches the keys again");
    assert!(transport.sent.borrow()[1].1.bypass_cache, "that refetch skips the HTTP cache");
    assert!(!transport.sent.borrow()[0].1.bypass_cache);
    verify(&id_token_for("k1", now)).unwrap();
    assert_eq!(transport.sent.borrow().len(), 2);
    clock.now.set(clock.now_ms() + KEYS_MAX_AGE_MS);
    verify(&id_token_for("k1", (clock.now_ms() / 1000.0) as i64)).unwrap();
    assert_eq!(transport.sent.borrow().len(), 3, "after an hour the keys are fetched again");
}

#[test]
fn unknown_kids_refetch_the_keys_at_most_once_per_cooldown() {
    let clock = FakeClock::new();
    let now = (clock.now_ms() / 1000.0) as i64;
    let k1 = r#"{"keys":[{"kty":"RSA","kid":"k1","n":"AQAB","e":"AQAB"}]}"#;
    let config = config();
    let transport = Scripted::new(&clock, vec![json(200, k1), json(200, k1), json(200, k1)]);
    let cx = Context { config: &config, transport: &transport, clock: &clock };
    let keys = KeyCache::default();
    let verify = |jwt: &str| block_on(verify_id_token(&cx, &AcceptAll(true), &keys, &IdToken::new(jwt), None));
    verify(&id_token_for("k1", now)).unwrap();
    for i in 0..50 {
        assert_eq!(verify(&id_token_for(&format!("random-{i}"), now)).unwrap_err().code, "unknown_signing_key");
    }
    assert_eq!(transport.sent.borrow().len(), 2, "fifty unknown kids: one refetch");
    clock.now.set(clock.now_ms() + KEYS_REFETCH_COOLDOWN_MS - 1.0);
    verify(&id_token_for("random-x", now)).unwrap_err();
    assert_eq!(transport.sent.borrow().len(), 2, "still within the cooldown");
    clock.now.set(clock.now_ms() + 1.0);
    verify(&id_token_for("random-y", now)).unwrap_err();
    assert_eq!(transport.sent.borrow().len(), 3, "after the cooldown, one more");
}

#[test]
fn a_forged_token_never_reaches_the_claim_checks() {
    // iat near i64::MIN overflowed the old subtraction; an unsigned (alg none) token with such
    // claims is refused on its header, and a signed one whose signature fails on the signature.
    let clock = FakeClock::new();
    let claims = r#"{"iss":"https://evil","aud":"x","sub":"","exp":-9223372036854775808,"iat":-9223372036854775808}"#;
    let keys = r#"{"keys":[{"kty":"RSA","kid":"k1","n":"AQAB","e":"AQAB"}]}"#;
    let config = config();
    let transport = Scripted::new(&clock, vec![json(200, keys)]);
    let cx = Context { config: &config, transport: &transport, clock: &clock };
    let cache = KeyCache::default();
    let none = format!("{}.{}.", b64(r#"{"alg":"none"}"#), b64(claims));
    let code = |jwt: &str, verdict: bool| {
        block_on(verify_id_token(&cx, &AcceptAll(verdict), &cache, &IdToken::new(jwt), None)).unwrap_err().code.clone()
    };
    assert_eq!(code(&none, true), "invalid_id_token_alg");
    assert!(transport.sent.borrow().is_empty(), "nothing fetched for an unsigned token");
    let forged = format!("{}.{}.c2ln", b64(r#"{"alg":"RS256","kid":"k1"}"#), b64(claims));
    assert_eq!(code(&forged, false), "invalid_id_token_signature", "the signature is checked before any claim");
    assert_eq!(code(&forged, true), "invalid_id_token_issuer", "claims only once it verified");
}

#[test]
fn an_otp_never_reaches_the_error() {
    // The OTP is in the request (so the search below would find it if an error carried the
    // request's data), Okta refuses it, and neither the error's fields nor its Debug hold it.
    const OTP: &str = "918273";
    for (status, body) in [
        (400, r#"{"error":"invalid_grant","error_description":"The credentials provided were invalid."}"#),
        (429, r#"{"error":"invalid_grant","error_description":"API rate limit exceeded."}"#),
        (500, r#"{"errorCode":"E0000009","errorSummary":"Internal Server Error"}"#),
        (200, "{}"),
        (200, "not json"),
    ] {
        let clock = FakeClock::new();
        let config = config();
        let transport = Scripted::new(&clock, vec![json(status, body)]);
        let cx = Context { config: &config, transport: &transport, clock: &clock };
        let error = block_on(sign_in_with_otp(&cx, "otp.only@example.com", OTP)).unwrap_err();
        assert_eq!(field(&transport.sent.borrow()[0].1, "otp").as_deref(), Some(OTP), "the needle is real");
        let shown = [
            format!("{error:?}"),
            error.code.to_string(),
            error.description.clone().unwrap_or_default().to_string(),
            error.hint.to_owned(),
        ];
        assert!(shown.iter().all(|text| !text.contains(OTP)), "{status} {body}: {shown:?}");
    }
}

#[test]
fn a_wait_retries_oauth_form_server_failures_at_any_status() {
    let clock = FakeClock::new();
    let config = config();
    let transport = Scripted::new(
        &clock,
        vec![
            json(
                400,
                r#"{"error":"temporarily_unavailable","error_description":"The authorization server is currently unable to handle the request."}"#,
            ),
            json(500, r#"{"error":"server_error","error_description":"The authorization server encountered an unexpected condition."}"#),
            json(200, TOKENS),
        ],
    );
    let cx = Context { config: &config, transport: &transport, clock: &clock };
    let SignIn::Success(tokens) = block_on(wait(&cx, push_challenge(&clock, Some(5.0), 300.0), |_| {})).unwrap() else { panic!() };
    assert_eq!(tokens.access_token.expose(), "at");
    assert_eq!(transport.sent.borrow().len(), 3, "both failures were retried within the back-off");
}
