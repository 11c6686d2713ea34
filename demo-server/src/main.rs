//! `okta-demo-server --addr 127.0.0.1:PORT --www DIR --pkg DIR --emulator URL [--custody]`

use clap::Parser;
use okta_demo_server::DemoConfig;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

/// Serves the demo page, the npm package, and okta-direct-auth-proxy at /okta in front of the emulator.
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
    /// The emulator's base URL: the upstream of the proxy at `/okta`.
    #[arg(long, value_name = "URL")]
    emulator: String,
    /// Refresh-token custody in the proxy (`cargo xtask demo` turns it on).
    #[arg(long)]
    custody: bool,
}

fn fail(msg: impl std::fmt::Display) -> ExitCode {
    let _ = writeln!(std::io::stderr(), "okta-demo-server: {msg}");
    ExitCode::FAILURE
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(r) => r,
        Err(e) => return fail(e),
    };
    runtime.block_on(async move {
        let listener = match tokio::net::TcpListener::bind(&cli.addr).await {
            Ok(l) => l,
            Err(e) => return fail(format!("cannot listen on {}: {e}", cli.addr)),
        };
        let addr = match listener.local_addr() {
            Ok(a) => a,
            Err(e) => return fail(e),
        };
        let cfg = DemoConfig { www: cli.www, pkg: cli.pkg, emulator: cli.emulator, port: addr.port(), custody: cli.custody };
        // Check the proxy's configuration before announcing the address.
        if let Err(e) = okta_demo_server::router(&cfg) {
            return fail(e);
        }
        let host = if addr.ip().is_unspecified() { "127.0.0.1".to_string() } else { addr.ip().to_string() };
        {
            let mut out = std::io::stdout().lock();
            let _ = writeln!(out, "okta-demo-server listening on http://{host}:{}", addr.port());
            let _ = out.flush();
        }
        match okta_demo_server::serve(listener, cfg, okta_demo_server::shutdown_signal()).await {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => fail(e),
        }
    })
}
