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

/// The wasm is single-threaded (no shared memory, no threads), as `AssumeSingleThreaded` requires.
#[cfg(target_arch = "wasm32")]
#[global_allocator]
// SAFETY: wasm32-unknown-unknown without the atomics feature has one thread only.
static ALLOCATOR: lol_alloc::AssumeSingleThreaded<lol_alloc::FreeListAllocator> =
    unsafe { lol_alloc::AssumeSingleThreaded::new(lol_alloc::FreeListAllocator::new()) };
