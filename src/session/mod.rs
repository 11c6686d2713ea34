//! The optional session layer's decisions, in plain Rust (compiled and tested natively like
//! [`crate::protocol`]): what a session stores after a sign-in, a refresh or a rotation
//! ([`record`]), whether the stored access token can be handed out or must be refreshed
//! ([`plan`]), what a failed refresh means ([`refresh_failed`]), the events it sends, and the
//! errors it rejects with. The browser side (storage, Web Locks, `BroadcastChannel`) is
//! `src/web/session.js`; `src/api/session.rs` binds these functions for it.
//!
//! Custody mode (the proxy keeps the refresh token in an `HttpOnly` cookie) is a configuration
//! of the same record: [`Refresh::Proxy`] instead of a stored token; every decision below takes
//! it into account, so the browser code only chooses which request to send.

pub mod record;

pub use record::{record, Refresh, SessionRecord};

use crate::protocol::error::ErrorKind;
use crate::protocol::Error;

/// What `getAccessToken()` does with what the store holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Plan {
    /// No session (never signed in, signed out, ended, or an unreadable record).
    None,
    /// The access token is valid for the margin: hand it out.
    Use,
    /// Refresh it (a refresh token is stored, or the proxy holds one).
    Refresh,
    /// It has expired and nothing can refresh it: the session is over.
    Expired,
}

impl Plan {
    pub fn as_str(self) -> &'static str {
        match self {
            Plan::None => "none",
            Plan::Use => "use",
            Plan::Refresh => "refresh",
            Plan::Expired => "expired",
        }
    }
}

/// Decides from the stored record, the time and the margin (seconds the token must still be
/// valid for). The margin is capped at half the token's lifetime: a token issued for less than
/// twice the margin would otherwise be refreshed on every read (and a tab that waited for
/// another tab's refresh would refresh again).
pub fn plan(record: Option<&SessionRecord>, now_ms: f64, margin_seconds: f64) -> Plan {
    let Some(record) = record else { return Plan::None };
    // An infinite margin (`forceRefresh`) refreshes whenever a refresh is possible.
    let margin_ms =
        if margin_seconds.is_infinite() { f64::INFINITY } else { (margin_seconds * 1000.0).min(record.expires_in as f64 * 500.0).max(0.0) };
    let left_ms = record.expires_at_ms - now_ms;
    if left_ms > margin_ms {
        Plan::Use
    } else if !matches!(record.refresh, Refresh::None) {
        Plan::Refresh
    } else if left_ms > 0.0 {
        // Valid for less than the margin, but nothing better can be had.
        Plan::Use
    } else {
        Plan::Expired
    }
}

/// What a refresh that failed means.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RefreshFailure {
    /// The store no longer holds a session: another tab signed out (or the session ended there).
    SignedOut,
    /// The store holds another record than the one refreshed from: another tab refreshed (or
    /// signed in again) meanwhile; use what it stored.
    Superseded,
    /// The authorization server refused the refresh token (`invalid_grant`: revoked, expired,
    /// or rotated out by a refresh elsewhere): the session is over in every tab.
    Ended,
    /// Anything else (offline, timeout, 5xx, 429, aborted): the session stays; the call fails.
    Failed,
}

impl RefreshFailure {
    pub fn as_str(self) -> &'static str {
        match self {
            RefreshFailure::SignedOut => "signedOut",
            RefreshFailure::Superseded => "superseded",
            RefreshFailure::Ended => "ended",
            RefreshFailure::Failed => "failed",
        }
    }
}

/// Decides what a refresh error means, from the error (its `kind` and `code`), the record text
/// the refresh was sent from, and the record text the store holds now (re-read after the error).
pub fn refresh_failed(kind: &str, code: &str, sent: &str, current: Option<&str>) -> RefreshFailure {
    match current {
        None => RefreshFailure::SignedOut,
        Some(current) if current != sent => RefreshFailure::Superseded,
        // The proxy's own refusals of a bad custody cookie are `invalid_grant` too (401).
        _ if kind == ErrorKind::OAuth.as_str() && code == "invalid_grant" => RefreshFailure::Ended,
        _ => RefreshFailure::Failed,
    }
}

/// The session's events, in this tab (`session.on(type, …)`) and, through `BroadcastChannel`, in
/// every other tab of the origin (where the event's `remote` is `true`). A message carries the
/// type only: never a token.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Event {
    SignedIn,
    TokensRefreshed,
    SignedOut,
    /// A refresh was answered `invalid_grant`: the tokens are dropped in every tab.
    SessionEnded,
}

impl Event {
    pub const ALL: [Event; 4] = [Event::SignedIn, Event::TokensRefreshed, Event::SignedOut, Event::SessionEnded];

    pub fn as_str(self) -> &'static str {
        match self {
            Event::SignedIn => "signedIn",
            Event::TokensRefreshed => "tokensRefreshed",
            Event::SignedOut => "signedOut",
            Event::SessionEnded => "sessionEnded",
        }
    }

    /// A message from another tab: only the four types are accepted (anything else is dropped).
    pub fn parse(value: &str) -> Option<Event> {
        Event::ALL.into_iter().find(|e| e.as_str() == value)
    }

    /// Whether a tab that hears it drops the tokens it holds.
    pub fn ends_session(self) -> bool {
        matches!(self, Event::SignedOut | Event::SessionEnded)
    }
}

/// The errors the session rejects with, by code (`DirectAuthError.code`); any other code reads
/// as `not_signed_in`.
pub fn error(code: &str) -> Error {
    const AGAIN: &str = "Sign in again.";
    const OPTIONS: &str = "Fix the session options.";
    let (kind, code, description, hint) = match code {
        "session_expired" => (ErrorKind::Expired, "session_expired", "The access token expired and there is no refresh token.", AGAIN),
        "session_ended" => {
            (ErrorKind::Expired, "session_ended", "The refresh token was refused (revoked, expired or used): the session ended.", AGAIN)
        }
        "not_a_sign_in" => (
            ErrorKind::Input,
            "not_a_sign_in",
            "signIn() takes a result with status 'success' and an ID token.",
            "Finish the sign-in first, with the openid scope.",
        ),
        "invalid_storage" => (
            ErrorKind::Config,
            "invalid_storage",
            "storage must be 'memory', 'sessionStorage', 'localStorage' or { get, set, remove }.",
            OPTIONS,
        ),
        "invalid_session_option" => (
            ErrorKind::Config,
            "invalid_session_option",
            "refreshMarginSeconds and lockTimeoutMs must be numbers >= 0; refreshTokenCustody 'proxy'.",
            OPTIONS,
        ),
        "storage_failed" => (
            ErrorKind::Config,
            "storage_failed",
            "The session's storage failed to read or write.",
            "Check the storage (quota, private mode, the app's store).",
        ),
        _ => (ErrorKind::Input, "not_signed_in", "No session: nobody is signed in.", "Pass a sign-in result to session.signIn() first."),
    };
    Error::local(kind, code, description, hint)
}

#[cfg(test)]
#[cfg(not(target_arch = "wasm32"))] // proptest is native-only
mod tests;
