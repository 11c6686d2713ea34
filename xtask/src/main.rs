//! `cargo xtask …`: the project's own commands. Std-only so the first run compiles in seconds.
//!
//! - `cargo xtask demo`  — install what is missing, build, start the emulator and the demo page.
//! - `cargo xtask test`  — install what is missing and run every test (what CI runs).
//! - `cargo xtask pkg`   — build the npm package into `target/pkg/` (wasm-opt applied, `npm pack`ed);
//!   `--parts` also builds it without each optional part and prints what each adds (`parts.rs`).
//! - `cargo xtask setup` — only install the tools.
//! - `cargo xtask bench` — size and speed figures beside the peers (`target/bench/`).
//! - `cargo xtask probe` — ask a real org what it allows a browser (okta-direct-auth-probe).

mod bench;
mod demo;
mod join;
mod loader;
mod minify;
mod parts;
mod pkg;
mod probe;
mod process;
mod servers;
mod summary;
mod test;
mod tools;

use std::path::PathBuf;
use std::process::ExitCode;

type Result<T = ()> = std::result::Result<T, String>;

const USAGE: &str = "usage: cargo xtask <demo|test|pkg|setup|bench|probe> [options]
  demo  [--port N] [--emulator-port N]   run the emulator and the demo login page
  test  [--skip-e2e] [--skip-browser]    run every test (CI runs this)
  pkg [--parts]                          build the npm package into target/pkg/ (--parts: and what
                                         passkeys and the session layer each add to it)
  setup [--browser]                      install the tools the other commands need
  bench                                  measure size and speed beside the peers
  probe --issuer URL --client-id ID [--origin ORIGIN] [--username U --password P]
                                         ask a real org whether it serves these grants to browsers";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (cmd, rest) = match args.split_first() {
        Some((c, r)) => (c.as_str(), r),
        None => {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    let result = match cmd {
        "demo" => demo::run(rest),
        "test" => test::run(rest),
        "pkg" => tools::ensure_wasm_tools().and_then(|_| pkg::build()).and_then(|package| {
            // `--parts`: also what each optional part adds (the package built without it).
            if !rest.iter().any(|a| a == "--parts") {
                return Ok(());
            }
            let shipped = pkg::shipped_gzip_size(&package.dir)?;
            println!("size: the package ships {shipped} bytes gzip -9");
            parts::part_sizes(shipped).into_iter().try_for_each(|(_, added)| added.map(|_| ()))
        }),
        "setup" => {
            tools::ensure_wasm_tools().and_then(|_| if rest.iter().any(|a| a == "--browser") { tools::ensure_browser() } else { Ok(()) })
        }
        "bench" => bench::run(rest),
        "probe" => probe::run(rest),
        "-h" | "--help" | "help" => {
            println!("{USAGE}");
            Ok(())
        }
        other => Err(format!("unknown command `{other}`\n{USAGE}")),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask: error: {e}");
            ExitCode::FAILURE
        }
    }
}

/// The workspace root (xtask lives one level below it).
fn root() -> PathBuf {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().map(PathBuf::from).unwrap_or(manifest)
}

/// Value of `--name VALUE` in `args`, if present.
fn flag_value<'a>(args: &'a [String], name: &str) -> Option<&'a str> {
    args.iter().position(|a| a == name).and_then(|i| args.get(i + 1)).map(String::as_str)
}

/// Cargo's target directory (honours `CARGO_TARGET_DIR`).
fn target_dir() -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(d) if !d.is_empty() => {
            let d = PathBuf::from(d);
            if d.is_absolute() {
                d
            } else {
                root().join(d)
            }
        }
        _ => root().join("target"),
    }
}
