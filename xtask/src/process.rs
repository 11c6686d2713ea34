//! Running commands and the long-lived servers the tests and the demo need.

use crate::Result;
use std::io::{BufRead, BufReader};
use std::net::TcpListener;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

/// Runs `cmd` to completion with inherited output; an error names the command.
pub fn run(cmd: &mut Command) -> Result {
    let status = cmd.status().map_err(|e| format!("could not start {}: {e}", describe(cmd)))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{} failed ({status})", describe(cmd)))
    }
}

/// Runs `cmd`, echoing its stdout line by line and handing each line to `on_line`.
pub fn run_streaming(cmd: &mut Command, mut on_line: impl FnMut(&str)) -> Result {
    let mut child = cmd.stdout(Stdio::piped()).spawn().map_err(|e| format!("could not start {}: {e}", describe(cmd)))?;
    if let Some(out) = child.stdout.take() {
        for line in BufReader::new(out).lines().map_while(std::result::Result::ok) {
            println!("{line}");
            on_line(&line);
        }
    }
    let status = child.wait().map_err(|e| e.to_string())?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{} failed ({status})", describe(cmd)))
    }
}

/// A deadline inside a streamed command: once a line starting with `armed_by` has come, a line
/// starting with `started_by` must follow within `within`, or the command (its whole process
/// group) is killed and the run is an error.
pub struct Watch {
    pub armed_by: &'static str,
    pub started_by: &'static str,
    pub within: Duration,
}

/// [`run_streaming`] under a [`Watch`]. `cmd` runs in a process group of its own, so killing it
/// takes its children (wasm-pack's runner, chromedriver, Chromium) too.
pub fn run_streaming_watched(cmd: &mut Command, watch: &Watch, mut on_line: impl FnMut(&str)) -> Result {
    use std::os::unix::process::CommandExt;
    let mut child = cmd.process_group(0).stdout(Stdio::piped()).spawn().map_err(|e| format!("could not start {}: {e}", describe(cmd)))?;
    let group = child.id();
    let (tx, rx) = mpsc::channel::<bool>();
    let within = watch.within;
    let watchdog = std::thread::spawn(move || {
        // `false`: armed; `true`: started. A closed channel: the command ended.
        if rx.recv() != Ok(false) {
            return false;
        }
        match rx.recv_timeout(within) {
            Err(mpsc::RecvTimeoutError::Timeout) => {
                let _ = Command::new("kill").args(["-KILL", "--", &format!("-{group}")]).status();
                true
            }
            _ => false,
        }
    });
    let (mut armed, mut started) = (false, false);
    if let Some(out) = child.stdout.take() {
        for line in BufReader::new(out).lines().map_while(std::result::Result::ok) {
            println!("{line}");
            on_line(&line);
            if !armed && line.starts_with(watch.armed_by) {
                armed = true;
                let _ = tx.send(false);
            } else if armed && !started && line.starts_with(watch.started_by) {
                started = true;
                let _ = tx.send(true);
            }
        }
    }
    drop(tx);
    let status = child.wait().map_err(|e| e.to_string())?;
    if watchdog.join().unwrap_or(false) {
        return Err(format!("{}: no `{}` within {} s of `{}`: killed", describe(cmd), watch.started_by, within.as_secs(), watch.armed_by));
    }
    if status.success() {
        Ok(())
    } else {
        Err(format!("{} failed ({status})", describe(cmd)))
    }
}

/// Runs `cmd` to completion, its stderr inherited, and returns its stdout; an error names the command.
pub fn run_for_stdout(cmd: &mut Command) -> Result<String> {
    let out = cmd.stderr(Stdio::inherit()).output().map_err(|e| format!("could not start {}: {e}", describe(cmd)))?;
    if !out.status.success() {
        return Err(format!("{} failed ({})", describe(cmd), out.status));
    }
    String::from_utf8(out.stdout).map_err(|_| format!("{} printed something that is not UTF-8", describe(cmd)))
}

/// Output of `cmd` if it ran and succeeded.
pub fn output(cmd: &mut Command) -> Option<String> {
    let out = cmd.stderr(Stdio::null()).output().ok()?;
    out.status.success().then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

pub fn describe(cmd: &Command) -> String {
    let mut s = cmd.get_program().to_string_lossy().into_owned();
    for a in cmd.get_args() {
        s.push(' ');
        s.push_str(&a.to_string_lossy());
    }
    s
}

/// A free TCP port on loopback (bound, then released: good enough for a test run).
pub fn free_port() -> Result<u16> {
    let l = TcpListener::bind("127.0.0.1:0").map_err(|e| e.to_string())?;
    l.local_addr().map(|a| a.port()).map_err(|e| e.to_string())
}

/// A background server, killed when dropped.
pub struct Server {
    pub url: String,
    child: Child,
}

impl Server {
    /// Starts `program args…` and waits for the line `<name> listening on <url>` on its stdout.
    pub fn start(name: &'static str, program: &Path, args: &[String]) -> Result<Server> {
        let mut child = Command::new(program)
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .map_err(|e| format!("could not start {}: {e}", program.display()))?;
        let stdout = child.stdout.take().ok_or("no stdout")?;
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            let mut first = String::new();
            let _ = reader.read_line(&mut first);
            let _ = tx.send(first);
            // Keep draining so the server never blocks on a full pipe.
            for line in reader.lines().map_while(std::result::Result::ok) {
                println!("{line}");
            }
        });
        let first = rx.recv_timeout(Duration::from_secs(60)).unwrap_or_default();
        let url = first.trim().split(" listening on ").nth(1).map(str::to_owned);
        match url {
            Some(url) => Ok(Server { url, child }),
            None => {
                let _ = child.kill();
                Err(format!("{name} did not report its address (first line: {first:?})"))
            }
        }
    }

    /// Blocks until the server exits (the demo's foreground wait).
    pub fn wait(&mut self) -> Result {
        self.child.wait().map(|_| ()).map_err(|e| e.to_string())
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn watch(within_ms: u64) -> Watch {
        Watch { armed_by: "armed", started_by: "started", within: Duration::from_millis(within_ms) }
    }

    #[test]
    fn a_command_that_never_starts_after_arming_is_killed_with_its_children() {
        let begun = std::time::Instant::now();
        // The child `sleep` is in the group: killing only `sh` would leave the pipe open.
        let mut cmd = Command::new("sh");
        cmd.args(["-c", "echo armed; sleep 30 & wait"]);
        let mut lines = Vec::new();
        let err = run_streaming_watched(&mut cmd, &watch(300), |l| lines.push(l.to_owned())).unwrap_err();
        assert!(err.contains("no `started` within"), "{err}");
        assert_eq!(lines, ["armed"]);
        assert!(begun.elapsed() < Duration::from_secs(10), "killed at once, not after the sleep");
    }

    #[test]
    fn a_command_that_starts_in_time_runs_to_its_end() {
        let mut cmd = Command::new("sh");
        cmd.args(["-c", "echo armed; echo started; sleep 1; echo done"]);
        let mut lines = Vec::new();
        run_streaming_watched(&mut cmd, &watch(300), |l| lines.push(l.to_owned())).unwrap();
        assert_eq!(lines, ["armed", "started", "done"]);
    }

    #[test]
    fn the_deadline_counts_only_from_the_arming_line() {
        let mut cmd = Command::new("sh");
        cmd.args(["-c", "sleep 1; echo armed; echo started"]);
        run_streaming_watched(&mut cmd, &watch(300), |_| {}).unwrap();
        let mut failing = Command::new("sh");
        failing.args(["-c", "echo armed; echo started; exit 3"]);
        assert!(run_streaming_watched(&mut failing, &watch(300), |_| {}).unwrap_err().contains("failed"));
    }
}
