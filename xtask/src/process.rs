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
