//! One flow inside a dedicated Web Worker (no `window`): the module must load and run there.
//! Run exactly like `tests/browser.rs` (see its header).
#![cfg(target_arch = "wasm32")]

// `pub`: this suite uses only some of the shared helpers. `tests/browser.rs` includes the module
// privately and uses all of them, so a helper that nothing uses is still reported there.
#[path = "support/emulator.rs"]
pub mod emulator;

use emulator::*;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_dedicated_worker);

#[wasm_bindgen_test]
async fn sms_sign_in_inside_a_worker() {
    assert!(js_sys::Reflect::get(&js_sys::global(), &"window".into()).unwrap().is_undefined(), "this runs in a worker");
    reset().await;
    let auth = create(options()).await;
    let challenge = ok(call(&auth, "startOob", &[json(r#"{"username":"phone.only@example.com","channel":"sms"}"#)]).await);
    let code = outbox_code("phone.only@example.com", "sms").await;
    expect_error(call(&auth, "verifyOob", &[challenge.clone(), json(r#"{"bindingCode":"not-it"}"#)]).await, "oauth", "invalid_grant");
    let result = ok(call(&auth, "verifyOob", &[challenge, json(&format!(r#"{{"bindingCode":"{code}"}}"#))]).await);
    let tokens = assert_success(&result);
    let claims = ok(call(&auth, "verifyIdToken", &[get(&tokens, "idToken")]).await);
    assert_eq!(get_str(&claims, "preferred_username"), "phone.only@example.com");
}
