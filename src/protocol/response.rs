//! Classifiers: (HTTP status, content type, body bytes) → a typed outcome or an [`Error`].
//!
//! They key on Okta's `error` field, never on the status alone (`mfa_required` arrives as
//! 400 or 403 depending on who you ask, §4.5), and refuse anything Okta would not send.

use std::borrow::Cow;

use super::error::{hints, Error, ErrorDetails, ErrorKind};
use super::json::{self, Value};
use super::secret::{AccessToken, BindingCode, IdToken, MfaToken, OobCode, RefreshToken};
use super::types::{BindingMethod, Channel, OobChallenge, ProxySignOut, RefreshTokenCustody, SignIn, TokenOutcome, Tokens};

/// A response as data. Its `Debug` shows the status and headers, not the body (tokens).
#[derive(Clone, Default, PartialEq, Eq)]
pub struct HttpResponse {
    pub status: u16,
    pub content_type: Option<String>,
    pub body: Vec<u8>,
    /// `Retry-After` and Okta's `X-Rate-Limit-Reset`, as sent. A cross-origin page reads them
    /// only when the server lists them in `Access-Control-Expose-Headers`; a same-origin proxy
    /// always passes them.
    pub retry_after: Option<String>,
    pub rate_limit_reset: Option<String>,
}

impl core::fmt::Debug for HttpResponse {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("HttpResponse")
            .field("status", &self.status)
            .field("content_type", &self.content_type)
            .field("body_len", &self.body.len())
            .field("retry_after", &self.retry_after)
            .field("rate_limit_reset", &self.rate_limit_reset)
            .finish()
    }
}

/// How long the response asks the client to wait before its next request, in whole seconds:
/// `Retry-After` (delta-seconds; its HTTP-date form is not read), else `X-Rate-Limit-Reset`
/// (Okta's: the UTC epoch second the window resets) against the device clock. `None` when
/// neither is there or the reset has passed.
pub fn retry_after_seconds(response: &HttpResponse, now_ms: f64) -> Option<u32> {
    if let Some(seconds) = response.retry_after.as_deref().and_then(whole_seconds) {
        return Some(seconds);
    }
    let reset_ms = f64::from(response.rate_limit_reset.as_deref().and_then(whole_seconds)?) * 1000.0;
    // `as` saturates: a reset more than 136 years away reads as u32::MAX seconds.
    (reset_ms > now_ms).then(|| ((reset_ms - now_ms) / 1000.0).ceil() as u32)
}

/// A header value that is a whole number of seconds: ASCII digits (blanks around) that fit a `u32`.
fn whole_seconds(value: &str) -> Option<u32> {
    let digits = value.trim_ascii().as_bytes();
    if digits.is_empty() {
        return None;
    }
    digits.iter().try_fold(0u32, |n, &d| n.checked_mul(10)?.checked_add(u32::from(d.checked_sub(b'0').filter(|d| *d <= 9)?)))
}

/// What an error answer means for the request it answers: all a classifier needs to know of the
/// step, which names its own ([`crate::protocol::steps`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ErrorReading {
    /// The hint for `invalid_grant`: what was refused (a password, an OTP, a code…).
    pub invalid_grant: &'static str,
    /// `invalid_grant` means the user said no (a push poll).
    pub invalid_grant_denies: bool,
    /// `access_denied` / `invalid_grant` saying "expired" is the transaction's `mfa_token` or
    /// `oob_code` expiring (on a refresh it is the refresh token, which is not `expired`).
    pub expiry: bool,
    /// A bare 401/403 is the bearer token's error (`/userinfo` puts it in `WWW-Authenticate`,
    /// which CORS hides).
    pub bearer: bool,
}

/// The readings the steps use.
pub mod reading {
    use super::{hints, ErrorReading};

    /// Any request without a more precise reading.
    pub const PLAIN: ErrorReading =
        ErrorReading { invalid_grant: hints::INVALID_GRANT, invalid_grant_denies: false, expiry: true, bearer: false };
    pub const PASSWORD: ErrorReading = ErrorReading { invalid_grant: hints::WRONG_PASSWORD, ..PLAIN };
    /// The OTP grant and `mfa-otp`.
    pub const OTP: ErrorReading = ErrorReading { invalid_grant: hints::WRONG_OTP, ..PLAIN };
    /// A poll of `/token` with an `oob_code` (push): `invalid_grant` means the user said no.
    pub const OOB_POLL: ErrorReading = ErrorReading { invalid_grant_denies: true, ..PLAIN };
    /// The SMS / voice code exchange: `invalid_grant` means a wrong code.
    pub const OOB_BINDING_CODE: ErrorReading = ErrorReading { invalid_grant: hints::WRONG_BINDING_CODE, ..PLAIN };
    pub const REFRESH: ErrorReading = ErrorReading { invalid_grant: hints::BAD_REFRESH_TOKEN, expiry: false, ..PLAIN };
    pub const USERINFO: ErrorReading = ErrorReading { bearer: true, ..PLAIN };
    /// The passkey grants: `invalid_grant` means the assertion (or its challenge) was refused.
    pub const PASSKEY: ErrorReading = ErrorReading { invalid_grant: hints::PASSKEY_REFUSED, ..PLAIN };
}

fn is_success(status: u16) -> bool {
    (200..300).contains(&status)
}

/// `application/json` with or without parameters (`; charset=utf-8`), or a `+json` type.
fn is_json_content_type(content_type: Option<&str>) -> bool {
    let Some(value) = content_type else { return false };
    let value = value.as_bytes();
    let end = value.iter().position(|&b| b == b';').unwrap_or(value.len());
    let media_type = value.get(..end).unwrap_or(b"").trim_ascii();
    let starts = |prefix: &[u8]| media_type.get(..prefix.len()).is_some_and(|p| p.eq_ignore_ascii_case(prefix));
    let ends = |suffix: &[u8]| {
        media_type.len() >= suffix.len()
            && media_type.get(media_type.len() - suffix.len()..).is_some_and(|s| s.eq_ignore_ascii_case(suffix))
    };
    media_type.eq_ignore_ascii_case(b"application/json") || (starts(b"application/") && ends(b"+json"))
}

/// The body as a JSON object, or the error that explains why it is not one.
fn json_object(response: &HttpResponse) -> Result<Value, Error> {
    let status = response.status;
    if (300..400).contains(&status) {
        return Err(Error::protocol(status, "unexpected_redirect", "A redirect, which Okta never sends here."));
    }
    if !is_json_content_type(response.content_type.as_deref()) {
        if status == 429 {
            return Err(rate_limited(status, None));
        }
        return Err(if status >= 500 {
            Error::protocol(status, "server_error_page", "A server error that is not JSON.")
        } else {
            Error::protocol(status, "unexpected_content_type", "The response is not JSON (an HTML page from a proxy?).")
        });
    }
    match json::parse(&response.body) {
        Ok(value) if value.is_object() => Ok(value),
        Ok(_) => Err(Error::protocol(status, "unexpected_json", "The response is JSON but not an object.")),
        Err(_) => Err(Error::protocol(status, "invalid_json", "The response is not valid JSON.")),
    }
}

fn rate_limited(status: u16, okta: Option<(String, Option<String>)>) -> Error {
    let (code, description) = match okta {
        Some((code, description)) => (Cow::Owned(code), description.map(Cow::Owned)),
        None => (Cow::Borrowed("rate_limited"), Some(Cow::Borrowed("Too many requests (HTTP 429)."))),
    };
    ErrorDetails {
        kind: ErrorKind::RateLimited,
        code,
        description,
        status: Some(status),
        hint: hints::RATE_LIMITED,
        okta_error_code: None,
        retry_after_seconds: None,
    }
    .into()
}

/// ASCII case-insensitive substring test on bytes (no two-way string searcher in the wasm).
/// Every needle is a non-empty literal, as `windows` requires.
pub(super) fn contains_ignore_case(haystack: &str, needle: &str) -> bool {
    haystack.as_bytes().windows(needle.len()).any(|window| window.eq_ignore_ascii_case(needle.as_bytes()))
}

/// What an error's English description says, where Okta sends no stable field for it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Said {
    /// "rate limit": Okta's rate limit with another `error` than a 429's.
    RateLimit,
    /// The user's password expired: they must change it (not the transaction expiring).
    PasswordExpired,
    /// An `oob_code` Okta does not know, or already exchanged.
    UnknownOobCode,
    /// Only an authenticated (confidential) client may ask for MFA attestation.
    AttestationNeedsClientAuth,
    /// The transaction's `mfa_token` or `oob_code` expired (for readings with `expiry`).
    Expired,
    /// Okta's CORS / browser refusal.
    Origin,
}

/// The English-text fallbacks, in ONE table, first match wins: Okta's `error` (`""` for any)
/// and a case-insensitive piece of its `error_description` (Okta's catalogue texts, §8).
/// Stable fields win where Okta sends them: `expired_token` and `oob_rejected` are read by
/// their `error` alone ([`error_from_body`]).
pub const SAID: [(&str, &str, Said); 9] = [
    ("", "rate limit", Said::RateLimit),
    ("invalid_grant", "password has expired", Said::PasswordExpired),
    ("access_denied", "password is expired", Said::PasswordExpired),
    ("invalid_grant", "'oob_code' is invalid", Said::UnknownOobCode),
    ("invalid_request", "client authentication is required", Said::AttestationNeedsClientAuth),
    ("", "expired", Said::Expired),
    ("", "trusted origin", Said::Origin),
    ("", "origin header", Said::Origin),
    ("", "browser request", Said::Origin),
];

/// The first row of [`SAID`] that matches `code` and `description`.
pub fn said(code: &str, description: &str) -> Option<Said> {
    SAID.iter().find(|(error, needle, _)| (error.is_empty() || *error == code) && contains_ignore_case(description, needle)).map(|r| r.2)
}

/// Turns an error body (either form, §4.6) into an [`Error`]; `None` when it is not one.
fn error_from_body(status: u16, body: &Value, reading: &ErrorReading) -> Option<Error> {
    // Okta never sends `proxy_reason`: the refusal is okta-direct-auth-proxy's own.
    if let Some(reason) = body.get("proxy_reason").and_then(Value::as_str) {
        let description = body.get("error_description").and_then(Value::as_str).map(str::to_owned);
        return Some(proxy_refusal(status, reason, description));
    }
    if let Some(code) = body.get("error").and_then(Value::as_str) {
        let description = body.get("error_description").and_then(Value::as_str).map(str::to_owned);
        let said = said(code, description.as_deref().unwrap_or(""));
        if status == 429 || said == Some(Said::RateLimit) {
            return Some(rate_limited(status, Some((code.to_owned(), description))));
        }
        let (kind, code, hint) = match said {
            Some(Said::PasswordExpired) => (ErrorKind::OAuth, "password_expired", hints::PASSWORD_EXPIRED),
            Some(Said::UnknownOobCode) => (ErrorKind::OAuth, "invalid_oob_code", hints::UNKNOWN_OOB_CODE),
            _ if code == "expired_token" => (ErrorKind::Expired, code, hints::EXPIRED),
            Some(Said::Expired) if reading.expiry && matches!(code, "access_denied" | "invalid_grant") => {
                (ErrorKind::Expired, code, hints::EXPIRED)
            }
            _ if code == "oob_rejected" || (reading.invalid_grant_denies && code == "invalid_grant") => {
                (ErrorKind::Denied, code, hints::DENIED)
            }
            Some(Said::Origin) => (ErrorKind::OAuth, code, hints::ORIGIN),
            Some(Said::AttestationNeedsClientAuth) => (ErrorKind::OAuth, code, hints::ATTESTATION_CLIENT_AUTH),
            _ => (ErrorKind::OAuth, code, oauth_hint(code, reading)),
        };
        return Some(
            ErrorDetails {
                kind,
                code: Cow::Owned(code.to_owned()),
                description: description.map(Cow::Owned),
                status: Some(status),
                hint,
                okta_error_code: None,
                retry_after_seconds: None,
            }
            .into(),
        );
    }
    if let Some(okta_code) = body.get("errorCode").and_then(Value::as_str) {
        let mut description = body.get("errorSummary").and_then(Value::as_str).unwrap_or("").to_owned();
        if let Some(Value::Array(causes)) = body.get("errorCauses") {
            for cause in causes.iter().filter_map(|c| c.get("errorSummary").and_then(Value::as_str)) {
                description.push_str(if description.is_empty() { "" } else { " " });
                description.push_str(cause);
            }
        }
        let rate = status == 429 || okta_code == "E0000047";
        return Some(
            ErrorDetails {
                kind: if rate { ErrorKind::RateLimited } else { ErrorKind::OAuth },
                code: Cow::Borrowed("api_error"),
                description: (!description.is_empty()).then_some(Cow::Owned(description)),
                status: Some(status),
                hint: if rate {
                    hints::RATE_LIMITED
                } else if status >= 500 {
                    hints::SERVER_ERROR
                } else {
                    hints::OAUTH
                },
                okta_error_code: Some(okta_code.to_owned()),
                retry_after_seconds: None,
            }
            .into(),
        );
    }
    None
}

/// A refusal of okta-direct-auth-proxy (proxy/README.md, "Refusals"): `code` is its
/// `proxy_reason`; its rate limits are `rate_limited` (their `Retry-After` is kept), the rest
/// kind `proxy`, with a hint per group of reasons.
fn proxy_refusal(status: u16, reason: &str, description: Option<String>) -> Error {
    let starts = |prefix: &str| reason.as_bytes().starts_with(prefix.as_bytes());
    let (kind, hint) = if starts("rate_limited") {
        (ErrorKind::RateLimited, hints::RATE_LIMITED)
    } else if matches!(reason, "origin_missing" | "origin_not_allowed" | "cross_site_request") {
        (ErrorKind::Proxy, hints::PROXY_ORIGIN)
    } else if starts("custody_cookie") {
        (ErrorKind::Proxy, hints::PROXY_CUSTODY)
    } else if reason == "custody_off" {
        (ErrorKind::Proxy, hints::PROXY_CUSTODY_OFF)
    } else if starts("upstream") {
        (ErrorKind::Proxy, hints::PROXY_UPSTREAM)
    } else if matches!(
        reason,
        "path_not_allowed" | "method_not_allowed" | "authorization_server_not_allowed" | "client_not_allowed" | "grant_type_not_allowed"
    ) {
        (ErrorKind::Proxy, hints::PROXY_ALLOWLIST)
    } else if status >= 500 {
        (ErrorKind::Proxy, hints::PROXY_SERVER)
    } else {
        (ErrorKind::Proxy, hints::PROXY_REQUEST)
    };
    ErrorDetails {
        kind,
        code: Cow::Owned(reason.to_owned()),
        description: description.map(Cow::Owned),
        status: Some(status),
        hint,
        okta_error_code: None,
        retry_after_seconds: None,
    }
    .into()
}

fn oauth_hint(code: &str, reading: &ErrorReading) -> &'static str {
    match code {
        "invalid_grant" => reading.invalid_grant,
        "invalid_otp" => hints::WRONG_OTP,
        "unauthorized_client" => hints::UNAUTHORIZED_CLIENT,
        "unsupported_grant_type" => hints::UNSUPPORTED_GRANT_TYPE,
        "invalid_client" => hints::INVALID_CLIENT,
        "invalid_scope" => hints::INVALID_SCOPE,
        "invalid_request" => hints::INVALID_REQUEST,
        "access_denied" => hints::ACCESS_DENIED,
        "server_error" | "temporarily_unavailable" => hints::SERVER_ERROR,
        _ => hints::OAUTH,
    }
}

/// Errors for a response that is neither an error body nor a success.
fn unexpected_status(status: u16) -> Error {
    if status == 429 {
        return rate_limited(status, None);
    }
    Error::protocol(status, "unexpected_status", "An error status without an Okta error body.")
}

fn missing(status: u16, description: &'static str) -> Error {
    Error::protocol(status, "invalid_response", description)
}

fn required_string<'a>(body: &'a Value, field: &str, status: u16, description: &'static str) -> Result<&'a str, Error> {
    match body.get(field).and_then(Value::as_str) {
        Some(value) if !value.is_empty() => Ok(value),
        _ => Err(missing(status, description)),
    }
}

fn optional_string(body: &Value, field: &str) -> Option<String> {
    body.get(field).and_then(Value::as_str).map(str::to_owned)
}

/// A `/token` response: tokens, `mfa_required`, `authorization_pending`, `slow_down`, or an error.
pub fn classify_token(response: &HttpResponse, reading: &ErrorReading, now_ms: f64) -> Result<TokenOutcome, Error> {
    let status = response.status;
    let body = json_object(response)?;
    match body.get("error").and_then(Value::as_str) {
        Some("mfa_required") => {
            let mfa_token = required_string(&body, "mfa_token", status, "mfa_required without an mfa_token.")?;
            let supported_challenge_types = body
                .get("supported_challenge_types")
                .and_then(Value::as_str)
                .map(|types| types.split_ascii_whitespace().map(str::to_owned).collect());
            return Ok(TokenOutcome::Done(SignIn::MfaRequired { mfa_token: MfaToken::new(mfa_token), supported_challenge_types }));
        }
        // The second spelling is Okta's internal code, which early-access servers sent.
        Some("authorization_pending" | "direct_auth_authorization_pending") => return Ok(TokenOutcome::Pending),
        Some("slow_down") => return Ok(TokenOutcome::SlowDown),
        _ => {}
    }
    if let Some(error) = error_from_body(status, &body, reading) {
        return Err(error);
    }
    if !is_success(status) {
        return Err(unexpected_status(status));
    }
    // MFA attestation (§3.10, Okta's Swift fixture `token-mfa_attestation.json`): an ID token,
    // `access_token: null` and `expires_in: 0`: the user passed MFA, and there is nothing to call.
    if body.get("access_token") == Some(&Value::Null) && body.get("expires_in").and_then(Value::as_u64) == Some(0) {
        let id_token = required_string(&body, "id_token", status, "An MFA attestation without an id_token.")?;
        return Ok(TokenOutcome::Done(SignIn::Attested { id_token: IdToken::new(id_token), scope: optional_string(&body, "scope") }));
    }
    let access_token = required_string(&body, "access_token", status, "A token response without an access_token.")?;
    let token_type = required_string(&body, "token_type", status, "A token response without a token_type.")?;
    let expires_in =
        body.get("expires_in").and_then(Value::as_u64).ok_or_else(|| missing(status, "A token response without a valid expires_in."))?;
    Ok(TokenOutcome::Done(SignIn::Success(Box::new(Tokens {
        token_type: token_type.to_owned(),
        access_token: AccessToken::new(access_token),
        expires_in,
        expires_at_ms: now_ms + expires_in as f64 * 1000.0,
        scope: optional_string(&body, "scope"),
        id_token: optional_string(&body, "id_token").map(IdToken::new),
        refresh_token: optional_string(&body, "refresh_token").map(RefreshToken::new),
        refresh_token_custody: body.get("refresh_token_custody").and_then(Value::as_str).and_then(RefreshTokenCustody::parse),
    }))))
}

impl TokenOutcome {
    /// For requests that cannot be pending (everything but a push poll): `authorization_pending`
    /// or `slow_down` there means the server is confused.
    pub fn into_sign_in(self, status: u16) -> Result<SignIn, Error> {
        match self {
            TokenOutcome::Done(result) => Ok(result),
            TokenOutcome::Pending | TokenOutcome::SlowDown => {
                Err(Error::protocol(status, "unexpected_pending", "'pending' for a request that cannot be pending."))
            }
        }
    }
}

/// A `/primary-authenticate`, `/oob-authenticate` or `/challenge` response (§4.2, §4.3).
/// `mfa_token` is the transaction's, for `/challenge`; it is carried into the result.
pub fn classify_oob_challenge(
    response: &HttpResponse,
    reading: &ErrorReading,
    now_ms: f64,
    mfa_token: Option<MfaToken>,
) -> Result<OobChallenge, Error> {
    let status = response.status;
    let body = json_object(response)?;
    if let Some(error) = error_from_body(status, &body, reading) {
        return Err(error);
    }
    if !is_success(status) {
        return Err(unexpected_status(status));
    }
    let oob_code = required_string(&body, "oob_code", status, "An out-of-band response without an oob_code.")?;
    let expires_in = body
        .get("expires_in")
        .and_then(Value::as_u64)
        .ok_or_else(|| missing(status, "An out-of-band response without a valid expires_in."))?;
    let channel = body
        .get("channel")
        .and_then(Value::as_str)
        .and_then(Channel::parse)
        .ok_or_else(|| missing(status, "An out-of-band response without a known channel."))?;
    let binding_method = body
        .get("binding_method")
        .and_then(Value::as_str)
        .and_then(BindingMethod::parse)
        .ok_or_else(|| missing(status, "An out-of-band response without a known binding_method."))?;
    // The spec types binding_code as a string; Okta's examples show a bare number.
    let binding_code = match body.get("binding_code") {
        Some(Value::String(code)) if !code.is_empty() => Some(code.clone()),
        Some(number @ Value::Number(_)) => number.as_u64().map(|n| {
            let mut text = String::new();
            super::json::write_u64(&mut text, n);
            text
        }),
        _ => None,
    };
    if binding_method == BindingMethod::Transfer && binding_code.is_none() {
        return Err(missing(status, "binding_method 'transfer' without a binding_code to show."));
    }
    let interval = match body.get("interval") {
        None | Some(Value::Null) => None,
        Some(value) => Some(value.as_u64().ok_or_else(|| missing(status, "An out-of-band response with an invalid interval."))?),
    };
    Ok(OobChallenge {
        oob_code: OobCode::new(oob_code),
        channel,
        binding_method,
        binding_code: binding_code.map(BindingCode::new),
        expires_in,
        expires_at_ms: now_ms + expires_in as f64 * 1000.0,
        interval,
        mfa_token,
        intent: Default::default(),
    })
}

/// `/revoke`: any 2xx is success (Okta answers 200 for unknown tokens too).
pub fn classify_revoke(response: &HttpResponse) -> Result<(), Error> {
    if is_success(response.status) {
        return Ok(());
    }
    Err(classify_failure(response, &reading::PLAIN))
}

/// The proxy's sign-out: 200 `{"signed_out": true, "revoked": bool}`, or a refusal.
pub fn classify_proxy_sign_out(response: &HttpResponse) -> Result<ProxySignOut, Error> {
    let body = classify_json(response, &reading::PLAIN)?;
    match (body.get("signed_out"), body.get("revoked")) {
        (Some(Value::Bool(true)), Some(Value::Bool(revoked))) => Ok(ProxySignOut { revoked: *revoked }),
        _ => Err(missing(response.status, "A sign-out answer without signed_out and revoked: is proxy the okta-direct-auth-proxy mount?")),
    }
}

/// `/userinfo` and `/keys`: a JSON object on success.
pub fn classify_json(response: &HttpResponse, reading: &ErrorReading) -> Result<Value, Error> {
    if !is_success(response.status) {
        return Err(classify_failure(response, reading));
    }
    let body = json_object(response)?;
    match error_from_body(response.status, &body, reading) {
        Some(error) => Err(error),
        None => Ok(body),
    }
}

/// An error for a non-2xx response. `/userinfo` puts its error in `WWW-Authenticate`,
/// which CORS hides, so a bare 401/403 there is still reported as the OAuth error it is.
pub(super) fn classify_failure(response: &HttpResponse, reading: &ErrorReading) -> Error {
    let status = response.status;
    match json_object(response) {
        Ok(body) => error_from_body(status, &body, reading).unwrap_or_else(|| unexpected_status(status)),
        Err(_) if reading.bearer && (status == 401 || status == 403) => ErrorDetails {
            kind: ErrorKind::OAuth,
            code: Cow::Borrowed(if status == 401 { "invalid_token" } else { "insufficient_scope" }),
            description: None,
            status: Some(status),
            hint: hints::ACCESS_TOKEN,
            okta_error_code: None,
            retry_after_seconds: None,
        }
        .into(),
        Err(error) => error,
    }
}
