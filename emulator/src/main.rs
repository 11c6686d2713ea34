//! `okta-emulator` command line: parse flags, bind, print the one "listening" line, serve
//! until SIGINT/SIGTERM.

use clap::Parser;
use okta_emulator::{Config, Seed};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

/// A local Okta-compatible authorization server for Direct Authentication.
#[derive(Parser, Debug)]
#[command(name = "okta-emulator", version, about, long_about = None)]
struct Cli {
    /// Address to listen on; port 0 picks a free port.
    #[arg(long, default_value = "127.0.0.1:0")]
    addr: String,
    /// Seed file (users, clients, authorization servers); the compiled-in demo file by default.
    #[arg(long, value_name = "FILE")]
    users: Option<PathBuf>,
    /// RSA private key (PKCS#8 or PKCS#1 PEM) to sign tokens with; generated at start by default.
    #[arg(long, value_name = "FILE")]
    key: Option<PathBuf>,
    /// Origin allowed to call the Okta endpoints from a browser (exact match; `*` for any). Repeatable.
    #[arg(long = "trusted-origin", value_name = "ORIGIN")]
    trusted_origins: Vec<String>,
    /// Public base URL (the org issuer); `http://<bound address>` by default.
    #[arg(long, value_name = "URL")]
    public_url: Option<String>,
    /// Turn off the /__emulator/ API (its paths answer 404).
    #[arg(long)]
    no_emulator_api: bool,
    /// Serve the direct-auth grants to browser requests (an Origin header) at /token, which
    /// Okta refuses; by default Okta's browser rules apply.
    #[arg(long)]
    allow_browser_grants: bool,
    /// Answer CORS for trusted origins on /challenge, /primary-authenticate and
    /// /oob-authenticate (Okta's spec marks none of them CORS-enabled; off by default).
    #[arg(long)]
    cors_direct_auth_endpoints: bool,
    /// Accepted and ignored: Okta's browser rules are now on unless --allow-browser-grants.
    #[arg(long, hide = true)]
    okta_browser_rules: bool,
    /// Seconds a signing key rotated out by POST /__emulator/keys/rotate stays published in /keys.
    #[arg(long, default_value_t = 3600)]
    key_grace_secs: u64,
    /// Lifetime of an oob_code, seconds.
    #[arg(long, default_value_t = 300)]
    oob_lifetime: u64,
    /// Lifetime of an mfa_token, seconds.
    #[arg(long, default_value_t = 300)]
    mfa_token_lifetime: u64,
    /// Minimum seconds between polls of a push oob_code (`interval`).
    #[arg(long, default_value_t = 5)]
    interval: u64,
    /// Access token lifetime, seconds.
    #[arg(long, default_value_t = 3600)]
    access_token_lifetime: u64,
    /// Initial offset of the emulator clock, seconds (may be negative).
    #[arg(long, default_value_t = 0, allow_hyphen_values = true)]
    clock_offset: i64,
    /// Delay of the `slow` fault, milliseconds.
    #[arg(long, default_value_t = 10_000)]
    slow_ms: u64,
    /// Requests per minute per client and user before 429.
    #[arg(long, default_value_t = 600)]
    rate_limit_per_minute: u32,
    /// Consecutive failed password/OTP/code attempts before a lockout (0: never).
    #[arg(long, default_value_t = 5)]
    lockout_after: u32,
    /// Lockout duration, seconds.
    #[arg(long, default_value_t = 300)]
    lockout_secs: u64,
    /// WebAuthn RP ID: the domain passkeys are bound to (a domain name, never an IP address).
    #[arg(long, default_value = "localhost")]
    rp_id: String,
    /// Do not log one line per request to stderr.
    #[arg(long)]
    quiet: bool,
}

fn fail(msg: impl std::fmt::Display) -> ExitCode {
    let _ = writeln!(std::io::stderr(), "okta-emulator: {msg}");
    ExitCode::FAILURE
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let seed = match &cli.users {
        None => Seed::default_seed(),
        Some(path) => {
            match std::fs::read_to_string(path).map_err(|e| e.to_string()).and_then(|t| Seed::parse(&t).map_err(|e| e.to_string())) {
                Ok(s) => s,
                Err(e) => return fail(format!("{}: {e}", path.display())),
            }
        }
    };
    let key = match &cli.key {
        None => None,
        Some(path) => match std::fs::read_to_string(path)
            .map_err(|e| e.to_string())
            .and_then(|p| okta_emulator::keys::rsa_key_from_pem(&p).map_err(|e| e.to_string()))
        {
            Ok(k) => Some(k),
            Err(e) => return fail(format!("{}: {e}", path.display())),
        },
    };
    if cli.okta_browser_rules {
        let _ = writeln!(std::io::stderr(), "okta-emulator: --okta-browser-rules is the default now and is ignored");
    }
    let config = Config {
        public_url: cli.public_url,
        seed,
        key,
        next_key: None,
        foreign_key: None,
        key_grace_secs: cli.key_grace_secs,
        trusted_origins: cli.trusted_origins,
        emulator_api: !cli.no_emulator_api,
        allow_browser_grants: cli.allow_browser_grants,
        cors_direct_auth_endpoints: cli.cors_direct_auth_endpoints,
        oob_lifetime: cli.oob_lifetime,
        mfa_token_lifetime: cli.mfa_token_lifetime,
        interval: cli.interval,
        access_token_lifetime: cli.access_token_lifetime,
        clock_offset: cli.clock_offset,
        slow_ms: cli.slow_ms,
        rate_limit_per_minute: cli.rate_limit_per_minute,
        lockout_after: cli.lockout_after,
        lockout_secs: cli.lockout_secs,
        log_requests: !cli.quiet,
        rp_id: cli.rp_id,
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(r) => r,
        Err(e) => return fail(e),
    };
    runtime.block_on(async move {
        let listener = match tokio::net::TcpListener::bind(&cli.addr).await {
            Ok(l) => l,
            Err(e) => return fail(format!("cannot listen on {}: {e}", cli.addr)),
        };
        let mut emu = match okta_emulator::start(listener, config).await {
            Ok(e) => e,
            Err(e) => return fail(e),
        };
        {
            let mut out = std::io::stdout().lock();
            let _ = writeln!(out, "okta-emulator listening on {}", emu.base_url);
            let _ = out.flush();
        }
        okta_emulator::shutdown::shutdown_signal().await;
        emu.shutdown();
        let _ = writeln!(std::io::stderr(), "okta-emulator: shutting down");
        ExitCode::SUCCESS
    })
}
