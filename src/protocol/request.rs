//! One function per request: each returns plain data ([`HttpRequest`]) for a transport to send.
//!
//! Every `/token` request carries the configuration's `client_id`, `scope` and `acr_values`
//! unchanged (Okta refuses a transaction whose scope or ACR changes midway).

use core::fmt;
use std::borrow::Cow;

use super::config::{Config, PrimaryOobEndpoint, RecoveryParameter};
use super::form::FormBody;
use super::secret::{AccessToken, BindingCode, MfaToken, OobCode, Otp, Password, RefreshToken, RevocableToken};
use super::{Channel, Intent};

pub const GRANT_PASSWORD: &str = "password";
pub const GRANT_OTP: &str = "urn:okta:params:oauth:grant-type:otp";
pub const GRANT_OOB: &str = "urn:okta:params:oauth:grant-type:oob";
pub const GRANT_MFA_OTP: &str = "http://auth0.com/oauth/grant-type/mfa-otp";
pub const GRANT_MFA_OOB: &str = "http://auth0.com/oauth/grant-type/mfa-oob";
pub const GRANT_REFRESH_TOKEN: &str = "refresh_token";

pub const FORM_CONTENT_TYPE: &str = "application/x-www-form-urlencoded";
/// The only scope a recovery asks for: it lets the access token replace the password.
pub const RECOVERY_SCOPE: &str = "okta.myAccount.password.manage";
/// MyAccount answers only requests that name its version.
pub const MY_ACCOUNT_ACCEPT: &str = "application/json; okta-version=1.0.0";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    Get,
    Post,
    Put,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
        }
    }
}

/// A request as data. Its `Debug` shows the URL and header names only: bodies and the
/// `Authorization` header carry secrets.
#[derive(Clone, PartialEq, Eq)]
pub struct HttpRequest {
    pub method: Method,
    pub url: String,
    /// `Accept` is always `application/json`; POSTs add the form content type.
    pub headers: Vec<(&'static str, Cow<'static, str>)>,
    /// The body: form-encoded for a POST, JSON for the MyAccount PUT.
    pub body: Option<String>,
    /// Skip the browser's HTTP cache (`cache: 'reload'`): the refetch of `/keys` for a `kid`
    /// the cached keys lack, which `/keys`' own `max-age` would otherwise answer from cache.
    pub bypass_cache: bool,
}

impl fmt::Debug for HttpRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = self.headers.iter().map(|(name, _)| *name).collect();
        f.debug_struct("HttpRequest")
            .field("method", &self.method)
            .field("url", &self.url)
            .field("headers", &names)
            .field("body_len", &self.body.as_ref().map(String::len))
            .finish()
    }
}

pub(super) fn post(url: &str, body: FormBody) -> HttpRequest {
    HttpRequest {
        method: Method::Post,
        url: url.to_owned(),
        headers: vec![("Accept", Cow::Borrowed("application/json")), ("Content-Type", Cow::Borrowed(FORM_CONTENT_TYPE))],
        body: Some(body.finish()),
        bypass_cache: false,
    }
}

/// `Bearer {token}` (no `format!` in the wasm).
fn bearer_header(token: &AccessToken) -> String {
    let mut value = String::from("Bearer ");
    value.push_str(token.expose());
    value
}

fn get(url: &str, bearer: &AccessToken) -> HttpRequest {
    HttpRequest {
        method: Method::Get,
        url: url.to_owned(),
        headers: vec![("Accept", Cow::Borrowed("application/json")), ("Authorization", Cow::Owned(bearer_header(bearer)))],
        body: None,
        bypass_cache: false,
    }
}

/// The fields every `/token` grant of a transaction shares, in a stable order.
pub(super) fn token_form(config: &Config, grant_type: &str) -> FormBody {
    intent_form(config, grant_type, Intent::SignIn)
}

/// [`token_form`] for a sign-in or a recovery, whose requests carry the recovery parameter and
/// only the recovery scope (§3.11).
fn intent_form(config: &Config, grant_type: &str, intent: Intent) -> FormBody {
    let recovery = intent == Intent::Recovery;
    let (name, value) = match config.recovery_parameter {
        RecoveryParameter::Prompt => ("prompt", "recover_authenticator"),
        RecoveryParameter::Intent => ("intent", "recovery"),
    };
    FormBody::new()
        .field("grant_type", grant_type)
        .field("client_id", &config.client_id)
        .field("scope", if recovery { RECOVERY_SCOPE } else { &config.scope })
        .optional(name, recovery.then_some(value))
        .optional("acr_values", config.acr_values.as_deref())
        .optional("grant_types_supported", config.grant_types_supported.as_deref())
}

/// `/token`, grant `password` (§3.1).
pub fn password_grant(config: &Config, username: &str, password: &Password) -> HttpRequest {
    post(&config.endpoints.token, token_form(config, GRANT_PASSWORD).field("username", username).field("password", password.expose()))
}

/// `/token`, grant `…:otp` (§3.2): the login goes in `login_hint`.
pub fn otp_grant(config: &Config, username: &str, otp: &Otp, intent: Intent) -> HttpRequest {
    post(&config.endpoints.token, intent_form(config, GRANT_OTP, intent).field("login_hint", username).field("otp", otp.expose()))
}

/// `/token`, grant `mfa-otp` (§3.6).
pub fn mfa_otp_grant(config: &Config, mfa_token: &MfaToken, otp: &Otp) -> HttpRequest {
    post(&config.endpoints.token, token_form(config, GRANT_MFA_OTP).field("mfa_token", mfa_token.expose()).field("otp", otp.expose()))
}

/// `/token` with an `oob_code`: grant `…:oob` as the only factor, `mfa-oob` when an
/// `mfa_token` ties it to a transaction (§3.3, §3.7, §3.8). Without `binding_code` this is
/// one poll; with it, the SMS/voice code exchange.
pub fn oob_grant(
    config: &Config,
    oob_code: &OobCode,
    mfa_token: Option<&MfaToken>,
    binding_code: Option<&BindingCode>,
    intent: Intent,
) -> HttpRequest {
    let grant = if mfa_token.is_some() { GRANT_MFA_OOB } else { GRANT_OOB };
    let form = intent_form(config, grant, intent)
        .field("oob_code", oob_code.expose())
        .optional("mfa_token", mfa_token.map(MfaToken::expose))
        .optional("binding_code", binding_code.map(BindingCode::expose));
    post(&config.endpoints.token, form)
}

/// `/challenge` after `mfa_required`: asks Okta to start an out-of-band second factor (§3.7).
pub fn challenge(config: &Config, mfa_token: &MfaToken, channel: Channel) -> HttpRequest {
    let form = FormBody::new()
        .field("client_id", &config.client_id)
        .field("mfa_token", mfa_token.expose())
        .field("challenge_types_supported", GRANT_MFA_OOB)
        .field("channel_hint", channel.as_str())
        .optional("acr_values", config.acr_values.as_deref());
    post(&config.endpoints.challenge, form)
}

/// `/primary-authenticate` (with `challenge_hint`) or the deprecated `/oob-authenticate`
/// (without): starts an out-of-band factor as the only factor (§3.3, §3.4). No `scope`:
/// Okta refuses it on this endpoint (`direct_auth_scope_not_allowed`).
pub fn primary_authenticate(config: &Config, username: &str, channel: Channel) -> HttpRequest {
    let challenge_hint = match config.primary_oob {
        PrimaryOobEndpoint::PrimaryAuthenticate => Some(GRANT_OOB),
        PrimaryOobEndpoint::OobAuthenticate => None,
    };
    let form = FormBody::new()
        .field("client_id", &config.client_id)
        .field("login_hint", username)
        .field("channel_hint", channel.as_str())
        .optional("challenge_hint", challenge_hint)
        .optional("acr_values", config.acr_values.as_deref());
    post(&config.endpoints.primary_authenticate, form)
}

/// `/token`, grant `refresh_token` (§7). `scope` only when the caller narrows it. Without a
/// refresh token the proxy supplies the one it holds (custody, proxy/README.md).
pub fn refresh_token_grant(config: &Config, refresh_token: Option<&RefreshToken>, scope: Option<&str>) -> HttpRequest {
    let form = FormBody::new()
        .field("grant_type", GRANT_REFRESH_TOKEN)
        .field("client_id", &config.client_id)
        .optional("refresh_token", refresh_token.map(RefreshToken::expose))
        .optional("scope", scope);
    post(&config.endpoints.token, form)
}

/// `/revoke` of the refresh token the proxy holds: the hint and no `token` (the proxy takes it
/// from its cookie, revokes it at Okta and clears the cookie).
pub fn revoke_proxy_held_refresh_token(config: &Config) -> HttpRequest {
    let form = FormBody::new().field("client_id", &config.client_id).field("token_type_hint", "refresh_token");
    post(&config.endpoints.revoke, form)
}

/// `POST {proxy}/session/end`: the proxy revokes the refresh token it holds and clears its
/// cookie. The body is ignored by the proxy; the form keeps the request an ordinary one.
pub fn end_proxy_session(config: &Config) -> HttpRequest {
    let url = config.endpoints.session_end.as_deref().unwrap_or("");
    post(url, FormBody::new().field("client_id", &config.client_id))
}

/// `/revoke` (§7), with `token_type_hint` when the token's type is known.
pub fn revoke(config: &Config, token: &RevocableToken) -> HttpRequest {
    let form =
        FormBody::new().field("client_id", &config.client_id).field("token", token.expose()).optional("token_type_hint", token.hint());
    post(&config.endpoints.revoke, form)
}

/// `GET /userinfo` with the access token as bearer.
pub fn userinfo(config: &Config, access_token: &AccessToken) -> HttpRequest {
    get(&config.endpoints.userinfo, access_token)
}

/// `GET /keys` (the JWKS), for ID token signatures.
pub fn keys(config: &Config, bypass_cache: bool) -> HttpRequest {
    HttpRequest {
        method: Method::Get,
        url: config.endpoints.keys.clone(),
        headers: vec![("Accept", Cow::Borrowed("application/json"))],
        body: None,
        bypass_cache,
    }
}

/// `PUT {org}/idp/myaccount/password` (MyAccount "Replace a Password") with a recovery's
/// access token: `{"profile":{"password":"…"}}`.
pub fn replace_password(config: &Config, access_token: &AccessToken, password: &Password) -> HttpRequest {
    let mut body = String::from(r#"{"profile":{"password":"#);
    super::json::write_string(&mut body, password.expose());
    body.push_str("}}");
    HttpRequest {
        method: Method::Put,
        url: config.endpoints.my_account_password.clone(),
        headers: vec![
            ("Accept", Cow::Borrowed(MY_ACCOUNT_ACCEPT)),
            ("Authorization", Cow::Owned(bearer_header(access_token))),
            ("Content-Type", Cow::Borrowed("application/json")),
        ],
        body: Some(body),
        bypass_cache: false,
    }
}
