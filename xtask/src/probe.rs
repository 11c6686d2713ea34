//! `cargo xtask probe --issuer URL --client-id ID [--origin ORIGIN] [--username U --password P]`:
//! runs `okta-direct-auth-probe` (the proxy crate's binary, which has the HTTPS client) against a
//! real org and prints its verdicts: whether that org refuses the direct-auth grants from a
//! page, answers CORS on `/challenge` and `/primary-authenticate`, and exposes `X-Rate-Limit-*`.

use crate::{root, Result};
use std::process::Command;

pub fn run(args: &[String]) -> Result {
    let status = Command::new("cargo")
        .args(["run", "-q", "-p", "okta-direct-auth-proxy", "--bin", "okta-direct-auth-probe", "--"])
        .args(args)
        .current_dir(root())
        .status()
        .map_err(|e| format!("cargo run: {e}"))?;
    match status.code() {
        Some(0) => Ok(()),
        Some(2) => Err("the probe's arguments are wrong (see its usage above)".into()),
        _ => Err("the probe could not finish (see above)".into()),
    }
}
