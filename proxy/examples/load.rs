//! The proxy's cost, measured: N password sign-ins, C at a time, straight to the emulator and
//! through the proxy, both on loopback in this process (in two interleaved halves, so neither
//! side gets the emptier emulator). Prints errors and latency (p50, p99) of each and what the
//! proxy adds; then 200 each one at a time, alternating, where latency is not queueing behind the
//! emulator's RSA signing; `--json FILE` also writes them.
//!
//! `cargo run --release -p okta-direct-auth-proxy --example load -- [--signins 1000] [--concurrency 50] [--json FILE]`
//! (`cargo xtask bench` runs it.)

use okta_direct_auth_proxy::{LogSink, ProxyConfig};
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

const ORIGIN: &str = "http://app.bench.test";
const USER: &str = "password.only@example.com";

#[derive(Default)]
struct Run {
    latencies: Vec<Duration>,
    errors: usize,
    wall: Duration,
}

fn flag(args: &[String], name: &str) -> Option<String> {
    args.iter().position(|a| a == name).and_then(|i| args.get(i + 1)).cloned()
}

fn percentile(sorted: &[Duration], p: usize) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    sorted[(sorted.len() * p / 100).min(sorted.len() - 1)]
}

async fn sign_ins(http: &reqwest::Client, url: &str, origin: bool, n: usize, concurrency: usize) -> Run {
    let next = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let mut workers = Vec::new();
    for _ in 0..concurrency {
        let (http, url, next) = (http.clone(), url.to_owned(), next.clone());
        workers.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            let mut errors = 0;
            while next.fetch_add(1, Ordering::Relaxed) < n {
                let form = [
                    ("client_id", "0oa-demo-spa"),
                    ("grant_type", "password"),
                    ("username", USER),
                    ("password", "Demo-Passw0rd"),
                    ("scope", "openid"),
                ];
                let mut req = http.post(&url).header("Accept", "application/json").form(&form);
                if origin {
                    req = req.header("Origin", ORIGIN).header("Sec-Fetch-Site", "same-origin");
                }
                let t = Instant::now();
                let ok = match req.send().await {
                    Ok(r) => r.status() == 200 && r.bytes().await.is_ok(),
                    Err(_) => false,
                };
                latencies.push(t.elapsed());
                if !ok {
                    errors += 1;
                }
            }
            (latencies, errors)
        }));
    }
    let mut run = Run { latencies: Vec::new(), errors: 0, wall: Duration::ZERO };
    for w in workers {
        match w.await {
            Ok((l, e)) => {
                run.latencies.extend(l);
                run.errors += e;
            }
            Err(_) => run.errors += 1,
        }
    }
    run.wall = started.elapsed();
    run.latencies.sort();
    run
}

fn merge(into: &mut Run, run: Run) {
    into.latencies.extend(run.latencies);
    into.latencies.sort();
    into.errors += run.errors;
    into.wall += run.wall;
}

/// Prints one comparison; returns it as JSON.
fn report(title: &str, direct: &Run, proxied: &Run) -> serde_json::Value {
    let (d50, d99) = (percentile(&direct.latencies, 50), percentile(&direct.latencies, 99));
    let (p50, p99) = (percentile(&proxied.latencies, 50), percentile(&proxied.latencies, 99));
    let added = |a: Duration, b: Duration| ((ms(a) - ms(b)) * 10.0).round() / 10.0;
    println!("  {title}");
    println!("    {:<10} {:>7} {:>9} {:>9} {:>9}", "", "errors", "p50 ms", "p99 ms", "wall s");
    for (name, run, a, b) in [("direct", direct, d50, d99), ("via proxy", proxied, p50, p99)] {
        println!("    {:<10} {:>7} {:>9.1} {:>9.1} {:>9.2}", name, run.errors, ms(a), ms(b), run.wall.as_secs_f64());
    }
    println!("    added by the proxy: p50 {:+.1} ms, p99 {:+.1} ms", added(p50, d50), added(p99, d99));
    serde_json::json!({
        "direct": { "errors": direct.errors, "p50_ms": ms(d50), "p99_ms": ms(d99), "wall_s": direct.wall.as_secs_f64() },
        "proxy": { "errors": proxied.errors, "p50_ms": ms(p50), "p99_ms": ms(p99), "wall_s": proxied.wall.as_secs_f64() },
        "added_p50_ms": added(p50, d50),
        "added_p99_ms": added(p99, d99),
    })
}

fn ms(d: Duration) -> f64 {
    (d.as_secs_f64() * 10_000.0).round() / 10.0
}

#[tokio::main(flavor = "multi_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let n: usize = flag(&args, "--signins").map(|v| v.parse()).transpose()?.unwrap_or(1000);
    let concurrency: usize = flag(&args, "--concurrency").map(|v| v.parse()).transpose()?.unwrap_or(50);

    let emu_listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let emu_config =
        okta_emulator::Config { log_requests: false, rate_limit_per_minute: 1_000_000, lockout_after: 0, ..Default::default() };
    let emu = okta_emulator::start(emu_listener, emu_config).await?;

    let mut config = ProxyConfig {
        upstream: emu.base_url.clone(),
        authorization_servers: vec!["default".into()],
        client_ids: vec!["0oa-demo-spa".into()],
        app_origins: vec![ORIGIN.into()],
        log: Some(LogSink::new(|_| {})),
        ..Default::default()
    };
    config.custody.enabled = false;
    // The bench measures the proxy's cost, not its limits.
    config.rate_limit.per_ip_per_minute = 0;
    config.rate_limit.per_username_per_minute = 0;
    let router = okta_direct_auth_proxy::router(config)?;
    let proxy_listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let proxy_addr = proxy_listener.local_addr()?;
    tokio::spawn(async move {
        let _ = axum::serve(proxy_listener, router.into_make_service_with_connect_info::<SocketAddr>()).await;
    });

    let http = reqwest::Client::builder().no_proxy().pool_max_idle_per_host(concurrency).build()?;
    let direct_url = format!("{}/oauth2/default/v1/token", emu.base_url);
    let proxy_url = format!("http://{proxy_addr}/okta/oauth2/default/v1/token");
    // Warm both paths up (connections, caches).
    sign_ins(&http, &direct_url, false, concurrency, concurrency).await;
    sign_ins(&http, &proxy_url, true, concurrency, concurrency).await;
    let (mut direct, mut proxied) = (Run::default(), Run::default());
    for half in [n / 2, n - n / 2] {
        merge(&mut direct, sign_ins(&http, &direct_url, false, half, concurrency).await);
        merge(&mut proxied, sign_ins(&http, &proxy_url, true, half, concurrency).await);
    }
    let sequential = 200;
    let (mut one_direct, mut one_proxied) = (Run::default(), Run::default());
    // Alternating, one request each, so both sides meet the same emulator.
    for _ in 0..sequential {
        merge(&mut one_direct, sign_ins(&http, &direct_url, false, 1, 1).await);
        merge(&mut one_proxied, sign_ins(&http, &proxy_url, true, 1, 1).await);
    }

    let profile = if cfg!(debug_assertions) { "debug" } else { "release" };
    println!("proxy: password sign-ins on loopback, emulator and proxy in one process ({profile} build)");
    let loaded = report(&format!("{n} sign-ins, {concurrency} at a time"), &direct, &proxied);
    let single = report(&format!("{sequential} sign-ins, one at a time"), &one_direct, &one_proxied);
    if let Some(path) = flag(&args, "--json") {
        let json =
            serde_json::json!({ "profile": profile, "concurrent": loaded, "sequential": single, "concurrency": concurrency, "signins": n });
        std::fs::write(&path, serde_json::to_string_pretty(&json)?)?;
    }
    let errors = direct.errors + proxied.errors + one_direct.errors + one_proxied.errors;
    if errors > 0 {
        return Err(format!("{errors} errors (budget 0)").into());
    }
    Ok(())
}
