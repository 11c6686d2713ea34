//! The browser side (wasm32 only): fetch, timers raced against an `AbortSignal`, WebCrypto,
//! WebAuthn (`navigator.credentials.get`).
//! Nothing here runs at import time and nothing names `window`: every global is looked up
//! when called, so the module imports under SSR and runs in Web Workers.

mod abort;
mod clock;
mod crypto;
mod fetch;
mod js;
mod race;
mod timer;
mod webauthn;

pub use abort::AbortWatch;
pub use clock::BrowserClock;
pub use crypto::WebCryptoVerifier;
pub use fetch::FetchTransport;
pub use webauthn::passkey_ceremony;
