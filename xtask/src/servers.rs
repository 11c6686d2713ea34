//! The emulator and the demo server (which mounts okta-direct-auth-proxy), built once and
//! started for the tests, the demo and the bench.

use crate::process::Server;
use crate::tools::step;
use crate::{root, target_dir, Result};
use std::path::{Path, PathBuf};
use std::process::Command;

/// Builds `okta-emulator`, `okta-demo-server` and `okta-direct-auth-proxy` once (dev profile:
/// the native tests just compiled the same dependencies, and the crypto crates are optimised
/// even there).
pub fn build_emulator() -> Result {
    step("building the emulator, the demo server and the proxy");
    crate::process::run(
        Command::new("cargo")
            .args([
                "build",
                "--quiet",
                "--package",
                "okta-emulator",
                "--package",
                "okta-demo-server",
                "--package",
                "okta-direct-auth-proxy",
                "--bins",
            ])
            .current_dir(root()),
    )
}

pub fn emulator_bin(name: &str) -> PathBuf {
    target_dir().join("debug").join(name)
}

/// `okta-emulator` on `127.0.0.1:port` (0: any free port), trusting exactly `origins` for CORS.
/// Permissive for now (`--allow-browser-grants --cors-direct-auth-endpoints`): the browser and
/// end-to-end suites and the demo page still call the emulator directly from a page, which the
/// strict default (Okta's browser rules) refuses; they move behind the proxy later (#11).
pub fn start_emulator(port: u16, origins: &[String]) -> Result<Server> {
    let mut args = vec![
        "--addr".to_owned(),
        format!("127.0.0.1:{port}"),
        "--allow-browser-grants".to_owned(),
        "--cors-direct-auth-endpoints".to_owned(),
    ];
    // Each 127.0.0.1 page is trusted on localhost too: WebAuthn refuses IP addresses, so the
    // passkey pages are opened on http://localhost:PORT.
    let localhost = origins.iter().filter_map(|o| o.strip_prefix("http://127.0.0.1:").map(|port| format!("http://localhost:{port}")));
    let mut all: Vec<String> = origins.to_vec();
    all.extend(localhost.filter(|l| !origins.contains(l)).collect::<Vec<_>>());
    for origin in all {
        args.extend(["--trusted-origin".to_owned(), origin]);
    }
    Server::start("okta-emulator", &emulator_bin("okta-emulator"), &args)
}

/// `okta-demo-server` on `127.0.0.1:port`: `www/` at `/`, the npm package at `/pkg/`, and
/// okta-direct-auth-proxy at `/okta/` in front of the emulator (app origins
/// `http://127.0.0.1:port` and `http://localhost:port`; refresh-token custody off).
pub fn start_demo_server(port: u16, package_dir: &Path, emulator_url: &str) -> Result<Server> {
    let args = [
        "--addr".to_owned(),
        format!("127.0.0.1:{port}"),
        "--www".to_owned(),
        root().join("www").to_string_lossy().into_owned(),
        "--pkg".to_owned(),
        package_dir.to_string_lossy().into_owned(),
        "--emulator".to_owned(),
        emulator_url.to_owned(),
    ];
    Server::start("okta-demo-server", &emulator_bin("okta-demo-server"), &args)
}
