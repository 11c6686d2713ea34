//! The wasm-bindgen binding of [`crate::face`]: the JS-visible `DirectAuth` class, the
//! low-level functions and `DirectAuthError`. No protocol logic and no reading of members:
//! arguments cross as JSON text to the face's readers, [`crate::flow`] runs the step, results
//! cross back as JSON text (`JSON.parse`d). The public types live in `pkg-template/index.d.ts`;
//! every export here skips wasm-bindgen's generated TypeScript so the two cannot disagree.

mod client;
mod error;
mod grants;
mod js;
mod run;
#[cfg(feature = "session")]
mod session;

use wasm_bindgen::prelude::*;

pub use client::DirectAuth;
pub use error::direct_auth_error_class;
pub use grants::{
    challenge_request, mfa_otp_grant, oob_grant, otp_grant, password_grant, primary_authenticate, refresh_token_grant, replace_password,
};
#[cfg(feature = "session")]
pub use session::session;

#[wasm_bindgen(typescript_custom_section)]
const TYPES_NOTE: &'static str = r#"
// The public types of okta-direct-auth are in index.d.ts (the npm entry). This module's
// exports (DirectAuth, passwordGrant, …, directAuthErrorClass) implement them; decodeJwtClaims
// is index.js's own.
"#;
