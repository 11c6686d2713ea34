//! Real browser output: a registration and an assertion recorded from Chromium 156's WebAuthn
//! stack with the DevTools virtual authenticator (`chromium_fixture.js`), for ES256 and RS256.
//! They must verify exactly as recorded, and not once more.

use crate::webauthn::b64;
use crate::webauthn::*;
use serde_json::Value;

const NOW: i64 = 1_800_000_000_000;

fn fixture() -> Value {
    serde_json::from_str(include_str!("chromium-156-virtual-authenticator.json")).unwrap()
}

fn text<'a>(v: &'a Value, key: &str) -> &'a str {
    v[key].as_str().unwrap()
}

/// Registers the recorded credential, then verifies the recorded assertion.
fn register_and_sign_in(alg: &str) -> (ChallengeStore, RelyingParty, StoredPasskey, Value) {
    let all = fixture();
    let rec = all[alg].clone();
    let rp = RelyingParty::new("localhost", &[text(&all, "origin")]).unwrap();
    let user_handle = format!("00u1ada{}", if alg == "es256" { -7 } else { -257 });
    let mut store = ChallengeStore::new();
    let issued = store.issue_registration(RegistrationRequest::new("ada", user_handle.as_bytes(), "localhost"), NOW).unwrap();
    store.rekey(&issued.challenge, text(&rec, "registration_challenge"));
    let transports: Vec<String> = rec["transports"].as_array().unwrap().iter().map(|t| t.as_str().unwrap().to_owned()).collect();
    let response = RegistrationResponse {
        client_data_json: Some(text(&rec, "client_data_json_create")),
        attestation_object: Some(text(&rec, "attestation_object")),
        transports,
    };
    let registration = store.complete_registration(&response, &rp, NOW).unwrap();
    assert_eq!(registration.attestation_format, "none");
    assert_eq!(registration.passkey.credential_id_b64(), text(&rec, "credential_id"));
    assert_eq!(registration.passkey.transports, ["internal"]);
    (store, rp, registration.passkey, rec)
}

fn sign_in(
    store: &mut ChallengeStore,
    rp: &RelyingParty,
    passkey: &StoredPasskey,
    rec: &Value,
) -> Result<VerifiedAssertion, AssertionError> {
    let binding = ChallengeBinding::Primary { client_id: "app".into(), login_hint: None };
    let mut request = ChallengeRequest::new(binding, "localhost");
    request.user_verification = UserVerification::Required;
    let issued = store.issue(request, NOW).unwrap();
    store.rekey(&issued.challenge, text(rec, "assertion_challenge"));
    let form = AssertionForm::from_fields(
        Some(text(rec, "client_data_json")),
        Some(text(rec, "authenticator_data")),
        Some(text(rec, "signature")),
        rec["user_handle"].as_str(),
    )?;
    let pending = store.redeem_assertion(form.challenge(), &AssertionGrant::Primary { client_id: "app" }, NOW)?;
    verify_assertion(&form, &pending, rp, [passkey])
}

#[test]
fn chromium_es256_and_rs256_passkeys_register_and_sign_in() {
    for alg in ["es256", "rs256"] {
        let (mut store, rp, passkey, rec) = register_and_sign_in(alg);
        assert_eq!(passkey.public_key.jose_algorithm(), alg.to_uppercase());
        assert_eq!(passkey.sign_count, 1, "Chromium's virtual authenticator counts from 1 at creation");
        let verified = sign_in(&mut store, &rp, &passkey, &rec).unwrap();
        assert_eq!(b64::encode(&verified.user_handle), text(&rec, "user_handle"));
        assert_eq!(verified.sign_count, 2);
        assert!(verified.user_verified);

        // Replayed with a fresh challenge under the same text: the counter has not grown.
        let mut after = passkey.clone();
        after.sign_count = verified.sign_count;
        let replay = sign_in(&mut store, &rp, &after, &rec).unwrap_err();
        assert_eq!(replay, AssertionError::Verification(FailedCheck::SignCountNotIncreasing { stored: 2, received: 2 }));
        // Replayed as is: the challenge is spent.
        let form = AssertionForm::from_fields(
            Some(text(&rec, "client_data_json")),
            Some(text(&rec, "authenticator_data")),
            Some(text(&rec, "signature")),
            None,
        )
        .unwrap();
        assert_eq!(
            store.redeem_assertion(form.challenge(), &AssertionGrant::Primary { client_id: "app" }, NOW),
            Err(AssertionError::NoPendingChallenge(NoPendingReason::UnknownOrUsed))
        );
    }
}

#[test]
fn chromium_assertion_from_another_origin_or_for_another_key_fails() {
    let (mut store, _, passkey, rec) = register_and_sign_in("es256");
    let elsewhere = RelyingParty::new("localhost", &["http://localhost:1"]).unwrap();
    assert!(matches!(sign_in(&mut store, &elsewhere, &passkey, &rec), Err(AssertionError::Verification(FailedCheck::UntrustedOrigin(_)))));

    let (_, rp, rsa_passkey, _) = register_and_sign_in("rs256");
    let mut wrong_key = passkey.clone();
    wrong_key.public_key = rsa_passkey.public_key;
    assert_eq!(sign_in(&mut store, &rp, &wrong_key, &rec), Err(AssertionError::Verification(FailedCheck::BadSignature)));
}
