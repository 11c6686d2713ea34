//! `cargo xtask test`: every test, in one run, as CI runs it.
//!
//! 1. tools (wasm target, wasm-bindgen CLI, wasm-opt, Chromium, npm dev dependencies)
//! 2. native tests of the whole workspace (`protocol`, emulator HTTP tests, xtask) and the Node
//!    tests of the browser side's pure functions (`tests/node`), then the
//!    hygiene gates: `cargo fmt --check`, and clippy with `-D warnings` natively for the
//!    workspace and for the crate on wasm32, and for the crate without each optional part
//!    (each one check in the summary)
//! 3. the emulator, built once, started three times: strict (Okta's browser rules, behind the
//!    proxy), serving browsers (the direct subset), and trusting no origin
//! 4. wasm-bindgen browser tests in headless Chromium (`tests/*.rs`), through the proxy
//! 5. the npm package (`cargo xtask pkg`) and its size ceiling; then the package built without
//!    each optional part (passkeys, the session layer: `parts.rs`), each part's cost held to
//!    its budget
//! 6. the TypeScript strict-mode check of the public types, and the end-to-end tests
//!    (demo page and a Vite SPA installing the packed tarball) with playwright-core, through
//!    the proxy with refresh-token custody against the strict emulator

use crate::parts::{self, OPTIONAL_PARTS};
use crate::pkg;
use crate::process::{free_port, run_streaming, run_streaming_watched, Server, Watch};
use crate::servers::{build_emulator, start_confidential_proxy, start_demo_server, start_emulator, start_proxy, Browsers};
use crate::summary::Summary;
use crate::tools::{self, step, CHROMEDRIVER};
use crate::{root, target_dir, Result};
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

/// Issue 15's budget for everything the package ships (wasm + JS), gzip -9, with passkeys,
/// email, recovery and sessions in.
pub const SIZE_BUDGET_GZIP: u64 = 40_960;
/// What the tests enforce: the budget, or while the package is still over it, the size last
/// measured plus 2%, so that no change makes it bigger unnoticed. Lower it whenever the package
/// shrinks; it becomes `SIZE_BUDGET_GZIP` once the budget is met. Measured: 42,525 B (the
/// pinned-nightly build with every factor and the session layer in: index.js 6,858 + the wasm
/// 35,667; what each change gave is in README "Size and speed"), + 2% = 43,375.
pub const SIZE_CEILING_GZIP: u64 = 43_375;

pub fn run(args: &[String]) -> Result {
    let skip_browser = args.iter().any(|a| a == "--skip-browser");
    let skip_e2e = skip_browser || args.iter().any(|a| a == "--skip-e2e");
    let root = root();
    let mut summary = Summary::default();

    let t = Instant::now();
    tools::ensure_wasm_tools()?;
    if !skip_browser {
        tools::ensure_browser()?;
        tools::ensure_wasm_pack()?;
    }
    let e2e_dir = root.join("tests/e2e");
    let have_e2e = e2e_dir.join("package-lock.json").exists();
    if have_e2e && !skip_e2e {
        tools::ensure_npm_deps(&e2e_dir)?;
    }
    summary.time("tools", t);

    let t = Instant::now();
    step("native tests (cargo test --workspace)");
    if let Err(e) =
        run_streaming(Command::new("cargo").args(["test", "--workspace", "--no-fail-fast"]).current_dir(&root), |l| summary.count_line(l))
    {
        summary.suite_failed("native tests", &e);
    }
    // The browser side's pure functions (tests/node: Node's built-ins only, no browser).
    step("Node tests (node --test tests/node)");
    if let Err(e) = run_streaming(Command::new("node").args(["--test", "--test-reporter=spec", "tests/node/"]).current_dir(&root), |l| {
        summary.count_line(l)
    }) {
        summary.suite_failed("Node tests", &e);
    }
    summary.time("native tests", t);

    let t = Instant::now();
    hygiene_gates(&root, &mut summary);
    summary.time("fmt + clippy", t);

    let t = Instant::now();
    build_emulator()?;
    summary.time("emulator build", t);

    let runner_port = free_port()?;
    let demo_port = free_port()?;
    let spa_port = free_port()?;
    let origins: Vec<String> = [runner_port, demo_port, spa_port].iter().map(|p| format!("http://127.0.0.1:{p}")).collect();
    // Every suite runs the deployment: okta-direct-auth-proxy in front of the strict emulator
    // (Okta's browser rules). The browser suites use the binary, the test page's origin
    // allowlisted; the end-to-end suites the demo server (which mounts the proxy library) with
    // refresh-token custody, and the binary behind the SPA's own server. A smaller set calls an
    // emulator that serves browsers (`Browsers::Permissive`) directly, and one trusting no origin.
    let strict = start_emulator(0, &origins, Browsers::Strict)?;
    let emulator = start_emulator(0, &origins, Browsers::Permissive)?;
    let untrusted = start_emulator(0, &[], Browsers::Permissive)?;
    println!("emulator: strict {}, permissive {} (untrusted: {})", strict.url, emulator.url, untrusted.url);

    if !skip_browser {
        let t = Instant::now();
        let runner_origin = [format!("http://127.0.0.1:{runner_port}")];
        let proxies = start_proxy(free_port()?, &strict.url, &runner_origin, false).and_then(|plain| {
            let custody = start_proxy(free_port()?, &strict.url, &runner_origin, true)?;
            Ok((plain, custody, start_confidential_proxy(free_port()?, &strict.url, &runner_origin)?))
        });
        match proxies {
            Ok((proxy, custody, confidential)) => {
                let servers = BrowserServers {
                    strict: &strict,
                    direct: &emulator,
                    untrusted: &untrusted,
                    proxy: &proxy,
                    custody: &custody,
                    confidential: &confidential,
                };
                browser_tests(&root, &servers, runner_port, &mut summary);
            }
            Err(e) => summary.suite_failed("browser tests (proxy)", &e),
        }
        summary.time("browser tests (wasm-bindgen-test)", t);
    }

    let t = Instant::now();
    let package = match pkg::build() {
        Ok(p) => Some(p),
        Err(e) => {
            summary.suite_failed("npm package", &e);
            None
        }
    };
    summary.time("npm package", t);

    if let Some(package) = &package {
        match pkg::shipped_gzip_size(&package.dir) {
            Ok(size) => {
                let within = |limit| if size <= limit { "within" } else { "OVER" };
                println!(
                    "size: the package ships {size} bytes gzip -9 — {} the ceiling the tests enforce ({SIZE_CEILING_GZIP}), {} issue 15's budget ({SIZE_BUDGET_GZIP})",
                    within(SIZE_CEILING_GZIP),
                    within(SIZE_BUDGET_GZIP),
                );
                summary.check("size ceiling (gzip -9 of wasm + JS)", size <= SIZE_CEILING_GZIP);
                let t = Instant::now();
                part_budgets(size, &mut summary);
                summary.time("packages without a part", t);
            }
            Err(e) => summary.suite_failed("size budget", &e),
        }
    }

    if have_e2e && !skip_e2e {
        let t = Instant::now();
        typescript_check(&root, &e2e_dir, &mut summary);
        if let Some(package) = &package {
            let emulators = E2eEmulators { strict: &strict, direct: &emulator };
            e2e_tests(&e2e_dir, &emulators, package, demo_port, spa_port, &mut summary);
        }
        summary.time("typescript + end-to-end", t);
    }

    drop(untrusted);
    drop(emulator);
    drop(strict);
    summary.print();
    if summary.ok() {
        Ok(())
    } else {
        Err("some tests failed (see the summary above)".into())
    }
}

/// Formatting and lints fail the run: unformatted code, or any clippy warning natively (the
/// workspace, every target) or in the crate as the browser builds it (wasm32, which compiles
/// `api`, `web` and the browser test suites that native builds leave out), also without each
/// optional part (`parts.rs`).
fn hygiene_gates(root: &Path, summary: &mut Summary) {
    const CLIPPY_WASM: &[&str] =
        &["clippy", "-p", "okta-direct-auth", "--target", "wasm32-unknown-unknown", "--all-targets", "--", "-D", "warnings"];
    let gates: [(&str, &[&str]); 3] = [
        ("cargo fmt --all --check", &["fmt", "--all", "--check"]),
        ("cargo clippy --workspace --all-targets -- -D warnings", &["clippy", "--workspace", "--all-targets", "--", "-D", "warnings"]),
        ("cargo clippy -p okta-direct-auth --target wasm32-unknown-unknown --all-targets -- -D warnings", CLIPPY_WASM),
    ];
    for (name, args) in gates {
        step(name);
        let ok = crate::process::run(Command::new("cargo").args(args).current_dir(root)).is_ok();
        summary.check(name, ok);
    }
    // The crate without each optional part, as `part_budgets` builds it: natively with its tests,
    // and for wasm32.
    for part in &OPTIONAL_PARTS {
        let features = part.cargo_features();
        for target in [&["--lib", "--tests"][..], &["--lib", "--target", "wasm32-unknown-unknown"]] {
            let mut args: Vec<String> = ["clippy", "-p", "okta-direct-auth"].map(str::to_owned).to_vec();
            args.extend(target.iter().map(|a| (*a).to_owned()).chain(features.iter().cloned()));
            args.extend(["--", "-D", "warnings"].map(str::to_owned));
            let name = format!("cargo {}", args.join(" "));
            step(&name);
            let ok = crate::process::run(Command::new("cargo").args(&args).current_dir(root)).is_ok();
            summary.check(&name, ok);
        }
    }
}

/// What the browser suites run against.
struct BrowserServers<'a> {
    /// The strict emulator: the proxies' upstream; its `/__emulator/` API is called directly.
    strict: &'a Server,
    /// The emulator that serves browsers directly (`--allow-browser-grants --cors-direct-auth-endpoints`).
    direct: &'a Server,
    /// An emulator trusting no origin.
    untrusted: &'a Server,
    /// okta-direct-auth-proxy, custody off (every flow goes through it).
    proxy: &'a Server,
    /// okta-direct-auth-proxy, custody on (the custody tests).
    custody: &'a Server,
    /// okta-direct-auth-proxy authenticating the emulator's confidential client (MFA attestation).
    confidential: &'a Server,
}

fn browser_tests(root: &Path, servers: &BrowserServers, runner_port: u16, summary: &mut Summary) {
    let suites: Vec<String> = std::fs::read_dir(root.join("tests"))
        .map(|rd| {
            rd.filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "rs"))
                .filter_map(|p| p.file_stem().map(|s| s.to_string_lossy().into_owned()))
                .collect()
        })
        .unwrap_or_default();
    if suites.is_empty() {
        println!("no wasm browser test suites in tests/*.rs");
        return;
    }
    let mut suites = suites;
    suites.sort();
    step(&format!("browser tests in headless Chromium: {}", suites.join(", ")));
    for suite in &suites {
        // Now and then Chromium never finishes loading a suite's test page: one of the module
        // scripts wasm-bindgen-test-runner serves stays pending until Chromium gives up after
        // 300 s. A net log of one such load (Chromium's `--log-net-log`, through the runner's
        // `WASM_BINDGEN_TEST_WEBDRIVER_JSON`) shows the request sent on a fresh connection and
        // no byte of an answer. The likely cause, from the code of the runner's HTTP server
        // (tiny_http 0.12): it hands each connection to its task pool, and two connections
        // accepted while one thread is idle both count on that thread, so the second waits
        // behind the first, a keep-alive connection that holds its thread for minutes. Seen on about
        // one load in six of `hardening`, the suite with the most snippet modules.
        // `browser_suite` kills a page whose tests have not started within `PAGE_START`; then
        // no test of it ran and no result line came, and the suite runs again, up to
        // `PAGE_ATTEMPTS` times in all; a suite whose tests ran and failed is never retried.
        let mut lines = Vec::new();
        let mut outcome = browser_suite(root, servers, runner_port, suite, &mut lines);
        for attempt in 2..=PAGE_ATTEMPTS {
            if outcome.is_ok() || lines.iter().any(|l| l.starts_with("test result:")) {
                break;
            }
            println!("browser suite {suite}: no test ran (the page did not load); attempt {attempt} of {PAGE_ATTEMPTS}");
            lines.clear();
            outcome = browser_suite(root, servers, runner_port, suite, &mut lines);
        }
        for line in &lines {
            summary.count_line(line);
        }
        if let Err(e) = outcome {
            summary.suite_failed(&format!("browser suite {suite}"), &e);
        }
    }
}

/// One browser suite (`tests/{suite}.rs`) through wasm-pack, its output lines into `lines`.
fn browser_suite(root: &Path, servers: &BrowserServers, runner_port: u16, suite: &str, lines: &mut Vec<String>) -> Result {
    // The way the crate's users run them (issue 15): wasm-pack, kept offline by the matching
    // wasm-bindgen CLI on PATH (it downloads one otherwise) and by the system chromedriver.
    let mut cmd = Command::new("wasm-pack");
    cmd.args(["test", "--headless", "--chrome", "--chromedriver", CHROMEDRIVER, "--", "--test", suite]).current_dir(root);
    cmd.env("OKTA_EMULATOR_URL", &servers.strict.url)
        .env("OKTA_PROXY_URL", format!("{}/okta", servers.proxy.url))
        .env("OKTA_CUSTODY_PROXY_URL", format!("{}/okta", servers.custody.url))
        .env("OKTA_CONFIDENTIAL_PROXY_URL", format!("{}/okta", servers.confidential.url))
        .env("OKTA_DIRECT_EMULATOR_URL", &servers.direct.url)
        .env("OKTA_EMULATOR_UNTRUSTED_URL", &servers.untrusted.url)
        .env("CHROMEDRIVER", CHROMEDRIVER)
        .env("WASM_BINDGEN_TEST_ADDRESS", format!("127.0.0.1:{runner_port}"))
        .env("WASM_BINDGEN_TEST_TIMEOUT", "600");
    // The runner prints the first line once chromedriver is up; the page prints the second
    // once the wasm has loaded (a few seconds, even for the 16 MB debug builds).
    let watch = Watch { armed_by: "Running headless tests in", started_by: "running ", within: PAGE_START };
    run_streaming_watched(&mut cmd, &watch, |l| lines.push(l.to_owned()))
}

/// How long a suite's test page may take from chromedriver's start to its first test: a page
/// that loads starts its tests within 5 s here (the 16 MB debug builds included), 10 s under load.
const PAGE_START: Duration = Duration::from_secs(45);
/// How many times a suite whose page never started runs in all.
const PAGE_ATTEMPTS: u32 = 4;

/// What each optional part adds to the package of `shipped` bytes (gzip -9), held to its budget.
fn part_budgets(shipped: u64, summary: &mut Summary) {
    for (part, added) in parts::part_sizes(shipped) {
        match added {
            Ok(added) => summary.check(&format!("{}: at most {} B gzip -9", part.feature, part.budget_gzip), added <= part.budget_gzip),
            Err(e) => summary.suite_failed(&format!("the package without {}", part.feature), &e),
        }
    }
}

fn typescript_check(root: &Path, e2e_dir: &Path, summary: &mut Summary) {
    let tsconfig = root.join("tests/types/tsconfig.json");
    if !tsconfig.exists() {
        return;
    }
    step("TypeScript strict-mode check of the public API (tests/types)");
    let ok = crate::process::run(Command::new(tools::npm_bin(e2e_dir, "tsc")).arg("-p").arg(root.join("tests/types")));
    summary.check("tsc --strict on tests/types", ok.is_ok());
}

/// What the end-to-end suites run against.
struct E2eEmulators<'a> {
    /// Okta's browser rules: behind the demo server's proxy and the SPA's proxy.
    strict: &'a Server,
    /// Serves browsers: the suites' direct subset.
    direct: &'a Server,
}

fn e2e_tests(e2e_dir: &Path, emulators: &E2eEmulators, package: &pkg::Package, demo_port: u16, spa_port: u16, summary: &mut Summary) {
    // The deployment `cargo xtask demo` runs: the demo server's proxy at /okta, custody on.
    let demo = start_demo_server(demo_port, &package.dir, &emulators.strict.url, true);
    // The SPA fixture's server forwards /okta to the proxy binary, as an app's server would.
    let spa_origin = [format!("http://127.0.0.1:{spa_port}")];
    let spa_proxy = free_port().and_then(|port| start_proxy(port, &emulators.strict.url, &spa_origin, true));
    let (demo, spa_proxy) = match (demo, spa_proxy) {
        (Ok(d), Ok(p)) => (d, p),
        (Err(e), _) | (_, Err(e)) => {
            summary.suite_failed("demo server and the SPA's proxy", &e);
            return;
        }
    };
    step("end-to-end tests (node --test tests/e2e, playwright-core + Chromium)");
    let screenshots = target_dir().join("screenshots");
    let mut cmd = Command::new("node");
    cmd.args(["--test", "--test-reporter=spec", "--test-concurrency=1"])
        .current_dir(e2e_dir)
        .env("DEMO_URL", &demo.url)
        .env("EMULATOR_URL", &emulators.strict.url)
        .env("DIRECT_EMULATOR_URL", &emulators.direct.url)
        .env("SPA_PROXY_URL", &spa_proxy.url)
        .env("PKG_TGZ", &package.tarball)
        .env("PKG_DIR", &package.dir)
        .env("SPA_PORT", spa_port.to_string())
        .env("SCREENSHOT_DIR", &screenshots)
        .env("CHROMIUM", tools::CHROMIUM);
    if let Err(e) = run_streaming(&mut cmd, |l| summary.count_line(l)) {
        summary.suite_failed("end-to-end tests", &e);
    }
    println!("screenshots: {}", screenshots.display());
    drop(spa_proxy);
    drop(demo);
}
