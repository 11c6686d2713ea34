//! The browser side (wasm32 only): fetch and sleeps bounded by the caller's `AbortSignal` (and
//! the timeout, both in `web.js`), WebCrypto.
//! (The passkey ceremony, `navigator.credentials.get`, is plain JS in `pkg-template/index.js`.)
//! Nothing here runs at import time and nothing names `window`: every global is looked up
//! when called, so the module imports under SSR and runs in Web Workers.

mod clock;
mod crypto;
mod fetch;
pub mod globals;
mod js;
#[cfg(feature = "session")]
mod session;
mod task;

pub use clock::BrowserClock;
pub use crypto::WebCryptoVerifier;
pub use fetch::FetchTransport;
#[cfg(feature = "session")]
pub use session::session_class;
pub use task::spawn;
