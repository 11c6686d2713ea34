//! The typed results of the protocol: what a successful response means.

use super::secret::{AccessToken, BindingCode, IdToken, MfaToken, OobCode, RefreshToken};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Channel {
    Push,
    Sms,
    Voice,
    /// A code by email (`binding_method` prompt, §3.5).
    Email,
}

impl Channel {
    pub fn parse(value: &str) -> Option<Channel> {
        match value {
            "push" => Some(Channel::Push),
            "sms" => Some(Channel::Sms),
            "voice" => Some(Channel::Voice),
            "email" => Some(Channel::Email),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Push => "push",
            Channel::Sms => "sms",
            Channel::Voice => "voice",
            Channel::Email => "email",
        }
    }
}

/// What a factor is proving: a sign-in, or the identity of a user who forgot their password
/// (§3.11: the token requests then carry the recovery parameter and only the recovery scope).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Intent {
    #[default]
    SignIn,
    Recovery,
}

/// How the user proves possession of an out-of-band challenge (§4.4).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BindingMethod {
    /// Push: wait for approval.
    None,
    /// Push with number challenge: show `binding_code`, then wait.
    Transfer,
    /// SMS / voice / email: the user types the code.
    Prompt,
}

impl BindingMethod {
    pub fn parse(value: &str) -> Option<BindingMethod> {
        match value {
            "none" => Some(BindingMethod::None),
            "transfer" => Some(BindingMethod::Transfer),
            "prompt" => Some(BindingMethod::Prompt),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            BindingMethod::None => "none",
            BindingMethod::Transfer => "transfer",
            BindingMethod::Prompt => "prompt",
        }
    }
}

/// A token response (§4.1).
#[derive(Clone, Debug)]
pub struct Tokens {
    pub token_type: String,
    pub access_token: AccessToken,
    pub expires_in: u64,
    /// Milliseconds since the epoch, computed at receipt (not from the JWT's `exp`).
    pub expires_at_ms: f64,
    pub scope: Option<String>,
    pub id_token: Option<IdToken>,
    pub refresh_token: Option<RefreshToken>,
    /// The proxy's custody marker (`refresh_token_custody`), when the answer came through
    /// okta-direct-auth-proxy with custody on.
    pub refresh_token_custody: Option<RefreshTokenCustody>,
}

/// Who holds the refresh token when okta-direct-auth-proxy has custody (proxy/README.md).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RefreshTokenCustody {
    /// The proxy holds one, in its `HttpOnly` cookie: `refresh()` needs no refresh token.
    Proxy,
    /// Custody is on but Okta issued no refresh token (no `offline_access`).
    None,
}

impl RefreshTokenCustody {
    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "proxy" => Some(RefreshTokenCustody::Proxy),
            "none" => Some(RefreshTokenCustody::None),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            RefreshTokenCustody::Proxy => "proxy",
            RefreshTokenCustody::None => "none",
        }
    }
}

/// What the proxy's sign-out (`POST {proxy}/session/end`) answered.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ProxySignOut {
    /// A refresh token was held and Okta revoked it (`false`: none was held).
    pub revoked: bool,
}

/// What a grant that can finish a sign-in answered.
#[derive(Clone, Debug)]
pub enum SignIn {
    /// Boxed: the tokens are most of the size, and results move through several functions.
    Success(Box<Tokens>),
    /// A second factor is needed; `mfa_token` ties the next steps to this transaction.
    MfaRequired { mfa_token: MfaToken, supported_challenge_types: Option<Vec<String>> },
    /// MFA attestation (`acr_values=urn:okta:app:mfa:attestation`): Okta vouches that the user
    /// passed MFA with an ID token, and issues no access token.
    Attested { id_token: IdToken, scope: Option<String> },
}

/// What one `/token` request answered, before the caller decides what is expected.
#[derive(Clone, Debug)]
pub enum TokenOutcome {
    Done(SignIn),
    /// `authorization_pending`: the user has not answered the push yet.
    Pending,
    /// `slow_down`: poll less often.
    SlowDown,
}

/// A started out-of-band factor (§4.2, §4.3).
#[derive(Clone, Debug)]
pub struct OobChallenge {
    pub oob_code: OobCode,
    pub channel: Channel,
    pub binding_method: BindingMethod,
    /// The number to show the user (`transfer` only).
    pub binding_code: Option<BindingCode>,
    pub expires_in: u64,
    pub expires_at_ms: f64,
    /// Minimum seconds between polls, when Okta sent it.
    pub interval: Option<u64>,
    /// Set when this challenge is a second factor.
    pub mfa_token: Option<MfaToken>,
    /// Carried to the grant that finishes the challenge.
    pub intent: Intent,
}
