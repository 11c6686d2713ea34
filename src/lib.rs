//! Okta Direct Authentication for the browser.
//!
//! Layers (data flows one way; ARCHITECTURE.md walks through a call): `api` (the wasm-bindgen
//! binding) → `web` (browser I/O) → [`flow`] (the multi-request logic, generic over transport
//! and clock) → [`face`] (our JS API's shapes: arguments in, results out) and [`protocol`]
//! (Okta's wire protocol: steps, classifiers, the polling state machine). `face`, `flow` and
//! `protocol` compile and are tested natively.

pub mod face;
pub mod flow;
pub mod protocol;
#[cfg(feature = "session")]
pub mod session;

/// The JS-visible API (public so the browser tests in `tests/` can drive exactly what JS sees).
#[cfg(target_arch = "wasm32")]
pub mod api;
#[cfg(target_arch = "wasm32")]
mod web;

/// The wasm is single-threaded (no shared memory, no threads), as `AssumeSingleThreaded` requires.
#[cfg(target_arch = "wasm32")]
#[global_allocator]
// SAFETY: wasm32-unknown-unknown without the atomics feature has one thread only.
static ALLOCATOR: lol_alloc::AssumeSingleThreaded<lol_alloc::FreeListAllocator> =
    unsafe { lol_alloc::AssumeSingleThreaded::new(lol_alloc::FreeListAllocator::new()) };
