//! The errors the optional session layer rejects with. Its decisions (what a session stores
//! after a sign-in, a refresh or a rotation; whether the stored access token is handed out or
//! refreshed; what a failed refresh means; which messages from other tabs are events) are made
//! by its browser side, `src/web/session.js`, with its storage, Web Locks and
//! `BroadcastChannel`: made there, they cost the package 1,449 B gzip less than as a wasm
//! export (issue 14's budget), and `tests/node/session-decisions.test.js` tests them in Node
//! as `src/session/tests.rs` did here. The texts stay here, beside the SDK's other errors and
//! hints, and reach the browser side through the `session(code)` export (`src/api/session.rs`).

use crate::protocol::error::ErrorKind;
use crate::protocol::Error;

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
mod tests {
    use super::*;

    #[test]
    fn errors_say_what_to_do() {
        for code in [
            "not_signed_in",
            "session_expired",
            "session_ended",
            "not_a_sign_in",
            "invalid_storage",
            "invalid_session_option",
            "storage_failed",
        ] {
            let e = error(code);
            assert_eq!(e.code, code);
            assert!(e.description.is_some() && !e.hint.is_empty());
        }
        assert_eq!(error("anything").code, "not_signed_in");
    }
}
