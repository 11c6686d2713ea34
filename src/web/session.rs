//! The session's browser side, `session.js`: storage, Web Locks and `BroadcastChannel`, the
//! orchestration of the SDK's calls around them, and the session's decisions, as plain functions
//! that `tests/node/session-decisions.test.js` tests in Node:
//! - `record(tokens, from, custody)`: what is stored after a sign-in (an ID token required: the
//!   session is accepted only verified) or a refresh from the record `from`: a new refresh token
//!   replaces the old one (rotation), the old one stays when the answer has none, a new ID token
//!   replaces the old one, the scope is kept when the answer omits it. In custody mode (the
//!   option, the tokens' `refreshTokenCustody: 'proxy'`, or the record refreshed from)
//!   `"refreshTokenCustody":"proxy"` is stored instead of any refresh token. `undefined` (then
//!   `not_a_sign_in`) for a missing access token, lifetime or expiry, or another custody marker.
//!   The record is the SDK's `Tokens` plus `"v":1`.
//! - `read(text)`: a stored record, read exactly as the tokens of a sign-in, with `v` 1;
//!   anything else (not JSON, another version, a wrong member) is no session.
//! - `plan(record, now, margin)`: `none`, `use`, `refresh` or `expired`; the margin is capped at
//!   half the token's lifetime, so a short-lived token is not refreshed on every read.
//! - `refreshFailed(error, sent, now)`: `signedOut` (the store is empty), `superseded` (it holds
//!   another record: another tab refreshed), `ended` (`invalid_grant`: the session is over in
//!   every tab), `failed` (anything else: the session stays, the call fails).
//! - `heardEvent(message)`: the message's type when it is one of the four events.
//!
//! Its errors are the wasm's (`session(code)`, passed in as `core`: [`crate::session::error`]).
//! The package minifies it; its comments live here.
//!
//! - **Storage**: `'memory'` (default: a `Map` per `Session`, gone with the page),
//!   `'sessionStorage'`, `'localStorage'`, or the app's `{ get(key), set(key, value),
//!   remove(key) }` (each may return a promise). One key per issuer and client holds the record.
//! - **`getAccessToken()`**: reads the store and asks `plan`. `use` answers
//!   at once. `refresh` is single-flight in the tab (one promise shared by concurrent callers),
//!   then runs under the Web Lock named after the key: once granted it **re-reads the store**,
//!   and a record that changed while it waited (another tab refreshed) is used instead of
//!   refreshing. The wait is bounded (`lockTimeoutMs`, an `AbortSignal` on `locks.request`): a
//!   tab that closes releases its locks, so the wait ends at once; a tab that is frozen does
//!   not, so after the bound the lock is taken with `steal: true` and the store re-read once
//!   more before anything is sent. A tab sends a given refresh token at most once: the
//!   single-flight promise covers this tab, and every refresh starts from a fresh read. The
//!   default bound (twice `timeoutMs` plus a second) outlasts a live holder's refresh and ID
//!   token check, so only a holder that cannot run is stolen from. Before a refreshed record is
//!   written the store is read again: if it moved on (a stolen-from holder waking up) or was
//!   cleared (signed out), the store wins.
//! - **Events**: `on(type, listener)` for `signedIn`, `tokensRefreshed`, `signedOut`,
//!   `sessionEnded`; each is also posted as `{ type }` (never a token) on a `BroadcastChannel`
//!   named after the key, and a tab hearing one checks it against the allowlist, re-reads the
//!   store (or drops its tokens for the two that end a session) and fires it with
//!   `remote: true`. A listener that throws does not stop the others.
//! - `static name = 'Session'`: the package minifies this file's identifiers, so the class says
//!   its name (`session.constructor.name`, a console) this way.
//! - Nothing runs at import and nothing names `window`: Web Workers and SSR import it; without
//!   `navigator.locks` (very old browsers) refreshes are single-flight in the tab only, and
//!   without `BroadcastChannel` events stay in the tab.

use wasm_bindgen::prelude::*;

#[wasm_bindgen(module = "/src/web/session.js")]
extern "C" {
    #[wasm_bindgen(js_name = sessionClass)]
    pub fn session_class() -> JsValue;
}
