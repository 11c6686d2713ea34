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

/// How the emulator treats a page calling it directly.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Browsers {
    /// Okta's browser rules (the default): a direct-auth grant with an `Origin` is refused, and
    /// `/challenge`, `/primary-authenticate` answer no CORS. What real orgs do; the proxy's upstream.
    Strict,
    /// `--allow-browser-grants --cors-direct-auth-endpoints`: for the suites that call it
    /// directly from a page (the SDK without a proxy).
    Permissive,
}

/// `okta-emulator` on `127.0.0.1:port` (0: any free port), trusting exactly `origins` for CORS
/// (its `/__emulator/` API and `/keys`; with [`Browsers::Permissive`] the direct-auth endpoints too).
pub fn start_emulator(port: u16, origins: &[String], browsers: Browsers) -> Result<Server> {
    let mut args = vec!["--addr".to_owned(), format!("127.0.0.1:{port}")];
    if browsers == Browsers::Permissive {
        args.extend(["--allow-browser-grants".to_owned(), "--cors-direct-auth-endpoints".to_owned()]);
    }
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
/// `http://127.0.0.1:port` and `http://localhost:port`), with refresh-token `custody` or not.
pub fn start_demo_server(port: u16, package_dir: &Path, emulator_url: &str, custody: bool) -> Result<Server> {
    let mut args = vec![
        "--addr".to_owned(),
        format!("127.0.0.1:{port}"),
        "--www".to_owned(),
        root().join("www").to_string_lossy().into_owned(),
        "--pkg".to_owned(),
        package_dir.to_string_lossy().into_owned(),
        "--emulator".to_owned(),
        emulator_url.to_owned(),
    ];
    if custody {
        args.push("--custody".to_owned());
    }
    Server::start("okta-demo-server", &emulator_bin("okta-demo-server"), &args)
}

/// The seed's public clients (the browser suites use several; a confidential one goes through
/// a proxy that authenticates it: [`start_confidential_proxy`]).
const TEST_CLIENTS: &[&str] = &[
    "0oa-demo-spa",
    "0oa-browser-code-only",
    "0oa-short-lived",
    "0oa-slow-down",
    "0oa-no-direct-auth",
    "0oa-password-only",
    "0oa-passkey-uv",
    "0oa-passkey-okta-rp",
    "0oa-passkey-okta-shape",
    "0oa-passkey-appid",
];

/// `okta-direct-auth-proxy` (the binary, as a deployment runs it) on `127.0.0.1:port` in front of
/// `upstream`, mount `/okta`, for test pages on the sibling origins `app_origins` (other ports
/// of 127.0.0.1: `same_site_app_origins`); `custody` with a key made up now. Limits far above
/// what the suites send (they test Okta's limits and the proxy's own tests test its).
pub fn start_proxy(port: u16, upstream: &str, app_origins: &[String], custody: bool) -> Result<Server> {
    let key = if custody { format!("key = \"{}\"", random_key()?) } else { String::new() };
    let tail = format!("[custody]\nenabled = {custody}\n{key}\n");
    write_and_start_proxy(port, upstream, app_origins, TEST_CLIENTS, &tail)
}

/// The emulator's confidential client (`emulator/users.toml`): its ID and `client_secret`.
const CONFIDENTIAL_CLIENT: (&str, &str) = ("0oa-confidential", "demo-client-secret");

/// A proxy as [`start_proxy`] starts one, for [`CONFIDENTIAL_CLIENT`] only, authenticating it
/// with `client_secret_basic` (custody off): the deployment that lets a page use a confidential
/// app, and MFA attestation.
pub fn start_confidential_proxy(port: u16, upstream: &str, app_origins: &[String]) -> Result<Server> {
    let (client_id, secret) = CONFIDENTIAL_CLIENT;
    let tail = format!("[client_auth]\nmethod = \"client_secret_basic\"\nclient_secret = \"{secret}\"\n[custody]\nenabled = false\n");
    write_and_start_proxy(port, upstream, app_origins, &[client_id], &tail)
}

/// Writes the proxy's TOML (`tail`: its last sections) to `target/xtask/proxy-{port}.toml` and
/// starts the binary on it.
fn write_and_start_proxy(port: u16, upstream: &str, app_origins: &[String], clients: &[&str], tail: &str) -> Result<Server> {
    let quoted = |items: &mut dyn Iterator<Item = &str>| items.map(|c| format!("\"{c}\"")).collect::<Vec<_>>().join(", ");
    let config = format!(
        "listen = \"127.0.0.1:{port}\"\nmount = \"/okta\"\nupstream = \"{upstream}\"\n\
         authorization_servers = [\"org\", \"default\", \"aus-demo-custom\"]\nclient_ids = [{clients}]\n\
         app_origins = [{origins}]\nsame_site_app_origins = true\n\
         [rate_limit]\nper_ip_per_minute = 100000\nper_username_per_minute = 100000\n{tail}",
        clients = quoted(&mut clients.iter().copied()),
        origins = quoted(&mut app_origins.iter().map(String::as_str)),
    );
    let dir = target_dir().join("xtask");
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let file = dir.join(format!("proxy-{port}.toml"));
    std::fs::write(&file, config).map_err(|e| format!("{}: {e}", file.display()))?;
    let args = ["--config".to_owned(), file.to_string_lossy().into_owned()];
    Server::start("okta-direct-auth-proxy", &emulator_bin("okta-direct-auth-proxy"), &args)
}

/// 32 random bytes (the kernel's), base64: a custody key that lives as long as the run.
fn random_key() -> Result<String> {
    use std::io::Read;
    let mut bytes = [0u8; 32];
    std::fs::File::open("/dev/urandom").and_then(|mut f| f.read_exact(&mut bytes)).map_err(|e| format!("/dev/urandom: {e}"))?;
    Ok(base64(&bytes))
}

fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk.iter().enumerate().fold(0u32, |n, (i, b)| n | (u32::from(*b) << (16 - 8 * i)));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn base64_as_the_proxy_reads_it() {
        assert_eq!(super::base64(b"Man"), "TWFu");
        assert_eq!(super::base64(b"Ma"), "TWE=");
        assert_eq!(super::base64(b"M"), "TQ==");
        assert_eq!(super::base64(&[0x2a; 32]), "KioqKioqKioqKioqKioqKioqKioqKioqKioqKioqKio=");
    }
}
