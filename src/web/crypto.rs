//! RS256 signature checks with WebCrypto (`crypto.subtle`, a `web.js` import), so no RSA code
//! ships in the wasm.

use super::globals::Promise;
use wasm_bindgen::JsCast;

use super::js::rs256;
use super::task::settled;
use crate::flow::SignatureVerifier;
use crate::protocol::error::hints;
use crate::protocol::jwt::RsaJwk;
use crate::protocol::{Error, ErrorKind};

pub struct WebCryptoVerifier;

impl SignatureVerifier for WebCryptoVerifier {
    async fn verify_rs256(&self, key: &RsaJwk, signing_input: &[u8], signature: &[u8]) -> Result<bool, Error> {
        let invalid_key =
            || Error::local(ErrorKind::Protocol, "invalid_jwks", "WebCrypto refused the issuer's signing key.", hints::ID_TOKEN);
        let verdict = rs256(&key.n, &key.e, signing_input, signature).map_err(|_| invalid_key())?;
        if verdict.is_undefined() {
            return Err(Error::local(
                ErrorKind::Config,
                "webcrypto_unavailable",
                "crypto.subtle needs a secure context (https or localhost).",
                hints::CONFIG,
            ));
        }
        let verified = settled(verdict.unchecked_into::<Promise>()).await.map_err(|_| invalid_key())?;
        Ok(verified.as_f64() == Some(1.0))
    }
}
