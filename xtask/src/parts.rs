//! The package's optional parts, each with a size budget of its own: passkeys (issue 13) and the
//! session layer (issue 14). A part is a crate feature (both on by default: the package ships
//! them) and its JS in `pkg-template/index.js`, the lines between `// <feature>` and
//! `// </feature>`. `cargo xtask pkg` ships everything; `cargo xtask pkg --parts` and `cargo xtask
//! test` also build the package without each part (`pkg::build_without`) and report what the
//! part adds ([`part_sizes`]), which the tests hold to its budget.

use crate::pkg;
use crate::tools::step;
use crate::Result;

pub struct OptionalPart {
    /// The crate feature, and the name of index.js's markers.
    pub feature: &'static str,
    /// What the size line calls it.
    pub label: &'static str,
    /// What the part may add to the package (wasm + JS), gzip -9.
    pub budget_gzip: u64,
    /// The issue that set the budget.
    pub issue: u32,
    /// Text the package's index.js has with the part in and must not have without it: proof that
    /// the build without the part left all of it out.
    pub tells: &'static [&'static str],
}

pub const OPTIONAL_PARTS: [OptionalPart; 2] = [
    OptionalPart {
        feature: "passkeys",
        label: "passkeys",
        budget_gzip: 2_048,
        issue: 13,
        tells: &["signInWithPasskey", "webauthnGrant", "credentials.get"],
    },
    // `static name = 'Session'`, in index.js's class and in session.js's, minified.
    OptionalPart { feature: "session", label: "the session layer", budget_gzip: 3_072, issue: 14, tells: &["name=\"Session\""] },
];

impl OptionalPart {
    /// The cargo arguments for the crate without this part (and with every other one).
    pub fn cargo_features(&self) -> Vec<String> {
        let others: Vec<&str> = OPTIONAL_PARTS.iter().map(|p| p.feature).filter(|f| *f != self.feature).collect();
        let mut args = vec!["--no-default-features".to_owned()];
        if !others.is_empty() {
            args.push("--features".to_owned());
            args.push(others.join(","));
        }
        args
    }

    /// `Err` naming the tells missing from (`present`) or left in (`!present`) the package's
    /// minified index.js.
    pub fn check_tells(&self, index_js: &str, present: bool) -> Result {
        let wrong: Vec<&str> = self.tells.iter().copied().filter(|tell| index_js.contains(tell) != present).collect();
        match (wrong.is_empty(), present) {
            (true, _) => Ok(()),
            (false, true) => Err(format!("index.js lacks {wrong:?}: update the tells of the part '{}' (parts.rs)", self.feature)),
            (false, false) => Err(format!("index.js without the part '{}' still has {wrong:?}: mark that code (parts.rs)", self.feature)),
        }
    }
}

/// `js` without the lines from `// <feature>` to `// </feature>` (both included). Refuses a
/// file with none, a marker inside its own part, an end without a start, or a start not ended:
/// a mistake there would measure the wrong thing.
pub fn strip(js: &str, feature: &str) -> Result<String> {
    let (start, end) = (format!("// <{feature}>"), format!("// </{feature}>"));
    let mut out = String::with_capacity(js.len());
    let mut open_at = None;
    let mut parts = 0;
    for (i, line) in js.lines().enumerate() {
        let marker = line.trim();
        match (marker == start, marker == end, open_at) {
            (true, _, None) => open_at = Some(i + 1),
            (true, _, Some(at)) => return Err(format!("line {}: `{start}` inside the part opened on line {at}", i + 1)),
            (_, true, Some(_)) => {
                open_at = None;
                parts += 1;
            }
            (_, true, None) => return Err(format!("line {}: `{end}` without `{start}`", i + 1)),
            (false, false, Some(_)) => {}
            (false, false, None) => {
                out.push_str(line);
                out.push('\n');
            }
        }
    }
    match (open_at, parts) {
        (Some(at), _) => Err(format!("line {at}: `{start}` is never closed")),
        (None, 0) => Err(format!("no `{start}` … `{end}` part")),
        (None, _) => Ok(out),
    }
}

/// What each optional part adds to the package of `shipped` bytes (gzip -9), each printed with
/// its budget: the package is built once more without it (`pkg::build_without`).
pub fn part_sizes(shipped: u64) -> Vec<(&'static OptionalPart, Result<u64>)> {
    OPTIONAL_PARTS
        .iter()
        .map(|part| {
            step(&format!("the package without {} (issue {}'s budget)", part.feature, part.issue));
            let added = pkg::build_without(part).and_then(|dir| pkg::shipped_gzip_size(&dir)).map(|without| {
                let added = shipped.saturating_sub(without);
                let within = if added <= part.budget_gzip { "within" } else { "OVER" };
                println!(
                    "size: {} cost {added} bytes gzip -9 (the package without: {without}) — {within} issue {}'s budget ({})",
                    part.label, part.issue, part.budget_gzip
                );
                added
            });
            (part, added)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strip_leaves_out_every_marked_part_and_keeps_the_rest_and_the_other_parts_markers() {
        let js = "a\n  // <passkeys>\n  b\n  // </passkeys>\nc\n// <session>\nd\n// </session>\n// <passkeys>\ne\n// </passkeys>\nf\n";
        assert_eq!(strip(js, "passkeys").unwrap(), "a\nc\n// <session>\nd\n// </session>\nf\n");
        assert_eq!(strip(js, "session").unwrap(), "a\n  // <passkeys>\n  b\n  // </passkeys>\nc\n// <passkeys>\ne\n// </passkeys>\nf\n");
    }

    #[test]
    fn strip_refuses_markers_that_would_measure_the_wrong_thing() {
        for (js, why) in [
            ("a\n", "no `// <passkeys>`"),
            ("// <passkeys>\na\n", "never closed"),
            ("a\n// </passkeys>\n", "without"),
            ("// <passkeys>\n// <passkeys>\n// </passkeys>\n", "inside the part"),
        ] {
            let e = strip(js, "passkeys").unwrap_err();
            assert!(e.contains(why), "{js:?}: {e}");
        }
    }

    #[test]
    fn the_package_template_marks_each_part() {
        let js = std::fs::read_to_string(crate::root().join("pkg-template/index.js")).unwrap();
        for part in &OPTIONAL_PARTS {
            let without = strip(&js, part.feature).unwrap();
            assert!(without.len() < js.len(), "{}", part.feature);
            assert!(!without.contains(&format!("<{}>", part.feature)), "{}", part.feature);
        }
    }

    #[test]
    fn each_part_is_a_default_feature_of_the_crate() {
        let toml = std::fs::read_to_string(crate::root().join("Cargo.toml")).unwrap();
        let default = toml.lines().find_map(|l| l.strip_prefix("default = ")).expect("the crate's [features] default");
        for part in &OPTIONAL_PARTS {
            assert!(default.contains(&format!("\"{}\"", part.feature)), "{default}");
            assert!(toml.contains(&format!("\n{} = []", part.feature)), "{}", part.feature);
        }
    }

    #[test]
    fn each_part_builds_the_crate_with_every_other_part() {
        assert_eq!(OPTIONAL_PARTS[0].cargo_features(), ["--no-default-features", "--features", "session"]);
        assert_eq!(OPTIONAL_PARTS[1].cargo_features(), ["--no-default-features", "--features", "passkeys"]);
    }

    #[test]
    fn tells_are_checked_both_ways() {
        let part = &OPTIONAL_PARTS[0];
        assert!(part.check_tells("x.signInWithPasskey(webauthnGrant)credentials.get", true).is_ok());
        assert!(part.check_tells("x.signInWithPasskey()", true).unwrap_err().contains("webauthnGrant"));
        assert!(part.check_tells("nothing", false).is_ok());
        assert!(part.check_tells("a.webauthnGrant", false).unwrap_err().contains("still has"));
    }
}
