//! The two error forms Okta answers with (protocol notes §4.6):
//! the OAuth form `{error, error_description}` and the Okta API form
//! `{errorCode, errorSummary, errorLink, errorId, errorCauses}`.
//! Every JSON answer carries exactly `Content-Type: application/json`.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{json, Value};

pub const JSON: &str = "application/json";

/// The `error` value of a response, kept as a response extension for the request log.
#[derive(Debug, Clone)]
pub struct LoggedError(pub String);

/// A JSON response with exactly `Content-Type: application/json`.
pub fn json_response(status: StatusCode, body: &Value) -> Response {
    let mut resp = (status, body.to_string()).into_response();
    resp.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(JSON));
    resp
}

#[derive(Debug, Clone)]
pub struct OAuthError {
    pub status: StatusCode,
    pub error: &'static str,
    pub description: String,
    pub mfa_token: Option<String>,
    /// For `mfa_required`: the space-separated challenge types the user can finish with
    /// (Okta's Swift SDK fixture `token-mfa_required.json`).
    pub supported_challenge_types: Option<String>,
    /// For `/userinfo`: answered in `WWW-Authenticate` as well as in the body.
    pub www_authenticate: Option<String>,
}

impl OAuthError {
    pub fn new(status: StatusCode, error: &'static str, description: impl Into<String>) -> Self {
        OAuthError {
            status,
            error,
            description: description.into(),
            mfa_token: None,
            supported_challenge_types: None,
            www_authenticate: None,
        }
    }

    pub fn invalid_request(d: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "invalid_request", d)
    }
    pub fn invalid_grant(d: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "invalid_grant", d)
    }
    pub fn invalid_scope(d: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "invalid_scope", d)
    }
    pub fn access_denied(d: impl Into<String>) -> Self {
        Self::new(StatusCode::FORBIDDEN, "access_denied", d)
    }
    pub fn invalid_client(d: impl Into<String>) -> Self {
        Self::new(StatusCode::UNAUTHORIZED, "invalid_client", d)
    }

    pub fn missing_param(name: &str) -> Self {
        Self::invalid_request(format!("The required parameter '{name}' is missing."))
    }
    pub fn missing_login_hint() -> Self {
        Self::invalid_request("A 'login_hint' is required for the request.")
    }
    pub fn unauthorized_client(configured: &[String]) -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            "unauthorized_client",
            format!("The client is not authorized to use the provided grant type. Configured grant types: [{}].", configured.join(", ")),
        )
    }
    pub fn unsupported_grant_type(configured: &[&str]) -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            "unsupported_grant_type",
            format!(
                "The authorization grant type is not supported by the authorization server. Configured grant types: [{}].",
                configured.join(", ")
            ),
        )
    }
    pub fn invalid_credentials() -> Self {
        Self::invalid_grant("The credentials provided were invalid.")
    }
    pub fn password_expired(kind: crate::seed::PasswordExpiry) -> Self {
        match kind {
            crate::seed::PasswordExpiry::InvalidGrant => Self::invalid_grant("Password has expired."),
            crate::seed::PasswordExpiry::AccessDenied => Self::access_denied("The user's password is expired."),
        }
    }
    pub fn invalid_otp() -> Self {
        Self::invalid_grant("The 'otp' provided is either empty or incorrect. Use the correct OTP and try again.")
    }
    pub fn invalid_login_hint() -> Self {
        Self::invalid_grant("The 'login_hint' does not uniquely identify a user.")
    }
    pub fn oob_rejected() -> Self {
        Self::invalid_grant("User rejected out-of-band authentication prompt.")
    }
    pub fn expired(what: &str) -> Self {
        Self::access_denied(format!("'{what}' has expired. Use a new '{what}' and try again."))
    }
    pub fn authorization_pending() -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            "authorization_pending",
            "No user response received on the out-of-band authenticator yet. Continue polling to wait for a response.",
        )
    }
    pub fn slow_down() -> Self {
        Self::new(StatusCode::BAD_REQUEST, "slow_down", "Slow down the polling frequency. Please try again later.")
    }
    pub fn mfa_required(mfa_token: String, supported_challenge_types: &[&str]) -> Self {
        let mut e =
            Self::new(StatusCode::FORBIDDEN, "mfa_required", "Verify with an additional authenticator to complete the sign-in process.");
        e.mfa_token = Some(mfa_token);
        if !supported_challenge_types.is_empty() {
            e.supported_challenge_types = Some(supported_challenge_types.join(" "));
        }
        e
    }
    pub fn rate_limited() -> Self {
        Self::new(StatusCode::TOO_MANY_REQUESTS, "invalid_grant", "API call exceeded rate limit due to too many requests.")
    }
    pub fn not_challenged() -> Self {
        Self::access_denied(
            "Unable to prompt for the requested authenticators. Review the Authentication Policy’s requirements or request another authenticator and try again.",
        )
    }
    pub fn enrollment_required() -> Self {
        Self::access_denied(
            "The required authenticator cannot be used. Check if it is required by policy and the user is enrolled in the authenticator and try again.",
        )
    }
    pub fn scopes_changed(requested: &str, original: &str) -> Self {
        Self::invalid_scope(format!(
            "The requested scopes '{requested}' do not match the scopes requested in the original request '{original}'. Use the originally requested scopes and try again."
        ))
    }
    pub fn client_changed(got: &str, original: &str) -> Self {
        Self::invalid_client(format!(
            "The client_id '{got}' does not match the client_id in the original request '{original}'. Use the original client id and try again."
        ))
    }
    pub fn server_changed(got: &str, original: &str) -> Self {
        Self::invalid_request(format!(
            "The authorization server id '{got}' in the url_path parameter does not match the authorization server id in the original request '{original}'. Use the original authorization server id and try again."
        ))
    }
    pub fn acr_changed(got: &str, original: &str) -> Self {
        Self::invalid_request(format!(
            "The acr_values '{got}' do not match the acr_values requested in the original request '{original}'. Use the originally requested acr_values and try again."
        ))
    }
    pub fn oob_not_for_mfa_token() -> Self {
        Self::invalid_request(
            "The 'oob_code' and the 'mfa_token' provided are not associated with each other. Review the values and try again.",
        )
    }
    pub fn invalid_channel_hint(v: &str) -> Self {
        Self::invalid_request(format!("'{v}' is not supported as a 'channel_hint'. Try again with another value."))
    }
    pub fn invalid_challenge_hint(v: &str) -> Self {
        Self::invalid_request(format!("'{v}' is not supported as a 'challenge_hint'. Try again with another value."))
    }
    pub fn invalid_challenge_type(v: &str) -> Self {
        Self::invalid_request(format!("{v} is not supported as a 'challenge_type'. Try again with another value."))
    }
    pub fn invalid_grant_type_supported(v: &str) -> Self {
        Self::invalid_request(format!("{v} is not supported as a 'grant_type'. Remove or replace the value and try again."))
    }
    pub fn scope_not_allowed() -> Self {
        Self::invalid_scope("The 'scope' parameter is unsupported on this endpoint. Try again without this parameter.")
    }
    pub fn invalid_refresh_token() -> Self {
        Self::invalid_grant("The refresh token is invalid or expired.")
    }
    // Okta's rules for browser requests (an `Origin` header) to `/token`; descriptions verbatim
    // from the error catalogue (`oauth2-error-codes.json`, 2026.08.1).
    pub fn browser_grant_type() -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            "unauthorized_client",
            "Browser requests to the token endpoint may only use the authorization_code grant_type.",
        )
    }
    pub fn browser_origin_not_trusted() -> Self {
        Self::invalid_request("Browser requests to the token endpoint must be made from one of the registered Trusted Origins.")
    }
    pub fn browser_origin_not_redirect_uri() -> Self {
        Self::invalid_request("Browser requests to the token endpoint must be part of at least one whitelisted redirect_uri.")
    }
    pub fn browser_offline_access() -> Self {
        Self::invalid_scope("Browser requests to the token endpoint may not include the offline_access scope.")
    }
    pub fn browser_needs_pkce() -> Self {
        Self::invalid_client("Browser requests to the token endpoint must use Proof Key for Code Exchange.")
    }

    pub fn temporarily_unavailable() -> Self {
        Self::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "temporarily_unavailable",
            "The authorization server is currently unable to handle the request due to a temporary overloading or maintenance of the server.",
        )
    }

    pub fn server_error() -> Self {
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "server_error",
            "The authorization server encountered an unexpected condition that prevented it from fulfilling the request.",
        )
    }
}

impl IntoResponse for OAuthError {
    fn into_response(self) -> Response {
        let mut body = json!({ "error": self.error, "error_description": self.description });
        if let Some(t) = &self.mfa_token {
            body["mfa_token"] = Value::String(t.clone());
        }
        if let Some(t) = &self.supported_challenge_types {
            body["supported_challenge_types"] = Value::String(t.clone());
        }
        let mut resp = json_response(self.status, &body);
        if let Some(w) = &self.www_authenticate {
            if let Ok(v) = HeaderValue::from_str(w) {
                resp.headers_mut().insert(header::WWW_AUTHENTICATE, v);
            }
        }
        resp.extensions_mut().insert(LoggedError(self.error.to_string()));
        resp
    }
}

/// The Okta API error form (`errorCode` …), used for 404 unknown resources, 405, 5xx and
/// untrusted-origin rejections.
#[derive(Debug, Clone)]
pub struct OktaApiError {
    pub status: StatusCode,
    pub code: &'static str,
    pub summary: String,
}

impl OktaApiError {
    pub fn not_found(resource: &str, kind: &str) -> Self {
        OktaApiError {
            status: StatusCode::NOT_FOUND,
            code: "E0000007",
            summary: format!("Not found: Resource not found: {resource} ({kind})"),
        }
    }
    pub fn internal() -> Self {
        OktaApiError { status: StatusCode::INTERNAL_SERVER_ERROR, code: "E0000009", summary: "Internal Server Error".into() }
    }
    pub fn method_not_allowed() -> Self {
        OktaApiError {
            status: StatusCode::METHOD_NOT_ALLOWED,
            code: "E0000022",
            summary: "The endpoint does not support the provided HTTP method".into(),
        }
    }
    pub fn forbidden_origin() -> Self {
        OktaApiError {
            status: StatusCode::FORBIDDEN,
            code: "E0000006",
            summary: "You do not have permission to perform the requested action".into(),
        }
    }
    pub fn bad_request(summary: impl Into<String>) -> Self {
        OktaApiError { status: StatusCode::BAD_REQUEST, code: "E0000001", summary: summary.into() }
    }
}

impl IntoResponse for OktaApiError {
    fn into_response(self) -> Response {
        let body = json!({
            "errorCode": self.code,
            "errorSummary": self.summary,
            "errorLink": self.code,
            "errorId": format!("oae{}", crate::keys::random_id(12)),
            "errorCauses": [],
        });
        let mut resp = json_response(self.status, &body);
        resp.extensions_mut().insert(LoggedError(self.code.to_string()));
        resp
    }
}
