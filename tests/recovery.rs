//! Browser tests of password recovery against a running `okta-emulator` (see `tests/browser.rs`
//! for how to run them): prove who the user is with each recovery factor (`intent: 'recovery'`),
//! set the new password with `replacePassword`, sign in with it; every password-policy error.
#![cfg(target_arch = "wasm32")]

// `pub`: this suite uses only some of the shared helpers (see `tests/worker.rs`).
#[path = "support/emulator.rs"]
pub mod emulator;

use emulator::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const USER: &str = "recovery.user@example.com";
const RECOVERY_SCOPE: &str = "okta.myAccount.password.manage";

fn args(text: &str) -> JsValue {
    json(text)
}

/// The recovery's tokens: only the recovery scope, nothing for a session.
fn recovery_token(result: &JsValue) -> String {
    let tokens = assert_success(result);
    assert_eq!(get_str(&tokens, "scope"), RECOVERY_SCOPE);
    assert!(get(&tokens, "idToken").is_undefined() && get(&tokens, "refreshToken").is_undefined(), "{}", show(&tokens));
    get_str(&tokens, "accessToken")
}

async fn by_otp(auth: &JsValue) -> String {
    let otp = totp(USER).await;
    recovery_token(
        &ok(call(auth, "signInWithOtp", &[args(&format!(r#"{{"username":"{USER}","otp":"{otp}","intent":"recovery"}}"#))]).await),
    )
}

async fn by_code(auth: &JsValue, channel: &str) -> String {
    let started =
        ok(call(auth, "startOob", &[args(&format!(r#"{{"username":"{USER}","channel":"{channel}","intent":"recovery"}}"#))]).await);
    assert_eq!((get_str(&started, "intent"), get_str(&started, "bindingMethod")), ("recovery".into(), "prompt".into()));
    let code = outbox_code(USER, channel).await;
    recovery_token(&ok(call(auth, "verifyOob", &[started, args(&format!(r#"{{"bindingCode":"{code}"}}"#))]).await))
}

async fn replace(auth: &JsValue, token: &str, password: &str) -> Result<JsValue, JsValue> {
    call(auth, "replacePassword", &[args(&format!(r#"{{"accessToken":"{token}","password":"{password}"}}"#))]).await
}

/// The new password signs in (this user then needs a second factor), the old one does not.
async fn only_the_new_password_works(auth: &JsValue, new: &str) {
    let signed = ok(call(auth, "signInWithPassword", &[args(&format!(r#"{{"username":"{USER}","password":"{new}"}}"#))]).await);
    assert_eq!(get_str(&signed, "status"), "mfa_required", "{}", show(&signed));
    let old = call(auth, "signInWithPassword", &[args(&format!(r#"{{"username":"{USER}","password":"{PASSWORD}"}}"#))]).await;
    expect_error(old, "oauth", "invalid_grant");
}

#[wasm_bindgen_test]
async fn recovery_by_otp_then_sign_in_with_the_new_password() {
    reset().await;
    let auth = create(options()).await;
    let token = by_otp(&auth).await;
    let done = ok(replace(&auth, &token, "Otp-Recovered1").await);
    assert!(done.is_undefined(), "replacePassword resolves to undefined");
    only_the_new_password_works(&auth, "Otp-Recovered1").await;
}

#[wasm_bindgen_test]
async fn recovery_by_sms_voice_and_email() {
    for (channel, password) in [("sms", "Sms-Recovered1"), ("voice", "Voice-Recovered1"), ("email", "Mail-Recovered1")] {
        reset().await;
        let auth = create(options()).await;
        let token = by_code(&auth, channel).await;
        ok(replace(&auth, &token, password).await);
        only_the_new_password_works(&auth, password).await;
    }
}

#[wasm_bindgen_test]
async fn recovery_by_push_with_swift_s_parameter() {
    reset().await;
    let auth = create(options_with(url(), CLIENT_ID, r#""recoveryParameter":"intent""#)).await;
    let started = ok(call(&auth, "startOob", &[args(&format!(r#"{{"username":"{USER}","channel":"push","intent":"recovery"}}"#))]).await);
    let waiting = start(&auth, "waitForApproval", &[started]);
    approve(&push_for(USER).await, None).await;
    let token = recovery_token(&waiting.await.unwrap_or_else(|e| panic!("{}", show(&e))));
    ok(replace(&auth, &token, "Push-Recovered1").await);
    only_the_new_password_works(&auth, "Push-Recovered1").await;
}

#[wasm_bindgen_test]
async fn every_password_policy_error_is_typed_for_the_person() {
    reset().await;
    let auth = create(options()).await;
    let token = by_otp(&auth).await;
    for weak in ["Sh0rt", "all-lower-case-9", "ALL-UPPER-CASE-9", "No-Digits-Here", "Recovery-Rules9"] {
        let e = expect_error(replace(&auth, &token, weak).await, "password", "password_requirements_not_met");
        let description = get_str(&e, "description");
        assert!(
            description.starts_with("Password requirements were not met. Password requirements: at least 8 characters"),
            "{description}"
        );
        assert_eq!(get_str(&e, "hint"), "Choose a password that meets the requirements above.");
        assert_eq!((get(&e, "status").as_f64(), get_str(&e, "oktaErrorCode")), (Some(400.0), "E0000001".into()));
        assert!(!show(&e).contains(weak) && !get_str(&e, "message").contains(weak), "the password never shows");
    }
    let e = expect_error(replace(&auth, &token, PASSWORD).await, "password", "password_reused");
    assert_eq!(get_str(&e, "description"), "Password cannot be your current password");
    ok(replace(&auth, &token, "Second-Pass2").await);
    let e = expect_error(replace(&auth, &token, PASSWORD).await, "password", "password_reused");
    assert_eq!(get_str(&e, "description"), "Password has been used too recently");
    assert_eq!(get_str(&e, "hint"), "Choose a password you have not used recently.");
}

#[wasm_bindgen_test]
async fn only_a_recovery_token_may_replace_the_password() {
    reset().await;
    let auth = create(options()).await;
    expect_error(replace(&auth, "not-a-token", "Fresh-Start9").await, "oauth", "invalid_token");
    let otp = totp("otp.only@example.com").await;
    let signed = ok(call(&auth, "signInWithOtp", &[args(&format!(r#"{{"username":"otp.only@example.com","otp":"{otp}"}}"#))]).await);
    let sign_in_token = get_str(&assert_success(&signed), "accessToken");
    expect_error(replace(&auth, &sign_in_token, "Fresh-Start9").await, "oauth", "insufficient_scope");
    expect_error(call(&auth, "replacePassword", &[args(r#"{"accessToken":"at"}"#)]).await, "input", "invalid_password");
    // A user without a password has nothing to recover (a fresh TOTP step: each is single-use).
    advance_clock(31).await;
    let otp = totp("otp.only@example.com").await;
    let none =
        call(&auth, "signInWithOtp", &[args(&format!(r#"{{"username":"otp.only@example.com","otp":"{otp}","intent":"recovery"}}"#))]).await;
    let e = expect_error(none, "oauth", "access_denied");
    assert_eq!(get_str(&e, "description"), "Password recovery is not enabled for the user.");
}

#[wasm_bindgen_test]
async fn the_low_level_replace_password() {
    reset().await;
    let auth = create(options()).await;
    let token = by_otp(&auth).await;
    let promise =
        okta_direct_auth::api::replace_password(options(), args(&format!(r#"{{"accessToken":"{token}","password":"Low-Level-Pass1"}}"#)));
    assert!(settle(promise).await.unwrap().is_undefined());
    only_the_new_password_works(&auth, "Low-Level-Pass1").await;
    let e =
        settle(okta_direct_auth::api::replace_password(options(), args(&format!(r#"{{"accessToken":"{token}","password":"low"}}"#)))).await;
    expect_error(e, "password", "password_requirements_not_met");
}
