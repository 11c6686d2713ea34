//! The probe (`okta-direct-auth-probe`, run by `cargo xtask probe`): the few requests that
//! settle, for one real org, what Okta's documents leave open for a browser calling the direct
//! authentication endpoints itself:
//!
//! 1. is a direct-auth grant at `/token` refused when the request carries an `Origin`?
//! 2. do `/challenge` and `/primary-authenticate` answer CORS (a preflight, and
//!    `Access-Control-Allow-Origin` on the answer)?
//! 3. are `X-Rate-Limit-*` exposed to pages (`Access-Control-Expose-Headers`)?
//!
//! Each request is one a browser would send (same form, same `Origin`); nothing is retried. With
//! no credentials the grant uses a made-up user (Okta checks the browser rules before the
//! credentials); with `--username/--password` it signs in once with and once without `Origin`
//! (count them against the user's lockout policy).

use crate::secret::Secret;
use std::time::Duration;

/// What to probe.
pub struct ProbeInput {
    /// `https://{org}` or `https://{org}/oauth2/{id}` (http only on loopback).
    pub issuer: String,
    pub client_id: String,
    /// The page origin to claim (default [`DEFAULT_ORIGIN`]).
    pub origin: String,
    pub username: Option<String>,
    pub password: Option<Secret>,
}

/// The origin claimed when none is given: one no org trusts.
pub const DEFAULT_ORIGIN: &str = "https://probe.okta-direct-auth.invalid";

/// The answer to one question.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Verdict {
    /// Stable id: `token_grant_with_origin`, `challenge_cors`, `primary_authenticate_cors`, `rate_limit_headers_exposed`.
    pub question: &'static str,
    pub outcome: Outcome,
    /// What was seen (status, Okta's `error`, the CORS headers), without a secret.
    pub evidence: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// The browser path is closed: a page needs the proxy for this.
    Refused,
    /// The browser path is open for this org and origin.
    Allowed,
    /// The answer does not settle it (see the evidence).
    Inconclusive,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Refused => "refused",
            Outcome::Allowed => "allowed",
            Outcome::Inconclusive => "inconclusive",
        }
    }
}

impl std::fmt::Display for Verdict {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let meaning = match (self.question, self.outcome) {
            ("token_grant_with_origin", Outcome::Refused) => "a page cannot use the direct-auth grants: deploy okta-direct-auth-proxy",
            ("token_grant_with_origin", Outcome::Allowed) => "this org serves the direct-auth grants to pages from this origin",
            ("challenge_cors", Outcome::Refused) | ("primary_authenticate_cors", Outcome::Refused) => {
                "a page cannot read this endpoint's answers: deploy okta-direct-auth-proxy"
            }
            ("challenge_cors", Outcome::Allowed) | ("primary_authenticate_cors", Outcome::Allowed) => "pages from this origin can call it",
            ("rate_limit_headers_exposed", Outcome::Refused) => "a page cannot read Okta's rate-limit headers (a same-origin proxy can)",
            ("rate_limit_headers_exposed", Outcome::Allowed) => "pages can read Okta's rate-limit headers",
            _ => "not settled by this answer",
        };
        write!(f, "{}: {} — {} ({})", self.question, self.outcome.as_str(), meaning, self.evidence)
    }
}

fn client() -> Result<reqwest::Client, String> {
    reqwest::Client::builder()
        .use_rustls_tls()
        .redirect(reqwest::redirect::Policy::none())
        .no_proxy()
        .timeout(Duration::from_secs(20))
        .user_agent(concat!("okta-direct-auth-probe/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(|e| format!("cannot build the HTTP client: {e}"))
}

/// `{issuer}/v1/{endpoint}` for a custom server, `{issuer}/oauth2/v1/{endpoint}` for the org's.
pub fn endpoint(issuer: &str, name: &str) -> String {
    let issuer = issuer.trim_end_matches('/');
    let custom = issuer.split("://").nth(1).is_some_and(|rest| rest.contains("/oauth2/"));
    if custom {
        format!("{issuer}/v1/{name}")
    } else {
        format!("{issuer}/oauth2/v1/{name}")
    }
}

struct Answer {
    status: u16,
    headers: reqwest::header::HeaderMap,
    error: Option<String>,
    description: Option<String>,
}

impl Answer {
    fn header(&self, name: &str) -> Option<String> {
        self.headers.get(name).and_then(|v| v.to_str().ok()).map(str::to_owned)
    }

    /// `Access-Control-Allow-Origin` names `origin` (or `*`).
    fn allows(&self, origin: &str) -> bool {
        self.header("access-control-allow-origin").is_some_and(|v| v == origin || v == "*")
    }

    fn summary(&self) -> String {
        let mut s = format!("HTTP {}", self.status);
        if let Some(e) = &self.error {
            s.push_str(&format!(" {e}"));
        }
        if let Some(d) = &self.description {
            let short: String = d.chars().take(120).collect();
            s.push_str(&format!(": \"{short}\""));
        }
        s
    }
}

async fn send(req: reqwest::RequestBuilder) -> Result<Answer, String> {
    let r = req.send().await.map_err(|e| format!("no answer: {e}"))?;
    let status = r.status().as_u16();
    let headers = r.headers().clone();
    let bytes = r.bytes().await.unwrap_or_default();
    let body: serde_json::Value = serde_json::from_slice(&bytes).unwrap_or(serde_json::Value::Null);
    let text = |k: &str| body.get(k).and_then(|v| v.as_str()).map(str::to_owned);
    Ok(Answer {
        status,
        headers,
        error: text("error").or_else(|| text("errorCode")),
        description: text("error_description").or_else(|| text("errorSummary")),
    })
}

fn password_form(input: &ProbeInput) -> Vec<(&'static str, &str)> {
    vec![
        ("grant_type", "password"),
        ("client_id", input.client_id.as_str()),
        ("scope", "openid"),
        ("username", input.username.as_deref().unwrap_or("probe.user@okta-direct-auth.invalid")),
        ("password", input.password.as_ref().map(Secret::expose).unwrap_or("not-a-password-0")),
    ]
}

/// Runs the probe: one verdict per question, in order.
pub async fn run(input: &ProbeInput) -> Result<Vec<Verdict>, String> {
    let http = client()?;
    let origin = input.origin.as_str();
    let token = endpoint(&input.issuer, "token");

    // 1. The password grant with and without Origin.
    let form = password_form(input);
    let with_origin = send(http.post(&token).header("Origin", origin).header("Accept", "application/json").form(&form)).await?;
    let without = send(http.post(&token).header("Accept", "application/json").form(&form)).await?;
    let browser_refusal = with_origin.description.as_deref().is_some_and(|d| d.contains("Browser requests"))
        || with_origin.error.as_deref().is_some_and(|e| e.ends_with("_browser_request"));
    let same_answer = with_origin.status == without.status && with_origin.error == without.error;
    let outcome = if browser_refusal {
        Outcome::Refused
    } else if same_answer && without.error.as_deref() != Some("unauthorized_client") {
        Outcome::Allowed
    } else {
        Outcome::Inconclusive
    };
    let mut verdicts = vec![Verdict {
        question: "token_grant_with_origin",
        outcome,
        evidence: format!("with Origin {origin}: {}; without: {}", with_origin.summary(), without.summary()),
    }];

    // 2. /challenge and /primary-authenticate: the preflight a page may send, and the
    //    answer's Access-Control-Allow-Origin (the SDK's form POSTs are "simple" requests).
    for (question, name, form) in [
        (
            "challenge_cors",
            "challenge",
            vec![
                ("client_id", input.client_id.as_str()),
                ("mfa_token", "probe-not-an-mfa-token"),
                ("challenge_types_supported", "http://auth0.com/oauth/grant-type/mfa-oob"),
                ("channel_hint", "push"),
            ],
        ),
        (
            "primary_authenticate_cors",
            "primary-authenticate",
            vec![
                ("client_id", input.client_id.as_str()),
                ("login_hint", "probe.user@okta-direct-auth.invalid"),
                ("channel_hint", "push"),
                ("challenge_hint", "urn:okta:params:oauth:grant-type:oob"),
            ],
        ),
    ] {
        let url = endpoint(&input.issuer, name);
        let preflight = send(
            http.request(reqwest::Method::OPTIONS, &url)
                .header("Origin", origin)
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "content-type"),
        )
        .await?;
        let post = send(http.post(&url).header("Origin", origin).header("Accept", "application/json").form(&form)).await?;
        let outcome = match (preflight.allows(origin), post.allows(origin)) {
            (_, true) => Outcome::Allowed,
            (false, false) => Outcome::Refused,
            (true, false) => Outcome::Inconclusive,
        };
        verdicts.push(Verdict {
            question,
            outcome,
            evidence: format!(
                "preflight HTTP {} allow-origin {:?}; POST {} allow-origin {:?}",
                preflight.status,
                preflight.header("access-control-allow-origin"),
                post.summary(),
                post.header("access-control-allow-origin")
            ),
        });
    }

    // 3. X-Rate-Limit-* on the grant's answer, and whether a page may read them.
    let exposed = with_origin.header("access-control-expose-headers").unwrap_or_default().to_ascii_lowercase();
    let sent = ["x-rate-limit-limit", "x-rate-limit-remaining", "x-rate-limit-reset"]
        .iter()
        .filter(|h| with_origin.headers.contains_key(**h) || without.headers.contains_key(**h))
        .count();
    let readable = with_origin.allows(origin) && exposed.contains("x-rate-limit-remaining") && exposed.contains("x-rate-limit-reset");
    let outcome = if sent == 0 {
        Outcome::Inconclusive
    } else if readable {
        Outcome::Allowed
    } else {
        Outcome::Refused
    };
    verdicts.push(Verdict {
        question: "rate_limit_headers_exposed",
        outcome,
        evidence: format!(
            "{sent} of 3 X-Rate-Limit-* headers sent; allow-origin {:?}; expose-headers {:?}",
            with_origin.header("access-control-allow-origin"),
            with_origin.header("access-control-expose-headers")
        ),
    });
    Ok(verdicts)
}
