//! okta-emulator: a local Okta-compatible authorization server for Direct Authentication,
//! for the SDK's tests and the demo. See `emulator/README.md`.
//!
//! ```no_run
//! # async fn f() -> Result<(), Box<dyn std::error::Error>> {
//! let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
//! let emu = okta_emulator::start(listener, okta_emulator::Config::default()).await?;
//! println!("{}", emu.base_url);
//! # Ok(()) }
//! ```

pub mod clock;
pub mod ct;
pub mod emulator_api;
pub mod endpoints;
pub mod errors;
pub mod faults;
pub mod form;
pub mod keys;
pub mod layers;
pub mod passkeys;
pub mod recovery_state;
pub mod reqlog;
pub mod seed;
pub mod server;
pub mod shutdown;
pub mod state;
pub mod store;
pub mod totp;
pub mod webauthn;

pub use seed::Seed;
pub use server::{start, RunningEmulator};
pub use state::{Config, StartError};
