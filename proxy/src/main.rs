//! `okta-direct-auth-proxy --config proxy.toml`: every setting also from `OKTA_PROXY_*`
//! environment variables (see proxy/README.md). Prints one line once bound:
//! `okta-direct-auth-proxy listening on http://ADDR`; then one JSON log line per request on
//! stderr. SIGINT / SIGTERM stop it gracefully.

use axum::routing::get;
use std::io::Write;
use std::net::SocketAddr;
use std::process::ExitCode;

const USAGE: &str = "usage: okta-direct-auth-proxy [--config proxy.toml]
  Every setting can also come from the environment (OKTA_PROXY_UPSTREAM, OKTA_PROXY_CLIENT_IDS, ...);
  see proxy/README.md. The environment overrides the file.";

fn fail(msg: impl std::fmt::Display) -> ExitCode {
    let _ = writeln!(std::io::stderr(), "okta-direct-auth-proxy: {msg}");
    ExitCode::FAILURE
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut config_path = None;
    let mut i = 0;
    while i < args.len() {
        match args[i].as_str() {
            "--config" => match args.get(i + 1) {
                Some(p) => {
                    config_path = Some(p.clone());
                    i += 1;
                }
                None => return fail(format!("--config needs a file\n{USAGE}")),
            },
            "-h" | "--help" => {
                println!("{USAGE}");
                return ExitCode::SUCCESS;
            }
            other => return fail(format!("unknown argument {other:?}\n{USAGE}")),
        }
        i += 1;
    }
    let text = match &config_path {
        Some(p) => match std::fs::read_to_string(p) {
            Ok(t) => t,
            Err(e) => return fail(format!("cannot read {p}: {e}")),
        },
        None => String::new(),
    };
    let config = match okta_direct_auth_proxy::ProxyConfig::from_toml_and_env(&text, std::env::vars()) {
        Ok(c) => c,
        Err(e) => return fail(e),
    };
    let listen = config.listen.clone().unwrap_or_else(|| "127.0.0.1:8080".to_owned());
    let proxy = match okta_direct_auth_proxy::router(config) {
        Ok(r) => r,
        Err(e) => return fail(e),
    };
    let app = axum::Router::new().route("/healthz", get(okta_direct_auth_proxy::healthz)).merge(proxy);
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(r) => r,
        Err(e) => return fail(e),
    };
    runtime.block_on(async move {
        let listener = match tokio::net::TcpListener::bind(&listen).await {
            Ok(l) => l,
            Err(e) => return fail(format!("cannot listen on {listen}: {e}")),
        };
        match listener.local_addr() {
            Ok(addr) => {
                let mut out = std::io::stdout().lock();
                let _ = writeln!(out, "okta-direct-auth-proxy listening on http://{addr}");
                let _ = out.flush();
            }
            Err(e) => return fail(e),
        }
        let served = axum::serve(listener, app.into_make_service_with_connect_info::<SocketAddr>())
            .with_graceful_shutdown(okta_direct_auth_proxy::shutdown::shutdown_signal())
            .await;
        match served {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => fail(e),
        }
    })
}
