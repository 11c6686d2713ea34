//! Our JS API's shapes, in plain Rust (compiled and tested natively like [`crate::protocol`]):
//! reading the caller's options and arguments, writing results. `protocol` speaks Okta; this
//! layer speaks `pkg-template/index.d.ts`; `api` only binds it to wasm-bindgen.
//!
//! - [`options`]: `DirectAuthOptions` → the protocol's `ConfigInput`;
//! - [`args`]: the checks on call arguments (errors of kind `input`, nothing sent);
//! - [`calls`]: one reader per one-step call: arguments → its protocol step;
//! - [`passkeys`]: the passkey calls' arguments;
//! - [`members`]: reading a caller's object member by member;
//! - [`results`]: the results handed to JS, as JSON text.

pub mod args;
pub mod calls;
pub mod members;
pub mod options;
#[cfg(feature = "passkeys")]
pub mod passkeys;
pub mod results;

#[cfg(test)]
#[cfg(not(target_arch = "wasm32"))] // proptest is native-only
mod tests {
    use crate::face::args::OobChallengeInput;
    use crate::protocol::base64url::encode as b64;
    use crate::protocol::secret::{AccessToken, BindingCode, IdToken, MfaToken, OobCode, RefreshToken};
    use crate::protocol::{
        json, jwt, request, BindingMethod, Channel, ConfigInput, HttpResponse, OobChallenge, SignIn, TokenOutcome, Tokens,
    };

    const SECRET: &str = "hunter2";

    /// Every type that holds a secret or a raw body: its `Debug` never shows the secret.
    #[test]
    fn debug_never_shows_a_secret() {
        let tokens = Tokens {
            token_type: "Bearer".into(),
            access_token: AccessToken::new(SECRET),
            expires_in: 1,
            expires_at_ms: 1.0,
            scope: None,
            id_token: Some(IdToken::new(SECRET)),
            refresh_token: Some(RefreshToken::new(SECRET)),
            refresh_token_custody: None,
        };
        let challenge = OobChallenge {
            oob_code: OobCode::new(SECRET),
            channel: Channel::Push,
            binding_method: BindingMethod::Transfer,
            binding_code: Some(BindingCode::new(SECRET)),
            expires_in: 1,
            expires_at_ms: 1.0,
            interval: None,
            mfa_token: Some(MfaToken::new(SECRET)),
            intent: Default::default(),
        };
        let body = format!(r#"{{"access_token":"{SECRET}","n":{}}}"#, 31337);
        let response = HttpResponse {
            status: 200,
            content_type: Some("application/json".into()),
            body: body.clone().into_bytes(),
            ..Default::default()
        };
        let input = OobChallengeInput {
            oob_code: Some(SECRET.into()),
            binding_code: Some(SECRET.into()),
            mfa_token: Some(SECRET.into()),
            ..Default::default()
        };
        let jwt = format!("{}.{}.c2ln", b64(r#"{"alg":"RS256"}"#), b64(format!(r#"{{"sub":"{SECRET}","n":31337}}"#)));
        let config = ConfigInput { issuer: "https://x.okta.com".into(), client_id: "c".into(), ..Default::default() }.validate().unwrap();
        let shown = [
            format!("{tokens:?}"),
            format!("{:?}", SignIn::Success(Box::new(tokens.clone()))),
            format!("{:?}", SignIn::MfaRequired { mfa_token: MfaToken::new(SECRET), supported_challenge_types: None }),
            format!("{:?}", TokenOutcome::Done(SignIn::Success(Box::new(tokens)))),
            format!("{challenge:?}"),
            format!("{response:?}"),
            format!("{input:?}"),
            format!("{:?}", json::parse(body.as_bytes()).unwrap()),
            format!("{:?}", jwt::decode(&jwt).unwrap()),
            format!("{:?}", request::userinfo(&config, &AccessToken::new(SECRET))),
        ];
        for text in &shown {
            assert!(!text.contains(SECRET) && !text.contains("31337"), "{text}");
        }
        assert!(shown[5].contains("status: 200"), "the status is still there: {}", shown[5]);
    }
}
