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
//! - `--only size,startup,calls,polling,memory,proxy`, `--loads N`, `--calls N`, `--signins N`, `--quick`
//!
//! `proxy`: 1,000 password sign-ins, 50 at a time, straight to the emulator and through
//! okta-direct-auth-proxy on loopback (`proxy/examples/load.rs`, release build): errors and the
//! latency the proxy adds at p50 and p99, also in `target/bench/proxy.json`.

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
    let mut pass: Vec<String> = args.iter().filter(|a| *a != "--skip-build" && *a != "--breakdown").cloned().collect();
    // `proxy` is measured here, not by bench.mjs.
    let mut want_node = true;
    let mut want_proxy = true;
    if let Some(i) = pass.iter().position(|a| a == "--only") {
        let list: Vec<String> = pass.get(i + 1).map(|v| v.split(',').map(str::to_owned).collect()).unwrap_or_default();
        want_proxy = list.iter().any(|s| s == "proxy");
        let rest: Vec<String> = list.into_iter().filter(|s| s != "proxy").collect();
        want_node = !rest.is_empty();
        if let Some(v) = pass.get_mut(i + 1) {
            *v = rest.join(",");
        }
    }

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

    if want_node {
        node_bench(&bench, &pkg_dir, &emulator, &out, pass, breakdown)?;
    }
    if want_proxy {
        step("the proxy's cost: 1,000 sign-ins, 50 at a time, direct and through okta-direct-auth-proxy (release build)");
        process::run(
            Command::new("cargo")
                .args(["run", "--quiet", "--release", "--package", "okta-direct-auth-proxy", "--example", "load", "--"])
                .args(["--signins", "1000", "--concurrency", "50", "--json"])
                .arg(out.join("proxy.json"))
                .current_dir(&root),
        )?;
    }
    Ok(())
}

fn node_bench(
    bench: &std::path::Path,
    pkg_dir: &std::path::Path,
    emulator: &std::path::Path,
    out: &std::path::Path,
    pass: Vec<String>,
    breakdown: bool,
) -> Result {
    let mut node = Command::new("node");
    if breakdown {
        node.env("WASM_WITH_NAMES", wasm_with_names()?);
    }
    step("measuring (about 3 minutes: 30 s of it is a push wait)");
    process::run(
        node.arg(bench.join("bench.mjs"))
            .args(pass)
            .current_dir(bench)
            .env("PKG_DIR", pkg_dir)
            .env("EMULATOR_BIN", emulator)
            .env("CHROMIUM", CHROMIUM)
            .env("OUT_DIR", out),
    )
}

/// The package's wasm with its name section kept: the same build (profile `wasm-release`, the
/// same rustflags, but `strip = false`, in a target directory of its own so the package's build
/// is not disturbed),
/// the same `wasm-bindgen --target web` (which also demangles the names) and the same wasm-opt
/// passes with the boundary's names minified, without `--strip-debug`: function for
/// function what ships, with names.
fn wasm_with_names() -> Result<std::path::PathBuf> {
    let dir = target_dir().join("bench-names");
    step("building the wasm with names kept (for the size breakdown)");
    let (linked, _) = pkg::build_wasm(&dir, &[("CARGO_PROFILE_WASM_RELEASE_STRIP", "false")], &[])?;
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
    // `-g` keeps the names. The name map wasm-opt prints is not needed here (nothing runs this
    // wasm).
    process::run_for_stdout(
        Command::new(tools::npm_bin(&root().join("xtask/tools"), "wasm-opt"))
            .args(pkg::WASM_OPT_PASSES)
            .arg("-g")
            .args(pkg::WASM_OPT_FEATURES)
            .arg("--minify-imports-and-exports-and-modules")
            .arg(&wasm)
            .arg("-o")
            .arg(&named),
    )?;
    Ok(named)
}
