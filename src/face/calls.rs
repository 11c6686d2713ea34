//! One reader per call of our JS API that is one protocol step: the call's subject (the
//! challenge `verifyOob` finishes; `null` for the others) and argument object, as JSON, checked
//! and turned into its [`Step`], whose answer is then written as the call's JS result.
//!
//! Every reader returns the same [`CallStep`], so the api runs all of them as one future.

use super::args;
use super::members::{Kind, Members};
use super::results::Shape;
use crate::protocol::json::Value;
use crate::protocol::secret::{AccessToken, OobCode, RefreshToken, RevocableToken, Secret};
use crate::protocol::steps::{
    BindingCodeGrant, Challenge, EndProxySession, MfaOtpGrant, OobGrant, OtpGrant, PasswordGrant, PrimaryAuthenticate, RefreshTokenGrant,
    ReplacePassword, Revoke, RevokeProxyHeldRefreshToken, Userinfo,
};
use crate::protocol::{BindingMethod, Config, Error, HttpRequest, HttpResponse, OobChallenge, Step};

/// A call's step, its answer written as the call's JS result (JSON text; empty for `undefined`).
pub type CallStep = Box<dyn Step<Output = String>>;

/// What an exported call hands the api: its subject and arguments in, its step out.
pub type Reader = fn(&Value, &Value) -> Result<CallStep, Error>;

/// A step whose output is written as our JS result.
struct Written<S>(S);

impl<S: Step> Step for Written<S>
where
    S::Output: Shape,
{
    type Output = String;
    fn check(&self, config: &Config) -> Result<(), Error> {
        self.0.check(config)
    }
    fn request(&self, config: &Config) -> HttpRequest {
        self.0.request(config)
    }
    fn process(&self, response: HttpResponse, now_ms: f64) -> Result<String, Error> {
        self.0.process(response, now_ms).map(Shape::write)
    }
}

pub(super) fn written<S: Step + 'static>(step: S) -> Result<CallStep, Error>
where
    S::Output: Shape,
{
    Ok(Box::new(Written(step)))
}

/// `input` error `errors[i]` when the caller's optional member `members[i]` has another type.
pub(super) fn typed(args: &Value, members: &[(&str, Kind)], errors: &[(&'static str, &'static str)]) -> Result<(), Error> {
    match args.wrong_member(members).and_then(|i| errors.get(i)) {
        Some(&(code, description)) => Err(Error::input(code, description)),
        None => Ok(()),
    }
}

/// `signInWithOtp` / `otpGrant`: `{ username, otp, intent? }`.
pub fn sign_in_with_otp(_: &Value, a: &Value) -> Result<CallStep, Error> {
    let username = args::username(a.text("username"))?.to_owned();
    written(OtpGrant { username, otp: args::otp(a.text("otp"))?, intent: args::intent(a.get("intent"))? })
}

/// `signInWithPassword` / `passwordGrant`: `{ username, password }`.
pub fn sign_in_with_password(_: &Value, a: &Value) -> Result<CallStep, Error> {
    written(PasswordGrant { username: args::username(a.text("username"))?.to_owned(), password: args::password(a.text("password"))? })
}

/// `verifyMfaOtp` / `mfaOtpGrant`: `{ mfaToken, otp }`.
pub fn verify_mfa_otp(_: &Value, a: &Value) -> Result<CallStep, Error> {
    written(MfaOtpGrant { mfa_token: args::mfa_token(a.text("mfaToken"))?, otp: args::otp(a.text("otp"))? })
}

/// `challenge` / `challengeRequest`: `{ mfaToken, channel }`.
pub fn challenge(_: &Value, a: &Value) -> Result<CallStep, Error> {
    written(Challenge { mfa_token: args::mfa_token(a.text("mfaToken"))?, channel: args::channel(a.text("channel"))? })
}

/// `startOob` / `primaryAuthenticate`: `{ username, channel, intent? }`.
pub fn start_oob(_: &Value, a: &Value) -> Result<CallStep, Error> {
    let username = args::username(a.text("username"))?.to_owned();
    written(PrimaryAuthenticate { username, channel: args::channel(a.text("channel"))?, intent: args::intent(a.get("intent"))? })
}

/// `verifyOob(challenge, { bindingCode })`: the SMS / voice code the user typed.
pub fn verify_oob(challenge: &Value, a: &Value) -> Result<CallStep, Error> {
    let challenge = args::oob_challenge(args::OobChallengeInput::from_json(challenge)?)?;
    written(binding_code_grant(challenge, a.text("bindingCode"))?)
}

/// The code exchange that finishes an SMS / voice challenge (not a push: that one is waited for).
pub fn binding_code_grant(challenge: OobChallenge, binding_code: &str) -> Result<BindingCodeGrant, Error> {
    if challenge.binding_method != BindingMethod::Prompt {
        return Err(Error::input("wrong_binding_method", "verifyOob is for SMS, voice and email; use waitForApproval for push."));
    }
    let binding_code = args::binding_code(binding_code)?;
    let (oob_code, mfa_token, intent) = (challenge.oob_code, challenge.mfa_token, challenge.intent);
    Ok(BindingCodeGrant(OobGrant { oob_code, mfa_token, binding_code: Some(binding_code), intent }))
}

/// `oobGrant`: `{ oobCode, mfaToken?, bindingCode?, intent? }`, one `/token` request (it may answer pending).
pub fn oob_grant(_: &Value, a: &Value) -> Result<CallStep, Error> {
    typed(
        a,
        &[("mfaToken", Kind::Str), ("bindingCode", Kind::Str)],
        &[("invalid_mfa_token", "mfaToken must be a string."), ("invalid_binding_code", "bindingCode must be a string.")],
    )?;
    let oob_code = args::opaque(a.text("oobCode"), "invalid_oob_code", "oobCode must be the one startOob() or challenge() returned.")?;
    let oob_code = OobCode::new(oob_code);
    let mfa_token = a.get("mfaToken").and_then(Value::as_str).map(args::mfa_token).transpose()?;
    let binding_code = a.get("bindingCode").and_then(Value::as_str).map(args::binding_code).transpose()?;
    written(OobGrant { oob_code, mfa_token, binding_code, intent: args::intent(a.get("intent"))? })
}

/// `replacePassword`: `{ accessToken, password }`, the access token of a recovery.
pub fn replace_password(_: &Value, a: &Value) -> Result<CallStep, Error> {
    let token = args::opaque(a.text("accessToken"), "invalid_access_token", "accessToken must be the recovery's access token.")?;
    written(ReplacePassword { access_token: AccessToken::new(token), password: args::password(a.text("password"))? })
}

/// `refresh` / `refreshTokenGrant`: `{ refreshToken, scopes? }`, or `{ scopes? }` when the proxy
/// holds the refresh token (the step refuses that without the proxy option).
pub fn refresh(_: &Value, a: &Value) -> Result<CallStep, Error> {
    typed(
        a,
        &[("scopes", Kind::Strs), ("refreshToken", Kind::Str)],
        &[("invalid_scopes", "scopes must be an array of strings."), ("invalid_refresh_token", "refreshToken must be a string.")],
    )?;
    let refresh_token = match a.get("refreshToken").and_then(Value::as_str) {
        None => None,
        Some(token) => Some(RefreshToken::new(args::opaque(token, "invalid_refresh_token", "refreshToken must be a non-empty token.")?)),
    };
    written(RefreshTokenGrant { refresh_token, scope: args::scopes(a.strings("scopes"))? })
}

/// `revoke`: `{ token, tokenTypeHint? }`.
pub fn revoke(_: &Value, a: &Value) -> Result<CallStep, Error> {
    const HINT: &str = "tokenTypeHint must be 'access_token' or 'refresh_token'.";
    typed(
        a,
        &[("tokenTypeHint", Kind::Str), ("token", Kind::Str)],
        &[("invalid_token_type_hint", HINT), ("invalid_token", "token must be a string.")],
    )?;
    let hint = a.get("tokenTypeHint").and_then(Value::as_str);
    if a.get("token").and_then(Value::as_str).is_none() && hint == Some("refresh_token") {
        // Custody: the proxy revokes the one it holds (the step refuses this without the proxy option).
        return written(RevokeProxyHeldRefreshToken);
    }
    let token = args::opaque(a.text("token"), "invalid_token", "token must be a non-empty token.")?;
    let token = match a.get("tokenTypeHint").and_then(Value::as_str) {
        None => RevocableToken::Unhinted(Secret::new(token)),
        Some("access_token") => RevocableToken::Access(AccessToken::new(token)),
        Some("refresh_token") => RevocableToken::Refresh(RefreshToken::new(token)),
        Some(_) => return Err(Error::input("invalid_token_type_hint", HINT)),
    };
    written(Revoke { token })
}

/// `endProxySession`: the proxy's sign-out (no arguments).
pub fn end_proxy_session(_: &Value, _: &Value) -> Result<CallStep, Error> {
    written(EndProxySession)
}

/// `userinfo`: `{ accessToken }`.
pub fn userinfo(_: &Value, a: &Value) -> Result<CallStep, Error> {
    let token = args::opaque(a.text("accessToken"), "invalid_access_token", "accessToken must be a non-empty token.")?;
    written(Userinfo { access_token: AccessToken::new(token) })
}

#[cfg(test)]
#[cfg(not(target_arch = "wasm32"))] // proptest is native-only
mod tests {
    use super::*;
    use crate::protocol::config::ConfigInput;
    use crate::protocol::{form, json};

    fn config() -> Config {
        ConfigInput { issuer: "https://x.okta.com".into(), client_id: "c".into(), ..Default::default() }.validate().unwrap()
    }

    fn read(reader: Reader, subject: &str, args: &str) -> Result<CallStep, Error> {
        reader(&json::parse(subject.as_bytes()).unwrap(), &json::parse(args.as_bytes()).unwrap())
    }

    /// The request a call sends, as `(url, form fields)`.
    fn sent(reader: Reader, subject: &str, args: &str) -> (String, Vec<(String, String)>) {
        let request = read(reader, subject, args).unwrap().request(&config());
        (request.url, request.body.as_deref().map(form::decode).unwrap_or_default())
    }

    fn code(reader: Reader, subject: &str, args: &str) -> String {
        read(reader, subject, args).err().expect("an input error").code.to_string()
    }

    fn field<'a>(fields: &'a [(String, String)], name: &str) -> Option<&'a str> {
        fields.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    #[test]
    fn each_call_reads_its_members_into_its_request() {
        let (url, f) = sent(sign_in_with_otp, "null", r#"{"username":" u@x ","otp":" 123456 "}"#);
        assert_eq!(
            (url.as_str(), field(&f, "login_hint"), field(&f, "otp")),
            ("https://x.okta.com/oauth2/v1/token", Some("u@x"), Some("123456"))
        );
        let (_, f) = sent(sign_in_with_password, "null", r#"{"username":"u","password":" p "}"#);
        assert_eq!((field(&f, "username"), field(&f, "password")), (Some("u"), Some(" p ")));
        let (_, f) = sent(verify_mfa_otp, "null", r#"{"mfaToken":"m","otp":"12345678"}"#);
        assert_eq!((field(&f, "mfa_token"), field(&f, "otp")), (Some("m"), Some("12345678")));
        let (url, f) = sent(challenge, "null", r#"{"mfaToken":"m","channel":"voice"}"#);
        assert_eq!((url.as_str(), field(&f, "channel_hint")), ("https://x.okta.com/oauth2/v1/challenge", Some("voice")));
        let (_, f) = sent(challenge, "null", r#"{"mfaToken":"m","channel":"email"}"#);
        assert_eq!(field(&f, "channel_hint"), Some("email"));
        let (_, f) = sent(start_oob, "null", r#"{"username":"u","channel":"email"}"#);
        assert_eq!(field(&f, "channel_hint"), Some("email"));
        let (url, f) = sent(start_oob, "null", r#"{"username":"u","channel":"push"}"#);
        assert_eq!((url.as_str(), field(&f, "login_hint")), ("https://x.okta.com/oauth2/v1/primary-authenticate", Some("u")));
        let sms = r#"{"oobCode":"o","channel":"sms","bindingMethod":"prompt","expiresIn":300,"expiresAt":1,"mfaToken":"m"}"#;
        let (_, f) = sent(verify_oob, sms, r#"{"bindingCode":" 42 "}"#);
        assert_eq!((field(&f, "oob_code"), field(&f, "mfa_token"), field(&f, "binding_code")), (Some("o"), Some("m"), Some("42")));
        let (_, f) = sent(oob_grant, "null", r#"{"oobCode":"o"}"#);
        assert_eq!((field(&f, "grant_type"), field(&f, "mfa_token")), (Some("urn:okta:params:oauth:grant-type:oob"), None));
        let (_, f) = sent(refresh, "null", r#"{"refreshToken":"r","scopes":["openid","email"]}"#);
        assert_eq!((field(&f, "refresh_token"), field(&f, "scope")), (Some("r"), Some("openid email")));
        let (_, f) = sent(revoke, "null", r#"{"token":"t"}"#);
        assert_eq!((field(&f, "token"), field(&f, "token_type_hint")), (Some("t"), None));
        let (_, f) = sent(revoke, "null", r#"{"token":"t","tokenTypeHint":"refresh_token"}"#);
        assert_eq!(field(&f, "token_type_hint"), Some("refresh_token"));
        let request = read(userinfo, "null", r#"{"accessToken":"at"}"#).unwrap().request(&config());
        assert!(request.headers.contains(&("Authorization", "Bearer at".into())));
    }

    #[test]
    fn the_recovery_intent_reaches_the_grant_through_the_challenge() {
        let (_, f) = sent(sign_in_with_otp, "null", r#"{"username":"u","otp":"123456","intent":"recovery"}"#);
        assert_eq!((field(&f, "scope"), field(&f, "prompt")), (Some("okta.myAccount.password.manage"), Some("recover_authenticator")));
        let (_, f) = sent(start_oob, "null", r#"{"username":"u","channel":"email","intent":"recovery"}"#);
        assert_eq!(field(&f, "prompt"), None, "not on /primary-authenticate");
        let sms = r#"{"oobCode":"o","channel":"sms","bindingMethod":"prompt","expiresAt":1,"intent":"recovery"}"#;
        let (_, f) = sent(verify_oob, sms, r#"{"bindingCode":"42"}"#);
        assert_eq!((field(&f, "scope"), field(&f, "prompt")), (Some("okta.myAccount.password.manage"), Some("recover_authenticator")));
        let (_, f) = sent(oob_grant, "null", r#"{"oobCode":"o","intent":"recovery"}"#);
        assert_eq!(field(&f, "prompt"), Some("recover_authenticator"));
        let (_, f) = sent(sign_in_with_otp, "null", r#"{"username":"u","otp":"123456","intent":null}"#);
        assert_eq!((field(&f, "scope"), field(&f, "prompt")), (Some("openid profile"), None), "null is no intent");
        let request = read(replace_password, "null", r#"{"accessToken":"at","password":"New-Pass1"}"#).unwrap().request(&config());
        assert_eq!(
            (request.url.as_str(), request.body.as_deref()),
            ("https://x.okta.com/idp/myaccount/password", Some(r#"{"profile":{"password":"New-Pass1"}}"#))
        );
    }

    #[test]
    fn wrong_arguments_are_input_errors_in_a_fixed_order() {
        assert_eq!(code(sign_in_with_otp, "null", r#"{"otp":"1"}"#), "invalid_username", "username is checked first");
        assert_eq!(code(sign_in_with_password, "null", r#"{"username":"u"}"#), "invalid_password");
        assert_eq!(code(verify_mfa_otp, "null", r#"{"mfaToken":"m","otp":"x"}"#), "invalid_otp");
        assert_eq!(code(challenge, "null", r#"{"mfaToken":"m","channel":"fax"}"#), "invalid_channel");
        assert_eq!(code(verify_oob, "{}", r#"{"bindingCode":"1"}"#), "invalid_challenge");
        let push = r#"{"oobCode":"o","channel":"push","bindingMethod":"none","expiresAt":1}"#;
        assert_eq!(code(verify_oob, push, r#"{"bindingCode":"1"}"#), "wrong_binding_method");
        assert_eq!(code(oob_grant, "null", r#"{"oobCode":"","bindingCode":5}"#), "invalid_binding_code", "types before values");
        assert_eq!(code(oob_grant, "null", r#"{"oobCode":""}"#), "invalid_oob_code");
        assert_eq!(code(oob_grant, "null", r#"{"oobCode":"o","mfaToken":""}"#), "invalid_mfa_token");
        assert_eq!(code(refresh, "null", r#"{"refreshToken":"r","scopes":"openid"}"#), "invalid_scopes");
        assert_eq!(code(refresh, "null", r#"{"refreshToken":"r","scopes":[]}"#), "invalid_scopes");
        assert_eq!(code(refresh, "null", r#"{"refreshToken":""}"#), "invalid_refresh_token");
        assert_eq!(code(refresh, "null", r#"{"refreshToken":5}"#), "invalid_refresh_token");
        // No refresh token: custody, which the step refuses without the proxy option.
        let step = read(refresh, "null", r#"{}"#).unwrap();
        assert_eq!(step.check(&config()).unwrap_err().code, "invalid_refresh_token");
        let step = read(revoke, "null", r#"{"tokenTypeHint":"refresh_token"}"#).unwrap();
        assert_eq!(step.check(&config()).unwrap_err().code, "invalid_token");
        assert_eq!(code(revoke, "null", r#"{"tokenTypeHint":"access_token"}"#), "invalid_token");
        assert_eq!(
            code(revoke, "null", r#"{"token":"","tokenTypeHint":"id_token"}"#),
            "invalid_token",
            "the token before the hint's value"
        );
        assert_eq!(code(revoke, "null", r#"{"token":"t","tokenTypeHint":"id_token"}"#), "invalid_token_type_hint");
        assert_eq!(code(userinfo, "null", r#"{"accessToken":" "}"#), "invalid_access_token");
        assert_eq!(code(sign_in_with_otp, "null", r#"{"username":"u","otp":"123456","intent":"signIn"}"#), "invalid_intent");
        assert_eq!(code(start_oob, "null", r#"{"username":"u","channel":"sms","intent":1}"#), "invalid_intent");
        let bad = r#"{"oobCode":"o","channel":"sms","bindingMethod":"prompt","expiresAt":1,"intent":"reset"}"#;
        assert_eq!(code(verify_oob, bad, r#"{"bindingCode":"42"}"#), "invalid_challenge");
        assert_eq!(code(replace_password, "null", r#"{"accessToken":"at","password":""}"#), "invalid_password");
        assert_eq!(code(replace_password, "null", r#"{"password":"x"}"#), "invalid_access_token");
    }
}
