//! One spec step = a request builder + a response processor (oauth4webapi's pairing): a step
//! owns how its request is built and how its answer is read, so a new grant is one [`Step`].

use super::config::Config;
use super::error::Error;
use super::request::HttpRequest;
use super::response::HttpResponse;

/// One request of the protocol and its answer. Its fields are checked values (typed secrets, a
/// trimmed login), so building the request cannot fail; reading the answer can.
///
/// Object safe: the wasm runs every step as one `dyn Step<Output = String>` (the face writes
/// the output as our JS result), so it carries one future for all of them, not one per step.
pub trait Step {
    /// What the answer means, typed.
    type Output;

    /// Refuses, before anything is sent, a step these options cannot run (a refresh without a
    /// refresh token when no proxy holds one, a proxy sign-out without a proxy).
    fn check(&self, _config: &Config) -> Result<(), Error> {
        Ok(())
    }

    fn request(&self, config: &Config) -> HttpRequest;

    /// Classifies the answer (`now_ms`, the time it arrived, turns lifetimes into deadlines).
    fn process(&self, response: HttpResponse, now_ms: f64) -> Result<Self::Output, Error>;
}
