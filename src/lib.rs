//! Okta Direct Authentication for the browser.
//!
//! Layers (data flows one way): `api` (the wasm-bindgen face) → `web` (browser I/O) →
//! [`flow`] (the multi-step logic, generic over transport and clock) → [`protocol`] (pure
//! Rust: requests as data, response classifiers, the polling state machine; tested natively).

pub mod flow;
pub mod protocol;

/// The JS-visible API (public so the browser tests in `tests/` can drive exactly what JS sees).
#[cfg(target_arch = "wasm32")]
pub mod api;
#[cfg(target_arch = "wasm32")]
mod web;
