//! Okta Direct Authentication for the browser.
//!
//! Layers (data flows one way): `api` (the wasm-bindgen face) → `web` (browser I/O) →
//! [`flow`] (the multi-step logic, generic over transport and clock) → [`protocol`] (pure
//! Rust: requests as data, response classifiers, the polling state machine; tested natively).

pub mod flow;
pub mod protocol;

#[cfg(target_arch = "wasm32")]
mod api;
#[cfg(target_arch = "wasm32")]
mod web;
