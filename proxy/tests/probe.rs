//! The probe against the emulator in both modes: strict (Okta's browser rules, the default)
//! and serving browsers (`allow_browser_grants` + `cors_direct_auth_endpoints`, the probe's
//! origin trusted). Each verdict is what a real org in that state would get.

mod support;
use okta_direct_auth_proxy::probe::{run, Outcome, ProbeInput, Verdict};
use okta_direct_auth_proxy::secret::Secret;
use support::*;

const ORIGIN: &str = "http://app.example.test";

async fn emulator_with(allow_browsers: bool) -> okta_emulator::RunningEmulator {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let config = okta_emulator::Config {
        log_requests: false,
        allow_browser_grants: allow_browsers,
        cors_direct_auth_endpoints: allow_browsers,
        trusted_origins: vec![ORIGIN.to_owned()],
        ..Default::default()
    };
    okta_emulator::start(listener, config).await.unwrap()
}

fn input(base: &str, with_user: bool) -> ProbeInput {
    ProbeInput {
        issuer: format!("{base}/oauth2/default"),
        client_id: CLIENT.into(),
        origin: ORIGIN.into(),
        username: with_user.then(|| "password.only@example.com".to_owned()),
        password: with_user.then(|| Secret::new(PASSWORD)),
    }
}

fn outcome(verdicts: &[Verdict], question: &str) -> Outcome {
    verdicts.iter().find(|v| v.question == question).unwrap_or_else(|| panic!("no verdict for {question}")).outcome
}

#[tokio::test]
async fn a_strict_org_refuses_every_browser_path() {
    let emu = emulator_with(false).await;
    let verdicts = run(&input(&emu.base_url, true)).await.unwrap();
    assert_eq!(verdicts.len(), 4);
    assert_eq!(outcome(&verdicts, "token_grant_with_origin"), Outcome::Refused, "{verdicts:#?}");
    assert_eq!(outcome(&verdicts, "challenge_cors"), Outcome::Refused, "{verdicts:#?}");
    assert_eq!(outcome(&verdicts, "primary_authenticate_cors"), Outcome::Refused, "{verdicts:#?}");
    let token = &verdicts[0];
    assert!(token.evidence.contains("unauthorized_client"), "{}", token.evidence);
    assert!(token.to_string().contains("deploy okta-direct-auth-proxy"), "{token}");
    assert!(!verdicts.iter().any(|v| v.to_string().contains(PASSWORD)), "the password is never printed");
}

#[tokio::test]
async fn an_org_serving_browsers_allows_them() {
    let emu = emulator_with(true).await;
    let verdicts = run(&input(&emu.base_url, true)).await.unwrap();
    assert_eq!(outcome(&verdicts, "token_grant_with_origin"), Outcome::Allowed, "{verdicts:#?}");
    assert_eq!(outcome(&verdicts, "challenge_cors"), Outcome::Allowed, "{verdicts:#?}");
    assert_eq!(outcome(&verdicts, "primary_authenticate_cors"), Outcome::Allowed, "{verdicts:#?}");
    assert_eq!(outcome(&verdicts, "rate_limit_headers_exposed"), Outcome::Allowed, "{verdicts:#?}");
}

#[tokio::test]
async fn without_credentials_the_browser_rule_still_shows() {
    let emu = emulator_with(false).await;
    let verdicts = run(&input(&emu.base_url, false)).await.unwrap();
    assert_eq!(outcome(&verdicts, "token_grant_with_origin"), Outcome::Refused, "{verdicts:#?}");
}

#[tokio::test]
async fn an_unreachable_org_is_an_error_not_a_verdict() {
    let error = run(&input("http://127.0.0.1:9", false)).await.unwrap_err();
    assert!(error.contains("no answer"), "{error}");
}

#[test]
fn endpoints_follow_the_issuer() {
    use okta_direct_auth_proxy::probe::endpoint;
    assert_eq!(endpoint("https://x.okta.com", "token"), "https://x.okta.com/oauth2/v1/token");
    assert_eq!(endpoint("https://x.okta.com/oauth2/default/", "challenge"), "https://x.okta.com/oauth2/default/v1/challenge");
}
