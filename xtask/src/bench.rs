//! `cargo xtask bench`: size and speed beside the peers. See xtask/bench/.

use crate::Result;

pub fn run(_args: &[String]) -> Result {
    Err("`cargo xtask bench` is not built yet (issue 5)".into())
}
