//! `okta-direct-auth-probe --issuer URL --client-id ID [--origin ORIGIN] [--username U --password P]`:
//! asks a real org the questions `okta_direct_auth_proxy::probe` lists and prints one verdict
//! per line (`cargo xtask probe` runs it). Exit 0 when every question got an answer, 1 when the
//! org could not be reached, 2 for a usage mistake. The password may also come from
//! `OKTA_PROBE_PASSWORD` (kept out of the shell history); it is never printed.

use okta_direct_auth_proxy::probe::{self, ProbeInput, DEFAULT_ORIGIN};
use okta_direct_auth_proxy::secret::Secret;
use std::process::ExitCode;

const USAGE: &str = "usage: okta-direct-auth-probe --issuer URL --client-id ID [--origin ORIGIN] [--username U --password P]
  --issuer     https://{yourOktaDomain} or https://{yourOktaDomain}/oauth2/{authServerId}
  --client-id  the app's client ID (a public app with the direct-auth grants)
  --origin     the page origin to claim (default: one no org trusts)
  --username / --password   a test user: one sign-in with and one without Origin (or OKTA_PROBE_PASSWORD)";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut issuer = None;
    let mut client_id = None;
    let mut origin = None;
    let mut username = None;
    let mut password = std::env::var("OKTA_PROBE_PASSWORD").ok();
    let mut i = 0;
    while i < args.len() {
        let value = args.get(i + 1).cloned();
        let slot = match args[i].as_str() {
            "--issuer" => &mut issuer,
            "--client-id" => &mut client_id,
            "--origin" => &mut origin,
            "--username" => &mut username,
            "--password" => &mut password,
            "-h" | "--help" => {
                println!("{USAGE}");
                return ExitCode::SUCCESS;
            }
            other => return usage(&format!("unknown argument {other:?}")),
        };
        match value {
            Some(v) => *slot = Some(v),
            None => return usage(&format!("{} needs a value", args[i])),
        }
        i += 2;
    }
    let (Some(issuer), Some(client_id)) = (issuer, client_id) else {
        return usage("--issuer and --client-id are required");
    };
    let loopback = ["http://127.0.0.1", "http://localhost", "http://[::1]"].iter().any(|p| issuer.starts_with(p));
    if !(issuer.starts_with("https://") || loopback) {
        return usage("--issuer must be an https URL (http only on loopback)");
    }
    if username.is_some() != password.is_some() {
        return usage("--username and --password go together");
    }
    let input = ProbeInput {
        issuer,
        client_id,
        origin: origin.unwrap_or_else(|| DEFAULT_ORIGIN.to_owned()),
        username,
        password: password.map(Secret::new),
    };
    let runtime = match tokio::runtime::Builder::new_current_thread().enable_all().build() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("okta-direct-auth-probe: {e}");
            return ExitCode::from(1);
        }
    };
    match runtime.block_on(probe::run(&input)) {
        Ok(verdicts) => {
            println!("okta-direct-auth-probe: {} as {} from origin {}", input.issuer, input.client_id, input.origin);
            for v in verdicts {
                println!("{v}");
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("okta-direct-auth-probe: {e}");
            ExitCode::from(1)
        }
    }
}

fn usage(problem: &str) -> ExitCode {
    eprintln!("okta-direct-auth-probe: {problem}\n{USAGE}");
    ExitCode::from(2)
}
