//! Adds up what each test runner reports, for one closing line over the whole run.

use std::time::{Duration, Instant};

#[derive(Default)]
pub struct Summary {
    pub passed: u64,
    pub failed: u64,
    pub skipped: u64,
    failures: Vec<String>,
    timings: Vec<(String, Duration)>,
}

impl Summary {
    /// Counts a runner's closing line: cargo test / wasm-bindgen-test-runner
    /// (`test result: ok. 3 passed; 1 failed; 2 ignored; …`) or node's test runner
    /// (`ℹ pass 3`, `ℹ fail 1`, `ℹ skipped 2`, or `# pass 3` with the TAP reporter).
    pub fn count_line(&mut self, line: &str) {
        let line = line.trim();
        if let Some(rest) = line.strip_prefix("test result: ") {
            for part in rest.split(';') {
                let mut words = part.split_whitespace().rev();
                let (Some(kind), Some(n)) = (words.next(), words.next()) else { continue };
                let Ok(n) = n.trim_start_matches(|c: char| !c.is_ascii_digit()).parse::<u64>() else {
                    continue;
                };
                match kind {
                    "passed" => self.passed += n,
                    "failed" => self.failed += n,
                    "ignored" => self.skipped += n,
                    _ => {}
                }
            }
            return;
        }
        let node = line.strip_prefix("ℹ ").or_else(|| line.strip_prefix("# "));
        if let Some(rest) = node {
            let mut words = rest.split_whitespace();
            if let (Some(kind), Some(n), None) = (words.next(), words.next(), words.next()) {
                if let Ok(n) = n.parse::<u64>() {
                    match kind {
                        "pass" => self.passed += n,
                        "fail" => self.failed += n,
                        "skipped" | "todo" => self.skipped += n,
                        _ => {}
                    }
                }
            }
        }
    }

    /// Records one check that is not a test runner (e.g. the size budget).
    pub fn check(&mut self, name: &str, ok: bool) {
        if ok {
            self.passed += 1;
        } else {
            self.failed += 1;
            self.failures.push(name.to_owned());
        }
    }

    /// Records a suite that could not run or whose runner failed.
    pub fn suite_failed(&mut self, name: &str, why: &str) {
        self.failures.push(format!("{name}: {why}"));
    }

    pub fn time(&mut self, name: &str, started: Instant) {
        self.timings.push((name.to_owned(), started.elapsed()));
    }

    pub fn ok(&self) -> bool {
        self.failed == 0 && self.failures.is_empty()
    }

    pub fn print(&self) {
        println!();
        println!("==> summary");
        for (name, d) in &self.timings {
            println!("    {name:<34} {:>6.1}s", d.as_secs_f64());
        }
        for f in &self.failures {
            println!("    FAILED: {f}");
        }
        let skipped = if self.skipped > 0 { format!(", {} skipped", self.skipped) } else { String::new() };
        println!("tests: {} passed, {} failed{skipped}", self.passed, self.failed);
    }
}

#[cfg(test)]
mod tests {
    use super::Summary;

    #[test]
    fn counts_cargo_and_node_closing_lines() {
        let mut s = Summary::default();
        s.count_line("test result: ok. 12 passed; 0 failed; 2 ignored; 0 measured; 0 filtered out; finished in 0.01s");
        s.count_line("test result: FAILED. 3 passed; 1 failed; 0 ignored; 0 measured; 0 filtered out");
        s.count_line("ℹ pass 5");
        s.count_line("ℹ fail 1");
        s.count_line("# skipped 2");
        s.count_line("ℹ duration_ms 120.5");
        s.count_line("some test named pass 3 things");
        assert_eq!((s.passed, s.failed, s.skipped), (20, 2, 4));
        assert!(!s.ok());
    }

    #[test]
    fn a_failed_check_is_named() {
        let mut s = Summary::default();
        s.check("size budget", true);
        assert!(s.ok());
        s.check("other", false);
        assert!(!s.ok());
        assert_eq!(s.passed, 1);
    }
}
