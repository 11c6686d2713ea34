//! Installs what the other commands need, skipping whatever is already there.
//! Only package registries are reachable (crates.io, Debian, npm): nothing here downloads a
//! prebuilt binary from anywhere else.

use crate::process::{output, run};
use crate::{root, Result};
use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::process::Command;

pub const CHROMIUM: &str = "/usr/bin/chromium";
pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// The wasm target, the wasm-bindgen CLI matching Cargo.lock, and wasm-opt.
pub fn ensure_wasm_tools() -> Result {
    ensure_wasm_target()?;
    ensure_wasm_bindgen()?;
    ensure_npm_deps(&root().join("xtask/tools"))
}

fn ensure_wasm_target() -> Result {
    let installed = output(Command::new("rustup").args(["target", "list", "--installed"])).unwrap_or_default();
    if installed.lines().any(|l| l.trim() == "wasm32-unknown-unknown") {
        return Ok(());
    }
    step("installing the wasm32-unknown-unknown target");
    run(Command::new("rustup").args(["target", "add", "wasm32-unknown-unknown"]))
}

/// The `wasm-bindgen` version pinned in Cargo.lock: the CLI must match it exactly.
pub fn locked_wasm_bindgen_version() -> Result<String> {
    let lock = std::fs::read_to_string(root().join("Cargo.lock")).map_err(|e| format!("reading Cargo.lock: {e}"))?;
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line.trim() == "name = \"wasm-bindgen\"" {
            if let Some(v) = lines.next().and_then(|l| l.trim().strip_prefix("version = \"")) {
                return Ok(v.trim_end_matches('"').to_owned());
            }
        }
    }
    Err("wasm-bindgen is not in Cargo.lock".into())
}

fn ensure_wasm_bindgen() -> Result {
    let want = locked_wasm_bindgen_version()?;
    let have = output(Command::new("wasm-bindgen").arg("--version")).unwrap_or_default();
    let runner = output(Command::new("wasm-bindgen-test-runner").arg("--version")).unwrap_or_default();
    if have.split_whitespace().nth(1) == Some(want.as_str()) && runner.split_whitespace().nth(1) == Some(want.as_str()) {
        return Ok(());
    }
    step(&format!("installing wasm-bindgen-cli {want} (about 6 minutes on 2 cores)"));
    let version = format!("={want}");
    // `--locked` first, for a reproducible build; the registry mirror here has been seen to
    // lack a crate version the CLI's own lock file names, so fall back to a fresh resolution.
    let locked = run(Command::new("cargo").args(["install", "wasm-bindgen-cli", "--version", &version, "--locked"]));
    if locked.is_err() {
        step("retrying wasm-bindgen-cli without --locked");
        run(Command::new("cargo").args(["install", "wasm-bindgen-cli", "--version", &version, "--force"]))?;
    }
    Ok(())
}

/// wasm-pack, which runs the browser suites the way the crate's users do. Offline it needs the
/// matching `wasm-bindgen` already on PATH ([`ensure_wasm_tools`] installs it first).
pub fn ensure_wasm_pack() -> Result {
    if output(Command::new("wasm-pack").arg("--version")).is_some() {
        return Ok(());
    }
    step("installing wasm-pack (about 3 minutes on 2 cores)");
    run(Command::new("cargo").args(["install", "wasm-pack", "--locked"]))
}

/// Headless Chromium and its driver, from Debian's packages.
pub fn ensure_browser() -> Result {
    if Path::new(CHROMIUM).exists() && Path::new(CHROMEDRIVER).exists() {
        return Ok(());
    }
    step("installing chromium and chromium-driver (apt-get, about 2 minutes)");
    let sudo = output(Command::new("id").arg("-u")).map(|u| u.trim() != "0").unwrap_or(false);
    let apt = |args: &[&str]| {
        let mut c = if sudo { Command::new("sudo") } else { Command::new("apt-get") };
        if sudo {
            c.arg("apt-get");
        }
        c.args(args).env("DEBIAN_FRONTEND", "noninteractive");
        run(&mut c)
    };
    apt(&["update", "-q"])?;
    apt(&["install", "-y", "-q", "chromium", "chromium-driver"])
}

/// `npm ci` in `dir` unless `node_modules` already matches its package-lock.json.
pub fn ensure_npm_deps(dir: &Path) -> Result {
    let lock_path = dir.join("package-lock.json");
    let lock = std::fs::read(&lock_path).map_err(|e| format!("reading {}: {e}", lock_path.display()))?;
    let mut h = DefaultHasher::new();
    lock.hash(&mut h);
    let stamp_value = format!("{:x}\n", h.finish());
    let stamp = dir.join("node_modules/.xtask-lock-hash");
    if std::fs::read_to_string(&stamp).ok().as_deref() == Some(stamp_value.as_str()) {
        return Ok(());
    }
    step(&format!("npm ci in {}", dir.display()));
    run(Command::new("npm").args(["ci", "--no-audit", "--no-fund", "--loglevel=error"]).current_dir(dir))?;
    std::fs::write(&stamp, stamp_value).map_err(|e| e.to_string())
}

/// A binary installed by npm in `dir`.
pub fn npm_bin(dir: &Path, name: &str) -> PathBuf {
    dir.join("node_modules/.bin").join(name)
}

pub fn step(msg: &str) {
    println!("==> {msg}");
}

/// The nightly the shipped wasm is built with (issue 15): `-Z build-std` with
/// `-Cpanic=immediate-abort` drops std's panic and formatting machinery from the wasm (about
/// 4 KB gzip). Pinned, because the registry mirror here does not carry every nightly.
pub const PINNED_NIGHTLY: &str = "nightly-2026-05-20";

/// Whether [`PINNED_NIGHTLY`] with `rust-src` and the wasm target is installed, installing it
/// when it is not. `false` (with the reason printed) when it cannot be had: the caller then
/// builds on stable.
pub fn ensure_pinned_nightly() -> bool {
    if pinned_nightly_ready() {
        return true;
    }
    step(&format!("installing {PINNED_NIGHTLY} with rust-src and the wasm target (about a minute)"));
    let installed = run(Command::new("rustup").args(["toolchain", "install", PINNED_NIGHTLY, "--profile", "minimal"]).args([
        "--component",
        "rust-src",
        "--target",
        "wasm32-unknown-unknown",
    ]));
    match installed {
        Ok(()) if pinned_nightly_ready() => true,
        Ok(()) => {
            println!("warning: {PINNED_NIGHTLY} installed but lacks rust-src or the wasm32 target");
            false
        }
        Err(e) => {
            println!("warning: cannot install {PINNED_NIGHTLY} ({e})");
            false
        }
    }
}

fn pinned_nightly_ready() -> bool {
    let Some(sysroot) = output(Command::new("rustup").args(["run", PINNED_NIGHTLY, "rustc", "--print", "sysroot"])) else {
        return false;
    };
    let rustlib = Path::new(sysroot.trim()).join("lib/rustlib");
    rustlib.join("src/rust/library/std").is_dir() && rustlib.join("wasm32-unknown-unknown/lib").is_dir()
}
