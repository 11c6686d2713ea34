//! Pure protocol layer: no web-sys, no async, no clock (the time is always passed in). It
//! speaks Okta's wire protocol only; our JS API's shapes are [`crate::face`]'s.
//!
//! - [`config`]: options → validated [`Config`] and [`Endpoints`];
//! - [`step`]: the [`Step`] pairing (a request builder + a response processor), and
//!   [`steps`]: one per request of the protocol;
//! - [`request`]: one function per request, returning an [`HttpRequest`] as data;
//! - [`response`]: classifiers from an [`HttpResponse`] to a typed outcome or an [`Error`];
//! - [`poll`]: the push-approval polling schedule as a state machine;
//! - [`jwt`]: JWT decoding and ID token claim checks;
//! - [`secret`]: one type per kind of secret, each with a redacted `Debug`;
//! - [`webauthn`]: passkeys: the challenge request, the ceremony's answer, the assertion grant;
//! - [`json`], [`base64url`], [`form`]: the small codecs the above need (no serde in the wasm).

pub mod base64url;
pub mod config;
pub mod error;
pub mod form;
pub mod json;
pub mod jwt;
pub mod myaccount;
pub mod poll;
pub mod request;
pub mod response;
pub mod secret;
pub mod step;
pub mod steps;
pub mod types;
#[cfg(feature = "passkeys")]
pub mod webauthn;

#[cfg(test)]
#[cfg(not(target_arch = "wasm32"))]
#[path = "tests/differential.rs"]
mod differential_tests;
#[cfg(test)]
#[cfg(not(target_arch = "wasm32"))] // proptest is native-only
#[path = "tests/fixtures.rs"]
mod fixtures_tests;
#[cfg(test)]
#[cfg(not(target_arch = "wasm32"))]
#[path = "tests/okta_answers.rs"]
mod okta_answers_tests;

pub use config::{Config, ConfigInput, Endpoints};
pub use error::{Error, ErrorKind};
pub use request::HttpRequest;
pub use response::{ErrorReading, HttpResponse};
pub use secret::Secret;
pub use step::Step;
pub use types::{BindingMethod, Channel, Intent, OobChallenge, ProxySignOut, RefreshTokenCustody, SignIn, TokenOutcome, Tokens};
