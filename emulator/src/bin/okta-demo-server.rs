//! `okta-demo-server --addr 127.0.0.1:PORT --www DIR --pkg DIR --emulator URL`

use clap::Parser;
use okta_emulator::demo::DemoConfig;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

/// Serves the demo page, the npm package and a same-origin proxy to the emulator.
#[derive(Parser, Debug)]
#[command(name = "okta-demo-server", version, about, long_about = None)]
struct Cli {
    /// Address to listen on; port 0 picks a free port.
    #[arg(long, default_value = "127.0.0.1:0")]
    addr: String,
    /// Directory served at `/` (index.html for `/`).
    #[arg(long, value_name = "DIR")]
    www: PathBuf,
    /// Directory served at `/pkg/`.
    #[arg(long, value_name = "DIR")]
    pkg: PathBuf,
    /// The emulator's base URL; `/okta/*` is proxied there without the Origin header.
    #[arg(long, value_name = "URL")]
    emulator: String,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(r) => r,
        Err(e) => {
            let _ = writeln!(std::io::stderr(), "okta-demo-server: {e}");
            return ExitCode::FAILURE;
        }
    };
    runtime.block_on(async move {
        let listener = match tokio::net::TcpListener::bind(&cli.addr).await {
            Ok(l) => l,
            Err(e) => {
                let _ = writeln!(std::io::stderr(), "okta-demo-server: cannot listen on {}: {e}", cli.addr);
                return ExitCode::FAILURE;
            }
        };
        let addr = match listener.local_addr() {
            Ok(a) => a,
            Err(e) => {
                let _ = writeln!(std::io::stderr(), "okta-demo-server: {e}");
                return ExitCode::FAILURE;
            }
        };
        let host = if addr.ip().is_unspecified() { "127.0.0.1".to_string() } else { addr.ip().to_string() };
        {
            let mut out = std::io::stdout().lock();
            let _ = writeln!(out, "okta-demo-server listening on http://{host}:{}", addr.port());
            let _ = out.flush();
        }
        let cfg = DemoConfig { www: cli.www, pkg: cli.pkg, emulator: cli.emulator };
        match okta_emulator::demo::serve(listener, cfg, okta_emulator::shutdown::shutdown_signal()).await {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                let _ = writeln!(std::io::stderr(), "okta-demo-server: {e}");
                ExitCode::FAILURE
            }
        }
    })
}
