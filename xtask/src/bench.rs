//! `cargo xtask bench`: size and speed beside the peers (issue 5). The measuring is done by
//! `xtask/bench/bench.mjs` (node, esbuild, playwright-core + Chromium); this side installs what
//! it needs, builds the npm package and the emulator, and runs it.
//!
//! Prints one table and writes `target/bench/bench.json` and `target/bench/bench.md`.
//!
//! Options (the rest are handed to bench.mjs):
//! - `--skip-build`  reuse `target/pkg/okta-direct-auth` and the emulator binary as they are
//! - `--breakdown`   also build the shipped wasm with its names kept (in `target/bench-names/`)
//!   and write where its bytes go to `target/bench/wasm-top.txt`
//! - `--only size,startup,calls,polling,memory`, `--loads N`, `--calls N`, `--signins N`, `--quick`

use crate::pkg::{self, WASM_NAME};
use crate::process;
use crate::servers::{build_emulator, emulator_bin};
use crate::tools::{self, step, CHROMIUM};
use crate::{root, target_dir, Result};
use std::process::Command;

pub fn run(args: &[String]) -> Result {
    let root = root();
    let bench = root.join("xtask/bench");
    let skip_build = args.iter().any(|a| a == "--skip-build");
    let breakdown = args.iter().any(|a| a == "--breakdown");
    let pass: Vec<&String> = args.iter().filter(|a| *a != "--skip-build" && *a != "--breakdown").collect();

    tools::ensure_browser()?;
    tools::ensure_npm_deps(&bench)?;
    let pkg_dir = if skip_build {
        target_dir().join("pkg/okta-direct-auth")
    } else {
        tools::ensure_wasm_tools()?;
        pkg::build()?.dir
    };
    if !pkg_dir.join(format!("{WASM_NAME}_bg.wasm")).exists() {
        return Err(format!("no built package in {} (run without --skip-build)", pkg_dir.display()));
    }
    if !skip_build {
        build_emulator()?;
    }
    let emulator = emulator_bin("okta-emulator");
    if !emulator.exists() {
        return Err(format!("no emulator at {} (run without --skip-build)", emulator.display()));
    }

    let out = target_dir().join("bench");
    std::fs::create_dir_all(&out).map_err(|e| format!("{}: {e}", out.display()))?;

    let mut node = Command::new("node");
    if breakdown {
        node.env("WASM_WITH_NAMES", wasm_with_names()?);
    }
    step("measuring (about 3 minutes: 30 s of it is a push wait)");
    process::run(
        node.arg(bench.join("bench.mjs"))
            .args(pass)
            .current_dir(&bench)
            .env("PKG_DIR", &pkg_dir)
            .env("EMULATOR_BIN", &emulator)
            .env("CHROMIUM", CHROMIUM)
            .env("OUT_DIR", &out),
    )
}

/// The package's wasm with its name section kept: the same build (profile `wasm-release`, the
/// same rustflags, but `strip = false`, in a target directory of its own so the package's build
/// is not disturbed),
/// the same `wasm-bindgen --target web` (which also demangles the names) and `wasm-opt -Oz`
/// without `--strip-debug`: function for function what ships, with names.
fn wasm_with_names() -> Result<std::path::PathBuf> {
    let dir = target_dir().join("bench-names");
    step("building the wasm with names kept (for the size breakdown)");
    let (linked, _) = pkg::build_wasm(&dir, &[("CARGO_PROFILE_WASM_RELEASE_STRIP", "false")])?;
    let out = dir.join("bindgen");
    process::run(
        Command::new("wasm-bindgen")
            .args(["--target", "web", "--out-name", WASM_NAME, "--omit-default-module-path"])
            .arg("--out-dir")
            .arg(&out)
            .arg(&linked),
    )?;
    let wasm = out.join(format!("{WASM_NAME}_bg.wasm"));
    let named = dir.join(format!("{WASM_NAME}_bg.named.wasm"));
    // The features pkg.rs passes (rustc's defaults for wasm32 today); `-g` keeps the names.
    process::run(
        Command::new(tools::npm_bin(&root().join("xtask/tools"), "wasm-opt"))
            .args(["-Oz", "-g", "--enable-bulk-memory", "--enable-nontrapping-float-to-int", "--enable-sign-ext"])
            .args(["--enable-mutable-globals", "--enable-reference-types", "--enable-multivalue"])
            .arg(&wasm)
            .arg("-o")
            .arg(&named),
    )?;
    Ok(named)
}
