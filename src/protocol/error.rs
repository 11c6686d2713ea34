//! The one error type of the SDK. It never holds a secret: descriptions are Okta's own
//! `error_description` or fixed local text, never a request field.

use std::borrow::Cow;

/// What went wrong, in the terms an app switches on (`DirectAuthError.kind` in JS).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    /// Okta answered with an OAuth error (or its API error form).
    OAuth,
    /// The user rejected the push.
    Denied,
    /// The `oob_code` or `mfa_token` expired.
    Expired,
    /// HTTP 429 or Okta's rate-limit error.
    RateLimited,
    /// No response: offline, DNS, CORS refusal.
    Network,
    /// No response within the configured timeout.
    Timeout,
    /// The caller's `AbortSignal` fired.
    Aborted,
    /// The response is not what Okta sends.
    Protocol,
    /// The client options are wrong.
    Config,
    /// A call argument is wrong; nothing was sent.
    Input,
    /// okta-direct-auth-proxy refused the request itself (`code` is its `proxy_reason`).
    Proxy,
    /// The browser's passkey ceremony (`navigator.credentials.get`) failed.
    Passkey,
    /// Okta refused the new password (its policy, or a recent one): show `description` and `hint`.
    Password,
}

impl ErrorKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorKind::OAuth => "oauth",
            ErrorKind::Denied => "denied",
            ErrorKind::Expired => "expired",
            ErrorKind::RateLimited => "rate_limited",
            ErrorKind::Network => "network",
            ErrorKind::Timeout => "timeout",
            ErrorKind::Aborted => "aborted",
            ErrorKind::Protocol => "protocol",
            ErrorKind::Config => "config",
            ErrorKind::Input => "input",
            ErrorKind::Proxy => "proxy",
            ErrorKind::Passkey => "passkey",
            ErrorKind::Password => "password",
        }
    }
}

/// An error, boxed: every `Result<_, Error>` is then one pointer wide instead of 60 bytes (wasm32),
/// which every `?` and every future holding a result copies (the fields read through `Deref`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Error(Box<ErrorDetails>);

impl core::ops::Deref for Error {
    type Target = ErrorDetails;

    fn deref(&self) -> &ErrorDetails {
        &self.0
    }
}

impl From<ErrorDetails> for Error {
    #[cold]
    #[inline(never)]
    fn from(details: ErrorDetails) -> Self {
        Error(Box::new(details))
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ErrorDetails {
    pub kind: ErrorKind,
    /// Okta's `error` verbatim (`invalid_grant`, …) when Okta sent one, else a local code.
    pub code: Cow<'static, str>,
    /// Okta's `error_description` / `errorSummary`, or a fixed local explanation.
    pub description: Option<Cow<'static, str>>,
    /// The HTTP status, when there was a response.
    pub status: Option<u16>,
    /// One sentence for the developer: what to do about it.
    pub hint: &'static str,
    /// Okta's API error form only: `errorCode` (`E0000047`, …).
    pub okta_error_code: Option<String>,
    /// Rate-limited errors only: whole seconds until Okta accepts requests again, when the
    /// response said so in a header the page may read ([`crate::protocol::response::retry_after_seconds`]).
    pub retry_after_seconds: Option<u32>,
}

impl Error {
    /// An error the SDK raises itself (no response involved).
    #[cold]
    #[inline(never)]
    pub fn local(kind: ErrorKind, code: &'static str, description: &'static str, hint: &'static str) -> Self {
        ErrorDetails {
            kind,
            code: Cow::Borrowed(code),
            description: Some(Cow::Borrowed(description)),
            status: None,
            hint,
            okta_error_code: None,
            retry_after_seconds: None,
        }
        .into()
    }

    /// A caller mistake in a call argument: nothing was sent.
    #[cold]
    #[inline(never)]
    pub fn input(code: &'static str, description: &'static str) -> Self {
        Error::local(ErrorKind::Input, code, description, hints::INPUT)
    }

    /// A mistake in the client options.
    #[cold]
    #[inline(never)]
    pub fn config(code: &'static str, description: &'static str) -> Self {
        Error::local(ErrorKind::Config, code, description, hints::CONFIG)
    }

    /// A response that is not what Okta sends.
    #[cold]
    #[inline(never)]
    pub fn protocol(status: u16, code: &'static str, description: &'static str) -> Self {
        ErrorDetails {
            kind: ErrorKind::Protocol,
            code: Cow::Borrowed(code),
            description: Some(Cow::Borrowed(description)),
            status: Some(status),
            hint: hints::PROTOCOL,
            okta_error_code: None,
            retry_after_seconds: None,
        }
        .into()
    }

    #[cold]
    #[inline(never)]
    pub fn network() -> Self {
        Error::local(ErrorKind::Network, "network_error", "The request failed before any response arrived.", hints::NETWORK)
    }

    #[cold]
    #[inline(never)]
    pub fn timeout() -> Self {
        Error::local(ErrorKind::Timeout, "timeout", "No response within timeoutMs.", hints::TIMEOUT)
    }

    #[cold]
    #[inline(never)]
    pub fn aborted() -> Self {
        Error::local(ErrorKind::Aborted, "aborted", "The operation was aborted by its AbortSignal.", hints::ABORTED)
    }

    /// `seconds` (how long the response asked to wait) kept on a rate-limited error; any other
    /// error is returned unchanged.
    pub fn with_retry_after(mut self, seconds: Option<u32>) -> Self {
        if self.kind == ErrorKind::RateLimited {
            self.0.retry_after_seconds = seconds;
        }
        self
    }

    /// Worth retrying inside a wait: the server or the path to it failed, not the request.
    pub fn is_transient(&self) -> bool {
        matches!(self.kind, ErrorKind::Network | ErrorKind::Timeout | ErrorKind::RateLimited)
            || self.status.is_some_and(|s| s >= 500)
            // Okta's OAuth form of a server failure, which its catalogue sends as a 400 too.
            || (self.kind == ErrorKind::OAuth && matches!(&*self.code, "server_error" | "temporarily_unavailable"))
    }
}

/// The `hint` texts, one place so they stay consistent.
pub mod hints {
    pub const INPUT: &str = "Fix the call's arguments; nothing was sent.";
    pub const CONFIG: &str = "Fix the DirectAuth options.";
    pub const PROTOCOL: &str =
        "Not an Okta answer: check that the issuer and endpoints reach Okta, or a proxy that passes its JSON unchanged.";
    /// A browser hides why a request failed: offline, or a CORS refusal, which is what Okta
    /// answers a page calling `/challenge` or `/primary-authenticate` directly.
    pub const NETWORK: &str = "Check the network. If the page calls Okta directly, Okta's CORS rules refuse these endpoints to browsers: route the SDK through okta-direct-auth-proxy (the proxy option).";
    pub const TIMEOUT: &str = "Retry, or raise timeoutMs.";
    pub const ABORTED: &str = "The caller's AbortSignal fired; nothing more was sent.";
    pub const EXPIRED: &str = "Start the sign-in again.";
    pub const PASSWORD_EXPIRED: &str = "The user's password expired: they must change it before signing in with it.";
    pub const UNKNOWN_OOB_CODE: &str = "Okta does not know this oob_code or it was used: start the push or SMS again.";
    pub const ATTESTATION_CLIENT_AUTH: &str = "MFA attestation needs a confidential client: call it through a proxy that authenticates it.";
    pub const DENIED: &str = "The user rejected the push: offer another factor or retry.";
    pub const RATE_LIMITED: &str = "Wait a minute, then retry.";
    pub const WRONG_OTP: &str = "The one-time code is wrong, expired or used: ask for a fresh one.";
    pub const WRONG_PASSWORD: &str = "Wrong username or password, or the user cannot use a password.";
    pub const WRONG_BINDING_CODE: &str = "The code the user typed is wrong or used: ask them to check the SMS, call or email.";
    pub const BAD_REFRESH_TOKEN: &str = "The refresh token is invalid, expired or used: sign in again.";
    pub const INVALID_GRANT: &str = "Okta refused the credentials or code: see description.";
    pub const UNAUTHORIZED_CLIENT: &str =
        "Enable this Direct Authentication grant in the Okta app (super admin) and allow it in the authorization server's access policy.";
    pub const UNSUPPORTED_GRANT_TYPE: &str = "Allow this grant in the authorization server's access policy rule.";
    pub const INVALID_CLIENT: &str = "Use the client ID of a public app (no secret) with Direct Authentication grants.";
    pub const INVALID_SCOPE: &str = "Request the same allowed scopes on every call of a sign-in.";
    pub const INVALID_REQUEST: &str = "Check the parameters (see description): channel, username, and that the user has that factor.";
    pub const ACCESS_DENIED: &str = "Okta's policy refused it: check the user's app assignment and allowed factors.";
    /// Okta's `*_browser_request` refusals (an `Origin` header on a direct-auth grant).
    pub const ORIGIN: &str =
        "Okta refuses Direct Authentication grants from a browser: route the SDK through okta-direct-auth-proxy (the proxy option).";
    pub const PROXY_ORIGIN: &str =
        "The proxy refused this page's origin: add it to the proxy's app_origins (a sibling origin also needs its sibling-origin setting).";
    pub const PROXY_CUSTODY: &str =
        "The proxy holds no usable refresh token for this browser (missing, expired, altered or another client's): sign in again.";
    pub const PROXY_CUSTODY_OFF: &str =
        "Refresh-token custody is off on the proxy: keep the refresh token in the app and pass it, or turn custody on.";
    pub const PROXY_UPSTREAM: &str = "The proxy could not get an answer from Okta: retry in a moment.";
    pub const PROXY_ALLOWLIST: &str =
        "The proxy does not forward this: check issuer and clientId, or add the server, client or grant to the proxy's configuration.";
    pub const PROXY_REQUEST: &str = "The proxy refused the request's form (see description).";
    pub const PROXY_SERVER: &str = "The proxy failed or is wired wrong: see its log.";
    pub const SERVER_ERROR: &str = "Okta failed: retry in a moment.";
    pub const OAUTH: &str = "Okta refused the request: see code and description.";
    pub const REDIRECT: &str = "Point the issuer and endpoints at Okta, or at a proxy that does not redirect.";
    pub const ID_TOKEN: &str = "Do not trust this ID token: check the issuer, client ID and device clock.";
    pub const ACCESS_TOKEN: &str = "Use a valid, unexpired access token with the 'openid' scope.";
    pub const PASSKEY_REFUSED: &str =
        "Okta refused the passkey (challenge spent or expired, or no enrolled passkey verified it): start again.";
    pub const PASSKEY_NOT_ALLOWED: &str = "Offer another factor or retry: the user may have no passkey for this account on this device.";
    pub const PASSKEY_SECURITY: &str = "The RP ID must be the page's domain or a parent of it, never an IP (use localhost). Passkeys enrolled at *.okta.com are bound to okta.com: give the org a custom RP ID on your domain.";
    pub const PASSKEY_FAILED: &str = "Use a browser with WebAuthn, in a secure context (https or localhost).";
    // For the person choosing a password (shown as is).
    pub const PASSWORD_REQUIREMENTS: &str = "Choose a password that meets the requirements above.";
    pub const PASSWORD_REUSED: &str = "Choose a password you have not used recently.";
    pub const RECOVERY_TOKEN: &str = "Verify the user again (intent 'recovery', org server) and pass that access token.";
}
