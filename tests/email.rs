//! Browser tests of the email channel against a running `okta-emulator` (see `tests/browser.rs`
//! for how to run them): email as the first and as the second factor, and unknown users.
#![cfg(target_arch = "wasm32")]

// `pub`: this suite uses only some of the shared helpers (see `tests/worker.rs`).
#[path = "support/emulator.rs"]
pub mod emulator;

use emulator::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn args(text: &str) -> JsValue {
    json(text)
}

#[wasm_bindgen_test]
async fn email_as_the_only_factor() {
    reset().await;
    let auth = create(options()).await;
    let login = "email.only@example.com";
    let started = ok(call(&auth, "startOob", &[args(&format!(r#"{{"username":"{login}","channel":"email"}}"#))]).await);
    assert_eq!((get_str(&started, "channel"), get_str(&started, "bindingMethod")), ("email".into(), "prompt".into()));
    assert!(get(&started, "interval").is_undefined(), "no polling for email");
    let wait = call(&auth, "waitForApproval", std::slice::from_ref(&started)).await;
    expect_error(wait, "input", "wrong_binding_method");
    let wrong = call(&auth, "verifyOob", &[started.clone(), args(r#"{"bindingCode":"000000x"}"#)]).await;
    let e = expect_error(wrong, "oauth", "invalid_grant");
    assert!(get_str(&e, "hint").contains("email"), "{}", show(&e));
    let code = outbox_code(login, "email").await;
    let tokens = assert_success(&ok(call(&auth, "verifyOob", &[started, args(&format!(r#"{{"bindingCode":"{code}"}}"#))]).await));
    let claims = ok(call(&auth, "verifyIdToken", &[get(&tokens, "idToken")]).await);
    assert_eq!(show(&get(&claims, "amr")), r#"["email"]"#);
}

#[wasm_bindgen_test]
async fn email_as_the_second_factor() {
    reset().await;
    let auth = create(options()).await;
    let login = "mfa.email@example.com";
    let step = ok(call(&auth, "signInWithPassword", &[args(&format!(r#"{{"username":"{login}","password":"{PASSWORD}"}}"#))]).await);
    assert_eq!(get_str(&step, "status"), "mfa_required");
    let mfa_token = get_str(&step, "mfaToken");
    let challenge = ok(call(&auth, "challenge", &[args(&format!(r#"{{"mfaToken":"{mfa_token}","channel":"email"}}"#))]).await);
    assert_eq!((get_str(&challenge, "channel"), get_str(&challenge, "mfaToken")), ("email".into(), mfa_token));
    let code = outbox_code(login, "email").await;
    let tokens = assert_success(&ok(call(&auth, "verifyOob", &[challenge, args(&format!(r#"{{"bindingCode":"{code}"}}"#))]).await));
    let claims = ok(call(&auth, "verifyIdToken", &[get(&tokens, "idToken")]).await);
    assert_eq!(show(&get(&claims, "amr")), r#"["pwd","email","mfa"]"#);
}

#[wasm_bindgen_test]
async fn an_unknown_email_looks_the_same_and_never_signs_in() {
    reset().await;
    let auth = create(options()).await;
    let started = ok(call(&auth, "startOob", &[args(r#"{"username":"nobody@example.com","channel":"email"}"#)]).await);
    assert_eq!((get_str(&started, "channel"), get_str(&started, "bindingMethod")), ("email".into(), "prompt".into()));
    let r = call(&auth, "verifyOob", &[started, args(r#"{"bindingCode":"123456"}"#)]).await;
    expect_error(r, "oauth", "invalid_grant");
}
