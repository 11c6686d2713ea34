//! Challenge issuance: Okta's JSON shape, randomness, binding to the transaction, single use,
//! expiry and the pending limit.

use super::authenticator::{Ceremony, SoftAuthenticator, RP_ID};
use crate::webauthn::b64;
use crate::webauthn::*;
use serde_json::json;

const NOW: i64 = 1_800_000_000_000;

fn primary(login_hint: Option<&str>) -> ChallengeBinding {
    ChallengeBinding::Primary { client_id: "app".into(), login_hint: login_hint.map(str::to_owned) }
}

fn mfa(token: &str) -> ChallengeBinding {
    ChallengeBinding::Mfa { client_id: "app".into(), mfa_token: token.into() }
}

#[test]
fn primary_options_are_okta_s_camel_case_json_with_base64url_members() {
    let mut store = ChallengeStore::new();
    let passkey = SoftAuthenticator::es256(b"cred-1", b"user").stored(0);
    let mut request = ChallengeRequest::new(primary(Some("ada")), RP_ID);
    request.allow_credentials = vec![AllowedCredential::from(&passkey), AllowedCredential { id: b"cred-2".to_vec(), transports: vec![] }];
    request.user_verification = UserVerification::Required;
    request.timeout_ms = 120_000;
    request.appid = Some("https://example.okta.com".into());
    let issued = store.issue(request, NOW).unwrap();
    assert_eq!(
        issued.body,
        json!({
            "challengeType": "urn:okta:params:oauth:grant-type:webauthn",
            "publicKey": {
                "challenge": issued.challenge,
                "rpId": "localhost",
                "allowCredentials": [
                    { "id": "Y3JlZC0x", "type": "public-key", "transports": ["internal"] },
                    { "id": "Y3JlZC0y", "type": "public-key" },
                ],
                "timeout": 120_000,
                "userVerification": "required",
                "extensions": { "appid": "https://example.okta.com" },
            }
        })
    );
    let bytes = b64::decode(&issued.challenge, 64).unwrap();
    assert_eq!(bytes.len(), CHALLENGE_BYTES);
    assert!(!issued.challenge.contains('=') && !issued.challenge.contains('+') && !issued.challenge.contains('/'));
    assert_eq!(issued.expires_at_ms, NOW + 120_000 + TRANSIT_GRACE_MS);
}

#[test]
fn discoverable_and_mfa_options_leave_out_what_is_not_set() {
    let mut store = ChallengeStore::new();
    let issued = store.issue(ChallengeRequest::new(primary(None), RP_ID), NOW).unwrap();
    assert_eq!(
        issued.body,
        json!({ "challengeType": CHALLENGE_TYPE_PRIMARY,
                "publicKey": { "challenge": issued.challenge, "rpId": "localhost", "timeout": 60_000, "userVerification": "preferred" } })
    );
    let mut request = ChallengeRequest::new(mfa("t"), RP_ID);
    request.send_rp_id = false;
    let issued = store.issue(request, NOW).unwrap();
    assert_eq!(issued.body["challengeType"], "urn:okta:params:oauth:grant-type:mfa-webauthn");
    assert!(issued.body["publicKey"].get("rpId").is_none());
}

#[test]
fn challenges_are_random_and_distinct() {
    let mut store = ChallengeStore::new();
    let a = store.issue(ChallengeRequest::new(primary(None), RP_ID), NOW).unwrap();
    let b = store.issue(ChallengeRequest::new(primary(None), RP_ID), NOW).unwrap();
    assert_ne!(a.challenge, b.challenge);
    assert_eq!(store.len(), 2);
}

#[test]
fn a_challenge_is_single_use_even_when_its_assertion_fails() {
    let mut store = ChallengeStore::new();
    let issued = store.issue(ChallengeRequest::new(primary(None), RP_ID), NOW).unwrap();
    let grant = AssertionGrant::Primary { client_id: "app" };
    assert!(store.redeem_assertion(&issued.challenge, &grant, NOW).is_ok());
    assert_eq!(
        store.redeem_assertion(&issued.challenge, &grant, NOW),
        Err(AssertionError::NoPendingChallenge(NoPendingReason::UnknownOrUsed))
    );
    assert!(store.is_empty());
}

#[test]
fn an_unknown_challenge_is_no_pending_challenge() {
    let mut store = ChallengeStore::new();
    let grant = AssertionGrant::Primary { client_id: "app" };
    let forged = b64::encode(&[0u8; 32]);
    assert_eq!(store.redeem_assertion(&forged, &grant, NOW), Err(AssertionError::NoPendingChallenge(NoPendingReason::UnknownOrUsed)));
}

#[test]
fn an_expired_challenge_is_refused_and_dropped() {
    let mut store = ChallengeStore::new();
    let issued = store.issue(ChallengeRequest::new(primary(None), RP_ID), NOW).unwrap();
    let grant = AssertionGrant::Primary { client_id: "app" };
    assert_eq!(
        store.redeem_assertion(&issued.challenge, &grant, issued.expires_at_ms),
        Err(AssertionError::NoPendingChallenge(NoPendingReason::Expired))
    );
    assert!(store.is_empty());
    let issued = store.issue(ChallengeRequest::new(primary(None), RP_ID), NOW).unwrap();
    assert!(store.redeem_assertion(&issued.challenge, &grant, issued.expires_at_ms - 1).is_ok());
}

#[test]
fn an_mfa_challenge_answers_only_its_own_mfa_token_and_is_not_burnt_by_others() {
    let mut store = ChallengeStore::new();
    let issued = store.issue(ChallengeRequest::new(mfa("token-a"), RP_ID), NOW).unwrap();
    let other = AssertionGrant::Mfa { client_id: "app", mfa_token: "token-b" };
    let err = store.redeem_assertion(&issued.challenge, &other, NOW).unwrap_err();
    assert_eq!(err, AssertionError::ChallengeNotForMfaToken);
    assert_eq!(
        err.wire(),
        (
            axum::http::StatusCode::BAD_REQUEST,
            "invalid_request",
            "The 'challenge' and the 'mfa_token' provided are not associated with each other. Review the values and try again."
        )
    );
    let primary_grant = AssertionGrant::Primary { client_id: "app" };
    assert_eq!(
        store.redeem_assertion(&issued.challenge, &primary_grant, NOW),
        Err(AssertionError::NoPendingChallenge(NoPendingReason::IssuedForMfa))
    );
    let own = AssertionGrant::Mfa { client_id: "app", mfa_token: "token-a" };
    let pending = store.redeem_assertion(&issued.challenge, &own, NOW).unwrap();
    assert_eq!(pending.binding, mfa("token-a"));
}

#[test]
fn a_primary_challenge_is_not_for_an_mfa_token_nor_another_client() {
    let mut store = ChallengeStore::new();
    let issued = store.issue(ChallengeRequest::new(primary(Some("ada")), RP_ID), NOW).unwrap();
    let as_mfa = AssertionGrant::Mfa { client_id: "app", mfa_token: "t" };
    assert_eq!(store.redeem_assertion(&issued.challenge, &as_mfa, NOW), Err(AssertionError::ChallengeNotForMfaToken));
    let other_client = AssertionGrant::Primary { client_id: "other" };
    assert_eq!(
        store.redeem_assertion(&issued.challenge, &other_client, NOW),
        Err(AssertionError::NoPendingChallenge(NoPendingReason::OtherClient))
    );
    let pending = store.redeem_assertion(&issued.challenge, &AssertionGrant::Primary { client_id: "app" }, NOW).unwrap();
    assert_eq!(pending.binding, primary(Some("ada")));
}

#[test]
fn a_registration_challenge_cannot_sign_in() {
    let mut store = ChallengeStore::new();
    let issued = store.issue_registration(RegistrationRequest::new("ada", b"user", RP_ID), NOW).unwrap();
    let grant = AssertionGrant::Primary { client_id: "app" };
    assert_eq!(
        store.redeem_assertion(&issued.challenge, &grant, NOW),
        Err(AssertionError::NoPendingChallenge(NoPendingReason::IssuedForRegistration))
    );
    assert!(store
        .issue(ChallengeRequest::new(ChallengeBinding::Registration { user: "a".into(), user_handle: vec![1] }, RP_ID), NOW)
        .is_err());
}

#[test]
fn forgetting_an_mfa_token_drops_its_challenges_only() {
    let mut store = ChallengeStore::new();
    let a = store.issue(ChallengeRequest::new(mfa("a"), RP_ID), NOW).unwrap();
    let b = store.issue(ChallengeRequest::new(mfa("b"), RP_ID), NOW).unwrap();
    store.forget_mfa_token("a");
    assert!(store.redeem_assertion(&a.challenge, &AssertionGrant::Mfa { client_id: "app", mfa_token: "a" }, NOW).is_err());
    assert!(store.redeem_assertion(&b.challenge, &AssertionGrant::Mfa { client_id: "app", mfa_token: "b" }, NOW).is_ok());
}

#[test]
fn the_pending_limit_refuses_new_challenges_until_old_ones_expire() {
    let mut store = ChallengeStore::with_limit(2);
    let first = store.issue(ChallengeRequest::new(primary(None), RP_ID), NOW).unwrap();
    store.issue(ChallengeRequest::new(primary(None), RP_ID), NOW).unwrap();
    let err = store.issue(ChallengeRequest::new(primary(None), RP_ID), NOW).unwrap_err();
    assert_eq!(err, IssueError::TooManyPending);
    assert_eq!(err.wire().0, axum::http::StatusCode::TOO_MANY_REQUESTS);
    assert!(store.issue(ChallengeRequest::new(primary(None), RP_ID), first.expires_at_ms).is_ok());
    assert_eq!(store.len(), 1);
}

#[test]
fn bad_issue_requests_are_refused() {
    let mut store = ChallengeStore::new();
    for rp_id in ["", "127.0.0.1", "::1", "https://localhost", "localhost:8080", "LOCALHOST", "a..b"] {
        assert!(matches!(store.issue(ChallengeRequest::new(primary(None), rp_id), NOW), Err(IssueError::InvalidRequest(_))), "{rp_id}");
    }
    for timeout_ms in [0, 999, 600_001] {
        let mut request = ChallengeRequest::new(primary(None), RP_ID);
        request.timeout_ms = timeout_ms;
        assert!(matches!(store.issue(request, NOW), Err(IssueError::InvalidRequest(_))), "{timeout_ms}");
    }
    assert!(store.is_empty());
}

#[test]
fn debug_output_never_shows_the_mfa_token_or_the_challenges() {
    let mut store = ChallengeStore::new();
    let issued = store.issue(ChallengeRequest::new(mfa("secret-mfa-token"), RP_ID), NOW).unwrap();
    let grant = AssertionGrant::Mfa { client_id: "app", mfa_token: "secret-mfa-token" };
    let pending = store.redeem_assertion(&issued.challenge, &grant, NOW).unwrap();
    store.issue(ChallengeRequest::new(mfa("secret-mfa-token"), RP_ID), NOW).unwrap();
    let printed = format!("{store:?} {pending:?} {grant:?}");
    assert!(!printed.contains("secret-mfa-token"), "{printed}");
    assert!(!printed.contains(&issued.challenge), "{printed}");
    assert!(printed.contains("redacted") && printed.contains("pending: 1"), "{printed}");
}

#[test]
fn the_challenge_round_trips_through_client_data() {
    // The browser copies publicKey.challenge into clientDataJSON.challenge unchanged.
    let mut store = ChallengeStore::new();
    let issued = store.issue(ChallengeRequest::new(primary(None), RP_ID), NOW).unwrap();
    let form = Ceremony::get(&issued.challenge).sign_with(&SoftAuthenticator::es256(b"c", b"u")).form().unwrap();
    assert_eq!(form.challenge(), issued.challenge);
    assert_eq!(form.challenge(), issued.body["publicKey"]["challenge"]);
}
