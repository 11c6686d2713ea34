//! `cargo xtask pkg`: the npm package as published, in `target/pkg/okta-direct-auth/`, and its
//! `npm pack` tarball beside it.
//!
//! Steps: the wasm (profile `wasm-release`) → `wasm-bindgen --target web` → `wasm-opt -Oz
//! --flatten --rereloop -Oz -Oz`, with the names on the wasm/JS boundary minified and the glue
//! rewritten to match (`minify.rs`), its loader replaced by a smaller one (`loader.rs`) → the
//! files of `pkg-template/` copied over it → `version` from Cargo.toml → the JS minified by
//! esbuild, the snippets (`src/**/*.js`) bundled into the glue, the glue inlined into index.js
//! (`join.rs`) → `npm pack`. The package ships index.js and the wasm.
//!
//! The JS ships minified and in one module because a custom login page often serves the package
//! as it is, with no bundler: one request before the wasm's instead of two. Unminified, the glue,
//! index.js and the two snippets were 7.2 KB gzip in four modules; minified, 5.4 KB in two; with
//! the session layer and the other snippets grown since, 8,894 B in two (index.js 2,089, the glue
//! 6,805), and 7,449 B in one with the boundary's names minified. Their readable sources are
//! `pkg-template/index.js` and the snippets under `src/`.

use crate::join;
use crate::loader;
use crate::minify;
use crate::parts::{self, OptionalPart, OPTIONAL_PARTS};
use crate::process::{run, run_for_stdout};
use crate::tools::{self, npm_bin, step};
use crate::{root, target_dir, Result};
use std::path::{Path, PathBuf};
use std::process::Command;

pub struct Package {
    /// The unpacked package directory (what the demo serves at `/pkg/`).
    pub dir: PathBuf,
    /// The `npm pack` tarball (what the SPA fixture installs).
    pub tarball: PathBuf,
}

pub const WASM_NAME: &str = "okta_direct_auth";

/// wasm-opt's optimisations for what ships (the figures are in `build`).
pub const WASM_OPT_PASSES: &[&str] = &["-Oz", "--flatten", "--rereloop", "-Oz", "-Oz"];

/// The features rustc emits for wasm32 today; wasm-opt must be told to keep them.
pub const WASM_OPT_FEATURES: &[&str] = &[
    "--enable-bulk-memory",
    "--enable-nontrapping-float-to-int",
    "--enable-sign-ext",
    "--enable-mutable-globals",
    "--enable-reference-types",
    "--enable-multivalue",
];

pub fn build() -> Result<Package> {
    let out = target_dir().join("pkg");
    let dir = assemble(&out, None)?;

    step("npm pack");
    let before = tarballs(&out);
    run(Command::new("npm").args(["pack", "--silent", "--pack-destination"]).arg(&out).current_dir(&dir))?;
    let tarball = tarballs(&out)
        .into_iter()
        .find(|t| t.file_name().is_some_and(|n| n.to_string_lossy().starts_with("okta-direct-auth-")))
        .or_else(|| before.into_iter().next())
        .ok_or("npm pack wrote no tarball")?;
    println!("package: {}\ntarball: {}", dir.display(), tarball.display());
    Ok(Package { dir, tarball })
}

/// The package without `part` (the crate without its feature, index.js without its marked
/// lines), unpacked in `target/pkg-without-{feature}/okta-direct-auth`: what the part adds is
/// the package's size less this one's.
pub fn build_without(part: &OptionalPart) -> Result<PathBuf> {
    assemble(&target_dir().join(format!("pkg-without-{}", part.feature)), Some(part))
}

/// The package's files in `out/okta-direct-auth`, everything in or `without` one part.
fn assemble(out: &Path, without: Option<&OptionalPart>) -> Result<PathBuf> {
    let root = root();
    let dir = out.join("okta-direct-auth");

    let (wasm, toolchain) = match without {
        None => build_wasm(&target_dir().join("wasm-shipped"), &[], &[])?,
        Some(part) => build_wasm(&target_dir().join(format!("wasm-without-{}", part.feature)), &[], &part.cargo_features())?,
    };
    println!("wasm: built with {}", toolchain.describe());

    if dir.exists() {
        std::fs::remove_dir_all(&dir).map_err(|e| format!("cleaning {}: {e}", dir.display()))?;
    }
    step("wasm-bindgen --target web");
    run(Command::new("wasm-bindgen")
        .args(["--target", "web", "--out-name", WASM_NAME, "--omit-default-module-path"])
        .arg("--out-dir")
        .arg(&dir)
        .arg(&wasm))?;

    step("wasm-opt -Oz, --flatten --rereloop, -Oz twice, the import, export and module names minified");
    let bg = dir.join(format!("{WASM_NAME}_bg.wasm"));
    // One invocation: wasm-opt gives the same file whichever order the optimising and the
    // minifying come in, and a smaller one than minifying in a second invocation (gzip -9:
    // 40,418 B against 40,535). The passes, measured on the same wasm-bindgen output (gzip -9):
    // `-Oz` once 38,741 B; `-Oz --converge` 38,587; `-Oz --flatten --rereloop -Oz -Oz` 38,359
    // (flattening, then rebuilding the control flow with the relooper, lets the second and third
    // `-Oz` fold more); with `--converge` at the end instead of the last `-Oz`, 38,411. Passes run
    // in the order given, so the minifying pass runs once, last, and prints one name map
    // (`minify::parse_name_maps` also composes several, as `--converge` prints).
    let name_map = run_for_stdout(
        Command::new(npm_bin(&root.join("xtask/tools"), "wasm-opt"))
            .args(WASM_OPT_PASSES)
            .args(["--strip-debug", "--strip-producers", "--strip-target-features"])
            .args(WASM_OPT_FEATURES)
            .arg("--minify-imports-and-exports-and-modules")
            .arg(&bg)
            .arg("-o")
            .arg(&bg),
    )?;
    let renames = minify_glue(&dir, &bg, &name_map)?;
    // Kept outside the package, to read a minified name back (`a.k`, `wasm.Q`) when debugging.
    let listing = out.join(format!("{WASM_NAME}_bg.names.txt"));
    std::fs::write(&listing, renames.listing()).map_err(|e| format!("{}: {e}", listing.display()))?;

    copy_dir(&root.join("pkg-template"), &dir)?;
    set_version(&dir.join("package.json"), &crate_version(&root)?)?;
    let read = |path: &Path| std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()));
    let write = |path: &Path, text: String| std::fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()));
    let index = dir.join("index.js");
    if let Some(part) = without {
        write(&index, parts::strip(&read(&index)?, part.feature).map_err(|e| format!("pkg-template/index.js: {e}"))?)?;
    }

    step("esbuild: the JS minified, the snippets bundled into the glue, the glue inlined into index.js");
    let esbuild = |js: &Path, how: &[&str]| {
        run(Command::new(npm_bin(&root.join("xtask/tools"), "esbuild"))
            .arg(js)
            .args(how)
            .args(["--format=esm", "--log-level=error", "--allow-overwrite"])
            .arg(format!("--outfile={}", js.display())))
    };
    // Every file's identifiers are minified: index.js's three classes say their names with
    // `static name` (cheaper than `--keep-names`, whose `__name()` calls would also end up in
    // apps' bundles; minifying index.js's identifiers: -173 B gzip). The bundling of the glue,
    // already minified, keeps its names (`KEEP_NAMES`).
    const KEEP_NAMES: &[&str] = &["--minify-whitespace", "--minify-syntax"];
    esbuild(&index, &["--minify"])?;
    let index_js = read(&index)?;
    let glue = dir.join(format!("{WASM_NAME}.js"));
    esbuild(&glue, &["--minify"])?;
    // The glue's exports index.js never names left out, their code with them (`initSync` was,
    // -76 B, until loader.rs took it out with wasm-bindgen's loader).
    write(&glue, join::keep_exports(&read(&glue)?, |name| name == "default" || join::mentions(&index_js, name))?)?;
    let snippets = dir.join("snippets");
    // The snippets' identifiers minified too (-291 B): the two public classes they define,
    // `DirectAuthError` (api.js) and `Session` (session.js), say their names with `static name`.
    for js in js_files(&snippets)? {
        esbuild(&js, &["--minify"])?;
    }
    esbuild(&glue, &["--bundle", KEEP_NAMES[0], KEEP_NAMES[1]])?;
    // One module instead of two (see join.rs): a page fetches index.js, then the wasm.
    let glue_specifier = format!("./{WASM_NAME}.js");
    write(&index, join::inline_module(&index_js, &glue_specifier, &read(&glue)?).map_err(|e| format!("{}: {e}", index.display()))?)?;
    std::fs::remove_dir_all(&snippets).map_err(|e| format!("{}: {e}", snippets.display()))?;
    std::fs::remove_file(&glue).map_err(|e| format!("{}: {e}", glue.display()))?;
    // What is left must parse and import nothing: bundling it resolves every import.
    run(Command::new(npm_bin(&root.join("xtask/tools"), "esbuild")).arg(&index).args([
        "--bundle",
        "--format=esm",
        "--log-level=error",
        "--outfile=/dev/null",
    ]))
    .map_err(|e| format!("{} does not stand alone: {e}", index.display()))?;
    // Each part is in, or entirely out.
    let shipped = read(&index)?;
    for part in &OPTIONAL_PARTS {
        part.check_tells(&shipped, without.is_none_or(|w| w.feature != part.feature))?;
    }
    Ok(dir)
}

/// gzip -9 size of everything a bundler would ship from the package: the wasm and every JS file.
pub fn shipped_gzip_size(dir: &Path) -> Result<u64> {
    let mut total = 0;
    for file in shipped_files(dir)? {
        let out = Command::new("gzip").args(["-9", "-c"]).arg(&file).output().map_err(|e| format!("gzip: {e}"))?;
        total += out.stdout.len() as u64;
    }
    Ok(total)
}

/// The package's wasm and JS files (not .d.ts, README, package.json).
pub fn shipped_files(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).map_err(|e| format!("{}: {e}", d.display()))? {
            let p = e.map_err(|e| e.to_string())?.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "wasm" || x == "js" || x == "mjs") {
                files.push(p);
            }
        }
    }
    if !files.iter().any(|f| f.ends_with(format!("{WASM_NAME}_bg.wasm"))) {
        return Err(format!("no {WASM_NAME}_bg.wasm in {}", dir.display()));
    }
    files.sort();
    Ok(files)
}

/// Rewrites the glue wasm-bindgen wrote in `dir` for the names `wasm-opt` gave the wasm `bg`
/// (`name_map`: what it printed), and removes the two `.d.ts` files wasm-bindgen wrote beside it:
/// both type the wasm's exports under their old names (`{WASM_NAME}_bg.wasm.d.ts`, and
/// `InitOutput` in `{WASM_NAME}.d.ts`). Neither ever shipped (package.json's `files` leaves them
/// out); the package's types are `index.d.ts`.
fn minify_glue(dir: &Path, bg: &Path, name_map: &str) -> Result<minify::Renames> {
    let wasm = std::fs::read(bg).map_err(|e| format!("{}: {e}", bg.display()))?;
    let renames = minify::Renames::new(minify::parse_name_maps(name_map)?, &minify::wasm_names(&wasm)?)
        .map_err(|e| format!("{}: {e}", bg.display()))?;
    let glue = dir.join(format!("{WASM_NAME}.js"));
    let text = std::fs::read_to_string(&glue).map_err(|e| format!("{}: {e}", glue.display()))?;
    let rewritten = minify::rewrite_glue(&text, &renames).map_err(|e| format!("{} (wasm-bindgen's glue): {e}", glue.display()))?;
    let rewritten = loader::replace_loader(&rewritten).map_err(|e| format!("{} (wasm-bindgen's glue): {e}", glue.display()))?;
    std::fs::write(&glue, rewritten).map_err(|e| format!("{}: {e}", glue.display()))?;
    for stale_types in [format!("{WASM_NAME}_bg.wasm.d.ts"), format!("{WASM_NAME}.d.ts")] {
        let path = dir.join(stale_types);
        std::fs::remove_file(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    }
    Ok(renames)
}

/// Which compiler built the shipped wasm.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum WasmToolchain {
    /// [`tools::PINNED_NIGHTLY`] with `-Z build-std` and `-Cpanic=immediate-abort`: what ships.
    PinnedNightly,
    /// Stable, when the nightly cannot be installed (outside CI only): about 4 KB gzip larger.
    Stable,
}

impl WasmToolchain {
    pub fn describe(self) -> String {
        match self {
            WasmToolchain::PinnedNightly => format!("{} -Z build-std (what ships)", tools::PINNED_NIGHTLY),
            WasmToolchain::Stable => "stable (the pinned nightly is missing: about 4 KB gzip larger than what ships)".to_owned(),
        }
    }
}

/// Builds the crate's wasm (profile `wasm-release`) in `target_dir` and returns the linked
/// `.wasm`. With the pinned nightly when it can be installed; on stable otherwise, except
/// under CI, where the size gate must measure what ships. `env` is passed to cargo (the bench
/// keeps the name section with it), and so are `cargo_args` (the features of a build without an
/// optional part).
pub fn build_wasm(target_dir: &Path, env: &[(&str, &str)], cargo_args: &[String]) -> Result<(PathBuf, WasmToolchain)> {
    let nightly = tools::ensure_pinned_nightly();
    if !nightly && std::env::var("CI").is_ok_and(|v| v == "true") {
        return Err(format!("CI builds the shipped wasm with {} and it could not be installed", tools::PINNED_NIGHTLY));
    }
    let mut cargo = Command::new("cargo");
    let mut flags = rustflags_without_registry_paths();
    let toolchain = if nightly {
        cargo.arg(format!("+{}", tools::PINNED_NIGHTLY));
        // `immediate-abort` compiles every panic to a trap: no panic strings, no `fmt` for them.
        // Panics stay what they were (a bug, which ends the module), only without a message.
        for flag in ["-Zunstable-options", "-Cpanic=immediate-abort"] {
            if !flags.is_empty() {
                flags.push('\x1f');
            }
            flags.push_str(flag);
        }
        WasmToolchain::PinnedNightly
    } else {
        WasmToolchain::Stable
    };
    step(&format!("building the wasm (profile wasm-release, {})", if nightly { tools::PINNED_NIGHTLY } else { "stable" }));
    cargo.args(["build", "--quiet", "--lib", "--package", "okta-direct-auth"]);
    cargo.args(["--target", "wasm32-unknown-unknown", "--profile", "wasm-release"]).args(cargo_args);
    if nightly {
        cargo.args(["-Z", "build-std=std,panic_abort"]);
    }
    cargo.env("CARGO_TARGET_DIR", target_dir).env("CARGO_ENCODED_RUSTFLAGS", flags).env_remove("RUSTUP_TOOLCHAIN");
    for (key, value) in env {
        cargo.env(key, value);
    }
    run(cargo.current_dir(root()))?;
    Ok((target_dir.join(format!("wasm32-unknown-unknown/wasm-release/{WASM_NAME}.wasm")), toolchain))
}

/// The caller's rustflags plus `--remap-path-prefix` for every crates.io source directory, so
/// the panic locations left in the wasm name `js-sys-0.3.107/src/…` rather than the build
/// machine's `/home/<user>/.cargo/registry/src/index.crates.io-…/js-sys-0.3.107/src/…`: the
/// same bytes on every machine, and 66 B gzip fewer.
pub fn rustflags_without_registry_paths() -> String {
    let mut flags: Vec<String> = match std::env::var("CARGO_ENCODED_RUSTFLAGS") {
        Ok(encoded) => encoded.split('\x1f').filter(|f| !f.is_empty()).map(str::to_owned).collect(),
        Err(_) => std::env::var("RUSTFLAGS").unwrap_or_default().split_whitespace().map(str::to_owned).collect(),
    };
    let cargo_home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".cargo")));
    if let Some(Ok(sources)) = cargo_home.map(|home| std::fs::read_dir(home.join("registry/src"))) {
        for source in sources.filter_map(|entry| entry.ok()) {
            flags.push(format!("--remap-path-prefix={}/=", source.path().display()));
        }
    }
    flags.join("\x1f")
}

fn tarballs(dir: &Path) -> Vec<PathBuf> {
    std::fs::read_dir(dir)
        .map(|rd| rd.filter_map(|e| e.ok().map(|e| e.path())).filter(|p| p.extension().is_some_and(|x| x == "tgz")).collect())
        .unwrap_or_default()
}

/// The `.js` files under `dir`, at any depth (the snippets sit under `snippets/…/src/…`).
fn js_files(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))? {
        let path = entry.map_err(|e| e.to_string())?.path();
        if path.is_dir() {
            found.extend(js_files(&path)?);
        } else if path.extension().is_some_and(|x| x == "js") {
            found.push(path);
        }
    }
    Ok(found)
}

fn copy_dir(from: &Path, to: &Path) -> Result {
    std::fs::create_dir_all(to).map_err(|e| e.to_string())?;
    for entry in std::fs::read_dir(from).map_err(|e| format!("{}: {e}", from.display()))? {
        let entry = entry.map_err(|e| e.to_string())?;
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target)?;
        } else {
            std::fs::copy(entry.path(), &target).map_err(|e| format!("{}: {e}", target.display()))?;
        }
    }
    Ok(())
}

/// `version` of the root crate's `[package]` section.
pub fn crate_version(root: &Path) -> Result<String> {
    let toml = std::fs::read_to_string(root.join("Cargo.toml")).map_err(|e| e.to_string())?;
    let package = toml.split("[package]").nth(1).ok_or("no [package] in Cargo.toml")?;
    package
        .lines()
        .find_map(|l| l.trim().strip_prefix("version = \""))
        .map(|v| v.trim_end_matches('"').to_owned())
        .ok_or_else(|| "no version in Cargo.toml's [package]".into())
}

/// Rewrites the first `"version": "…"` of package.json.
fn set_version(package_json: &Path, version: &str) -> Result {
    let text = std::fs::read_to_string(package_json).map_err(|e| format!("{}: {e}", package_json.display()))?;
    let key = "\"version\"";
    let start = text.find(key).ok_or("package.json has no \"version\"")?;
    let after_key = start + key.len();
    let open = text[after_key..].find('"').map(|i| after_key + i).ok_or("bad version")?;
    let close = text[open + 1..].find('"').map(|i| open + 1 + i).ok_or("bad version")?;
    let updated = format!("{}\"{version}\"{}", &text[..open], &text[close + 1..]);
    std::fs::write(package_json, updated).map_err(|e| e.to_string())
}
