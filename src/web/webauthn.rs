//! The browser's passkey ceremony: `navigator.credentials.get` in `webauthn.js`, handed to
//! `pkg-template/index.js` as the export `passkeyCeremony` (the snippet's promise, unchanged:
//! no Rust future). It ships verbatim, so its comments live here:
//!
//! `getAssertion(challenge, issuer, conditional, signal)` takes Okta's challenge
//! (`{challengeType?, publicKey}`) and adjusts its request options as Okta's SDKs do:
//! - `rpId`, when absent, from the host of `extensions.appid`, else of the issuer (without it
//!   the browser would use the page's domain and an Okta-bound passkey would not be found);
//! - `allowCredentials[].transports` sent as a JSON-encoded string is parsed into its array
//!   (dropped when it is not one);
//! - `extensions.appid` is dropped when its host is neither the RP ID nor under it: a U2F
//!   `appid` of another domain than the page's makes `get()` fail with a `SecurityError`, and
//!   only U2F credentials registered under that appid could use it, which such a page cannot.
//!
//! It reads them with `PublicKeyCredential.parseRequestOptionsFromJSON()` where the browser
//! has it, else decodes `challenge` and `allowCredentials[].id` from base64url itself; calls
//! `navigator.credentials.get({ publicKey, mediation, signal })` (`mediation: 'conditional'`
//! when `conditional`: passkey autofill); and resolves to the assertion's JSON text,
//! `{clientDataJSON, authenticatorData, signature, userHandle?}` in base64url, taken from
//! `credential.toJSON()` where present, else encoded from the `ArrayBuffer`s (an empty
//! `userHandle` is left out). It never rejects: a failure resolves to the `DOMException`'s name
//! (`NotAllowedError`, `SecurityError`, `AbortError`, …), which
//! `protocol::webauthn::read_ceremony` maps to a typed error (`passkeyAssertion`). The caller's
//! `AbortSignal` goes to `get()`, so aborting ends the ceremony.

use js_sys::Promise;
use wasm_bindgen::prelude::*;

#[wasm_bindgen(module = "/src/web/webauthn.js")]
extern "C" {
    #[wasm_bindgen(js_name = getAssertion)]
    fn get_assertion(challenge: &JsValue, issuer: &JsValue, conditional: bool, signal: &JsValue) -> Promise;
}

// The ceremony for a challenge `passkeyChallenge` returned (see the module docs).
#[wasm_bindgen(js_name = passkeyCeremony, skip_typescript, skip_jsdoc)]
pub fn passkey_ceremony(challenge: &JsValue, issuer: &JsValue, conditional: bool, signal: &JsValue) -> Promise {
    get_assertion(challenge, issuer, conditional, signal)
}
