//! Our JS API's shapes, in plain Rust (compiled and tested natively like [`crate::protocol`]):
//! reading the caller's options and arguments, writing results. `protocol` speaks Okta; this
//! layer speaks `pkg-template/index.d.ts`; `api` only binds it to wasm-bindgen.
//!
//! - [`options`]: `DirectAuthOptions` → the protocol's `ConfigInput`;
//! - [`args`]: the checks on call arguments (errors of kind `input`, nothing sent);
//! - [`calls`]: one reader per one-step call: arguments → its protocol step;
//! - [`results`]: the results handed to JS, as JSON text.

pub mod args;
pub mod calls;
pub mod options;
pub mod results;
