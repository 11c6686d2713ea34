//! The record a session stores (one JSON string under one key), and what goes into it after a
//! sign-in, a refresh or a rotation.
//!
//! ```json
//! {"v":1,"tokenType":"Bearer","accessToken":"…","expiresIn":3600,"expiresAt":1700000000000,
//!  "scope":"openid offline_access","idToken":"…","refreshToken":"…"}
//! ```
//! In custody mode `"refreshToken"` is replaced by `"refreshTokenCustody":"proxy"`: no refresh token is
//! ever stored in the browser. The members are those of the SDK's `Tokens` (so the browser side
//! hands the stored record's tokens out unchanged), plus the version.

use crate::face::members::Members;
use crate::protocol::json::{self, ObjectWriter, Value};
use crate::protocol::secret::{AccessToken, IdToken, RefreshToken};
use crate::protocol::Error;

/// The record's format version: a record of another version is not read (treated as no session).
pub const VERSION: u64 = 1;

/// How the session renews its access token. `Debug` of a record never shows a token: every
/// secret in it is a typed secret with a redacted `Debug`.
#[derive(Clone, Debug)]
pub enum Refresh {
    /// A refresh token kept in the session's storage.
    Token(RefreshToken),
    /// The proxy keeps it in an `HttpOnly` cookie; a refresh sends none.
    Proxy,
    /// No refresh token (no `offline_access`): the session lasts as long as its access token.
    None,
}

/// A stored session: the tokens of a sign-in whose ID token verified, as last refreshed.
#[derive(Clone, Debug)]
pub struct SessionRecord {
    pub token_type: String,
    pub access_token: AccessToken,
    pub expires_in: u64,
    /// Milliseconds since the epoch, computed when the tokens were received.
    pub expires_at_ms: f64,
    pub scope: Option<String>,
    pub id_token: IdToken,
    pub refresh: Refresh,
}

/// A non-empty string member.
fn present(value: &Value, key: &str) -> Option<String> {
    value.string(key).filter(|s| !s.is_empty())
}

impl SessionRecord {
    /// Reads a stored record; `None` for anything else (not JSON, another version, a member
    /// missing or of the wrong type), which the session treats as no session. A stored record
    /// is read exactly as the tokens of a sign-in are, plus the version.
    pub fn parse(text: &str) -> Option<SessionRecord> {
        let value = json::parse(text.as_bytes()).ok()?;
        if value.get("v").and_then(Value::as_u64) != Some(VERSION) {
            return None;
        }
        record(&value, None, false).ok()
    }

    /// The record as stored.
    pub fn write(&self) -> String {
        let mut object = ObjectWriter::new();
        object
            .number("v", VERSION)
            .string("tokenType", &self.token_type)
            .string("accessToken", self.access_token.expose())
            .number("expiresIn", self.expires_in)
            // `as` saturates; the time was read from a JSON number or `Date.now()`.
            .number("expiresAt", self.expires_at_ms.max(0.0) as u64)
            .optional_string("scope", self.scope.as_deref())
            .string("idToken", self.id_token.expose());
        match &self.refresh {
            Refresh::Token(token) => object.string("refreshToken", token.expose()),
            Refresh::Proxy => object.string(CUSTODY, "proxy"),
            Refresh::None => &mut object,
        };
        object.finish()
    }
}

/// The member that says the proxy holds the refresh token, in the SDK's `Tokens` (the
/// stateless API's custody support) and in the stored record alike.
pub const CUSTODY: &str = "refreshTokenCustody";

fn not_a_sign_in() -> Error {
    super::error("not_a_sign_in")
}

/// The record to store after a sign-in (`previous` is `None`) or a refresh (`previous` is the
/// record refreshed from). `tokens` is the SDK's `Tokens` as JSON (its ID token already
/// verified by the caller); `custody` is the session's configuration (the proxy keeps the
/// refresh token), also taken from the tokens' `refreshTokenCustody: 'proxy'` when the proxy
/// says so, and kept from the previous record.
///
/// - Sign-in: an ID token is required (the session is accepted only verified); a refresh token
///   is kept unless the proxy holds it.
/// - Refresh: a new refresh token replaces the old one (rotation); when the answer has none
///   (rotation off), the old one stays; a new ID token replaces the old one, else it stays.
/// - A custody marker other than `proxy`, or a missing access token, lifetime or expiry, is
///   refused.
pub fn record(tokens: &Value, previous: Option<&SessionRecord>, custody: bool) -> Result<SessionRecord, Error> {
    let access_token = present(tokens, "accessToken").ok_or_else(not_a_sign_in)?;
    let expires_in = tokens.get("expiresIn").and_then(Value::as_u64).ok_or_else(not_a_sign_in)?;
    let expires_at_ms = tokens.number("expiresAt").ok_or_else(not_a_sign_in)?;
    let custody = custody
        || match tokens.get(CUSTODY) {
            None => false,
            Some(marker) if marker.as_str() == Some("proxy") => true,
            Some(_) => return Err(not_a_sign_in()),
        }
        || previous.is_some_and(|p| matches!(p.refresh, Refresh::Proxy));
    let id_token = match (present(tokens, "idToken"), previous) {
        (Some(token), _) => IdToken::new(token),
        (None, Some(previous)) => previous.id_token.clone(),
        (None, None) => return Err(not_a_sign_in()),
    };
    let refresh = match (custody, present(tokens, "refreshToken"), previous) {
        // The proxy holds it: whatever the answer says, nothing is stored in the browser.
        (true, _, _) => Refresh::Proxy,
        (false, Some(token), _) => Refresh::Token(RefreshToken::new(token)),
        (false, None, Some(previous)) => previous.refresh.clone(),
        (false, None, None) => Refresh::None,
    };
    Ok(SessionRecord {
        token_type: tokens.string("tokenType").unwrap_or_else(|| "Bearer".into()),
        access_token: AccessToken::new(access_token),
        expires_in,
        expires_at_ms,
        scope: tokens.string("scope").or_else(|| previous.and_then(|p| p.scope.clone())),
        id_token,
        refresh,
    })
}
