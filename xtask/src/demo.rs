//! `cargo xtask demo`: the emulator and the demo login page, on a fresh machine.

use crate::servers::{build_emulator, start_demo_server, start_emulator, Browsers};
use crate::tools;
use crate::{flag_value, pkg, Result};

const DEFAULT_PAGE_PORT: u16 = 8100;
const DEFAULT_EMULATOR_PORT: u16 = 8180;

pub fn run(args: &[String]) -> Result {
    let page_port = port(args, "--port", DEFAULT_PAGE_PORT)?;
    let emulator_port = port(args, "--emulator-port", DEFAULT_EMULATOR_PORT)?;

    tools::ensure_wasm_tools()?;
    let package = pkg::build()?;
    build_emulator()?;

    let page_origins = [format!("http://127.0.0.1:{page_port}"), format!("http://localhost:{page_port}")];
    // The deployment: the strict emulator (Okta's browser rules) behind the real proxy, with
    // refresh-token custody. The page's direct switch shows what Okta answers a browser.
    let emulator = start_emulator(emulator_port, &page_origins, Browsers::Strict)?;
    let mut page = start_demo_server(page_port, &package.dir, &emulator.url, true)?;

    println!(
        "
  Demo login page:  {local}   (passkeys need localhost: WebAuthn refuses IP addresses; also {page})
  Okta emulator:    {emu}   (issuer {emu}/oauth2/default, client 0oa-demo-spa; Okta's
                    browser rules on: a page calling it directly is refused, as Okta does)
  Sign-in proxy:    {page}/okta   (okta-direct-auth-proxy in front of the emulator, refresh-token
                    custody on: every Okta call of the page goes through it; the page's
                    'call Okta directly' switch shows Okta's refusal and the SDK's hint)

  Demo users (every password is Demo-Passw0rd):
    otp.only@example.com     OTP as the only factor
    mfa.otp@example.com      password, then OTP
    mfa.push@example.com     password, then push
    mfa.number@example.com   password, then push with number challenge
    mfa.phone@example.com    password, then SMS or voice
    phone.only@example.com   SMS or voice as the only factor
    push.only@example.com    push as the only factor
    alex@example.com         password, then any factor
    password.only@example.com  password as the only factor

  The simulated phone beside the form shows each user's current OTP, SMS/voice inbox and
  pending pushes, and adds a passkey on this browser. Press Ctrl-C to stop.
",
        page = page.url,
        local = page.url.replace("://127.0.0.1:", "://localhost:"),
        emu = emulator.url
    );
    let result = page.wait();
    drop(emulator);
    result
}

fn port(args: &[String], name: &str, default: u16) -> Result<u16> {
    match flag_value(args, name) {
        None => Ok(default),
        Some(v) => v.parse().map_err(|_| format!("{name} takes a port number, got `{v}`")),
    }
}
