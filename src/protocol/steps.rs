//! Every step of the protocol, each its request (from [`super::request`]) paired with how its
//! answer is read (the classifiers of [`super::response`] and an [`ErrorReading`]).

use super::config::Config;
use super::error::Error;
use super::json::Value;
use super::request::{self, HttpRequest};
use super::response::{self, reading, ErrorReading, HttpResponse};
use super::secret::{AccessToken, BindingCode, MfaToken, OobCode, Otp, Password, RefreshToken, RevocableToken};
use super::step::Step;
use super::types::{Channel, Intent, OobChallenge, ProxySignOut, SignIn, TokenOutcome, Tokens};

/// A `/token` grant that cannot be pending: tokens or `mfa_required`.
pub(super) fn sign_in(response: &HttpResponse, reading: &ErrorReading, now_ms: f64) -> Result<SignIn, Error> {
    response::classify_token(response, reading, now_ms)?.into_sign_in(response.status)
}

/// `/token`, grant `password` (§3.1): usually answers `mfa_required`.
pub struct PasswordGrant {
    pub username: String,
    pub password: Password,
}

impl Step for PasswordGrant {
    type Output = SignIn;
    fn request(&self, config: &Config) -> HttpRequest {
        request::password_grant(config, &self.username, &self.password)
    }
    fn process(&self, response: HttpResponse, now_ms: f64) -> Result<SignIn, Error> {
        sign_in(&response, &reading::PASSWORD, now_ms)
    }
}

/// `/token`, grant `…:otp` (§3.2): an OTP as the only factor, for a sign-in or a recovery.
pub struct OtpGrant {
    pub username: String,
    pub otp: Otp,
    pub intent: Intent,
}

impl Step for OtpGrant {
    type Output = SignIn;
    fn request(&self, config: &Config) -> HttpRequest {
        request::otp_grant(config, &self.username, &self.otp, self.intent)
    }
    fn process(&self, response: HttpResponse, now_ms: f64) -> Result<SignIn, Error> {
        sign_in(&response, &reading::OTP, now_ms)
    }
}

/// `/token`, grant `mfa-otp` (§3.6): an OTP as the second factor.
pub struct MfaOtpGrant {
    pub mfa_token: MfaToken,
    pub otp: Otp,
}

impl Step for MfaOtpGrant {
    type Output = SignIn;
    fn request(&self, config: &Config) -> HttpRequest {
        request::mfa_otp_grant(config, &self.mfa_token, &self.otp)
    }
    fn process(&self, response: HttpResponse, now_ms: f64) -> Result<SignIn, Error> {
        sign_in(&response, &reading::OTP, now_ms)
    }
}

/// `/token` with an `oob_code` (§3.3, §3.7, §3.8), as one request: without `binding_code` a
/// poll, which may answer pending or `slow_down`; with it, the SMS / voice code exchange.
pub struct OobGrant {
    pub oob_code: OobCode,
    pub mfa_token: Option<MfaToken>,
    pub binding_code: Option<BindingCode>,
    pub intent: Intent,
}

impl OobGrant {
    fn reading(&self) -> &'static ErrorReading {
        if self.binding_code.is_some() {
            &reading::OOB_BINDING_CODE
        } else {
            &reading::OOB_POLL
        }
    }
}

impl Step for OobGrant {
    type Output = TokenOutcome;
    fn request(&self, config: &Config) -> HttpRequest {
        request::oob_grant(config, &self.oob_code, self.mfa_token.as_ref(), self.binding_code.as_ref(), self.intent)
    }
    fn process(&self, response: HttpResponse, now_ms: f64) -> Result<TokenOutcome, Error> {
        response::classify_token(&response, self.reading(), now_ms)
    }
}

/// The SMS / voice code exchange: an [`OobGrant`] with the code the user typed, which finishes
/// the sign-in (pending there means the server is confused).
pub struct BindingCodeGrant(pub OobGrant);

impl Step for BindingCodeGrant {
    type Output = SignIn;
    fn request(&self, config: &Config) -> HttpRequest {
        self.0.request(config)
    }
    fn process(&self, response: HttpResponse, now_ms: f64) -> Result<SignIn, Error> {
        sign_in(&response, self.0.reading(), now_ms)
    }
}

/// `/challenge` after `mfa_required` (§3.7): starts an out-of-band second factor. The
/// `mfa_token` is carried into the challenge, for the grant that finishes it.
pub struct Challenge {
    pub mfa_token: MfaToken,
    pub channel: Channel,
}

impl Step for Challenge {
    type Output = OobChallenge;
    fn request(&self, config: &Config) -> HttpRequest {
        request::challenge(config, &self.mfa_token, self.channel)
    }
    fn process(&self, response: HttpResponse, now_ms: f64) -> Result<OobChallenge, Error> {
        response::classify_oob_challenge(&response, &reading::PLAIN, now_ms, Some(self.mfa_token.clone()))
    }
}

/// `/primary-authenticate` (or the older `/oob-authenticate`, §3.3, §3.4): starts an
/// out-of-band factor as the only factor. The request does not carry the intent (neither
/// Okta SDK sends it there); the challenge does, to the grant that finishes it.
pub struct PrimaryAuthenticate {
    pub username: String,
    pub channel: Channel,
    pub intent: Intent,
}

impl Step for PrimaryAuthenticate {
    type Output = OobChallenge;
    fn request(&self, config: &Config) -> HttpRequest {
        request::primary_authenticate(config, &self.username, self.channel)
    }
    fn process(&self, response: HttpResponse, now_ms: f64) -> Result<OobChallenge, Error> {
        let mut challenge = response::classify_oob_challenge(&response, &reading::PLAIN, now_ms, None)?;
        challenge.intent = self.intent;
        Ok(challenge)
    }
}

/// `PUT {org}/idp/myaccount/password` with a recovery's access token: the new password.
pub struct ReplacePassword {
    pub access_token: AccessToken,
    pub password: Password,
}

impl Step for ReplacePassword {
    type Output = ();
    fn request(&self, config: &Config) -> HttpRequest {
        request::replace_password(config, &self.access_token, &self.password)
    }
    fn process(&self, response: HttpResponse, _now_ms: f64) -> Result<(), Error> {
        super::myaccount::classify_replace_password(&response)
    }
}

/// `/token`, grant `refresh_token` (§7); `scope` (space-separated) narrows it when given.
/// No refresh token: the proxy holds it (custody), so the options must name a proxy.
pub struct RefreshTokenGrant {
    pub refresh_token: Option<RefreshToken>,
    pub scope: Option<String>,
}

impl Step for RefreshTokenGrant {
    type Output = Tokens;
    fn check(&self, config: &Config) -> Result<(), Error> {
        if self.refresh_token.is_none() && config.proxy.is_none() {
            return Err(Error::input(
                "invalid_refresh_token",
                "refreshToken must be a non-empty token; only a client with the proxy option (refresh-token custody) may leave it out.",
            ));
        }
        Ok(())
    }
    fn request(&self, config: &Config) -> HttpRequest {
        request::refresh_token_grant(config, self.refresh_token.as_ref(), self.scope.as_deref())
    }
    fn process(&self, response: HttpResponse, now_ms: f64) -> Result<Tokens, Error> {
        match sign_in(&response, &reading::REFRESH, now_ms)? {
            SignIn::Success(tokens) => Ok(*tokens),
            SignIn::MfaRequired { .. } => Err(Error::protocol(200, "unexpected_mfa_required", "Okta asked for MFA on a refresh.")),
            SignIn::Attested { .. } => Err(Error::protocol(200, "unexpected_attestation", "An MFA attestation answering a refresh.")),
        }
    }
}

/// `/revoke` (§7): any 2xx is success.
pub struct Revoke {
    pub token: RevocableToken,
}

impl Step for Revoke {
    type Output = ();
    fn request(&self, config: &Config) -> HttpRequest {
        request::revoke(config, &self.token)
    }
    fn process(&self, response: HttpResponse, _now_ms: f64) -> Result<(), Error> {
        response::classify_revoke(&response)
    }
}

/// `/revoke` of the refresh token the proxy holds (custody): no token is sent.
pub struct RevokeProxyHeldRefreshToken;

impl Step for RevokeProxyHeldRefreshToken {
    type Output = ();
    fn check(&self, config: &Config) -> Result<(), Error> {
        match config.proxy {
            Some(_) => Ok(()),
            None => Err(Error::input(
                "invalid_token",
                "token must be a non-empty token; only a client with the proxy option (refresh-token custody) may leave it out.",
            )),
        }
    }
    fn request(&self, config: &Config) -> HttpRequest {
        request::revoke_proxy_held_refresh_token(config)
    }
    fn process(&self, response: HttpResponse, _now_ms: f64) -> Result<(), Error> {
        response::classify_revoke(&response)
    }
}

/// `POST {proxy}/session/end`: the proxy revokes the refresh token it holds and clears its cookie.
pub struct EndProxySession;

impl Step for EndProxySession {
    type Output = ProxySignOut;
    fn check(&self, config: &Config) -> Result<(), Error> {
        match config.endpoints.session_end {
            Some(_) => Ok(()),
            None => Err(Error::config("no_proxy", "endProxySession needs the proxy option (okta-direct-auth-proxy's URL or path).")),
        }
    }
    fn request(&self, config: &Config) -> HttpRequest {
        request::end_proxy_session(config)
    }
    fn process(&self, response: HttpResponse, _now_ms: f64) -> Result<ProxySignOut, Error> {
        response::classify_proxy_sign_out(&response)
    }
}

/// `GET /userinfo` with the access token as bearer: the claims' JSON text (checked to be a
/// JSON object).
pub struct Userinfo {
    pub access_token: AccessToken,
}

impl Step for Userinfo {
    type Output = String;
    fn request(&self, config: &Config) -> HttpRequest {
        request::userinfo(config, &self.access_token)
    }
    fn process(&self, response: HttpResponse, _now_ms: f64) -> Result<String, Error> {
        response::classify_json(&response, &reading::USERINFO)?;
        let status = response.status;
        // The JSON parser accepted the body, so it is UTF-8.
        String::from_utf8(response.body).map_err(|_| Error::protocol(status, "invalid_json", "The response is not valid JSON."))
    }
}

/// `GET /keys`: the issuer's JWKS, for ID token signatures.
pub struct Keys {
    /// A refetch for a `kid` the cached keys lack: past the browser's HTTP cache.
    pub bypass_cache: bool,
}

impl Step for Keys {
    type Output = Value;
    fn request(&self, config: &Config) -> HttpRequest {
        request::keys(config, self.bypass_cache)
    }
    fn process(&self, response: HttpResponse, _now_ms: f64) -> Result<Value, Error> {
        response::classify_json(&response, &reading::PLAIN)
    }
}
