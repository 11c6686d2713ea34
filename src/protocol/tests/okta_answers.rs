//! Okta answers the SDK used to misread (issue 10: items 10, 11, 12, 16): each through the
//! classifier a user's call takes, and each row of the English-text table on its own.

use super::error::{hints, ErrorKind};
use super::response::{classify_token, reading, said, ErrorReading, HttpResponse, Said, SAID};
use super::*;

fn json(status: u16, body: &str) -> HttpResponse {
    HttpResponse { status, content_type: Some("application/json".into()), body: body.as_bytes().to_vec(), ..Default::default() }
}

fn error(status: u16, body: &str, reading: &ErrorReading) -> Error {
    match classify_token(&json(status, body), reading, 0.0) {
        Ok(_) => panic!("expected an error for {body}"),
        Err(e) => e,
    }
}

#[test]
fn password_expiry_is_its_own_code_not_an_expired_transaction() {
    for (status, body) in [
        (400, r#"{"error":"invalid_grant","error_description":"Password has expired."}"#),
        (403, r#"{"error":"access_denied","error_description":"The user's password is expired."}"#),
    ] {
        let e = error(status, body, &reading::PASSWORD);
        assert_eq!((e.kind, &*e.code, e.hint, e.status), (ErrorKind::OAuth, "password_expired", hints::PASSWORD_EXPIRED, Some(status)));
        assert!(e.description.as_deref().is_some_and(|d| d.contains("xpired")), "Okta's description is kept");
    }
    // The transaction's own expiry is still `expired`.
    let e = error(400, r#"{"error":"invalid_grant","error_description":"The 'mfa_token' has expired."}"#, &reading::PLAIN);
    assert_eq!((e.kind, &*e.code), (ErrorKind::Expired, "invalid_grant"));
    let e = error(400, r#"{"error":"expired_token","error_description":"Whatever"}"#, &reading::PLAIN);
    assert_eq!((e.kind, e.hint), (ErrorKind::Expired, hints::EXPIRED), "the stable field, whatever the text");
}

#[test]
fn an_unknown_oob_code_during_a_wait_is_not_a_denial() {
    let e = error(400, r#"{"error":"invalid_grant","error_description":"The 'oob_code' is invalid."}"#, &reading::OOB_POLL);
    assert_eq!((e.kind, &*e.code, e.hint), (ErrorKind::OAuth, "invalid_oob_code", hints::UNKNOWN_OOB_CODE));
    // A real denial still is one: Okta's stable `oob_rejected`, and its invalid_grant.
    let e = error(400, r#"{"error":"oob_rejected","error_description":"User rejected the push."}"#, &reading::OOB_POLL);
    assert_eq!(e.kind, ErrorKind::Denied);
    let e = error(400, r#"{"error":"invalid_grant","error_description":"The user rejected the challenge."}"#, &reading::OOB_POLL);
    assert_eq!(e.kind, ErrorKind::Denied);
}

/// One test per row of the table, in its order: the row matches its own text (any case), and
/// not the same text under another `error` when the row names one.
#[test]
fn each_row_of_the_english_text_table() {
    let cases: [(&str, &str, Said); 9] = [
        ("invalid_grant", "API rate limit exceeded", Said::RateLimit),
        ("invalid_grant", "Password has expired.", Said::PasswordExpired),
        ("access_denied", "The user's password is expired.", Said::PasswordExpired),
        ("invalid_grant", "The 'oob_code' is invalid.", Said::UnknownOobCode),
        ("invalid_request", "Client authentication is required for MFA attestation requests.", Said::AttestationNeedsClientAuth),
        ("access_denied", "The 'oob_code' has expired.", Said::Expired),
        ("access_denied", "Add it as a Trusted Origin", Said::Origin),
        ("invalid_request", "Missing Origin header", Said::Origin),
        ("invalid_client", "Browser requests are not allowed", Said::Origin),
    ];
    assert_eq!(cases.len(), SAID.len());
    for (row, (code, text, meaning)) in SAID.iter().zip(cases) {
        assert_eq!(row.2, meaning);
        assert_eq!(said(code, text), Some(meaning), "{text}");
        assert_eq!(said(code, &text.to_ascii_uppercase()), Some(meaning), "{text} (any case)");
        if !row.0.is_empty() {
            assert_ne!(said("other_error", text), Some(meaning), "{text} under another error");
        }
    }
    assert_eq!(said("invalid_grant", "The credentials provided were invalid."), None);
}

#[test]
fn mfa_attestation_is_a_result_of_its_own() {
    // Okta's Swift SDK fixture Tests/AuthFoundationTests/MockResponses/token-mfa_attestation.json
    // (okta-mobile-swift), verbatim.
    let body = r#"{
    "token_type": "Bearer",
    "expires_in": 0,
    "access_token": null,
    "scope": "openid",
    "id_token": "eyJraWQiOiI5RmR5LXYxOXVRM2E5TTlzV1lNeGNoblNMckFkMjZWWFhIdkZVZXpsTWtNIiwiYWxnIjoiUlMyNTYifQ.eyJzdWIiOiIwMHViNDF6N21nek5xcnlNdjY5NiIsInZlciI6MSwiaXNzIjoiaHR0cHM6Ly9leGFtcGxlLmNvbSIsImF1ZCI6InVuaXRfdGVzdF9jbGllbnRfaWQiLCJpYXQiOjE3MTUyNzQ4NzYsImV4cCI6MTcxNTI3ODQ3NiwianRpIjoiSUQuQVItU2s4bkR1clk0ZTJ2RW1ORm9iQmFFZHZIYXNaNVQyUGVmZ2RSWXdGQSIsImFtciI6WyJvdHAiXSwiYWNyIjoidXJuOm9rdGE6YXBwOm1mYTphdHRlc3RhdGlvbiIsImlkcCI6IjAwbzhmb3U3c1JhR0d3ZG40Njk2IiwiYXV0aF90aW1lIjoxNzE1Mjc0ODc2fQ.bKd_BG-TpJAjr_-n9WV1xR6c1GJCrHRcFwPED7Xvju_3-I0HVnrj3Z33LBSFnJ7S8qknfAbFNoPpIvsNng4tRudPKPuwN6SbXUneGweO3JSfwfIJHSftOt8mjgGPW2eJlFqkw3ipD0pHl3BQpI3LubppiX_xQkmtCBk52F1AwLb_nvd-ZV4fdH579nioc2ZoOO2zZs5KZgNBrVZgNdlYA_n81Tv3PhHoVpzMejSEYMZfGrft54inkky4o9RSRZTjVl1Br9Zq5YO7ImmL64WVH95jDPD0UuMXkVefw3TXTgrS4PtNjGi_VNtxbpQUQ5qvqJAX7TA3r7ttY-kwbhxXoA"
}"#;
    match classify_token(&json(200, body), &reading::PLAIN, 0.0).unwrap() {
        TokenOutcome::Done(SignIn::Attested { id_token, scope }) => {
            assert!(id_token.expose().starts_with("eyJraWQiOiI5RmR5"));
            assert_eq!(scope.as_deref(), Some("openid"));
        }
        other => panic!("not attested: {other:?}"),
    }
    let written = crate::face::results::sign_in(&match classify_token(&json(200, body), &reading::PLAIN, 0.0).unwrap() {
        TokenOutcome::Done(result) => result,
        _ => unreachable!(),
    });
    assert!(written.starts_with(r#"{"status":"attested","idToken":"eyJ"#), "{written}");
    assert!(written.ends_with(r#","scope":"openid"}"#));
    // Without an ID token it is no attestation; a missing (not null) access token neither.
    let no_id = r#"{"token_type":"Bearer","expires_in":0,"access_token":null,"scope":"openid"}"#;
    assert_eq!(classify_token(&json(200, no_id), &reading::PLAIN, 0.0).unwrap_err().code, "invalid_response");
    let absent = r#"{"token_type":"Bearer","expires_in":0,"id_token":"a.b.c"}"#;
    assert_eq!(classify_token(&json(200, absent), &reading::PLAIN, 0.0).unwrap_err().code, "invalid_response");
    // The refusal a public client gets has a hint of its own.
    let e = error(
        400,
        r#"{"error":"invalid_request","error_description":"Client authentication is required for MFA attestation requests."}"#,
        &reading::PASSWORD,
    );
    assert_eq!((e.kind, &*e.code, e.hint), (ErrorKind::OAuth, "invalid_request", hints::ATTESTATION_CLIENT_AUTH));
}

#[test]
fn oauth_form_server_failures_are_transient_at_any_status() {
    for status in [400, 500, 503] {
        for code in ["server_error", "temporarily_unavailable"] {
            let e = error(status, &format!(r#"{{"error":"{code}","error_description":"x"}}"#), &reading::OOB_POLL);
            assert!(e.is_transient(), "{status} {code}");
            assert_eq!(e.hint, hints::SERVER_ERROR);
        }
    }
    assert!(!error(400, r#"{"error":"invalid_request"}"#, &reading::OOB_POLL).is_transient());
}
