//! RS256 signature checks with WebCrypto (`crypto.subtle`), so no RSA code ships in the wasm.

use js_sys::{Array, Object, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

use crate::flow::SignatureVerifier;
use crate::protocol::error::hints;
use crate::protocol::jwt::RsaJwk;
use crate::protocol::{Error, ErrorKind};

#[wasm_bindgen]
extern "C" {
    type Subtle;
    #[wasm_bindgen(method, catch, js_name = importKey)]
    fn import_key(this: &Subtle, format: &str, key: &Object, algorithm: &Object, extractable: bool, usages: &Array) -> Result<Promise, JsValue>;
    #[wasm_bindgen(method, catch)]
    fn verify(this: &Subtle, algorithm: &str, key: &JsValue, signature: &[u8], data: &[u8]) -> Result<Promise, JsValue>;
}

const ALGORITHM: &str = "RSASSA-PKCS1-v1_5";

fn object(entries: &[(&str, &JsValue)]) -> Object {
    let object = Object::new();
    for (key, value) in entries {
        // Setting a property on a fresh plain object cannot fail.
        let _ = Reflect::set(&object, &JsValue::from_str(key), value);
    }
    object
}

/// `globalThis.crypto.subtle`, which exists only in secure contexts (https, localhost).
fn subtle() -> Result<Subtle, Error> {
    let crypto = Reflect::get(&js_sys::global(), &JsValue::from_str("crypto")).unwrap_or(JsValue::UNDEFINED);
    let subtle = if crypto.is_object() { Reflect::get(&crypto, &JsValue::from_str("subtle")).unwrap_or(JsValue::UNDEFINED) } else { JsValue::UNDEFINED };
    if !subtle.is_object() {
        return Err(Error::local(ErrorKind::Config, "webcrypto_unavailable", "crypto.subtle is not available (it needs a secure context: https or localhost).", hints::CONFIG));
    }
    Ok(subtle.unchecked_into())
}

pub struct WebCryptoVerifier;

impl SignatureVerifier for WebCryptoVerifier {
    async fn verify_rs256(&self, key: &RsaJwk, signing_input: &[u8], signature: &[u8]) -> Result<bool, Error> {
        let invalid_key = || Error::local(ErrorKind::Protocol, "invalid_jwks", "WebCrypto refused the issuer's signing key.", hints::ID_TOKEN);
        let subtle = subtle()?;
        let jwk = object(&[
            ("kty", &"RSA".into()),
            ("n", &key.n.as_str().into()),
            ("e", &key.e.as_str().into()),
            ("alg", &"RS256".into()),
            ("ext", &true.into()),
        ]);
        let algorithm = object(&[("name", &ALGORITHM.into()), ("hash", &"SHA-256".into())]);
        let usages = Array::of1(&"verify".into());
        let import = subtle.import_key("jwk", &jwk, &algorithm, false, &usages).map_err(|_| invalid_key())?;
        let crypto_key = JsFuture::from(import).await.map_err(|_| invalid_key())?;
        // WebCrypto copies both buffers before `verify` returns, so the views into wasm
        // memory cannot be observed changing.
        let check = subtle.verify(ALGORITHM, &crypto_key, signature, signing_input).map_err(|_| invalid_key())?;
        let verified = JsFuture::from(check).await.map_err(|_| invalid_key())?;
        Ok(verified.as_bool() == Some(true))
    }
}
