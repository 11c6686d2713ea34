//! Known-good assertions verify; each check, failing alone, is refused with its own error and
//! Okta's catalogue entry.

use super::authenticator::{Ceremony, SoftAuthenticator, ORIGIN, RP_ID};
use crate::webauthn::auth_data::{FLAG_BE, FLAG_BS, FLAG_ED, FLAG_UP, FLAG_UV};
use crate::webauthn::b64;
use crate::webauthn::*;
use axum::http::StatusCode;

const NOW: i64 = 1_800_000_000_000;
const CLIENT: &str = "0oa-spa";

fn rp() -> RelyingParty {
    RelyingParty::new(RP_ID, &[ORIGIN, "https://app.example.com"]).unwrap()
}

/// Issues a challenge for `binding`, runs `tweak` on a known-good ceremony, signs it with
/// `authenticator` and verifies it for `grant` against the passkey stored with `stored_count`.
fn run(
    authenticator: &SoftAuthenticator,
    binding: ChallengeBinding,
    uv: UserVerification,
    grant: AssertionGrant<'_>,
    stored_count: u32,
    tweak: impl FnOnce(&mut Ceremony),
) -> Result<VerifiedAssertion, AssertionError> {
    let mut store = ChallengeStore::new();
    let mut request = ChallengeRequest::new(binding, RP_ID);
    request.user_verification = uv;
    let issued = store.issue(request, NOW).unwrap();
    let mut ceremony = Ceremony::get(&issued.challenge);
    tweak(&mut ceremony);
    let form = ceremony.sign_with(authenticator).form()?;
    let pending = store.redeem_assertion(form.challenge(), &grant, NOW + 1_000)?;
    let passkey = authenticator.stored(stored_count);
    verify_assertion(&form, &pending, &rp(), [&passkey])
}

fn primary() -> ChallengeBinding {
    ChallengeBinding::Primary { client_id: CLIENT.into(), login_hint: None }
}

const PRIMARY: AssertionGrant<'static> = AssertionGrant::Primary { client_id: CLIENT };

fn failed(result: Result<VerifiedAssertion, AssertionError>) -> FailedCheck {
    match result {
        Err(AssertionError::Verification(check)) => check,
        other => panic!("expected a verification failure, got {other:?}"),
    }
}

#[test]
fn es256_assertion_verifies_and_reports_the_new_counter() {
    let authenticator = SoftAuthenticator::es256(b"cred-es256", b"user-1");
    let verified = run(&authenticator, primary(), UserVerification::Preferred, PRIMARY, 4, |c| c.sign_count = 5).unwrap();
    assert_eq!(verified.credential_id, b"cred-es256");
    assert_eq!(verified.user_handle, b"user-1");
    assert_eq!(verified.sign_count, 5);
    assert!(verified.user_verified);
}

#[test]
fn rs256_assertion_verifies() {
    let authenticator = SoftAuthenticator::rs256(b"cred-rs256", b"user-2");
    let verified = run(&authenticator, primary(), UserVerification::Required, PRIMARY, 0, |_| {}).unwrap();
    assert_eq!(verified.credential_id, b"cred-rs256");
    assert_eq!(verified.sign_count, 1);
}

#[test]
fn mfa_assertion_verifies_for_its_mfa_token_without_a_user_handle() {
    let authenticator = SoftAuthenticator::es256(b"cred", b"user");
    let binding = ChallengeBinding::Mfa { client_id: CLIENT.into(), mfa_token: "mfa-1".into() };
    let grant = AssertionGrant::Mfa { client_id: CLIENT, mfa_token: "mfa-1" };
    let verified = run(&authenticator, binding, UserVerification::Preferred, grant, 0, |c| c.return_user_handle = false).unwrap();
    assert_eq!(verified.credential_id, b"cred");
}

#[test]
fn zero_counters_on_both_sides_are_accepted_as_webauthn_allows() {
    let authenticator = SoftAuthenticator::es256(b"synced", b"user");
    let verified = run(&authenticator, primary(), UserVerification::Preferred, PRIMARY, 0, |c| c.sign_count = 0).unwrap();
    assert_eq!(verified.sign_count, 0);
}

#[test]
fn backup_flags_and_extensions_are_read() {
    let authenticator = SoftAuthenticator::es256(b"cred", b"user");
    let mut store = ChallengeStore::new();
    let issued = store.issue(ChallengeRequest::new(primary(), RP_ID), NOW).unwrap();
    let mut ceremony = Ceremony::get(&issued.challenge);
    ceremony.flags = FLAG_UP | FLAG_BE | FLAG_BS | FLAG_ED;
    let client_data = ceremony.client_data_json();
    let mut auth_data = ceremony.authenticator_data(None);
    auth_data.extend_from_slice(&super::authenticator::cbor_map(&[(
        super::authenticator::cbor_text("credProps"),
        super::authenticator::cbor_map(&[]),
    )]));
    let signature = authenticator.sign(&super::authenticator::signed_bytes(&auth_data, &client_data));
    let form = AssertionForm::from_fields(
        Some(&b64::encode(&client_data)),
        Some(&b64::encode(&auth_data)),
        Some(&b64::encode(&signature)),
        Some(&b64::encode(b"user")),
    )
    .unwrap();
    let pending = store.redeem_assertion(form.challenge(), &PRIMARY, NOW).unwrap();
    let verified = verify_assertion(&form, &pending, &rp(), [&authenticator.stored(0)]).unwrap();
    assert!(verified.backup_eligible && verified.backed_up && !verified.user_verified);
}

#[test]
fn wrong_type_fails() {
    let authenticator = SoftAuthenticator::es256(b"cred", b"user");
    let check = failed(run(&authenticator, primary(), UserVerification::Preferred, PRIMARY, 0, |c| c.kind = "webauthn.create".into()));
    assert_eq!(check, FailedCheck::WrongType(Some("webauthn.create".into())));
}

#[test]
fn untrusted_origin_fails() {
    let authenticator = SoftAuthenticator::es256(b"cred", b"user");
    for origin in ["http://localhost:9999", "http://localhost:8080/", "https://localhost:8080", "http://evil.example"] {
        let check = failed(run(&authenticator, primary(), UserVerification::Preferred, PRIMARY, 0, |c| c.origin = origin.into()));
        assert_eq!(check, FailedCheck::UntrustedOrigin(Some(origin.into())), "{origin}");
    }
}

#[test]
fn cross_origin_iframe_fails() {
    let authenticator = SoftAuthenticator::es256(b"cred", b"user");
    let check = failed(run(&authenticator, primary(), UserVerification::Preferred, PRIMARY, 0, |c| c.cross_origin = Some(true)));
    assert_eq!(check, FailedCheck::CrossOrigin);
}

#[test]
fn rp_id_hash_of_another_domain_fails() {
    let mut authenticator = SoftAuthenticator::es256(b"cred", b"user");
    authenticator.rp_id = "localhost".into();
    let check = failed(run(&authenticator, primary(), UserVerification::Preferred, PRIMARY, 0, |c| c.rp_id = "example.okta.com".into()));
    assert_eq!(check, FailedCheck::RpIdHashMismatch { rp_id: RP_ID.into() });
}

#[test]
fn missing_user_presence_fails() {
    let authenticator = SoftAuthenticator::es256(b"cred", b"user");
    let check = failed(run(&authenticator, primary(), UserVerification::Preferred, PRIMARY, 0, |c| c.flags = FLAG_UV));
    assert_eq!(check, FailedCheck::UserNotPresent);
}

#[test]
fn missing_user_verification_fails_only_when_required() {
    let authenticator = SoftAuthenticator::es256(b"cred", b"user");
    let check = failed(run(&authenticator, primary(), UserVerification::Required, PRIMARY, 0, |c| c.flags = FLAG_UP));
    assert_eq!(check, FailedCheck::UserNotVerified);
    for uv in [UserVerification::Preferred, UserVerification::Discouraged] {
        assert!(run(&authenticator, primary(), uv, PRIMARY, 0, |c| c.flags = FLAG_UP).is_ok(), "{uv:?}");
    }
}

#[test]
fn sign_count_must_grow() {
    let authenticator = SoftAuthenticator::es256(b"cred", b"user");
    for (stored, received) in [(5, 5), (5, 4), (5, 0), (1, 0)] {
        let check = failed(run(&authenticator, primary(), UserVerification::Preferred, PRIMARY, stored, |c| c.sign_count = received));
        assert_eq!(check, FailedCheck::SignCountNotIncreasing { stored, received });
    }
    assert!(run(&authenticator, primary(), UserVerification::Preferred, PRIMARY, 0, |c| c.sign_count = 7).is_ok());
}

#[test]
fn a_signature_by_another_key_fails() {
    let enrolled = SoftAuthenticator::es256(b"cred", b"user");
    let mut store = ChallengeStore::new();
    let issued = store.issue(ChallengeRequest::new(primary(), RP_ID), NOW).unwrap();
    let impostor = SoftAuthenticator::es256(b"cred", b"user");
    let form = Ceremony::get(&issued.challenge).sign_with(&impostor).form().unwrap();
    let pending = store.redeem_assertion(form.challenge(), &PRIMARY, NOW).unwrap();
    let result = verify_assertion(&form, &pending, &rp(), [&enrolled.stored(0)]);
    assert_eq!(failed(result.clone()), FailedCheck::BadSignature);
    let err = result.unwrap_err();
    assert_eq!(err.wire(), (StatusCode::BAD_REQUEST, "invalid_grant", VERIFICATION_FAILURE.description));
    assert_eq!(err.okta().code, "direct_auth_verification_failure");
}

#[test]
fn a_tampered_signature_or_signed_data_fails() {
    let authenticator = SoftAuthenticator::rs256(b"cred", b"user");
    let mut store = ChallengeStore::new();
    let issued = store.issue(ChallengeRequest::new(primary(), RP_ID), NOW).unwrap();
    let fields = Ceremony::get(&issued.challenge).sign_with(&authenticator);
    let pending = store.redeem_assertion(fields.form().unwrap().challenge(), &PRIMARY, NOW).unwrap();
    let passkey = authenticator.stored(0);

    let mut signature = b64::decode(&fields.signature, 1024).unwrap();
    signature[10] ^= 1;
    let bad_sig = super::authenticator::Fields { signature: b64::encode(&signature), ..fields.clone() };
    assert_eq!(failed(verify_assertion(&bad_sig.form().unwrap(), &pending, &rp(), [&passkey])), FailedCheck::BadSignature);

    // The counter is signed: raising it after signing breaks the signature.
    let mut auth_data = b64::decode(&fields.authenticator_data, 1024).unwrap();
    auth_data[36] = 9;
    let bad_data = super::authenticator::Fields { authenticator_data: b64::encode(&auth_data), ..fields.clone() };
    assert_eq!(failed(verify_assertion(&bad_data.form().unwrap(), &pending, &rp(), [&passkey])), FailedCheck::BadSignature);

    assert!(verify_assertion(&fields.form().unwrap(), &pending, &rp(), [&passkey]).is_ok());
}

#[test]
fn an_es256_signature_in_raw_r_s_form_fails() {
    // WebCrypto's raw r‖s is not what authenticators send (DER); refuse it rather than guess.
    let authenticator = SoftAuthenticator::es256(b"cred", b"user");
    let mut store = ChallengeStore::new();
    let issued = store.issue(ChallengeRequest::new(primary(), RP_ID), NOW).unwrap();
    let fields = Ceremony::get(&issued.challenge).sign_with(&authenticator);
    let der = b64::decode(&fields.signature, 1024).unwrap();
    let raw = p256::ecdsa::Signature::from_der(&der).unwrap().to_bytes().to_vec();
    let raw_fields = super::authenticator::Fields { signature: b64::encode(&raw), ..fields };
    let form = raw_fields.form().unwrap();
    let pending = store.redeem_assertion(form.challenge(), &PRIMARY, NOW).unwrap();
    assert_eq!(failed(verify_assertion(&form, &pending, &rp(), [&authenticator.stored(0)])), FailedCheck::BadSignature);
}

#[test]
fn the_passkey_is_found_among_several_by_user_handle_or_by_signature() {
    let others: Vec<SoftAuthenticator> = (0..3).map(|i| SoftAuthenticator::es256(format!("other-{i}").as_bytes(), b"user")).collect();
    let mine = SoftAuthenticator::es256(b"mine", b"user");
    let mut stored: Vec<StoredPasskey> = others.iter().map(|a| a.stored(0)).collect();
    stored.push(mine.stored(0));
    let mut store = ChallengeStore::new();

    // MFA, no userHandle: every passkey of the user is tried.
    let binding = ChallengeBinding::Mfa { client_id: CLIENT.into(), mfa_token: "t".into() };
    let issued = store.issue(ChallengeRequest::new(binding, RP_ID), NOW).unwrap();
    let mut ceremony = Ceremony::get(&issued.challenge);
    ceremony.return_user_handle = false;
    let form = ceremony.sign_with(&mine).form().unwrap();
    let pending = store.redeem_assertion(form.challenge(), &AssertionGrant::Mfa { client_id: CLIENT, mfa_token: "t" }, NOW).unwrap();
    assert_eq!(verify_assertion(&form, &pending, &rp(), &stored).unwrap().credential_id, b"mine");
}

#[test]
fn discoverable_sign_in_needs_the_user_handle_and_it_must_match() {
    let authenticator = SoftAuthenticator::es256(b"cred", b"user-a");
    let check = failed(run(&authenticator, primary(), UserVerification::Preferred, PRIMARY, 0, |c| c.return_user_handle = false));
    assert_eq!(check, FailedCheck::UserHandleMissing);

    // With a login_hint the user is known, so no userHandle is needed.
    let hinted = ChallengeBinding::Primary { client_id: CLIENT.into(), login_hint: Some("ada".into()) };
    assert!(run(&authenticator, hinted, UserVerification::Preferred, PRIMARY, 0, |c| c.return_user_handle = false).is_ok());

    // A userHandle naming someone else matches no passkey.
    let mut store = ChallengeStore::new();
    let issued = store.issue(ChallengeRequest::new(primary(), RP_ID), NOW).unwrap();
    let mut fields = Ceremony::get(&issued.challenge).sign_with(&authenticator);
    fields.user_handle = Some(b64::encode(b"user-b"));
    let form = fields.form().unwrap();
    let pending = store.redeem_assertion(form.challenge(), &PRIMARY, NOW).unwrap();
    assert!(matches!(
        failed(verify_assertion(&form, &pending, &rp(), [&authenticator.stored(0)])),
        FailedCheck::NoMatchingCredential { .. }
    ));
}

#[test]
fn only_allowed_credentials_of_the_rp_id_can_answer() {
    let allowed = SoftAuthenticator::es256(b"allowed", b"user");
    let other = SoftAuthenticator::es256(b"other", b"user");
    let mut store = ChallengeStore::new();
    let binding = ChallengeBinding::Primary { client_id: CLIENT.into(), login_hint: Some("ada".into()) };
    let mut request = ChallengeRequest::new(binding, RP_ID);
    request.allow_credentials = vec![AllowedCredential::from(&allowed.stored(0))];
    let issued = store.issue(request, NOW).unwrap();
    let form = Ceremony::get(&issued.challenge).sign_with(&other).form().unwrap();
    let pending = store.redeem_assertion(form.challenge(), &PRIMARY, NOW).unwrap();
    // `other` verifies the signature but is not in allowCredentials: only `allowed` is tried.
    assert_eq!(failed(verify_assertion(&form, &pending, &rp(), [&allowed.stored(0), &other.stored(0)])), FailedCheck::BadSignature);

    // A passkey registered for another RP ID is never a candidate.
    let mut elsewhere = other.stored(0);
    elsewhere.rp_id = "example.com".into();
    let issued = store.issue(ChallengeRequest::new(primary(), RP_ID), NOW).unwrap();
    let form = Ceremony::get(&issued.challenge).sign_with(&other).form().unwrap();
    let pending = store.redeem_assertion(form.challenge(), &PRIMARY, NOW).unwrap();
    assert!(matches!(failed(verify_assertion(&form, &pending, &rp(), [&elsewhere])), FailedCheck::NoMatchingCredential { .. }));
    assert!(matches!(failed(verify_assertion(&form, &pending, &rp(), [])), FailedCheck::NoMatchingCredential { .. }));
}

#[test]
fn a_replayed_assertion_finds_no_pending_challenge() {
    let authenticator = SoftAuthenticator::es256(b"cred", b"user");
    let mut store = ChallengeStore::new();
    let issued = store.issue(ChallengeRequest::new(primary(), RP_ID), NOW).unwrap();
    let form = Ceremony::get(&issued.challenge).sign_with(&authenticator).form().unwrap();
    let pending = store.redeem_assertion(form.challenge(), &PRIMARY, NOW).unwrap();
    verify_assertion(&form, &pending, &rp(), [&authenticator.stored(0)]).unwrap();
    let replay = store.redeem_assertion(form.challenge(), &PRIMARY, NOW).unwrap_err();
    assert_eq!(replay, AssertionError::NoPendingChallenge(NoPendingReason::UnknownOrUsed));
    assert_eq!(replay.wire(), (StatusCode::BAD_REQUEST, "invalid_grant", "There is no pending WebAuthn challenge for the request."));
}

#[test]
fn missing_fields_are_invalid_webauthn_requests() {
    let ok = "AAAA";
    type Case<'a> = (Option<&'a str>, Option<&'a str>, Option<&'a str>, &'a str);
    let cases: [Case<'_>; 4] = [
        (None, Some(ok), Some(ok), "clientDataJSON"),
        (Some(ok), None, Some(ok), "authenticatorData"),
        (Some(ok), Some(ok), None, "signature"),
        (Some(ok), Some(""), Some(ok), "authenticatorData"),
    ];
    for (client_data, auth_data, signature, field) in cases {
        let err = AssertionForm::from_fields(client_data, auth_data, signature, None).unwrap_err();
        assert_eq!(err, AssertionError::MissingField(field));
        assert_eq!(
            err.wire(),
            (
                StatusCode::BAD_REQUEST,
                "invalid_request",
                "WebAuthn requests must contain 'authenticatorData', 'clientDataJSON', and 'signature'."
            )
        );
        assert!(err.hint().contains(field));
    }
}

#[test]
fn client_data_that_is_not_base64url_json_with_a_challenge_is_invalid_challenge_data() {
    let ok = "AAAA";
    let padded = b64::encode(br#"{"challenge":"x"}"#) + "=";
    let standard = "eyJjaGFsbGVuZ2UiOiJ4In0+/";
    let not_json = b64::encode(b"not json");
    let array = b64::encode(b"[1,2]");
    let no_challenge = b64::encode(br#"{"type":"webauthn.get"}"#);
    let numeric = b64::encode(br#"{"challenge":5}"#);
    for client_data in [padded.as_str(), standard, &not_json, &array, &no_challenge, &numeric] {
        let err = AssertionForm::from_fields(Some(client_data), Some(ok), Some(ok), None).unwrap_err();
        assert!(matches!(err, AssertionError::ClientData(_)), "{client_data}: {err:?}");
        assert_eq!(
            err.wire(),
            (StatusCode::BAD_REQUEST, "invalid_request", "'clientDataJSON' is not a Base64 encoded JSON string containing a 'challenge'.")
        );
    }
}

#[test]
fn other_fields_that_are_not_base64url_are_invalid_webauthn_requests() {
    let client_data = b64::encode(br#"{"challenge":"x"}"#);
    let cases =
        [("AAA=", "AAAA", None, "authenticatorData"), ("AAAA", "AA+/", None, "signature"), ("AAAA", "AAAA", Some("a b"), "userHandle")];
    for (auth_data, signature, user_handle, field) in cases {
        let err = AssertionForm::from_fields(Some(&client_data), Some(auth_data), Some(signature), user_handle).unwrap_err();
        assert!(matches!(err, AssertionError::MalformedField { field: f, .. } if f == field), "{err:?}");
        assert_eq!(err.okta(), INVALID_WEBAUTHN_REQUEST);
    }
    let long_handle = b64::encode(&[7u8; 65]);
    let err = AssertionForm::from_fields(Some(&client_data), Some("AAAA"), Some("AAAA"), Some(&long_handle)).unwrap_err();
    assert!(matches!(err, AssertionError::MalformedField { field: "userHandle", problem: B64Problem::TooLong { max_bytes: 64 } }));
}

#[test]
fn truncated_or_overlong_authenticator_data_is_a_verification_failure() {
    let authenticator = SoftAuthenticator::es256(b"cred", b"user");
    for cut in [0usize, 1, 32, 36] {
        let mut store = ChallengeStore::new();
        let issued = store.issue(ChallengeRequest::new(primary(), RP_ID), NOW).unwrap();
        let mut fields = Ceremony::get(&issued.challenge).sign_with(&authenticator);
        let auth_data = b64::decode(&fields.authenticator_data, 1024).unwrap();
        fields.authenticator_data = b64::encode(&auth_data[..cut]);
        let form = match fields.form() {
            Ok(form) => form,
            Err(e) => {
                assert_eq!(cut, 0, "only an empty field is 'missing'");
                assert_eq!(e, AssertionError::MissingField("authenticatorData"));
                continue;
            }
        };
        let pending = store.redeem_assertion(form.challenge(), &PRIMARY, NOW).unwrap();
        assert!(matches!(
            failed(verify_assertion(&form, &pending, &rp(), [&authenticator.stored(0)])),
            FailedCheck::MalformedAuthenticatorData(_)
        ));
    }
    // Trailing bytes without the ED flag.
    let mut store = ChallengeStore::new();
    let issued = store.issue(ChallengeRequest::new(primary(), RP_ID), NOW).unwrap();
    let mut fields = Ceremony::get(&issued.challenge).sign_with(&authenticator);
    let mut auth_data = b64::decode(&fields.authenticator_data, 1024).unwrap();
    auth_data.push(0);
    fields.authenticator_data = b64::encode(&auth_data);
    let form = fields.form().unwrap();
    let pending = store.redeem_assertion(form.challenge(), &PRIMARY, NOW).unwrap();
    assert!(matches!(
        failed(verify_assertion(&form, &pending, &rp(), [&authenticator.stored(0)])),
        FailedCheck::MalformedAuthenticatorData(_)
    ));
}

#[test]
fn every_error_has_a_hint_that_names_the_problem() {
    let cases = [
        (AssertionError::Verification(FailedCheck::UntrustedOrigin(Some("x".repeat(500)))), "trusted origin"),
        (AssertionError::Verification(FailedCheck::SignCountNotIncreasing { stored: 3, received: 2 }), "from 3 to 2"),
        (AssertionError::Verification(FailedCheck::UserNotVerified), "UV flag"),
        (AssertionError::NoPendingChallenge(NoPendingReason::Expired), "expired"),
        (AssertionError::NoPendingChallenge(NoPendingReason::IssuedForMfa), "mfa-webauthn"),
        (AssertionError::ChallengeNotForMfaToken, "mfa_token"),
    ];
    for (err, needle) in cases {
        let hint = err.hint();
        assert!(hint.contains(needle), "{hint}");
        assert!(hint.len() < 400, "client values are clipped: {hint}");
        assert!(err.to_string().contains(err.okta().code));
    }
}
