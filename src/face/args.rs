//! The caller's call arguments, checked before anything is sent (errors of kind `input`, whose
//! descriptions name our JS API's members).

use core::fmt;

use super::members::{Kind, Members};
use crate::protocol::config::{is_token, join};
use crate::protocol::json::Value;
use crate::protocol::secret::{BindingCode, IdToken, MfaToken, OobCode, Otp, Password};
use crate::protocol::{BindingMethod, Channel, Error, Intent, OobChallenge};

/// A login: non-empty after trimming. Sent as given (Okta decides what a login is).
pub fn username(value: &str) -> Result<&str, Error> {
    let trimmed = value.trim();
    if trimmed.is_empty() || trimmed.chars().any(char::is_control) {
        return Err(Error::input("invalid_username", "username must be a non-empty string."));
    }
    Ok(trimmed)
}

/// A TOTP code: 6 to 8 ASCII digits (surrounding spaces ignored).
pub fn otp(value: &str) -> Result<Otp, Error> {
    let trimmed = value.trim();
    if !(6..=8).contains(&trimmed.len()) || !trimmed.bytes().all(|b| b.is_ascii_digit()) {
        return Err(Error::input("invalid_otp", "otp must be 6 to 8 digits."));
    }
    Ok(Otp::new(trimmed))
}

pub fn password(value: &str) -> Result<Password, Error> {
    if value.is_empty() {
        return Err(Error::input("invalid_password", "password must be a non-empty string."));
    }
    Ok(Password::new(value))
}

/// An opaque value Okta issued (`mfa_token`, `oob_code`, tokens): non-empty, printable.
pub fn opaque<'a>(value: &'a str, code: &'static str, description: &'static str) -> Result<&'a str, Error> {
    if is_token(value) {
        Ok(value)
    } else {
        Err(Error::input(code, description))
    }
}

/// The SMS / voice code the user typed: non-empty, no spaces inside (surrounding ones ignored).
pub fn binding_code(value: &str) -> Result<BindingCode, Error> {
    let trimmed = value.trim();
    if is_token(trimmed) && trimmed.len() <= 64 {
        Ok(BindingCode::new(trimmed))
    } else {
        Err(Error::input("invalid_binding_code", "bindingCode must be the non-empty code the user received."))
    }
}

pub fn channel(value: &str) -> Result<Channel, Error> {
    Channel::parse(value).ok_or_else(|| Error::input("invalid_channel", "channel must be 'push', 'sms', 'voice' or 'email'."))
}

/// A call's `intent`: absent (or `null`) for a sign-in, `'recovery'` to prove who forgot their password.
pub fn intent(value: Option<&Value>) -> Result<Intent, Error> {
    match value {
        None | Some(Value::Null) => Ok(Intent::SignIn),
        Some(Value::String(text)) if text == "recovery" => Ok(Intent::Recovery),
        Some(_) => Err(Error::input("invalid_intent", "intent must be 'recovery' when given.")),
    }
}

/// Scopes narrowing a refresh: each a token; `None` when the caller gave none.
pub fn scopes(values: Option<Vec<String>>) -> Result<Option<String>, Error> {
    match values {
        None => Ok(None),
        Some(values) if !values.is_empty() && values.iter().all(|v| is_token(v)) => Ok(Some(join(&values))),
        Some(_) => Err(Error::input("invalid_scopes", "scopes must be a non-empty list of scopes without spaces.")),
    }
}

/// The `mfaToken` of `mfa_required`, handed back.
pub fn mfa_token(value: &str) -> Result<MfaToken, Error> {
    opaque(value, "invalid_mfa_token", "mfaToken must be the token from the mfa_required result.").map(MfaToken::new)
}

/// The ID token of a sign-in's tokens (a string; `None` when the caller passed something else).
pub fn id_token(value: Option<String>) -> Result<IdToken, Error> {
    match value.filter(|token| !token.is_empty()) {
        Some(token) => Ok(IdToken::new(token)),
        None => Err(Error::input("invalid_id_token", "idToken must be the JWT string from the tokens.")),
    }
}

/// `verifyIdToken`'s `maxAgeSeconds`: a whole number of seconds, 0 to 2^32 - 1; `None` when absent.
pub fn max_age_seconds(options: &Value) -> Result<Option<i64>, Error> {
    match options.get("maxAgeSeconds") {
        None | Some(Value::Null) => Ok(None),
        Some(value) => match value.as_u64() {
            Some(seconds) if seconds <= u64::from(u32::MAX) => Ok(Some(seconds as i64)),
            _ => Err(Error::input("invalid_max_age", "maxAgeSeconds must be a whole number from 0 to 4294967295.")),
        },
    }
}

/// An `OobChallenge` handed back by the caller, field by field as found on the JS object.
/// `Debug` shows which members are there, not their values (`oobCode`, `mfaToken`).
#[derive(Clone, Default)]
pub struct OobChallengeInput {
    pub oob_code: Option<String>,
    pub channel: Option<String>,
    pub binding_method: Option<String>,
    pub binding_code: Option<String>,
    pub expires_in: Option<f64>,
    pub expires_at: Option<f64>,
    pub interval: Option<f64>,
    pub mfa_token: Option<String>,
    pub intent: Option<String>,
}

impl fmt::Debug for OobChallengeInput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OobChallengeInput")
            .field("oob_code", &self.oob_code.as_ref().map(|_| "[redacted]"))
            .field("channel", &self.channel)
            .field("binding_method", &self.binding_method)
            .field("binding_code", &self.binding_code.as_ref().map(|_| "[redacted]"))
            .field("expires_in", &self.expires_in)
            .field("expires_at", &self.expires_at)
            .field("interval", &self.interval)
            .field("mfa_token", &self.mfa_token.as_ref().map(|_| "[redacted]"))
            .field("intent", &self.intent)
            .finish()
    }
}

impl OobChallengeInput {
    /// The `OobChallenge` object handed back by the caller, as JSON: any member of the wrong
    /// type makes it `invalid_challenge`.
    pub fn from_json(value: &Value) -> Result<OobChallengeInput, Error> {
        const MEMBERS: [(&str, Kind); 9] = [
            ("oobCode", Kind::Str),
            ("channel", Kind::Str),
            ("bindingMethod", Kind::Str),
            ("bindingCode", Kind::Str),
            ("expiresIn", Kind::Num),
            ("expiresAt", Kind::Num),
            ("interval", Kind::Num),
            ("mfaToken", Kind::Str),
            ("intent", Kind::Str),
        ];
        if !value.is_object() || value.wrong_member(&MEMBERS).is_some() {
            return Err(Error::input("invalid_challenge", "Pass the object startOob() or challenge() returned, unchanged."));
        }
        Ok(OobChallengeInput {
            oob_code: value.string("oobCode"),
            channel: value.string("channel"),
            binding_method: value.string("bindingMethod"),
            binding_code: value.string("bindingCode"),
            expires_in: value.number("expiresIn"),
            expires_at: value.number("expiresAt"),
            interval: value.number("interval"),
            mfa_token: value.string("mfaToken"),
            intent: value.string("intent"),
        })
    }
}

fn whole(value: Option<f64>) -> Option<u64> {
    value.filter(|v| v.fract() == 0.0 && *v >= 0.0 && *v <= 1e12).map(|v| v as u64)
}

/// Rebuilds the challenge `startOob` / `challenge` returned (it must come back unchanged).
pub fn oob_challenge(input: OobChallengeInput) -> Result<OobChallenge, Error> {
    let bad = || Error::input("invalid_challenge", "Pass the object startOob() or challenge() returned, unchanged.");
    // Every check before anything is copied (no partly built result to drop on an error).
    let oob_code = input.oob_code.as_deref().unwrap_or("");
    if !is_token(oob_code) {
        return Err(Error::input("invalid_challenge", "The challenge has no oobCode."));
    }
    let channel = input.channel.as_deref().and_then(Channel::parse).ok_or_else(bad)?;
    let binding_method = input.binding_method.as_deref().and_then(BindingMethod::parse).ok_or_else(bad)?;
    let expires_at_ms = input.expires_at.filter(|v| v.is_finite()).ok_or_else(bad)?;
    let interval = match input.interval {
        None => None,
        Some(v) => Some(whole(Some(v)).ok_or_else(bad)?),
    };
    let mfa_token = input.mfa_token.as_deref();
    if mfa_token.is_some_and(|token| !is_token(token)) {
        return Err(Error::input("invalid_challenge", "The challenge's mfaToken is empty."));
    }
    let intent = match input.intent.as_deref() {
        None => Intent::SignIn,
        Some("recovery") => Intent::Recovery,
        Some(_) => return Err(bad()),
    };
    Ok(OobChallenge {
        oob_code: OobCode::new(oob_code),
        channel,
        binding_method,
        binding_code: input.binding_code.map(BindingCode::new),
        expires_in: whole(input.expires_in).unwrap_or(0),
        expires_at_ms,
        interval,
        mfa_token: mfa_token.map(MfaToken::new),
        intent,
    })
}

#[cfg(test)]
#[cfg(not(target_arch = "wasm32"))] // proptest is native-only
mod tests {
    use super::*;
    use crate::protocol::ErrorKind;

    #[test]
    fn otp_is_six_to_eight_digits() {
        assert_eq!(otp(" 123456 ").unwrap().expose(), "123456");
        assert_eq!(otp("12345678").unwrap().expose(), "12345678");
        for bad in ["", "12345", "123456789", "12345a", "123 456", "１２３４５６"] {
            let err = otp(bad).unwrap_err();
            assert_eq!((err.kind, err.code.as_ref()), (ErrorKind::Input, "invalid_otp"), "{bad}");
            // Whether an OTP can reach an error message is tested where one could: through a
            // whole call whose request carries it (flow::tests::an_otp_never_reaches_the_error).
        }
    }

    #[test]
    fn other_arguments() {
        assert_eq!(username("  alex@example.com ").unwrap(), "alex@example.com");
        assert!(username("   ").is_err());
        assert!(password("").is_err());
        assert_eq!(channel("sms").unwrap(), Channel::Sms);
        assert_eq!(channel("email").unwrap(), Channel::Email);
        assert_eq!(channel("fax").unwrap_err().code, "invalid_channel");
        assert_eq!(channel("Email").unwrap_err().code, "invalid_channel", "Okta's values are lower case");
        assert!(binding_code(" 123456 ").is_ok());
        assert!(binding_code("").is_err());
        assert!(opaque("", "x", "y").is_err());
        assert_eq!(mfa_token("").unwrap_err().code, "invalid_mfa_token");
        assert_eq!(id_token(Some(String::new())).unwrap_err().code, "invalid_id_token");
        assert_eq!(id_token(Some("a.b.c".into())).unwrap().expose(), "a.b.c");
        assert_eq!(scopes(Some(vec!["openid".into(), "email".into()])).unwrap().as_deref(), Some("openid email"));
        assert!(scopes(Some(vec![])).is_err());
    }

    #[test]
    fn challenge_from_json() {
        let read = |text: &str| OobChallengeInput::from_json(&crate::protocol::json::parse(text.as_bytes()).unwrap());
        let c = oob_challenge(
            read(r#"{"oobCode":"o","channel":"sms","bindingMethod":"prompt","expiresIn":300,"expiresAt":1700000000123}"#).unwrap(),
        )
        .unwrap();
        assert_eq!(
            (c.channel, c.binding_method, c.expires_in, c.expires_at_ms),
            (Channel::Sms, BindingMethod::Prompt, 300, 1_700_000_000_123.0)
        );
        for bad in ["null", "[]", r#"{"oobCode":5}"#, r#"{"expiresAt":"Infinity"}"#] {
            assert_eq!(read(bad).unwrap_err().code, "invalid_challenge", "{bad}");
        }
    }

    #[test]
    fn challenge_round_trip() {
        let good = OobChallengeInput {
            oob_code: Some("o".into()),
            channel: Some("push".into()),
            binding_method: Some("transfer".into()),
            binding_code: Some("95".into()),
            expires_in: Some(300.0),
            expires_at: Some(1e12),
            interval: Some(5.0),
            mfa_token: Some("m".into()),
            intent: None,
        };
        let c = oob_challenge(good.clone()).unwrap();
        assert_eq!((c.channel, c.binding_method, c.interval, c.expires_in), (Channel::Push, BindingMethod::Transfer, Some(5), 300));
        for broken in [
            OobChallengeInput { oob_code: None, ..good.clone() },
            OobChallengeInput { channel: Some("fax".into()), ..good.clone() },
            OobChallengeInput { binding_method: None, ..good.clone() },
            OobChallengeInput { expires_at: None, ..good.clone() },
            OobChallengeInput { interval: Some(1.5), ..good.clone() },
            OobChallengeInput { mfa_token: Some(String::new()), ..good.clone() },
        ] {
            assert_eq!(oob_challenge(broken).unwrap_err().kind, ErrorKind::Input);
        }
    }
}
