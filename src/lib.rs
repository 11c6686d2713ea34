//! Okta Direct Authentication for the browser.
//!
//! Layers (data flows one way): [`api`] (the wasm-bindgen face) → `web` (browser I/O) →
//! [`protocol`] (pure Rust, no JS types, tested natively).

pub mod protocol;
