//! The results handed to JS, as JSON text (`JSON.parse`d on the JS side): one string crosses
//! the wasm boundary per result instead of one `Reflect.set` per member. Member names and
//! shapes are those of `pkg-template/index.d.ts`; optional members are left out when absent.

use crate::protocol::json::{write_string, ObjectWriter};
use crate::protocol::{Endpoints, Intent, OobChallenge, ProxySignOut, SignIn, TokenOutcome, Tokens};

/// A step's typed output as our JS API shapes it: JSON text, or empty for `undefined`.
pub trait Shape {
    fn write(self) -> String;
}

impl Shape for SignIn {
    fn write(self) -> String {
        sign_in(&self)
    }
}

/// A low-level `oobGrant` answer.
impl Shape for TokenOutcome {
    fn write(self) -> String {
        poll_result(&self)
    }
}

impl Shape for OobChallenge {
    fn write(self) -> String {
        challenge(&self)
    }
}

impl Shape for Tokens {
    fn write(self) -> String {
        tokens(&self)
    }
}

/// `endProxySession`: `{ signedOut: true, revoked }`.
impl Shape for ProxySignOut {
    fn write(self) -> String {
        let mut object = ObjectWriter::new();
        object.raw("signedOut", "true").raw("revoked", if self.revoked { "true" } else { "false" });
        object.finish()
    }
}

/// `revoke` resolves to `undefined`.
impl Shape for () {
    fn write(self) -> String {
        String::new()
    }
}

/// Claims (`userinfo`): JSON text the protocol layer already checked is an object.
impl Shape for String {
    fn write(self) -> String {
        self
    }
}

/// Milliseconds since the epoch, whole (`expiresAt`).
fn millis(ms: f64) -> u64 {
    // `as` saturates: a NaN or negative time (never produced) would read as 0.
    ms.floor() as u64
}

pub fn tokens(tokens: &Tokens) -> String {
    ObjectWriter::new()
        .string("tokenType", &tokens.token_type)
        .string("accessToken", tokens.access_token.expose())
        .number("expiresIn", tokens.expires_in)
        .number("expiresAt", millis(tokens.expires_at_ms))
        .optional_string("scope", tokens.scope.as_deref())
        .optional_string("idToken", tokens.id_token.as_ref().map(|t| t.expose()))
        .optional_string("refreshToken", tokens.refresh_token.as_ref().map(|t| t.expose()))
        .optional_string("refreshTokenCustody", tokens.refresh_token_custody.map(|c| c.as_str()))
        .finish()
}

pub fn sign_in(result: &SignIn) -> String {
    match result {
        SignIn::Success(t) => ObjectWriter::new().string("status", "success").raw("tokens", &tokens(t)).finish(),
        SignIn::MfaRequired { mfa_token, supported_challenge_types } => {
            let mut object = ObjectWriter::new();
            object.string("status", "mfa_required").string("mfaToken", mfa_token.expose());
            if let Some(types) = supported_challenge_types {
                let mut list = String::from("[");
                for (i, t) in types.iter().enumerate() {
                    if i > 0 {
                        list.push(',');
                    }
                    write_string(&mut list, t);
                }
                list.push(']');
                object.raw("supportedChallengeTypes", &list);
            }
            object.finish()
        }
        SignIn::Attested { id_token, scope } => ObjectWriter::new()
            .string("status", "attested")
            .string("idToken", id_token.expose())
            .optional_string("scope", scope.as_deref())
            .finish(),
    }
}

/// A low-level `oobGrant` answer: a sign-in result, `pending` or `slow_down`.
pub fn poll_result(outcome: &TokenOutcome) -> String {
    match outcome {
        TokenOutcome::Done(result) => sign_in(result),
        TokenOutcome::Pending => ObjectWriter::new().string("status", "pending").finish(),
        TokenOutcome::SlowDown => ObjectWriter::new().string("status", "slow_down").finish(),
    }
}

pub fn challenge(challenge: &OobChallenge) -> String {
    let mut object = ObjectWriter::new();
    object
        .string("oobCode", challenge.oob_code.expose())
        .string("channel", challenge.channel.as_str())
        .string("bindingMethod", challenge.binding_method.as_str())
        .optional_string("bindingCode", challenge.binding_code.as_ref().map(|c| c.expose()))
        .number("expiresIn", challenge.expires_in)
        .number("expiresAt", millis(challenge.expires_at_ms));
    if let Some(interval) = challenge.interval {
        object.number("interval", interval);
    }
    object
        .optional_string("mfaToken", challenge.mfa_token.as_ref().map(|t| t.expose()))
        .optional_string("intent", (challenge.intent == Intent::Recovery).then_some("recovery"))
        .finish()
}

pub fn endpoints(e: &Endpoints) -> String {
    ObjectWriter::new()
        .string("token", &e.token)
        .string("challenge", &e.challenge)
        .string("primaryAuthenticate", &e.primary_authenticate)
        .string("oobAuthenticate", &e.oob_authenticate)
        .string("userinfo", &e.userinfo)
        .string("revoke", &e.revoke)
        .string("keys", &e.keys)
        .string("myAccountPassword", &e.my_account_password)
        .optional_string("sessionEnd", e.session_end.as_deref())
        .finish()
}

#[cfg(test)]
#[cfg(not(target_arch = "wasm32"))] // proptest is native-only
mod tests {
    use super::*;
    use crate::face::members::Members;
    use crate::protocol::json::{self, Value};
    use crate::protocol::secret::{AccessToken, BindingCode, MfaToken, OobCode, RefreshToken};
    use crate::protocol::{BindingMethod, Channel};

    fn parse(text: &str) -> Value {
        json::parse(text.as_bytes()).unwrap()
    }

    #[test]
    fn sign_in_results() {
        let tokens = Tokens {
            token_type: "Bearer".into(),
            access_token: AccessToken::new("a\"b\\c\n"),
            expires_in: 3600,
            expires_at_ms: 1_700_000_000_123.7,
            scope: Some("openid".into()),
            id_token: None,
            refresh_token: Some(RefreshToken::new("r")),
            refresh_token_custody: None,
        };
        let v = parse(&sign_in(&SignIn::Success(Box::new(tokens))));
        assert_eq!(v.text("status"), "success");
        let t = v.get("tokens").unwrap();
        assert_eq!(t.text("accessToken"), "a\"b\\c\n");
        assert_eq!(t.get("expiresIn").and_then(Value::as_u64), Some(3600));
        assert_eq!(t.get("expiresAt").and_then(Value::as_u64), Some(1_700_000_000_123));
        assert_eq!(t.get("idToken"), None, "absent, not null");
        assert_eq!(t.text("refreshToken"), "r");

        let mfa = SignIn::MfaRequired { mfa_token: MfaToken::new("m"), supported_challenge_types: Some(vec!["x".into(), "y".into()]) };
        assert_eq!(sign_in(&mfa), r#"{"status":"mfa_required","mfaToken":"m","supportedChallengeTypes":["x","y"]}"#);
        let mfa = SignIn::MfaRequired { mfa_token: MfaToken::new("m"), supported_challenge_types: None };
        assert_eq!(sign_in(&mfa), r#"{"status":"mfa_required","mfaToken":"m"}"#);
        assert_eq!(poll_result(&TokenOutcome::Pending), r#"{"status":"pending"}"#);
        assert_eq!(poll_result(&TokenOutcome::SlowDown), r#"{"status":"slow_down"}"#);
    }

    #[test]
    fn challenge_result() {
        let c = OobChallenge {
            oob_code: OobCode::new("o"),
            channel: Channel::Push,
            binding_method: BindingMethod::Transfer,
            binding_code: Some(BindingCode::new("42")),
            expires_in: 300,
            expires_at_ms: 5.0,
            interval: Some(0),
            mfa_token: None,
            intent: Intent::SignIn,
        };
        assert_eq!(
            challenge(&c),
            r#"{"oobCode":"o","channel":"push","bindingMethod":"transfer","bindingCode":"42","expiresIn":300,"expiresAt":5,"interval":0}"#
        );
        let recovery = OobChallenge { intent: Intent::Recovery, binding_code: None, interval: None, ..c };
        assert!(challenge(&recovery).ends_with(r#""expiresAt":5,"intent":"recovery"}"#), "{}", challenge(&recovery));
    }

    #[test]
    fn control_characters_are_escaped() {
        let mut out = String::new();
        write_string(&mut out, "\u{1}\u{1f}é\u{2028}");
        assert_eq!(out, "\"\\u0001\\u001fé\u{2028}\"");
        assert_eq!(parse(&out), Value::String("\u{1}\u{1f}é\u{2028}".into()));
    }
}
