//! Passkey sign-in and verification as `index.js` runs them: the challenge step, then the grant
//! step with the ceremony's outcome (its assertion, or `ceremony`: a `DOMException`'s name).

use super::*;
use crate::face::passkeys;
use crate::protocol::webauthn::ceremony_error;

const ASSERTION: &str = r#"{"clientDataJSON":"Y2Q","authenticatorData":"YWQ","signature":"c2ln","userHandle":"dWg"}"#;
const CHALLENGE: &str =
    r#"{"challengeType":"urn:okta:params:oauth:grant-type:webauthn","publicKey":{"challenge":"Y2hh","rpId":"x.okta.com"}}"#;

fn parse(text: &str) -> Value {
    json::parse(text.as_bytes()).unwrap()
}

/// The export's subject naming passkey step `n` (0 a challenge, 1 `verifyWithPasskey`'s, 2 the grant).
fn step(n: u8) -> Value {
    Value::Number(n.to_string())
}

/// The three steps of a passkey call, with the ceremony answering `outcome`: an assertion's
/// JSON, or the name of the `DOMException` it failed with.
async fn passkey<T: Transport, C: Clock>(cx: &Context<'_, T, C>, args: &str, mfa: bool, outcome: &str) -> Result<Value, Error> {
    let args = parse(args);
    let challenge = run(cx, &*passkeys::step(&step(u8::from(mfa)), &args)?).await?;
    assert!(parse(&challenge).get("publicKey").is_some(), "Okta's challenge reaches the ceremony unchanged");
    let mut grant = match outcome.starts_with('{') {
        true => match parse(outcome) {
            Value::Object(members) => members,
            _ => unreachable!("an assertion is an object"),
        },
        false => vec![("ceremony".to_owned(), Value::String(outcome.to_owned()))],
    };
    if let Some(token) = args.get("mfaToken") {
        grant.push(("mfaToken".into(), token.clone()));
    }
    Ok(parse(&run(cx, &*passkeys::step(&step(2), &Value::Object(grant))?).await?))
}

#[test]
fn sign_in_with_a_username_asks_for_the_challenge_then_sends_the_assertion() {
    let clock = FakeClock::new();
    let config = config();
    let transport = Scripted::new(&clock, vec![json(200, CHALLENGE), json(200, TOKENS)]);
    let cx = Context { config: &config, transport: &transport, clock: &clock };
    let result = block_on(passkey(&cx, r#"{"username":" ada@x "}"#, false, ASSERTION)).unwrap();
    assert_eq!(result.get("status").and_then(Value::as_str), Some("success"));
    let sent = transport.sent.borrow();
    assert_eq!(sent[0].1.url, "https://x.okta.com/oauth2/v1/primary-authenticate");
    assert_eq!(field(&sent[0].1, "client_id").as_deref(), Some("0oa-demo-spa"));
    assert_eq!(field(&sent[0].1, "challenge_hint").as_deref(), Some("urn:okta:params:oauth:grant-type:webauthn"));
    assert_eq!(field(&sent[0].1, "login_hint").as_deref(), Some("ada@x"));
    assert_eq!(field(&sent[0].1, "scope"), None, "no scope on /primary-authenticate");
    assert_eq!(sent[1].1.url, "https://x.okta.com/oauth2/v1/token");
    assert_eq!(field(&sent[1].1, "grant_type").as_deref(), Some("urn:okta:params:oauth:grant-type:webauthn"));
    for (name, value) in [("clientDataJSON", "Y2Q"), ("authenticatorData", "YWQ"), ("signature", "c2ln"), ("userHandle", "dWg")] {
        assert_eq!(field(&sent[1].1, name).as_deref(), Some(value), "{name}");
    }
    assert_eq!(field(&sent[1].1, "mfa_token"), None);
    assert!(field(&sent[1].1, "scope").is_some());
}

#[test]
fn discoverable_sign_in_sends_no_login_hint_and_may_answer_mfa_required() {
    let clock = FakeClock::new();
    let config = config();
    let transport = Scripted::new(&clock, vec![json(200, CHALLENGE), json(403, r#"{"error":"mfa_required","mfa_token":"m"}"#)]);
    let cx = Context { config: &config, transport: &transport, clock: &clock };
    let no_handle = r#"{"clientDataJSON":"Y2Q","authenticatorData":"YWQ","signature":"c2ln","userHandle":""}"#;
    let result = block_on(passkey(&cx, r#"{"mediation":"conditional"}"#, false, no_handle)).unwrap();
    assert_eq!(result.get("mfaToken").and_then(Value::as_str), Some("m"));
    let sent = transport.sent.borrow();
    assert_eq!(field(&sent[0].1, "login_hint"), None);
    assert_eq!(field(&sent[1].1, "userHandle"), None, "an empty userHandle is left out");
}

#[test]
fn verification_goes_to_challenge_by_default_and_to_primary_authenticate_as_swift_does() {
    for (args, url, hint, types) in [
        (r#"{"mfaToken":"m-1"}"#, "https://x.okta.com/oauth2/v1/challenge", None, Some("urn:okta:params:oauth:grant-type:mfa-webauthn")),
        (
            r#"{"mfaToken":"m-1","endpoint":"primary-authenticate","username":"ada@x"}"#,
            "https://x.okta.com/oauth2/v1/primary-authenticate",
            Some("urn:okta:params:oauth:grant-type:webauthn"),
            None,
        ),
    ] {
        let clock = FakeClock::new();
        let config = config();
        let transport = Scripted::new(&clock, vec![json(200, CHALLENGE), json(200, TOKENS)]);
        let cx = Context { config: &config, transport: &transport, clock: &clock };
        block_on(passkey(&cx, args, true, ASSERTION)).unwrap();
        let sent = transport.sent.borrow();
        assert_eq!(sent[0].1.url, url);
        assert_eq!(field(&sent[0].1, "mfa_token").as_deref(), Some("m-1"));
        assert_eq!(field(&sent[0].1, "challenge_hint").as_deref(), hint);
        assert_eq!(field(&sent[0].1, "challenge_types_supported").as_deref(), types);
        assert_eq!(field(&sent[0].1, "login_hint"), None, "the transaction names the user");
        assert_eq!(field(&sent[1].1, "grant_type").as_deref(), Some("urn:okta:params:oauth:grant-type:mfa-webauthn"));
        assert_eq!(field(&sent[1].1, "mfa_token").as_deref(), Some("m-1"));
    }
}

#[test]
fn a_failed_ceremony_maps_the_dom_exception_and_sends_no_grant() {
    for (outcome, kind, code) in [
        ("AbortError", ErrorKind::Aborted, "aborted"),
        ("NotAllowedError", ErrorKind::Passkey, "passkey_not_allowed"),
        ("SecurityError", ErrorKind::Passkey, "passkey_security_error"),
        ("NotSupportedError", ErrorKind::Passkey, "passkey_failed"),
        ("TypeError", ErrorKind::Passkey, "passkey_failed"),
        (r#"{"clientDataJSON":"Y2Q"}"#, ErrorKind::Input, "invalid_assertion"),
        (r#"{"clientDataJSON":"Y2Q","authenticatorData":"YWQ","signature":"c2ln+"}"#, ErrorKind::Input, "invalid_assertion"),
    ] {
        let clock = FakeClock::new();
        let config = config();
        let transport = Scripted::new(&clock, vec![json(200, CHALLENGE)]);
        let cx = Context { config: &config, transport: &transport, clock: &clock };
        let e = block_on(passkey(&cx, "{}", false, outcome)).unwrap_err();
        assert_eq!((e.kind, e.code.as_ref()), (kind, code), "{outcome}");
        assert_eq!(transport.sent.borrow().len(), 1, "only the challenge was sent after {outcome}");
    }
    let security = ceremony_error("SecurityError");
    assert!(security.hint.contains("custom RP ID") && security.hint.contains("okta.com"), "{}", security.hint);
}

#[test]
fn okta_refusing_the_assertion_is_invalid_grant_with_the_passkey_hint_and_bad_challenges_are_protocol_errors() {
    let clock = FakeClock::new();
    let config = config();
    let refused = r#"{"error":"invalid_grant","error_description":"None of the WebAuthn authenticators the user has enrolled for was able to validate the assertion"}"#;
    let transport = Scripted::new(&clock, vec![json(200, CHALLENGE), json(400, refused)]);
    let cx = Context { config: &config, transport: &transport, clock: &clock };
    let e = block_on(passkey(&cx, "{}", false, ASSERTION)).unwrap_err();
    assert_eq!((e.kind, e.code.as_ref()), (ErrorKind::OAuth, "invalid_grant"));
    assert_eq!(e.hint, crate::protocol::error::hints::PASSKEY_REFUSED);
    // A user without a passkey: Okta's answer for an unenrolled factor, before any ceremony.
    let denied = r#"{"error":"access_denied","error_description":"The required authenticator cannot be used."}"#;
    for (reply, code) in [(json(403, denied), "access_denied"), (json(200, r#"{"publicKey":{}}"#), "invalid_passkey_challenge")] {
        let transport = Scripted::new(&clock, vec![reply]);
        let cx = Context { config: &config, transport: &transport, clock: &clock };
        let e = block_on(passkey(&cx, r#"{"username":"u"}"#, false, ASSERTION)).unwrap_err();
        assert_eq!(e.code, code);
    }
}

#[test]
fn passkey_arguments_are_checked_before_anything_is_sent() {
    let bad = |n: u8, args: &str| passkeys::step(&step(n), &parse(args)).err().map(|e| e.code.to_string());
    // Step 0: `signInWithPasskey` and `webauthnChallengeRequest`.
    assert_eq!(bad(0, r#"{"username":" "}"#).as_deref(), Some("invalid_username"));
    assert_eq!(bad(0, r#"{"username":5}"#).as_deref(), Some("invalid_username"));
    assert_eq!(bad(0, r#"{"mediation":"silent"}"#).as_deref(), Some("invalid_mediation"));
    assert_eq!(bad(0, r#"{"mediation":""}"#).as_deref(), Some("invalid_mediation"));
    assert_eq!(bad(0, r#"{"mfaToken":""}"#).as_deref(), Some("invalid_mfa_token"));
    assert_eq!(bad(0, r#"{"mfaToken":7}"#).as_deref(), Some("invalid_mfa_token"));
    assert_eq!(bad(0, r#"{"mfaToken":"m","username":" "}"#).as_deref(), Some("invalid_username"));
    assert_eq!(bad(0, r#"{"mfaToken":"m"}"#), None);
    assert_eq!(bad(0, r#"{"mediation":"conditional","username":null}"#), None);
    assert_eq!(bad(0, r#"{}"#), None);
    // Step 1: `verifyWithPasskey`, which needs the `mfaToken`.
    assert_eq!(bad(1, r#"{}"#).as_deref(), Some("invalid_mfa_token"));
    assert_eq!(bad(1, r#"{"mfaToken":null}"#).as_deref(), Some("invalid_mfa_token"));
    assert_eq!(bad(1, r#"{"mfaToken":"m","endpoint":"token"}"#).as_deref(), Some("invalid_endpoint"));
    assert_eq!(bad(1, r#"{"mfaToken":"m","endpoint":"primary-authenticate"}"#), None);
    // Step 2 (and any other subject): `webauthnGrant`.
    for n in [2, 9] {
        assert_eq!(bad(n, r#"{"clientDataJSON":"Y2Q","authenticatorData":"YWQ"}"#).as_deref(), Some("invalid_assertion"));
        assert_eq!(
            bad(n, r#"{"clientDataJSON":"Y2Q=","authenticatorData":"YWQ","signature":"c2ln"}"#).as_deref(),
            Some("invalid_assertion")
        );
        assert_eq!(
            bad(n, r#"{"clientDataJSON":"Y2Q","authenticatorData":"YWQ","signature":"c2ln","mfaToken":1}"#).as_deref(),
            Some("invalid_mfa_token")
        );
        assert_eq!(bad(n, r#"{"ceremony":"NotAllowedError","clientDataJSON":"Y2Q"}"#).as_deref(), Some("passkey_not_allowed"));
        assert_eq!(bad(n, ASSERTION), None);
    }
}
