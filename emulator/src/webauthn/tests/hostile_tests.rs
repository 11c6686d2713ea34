//! Hostile input: random and mutated bytes in every field and parser never panic, tampered
//! assertions never verify, and huge or deeply nested input is refused cheaply.

use super::authenticator::{attested_credential_data, cbor_bytes, cbor_map, cbor_text, Ceremony, SoftAuthenticator, ORIGIN, RP_ID};
use crate::webauthn::b64;
use crate::webauthn::cbor::{self, CborError};
use crate::webauthn::*;
use proptest::prelude::*;

const NOW: i64 = 1_800_000_000_000;

fn rp() -> RelyingParty {
    RelyingParty::new(RP_ID, &[ORIGIN]).unwrap()
}

/// Base64url of random bytes, or an arbitrary string (bad alphabet, padding, Unicode).
fn field() -> impl Strategy<Value = Option<String>> {
    prop_oneof![Just(None), proptest::collection::vec(any::<u8>(), 0..200).prop_map(|b| Some(b64::encode(&b))), ".{0,120}".prop_map(Some),]
}

/// A signed, valid assertion and the store, challenge and passkey it verifies against.
fn valid_assertion() -> (ChallengeStore, super::authenticator::Fields, StoredPasskey) {
    let authenticator = SoftAuthenticator::es256(b"cred", b"user");
    let mut store = ChallengeStore::new();
    let binding = ChallengeBinding::Primary { client_id: "app".into(), login_hint: None };
    let issued = store.issue(ChallengeRequest::new(binding, RP_ID), NOW).unwrap();
    let fields = Ceremony::get(&issued.challenge).sign_with(&authenticator);
    (store, fields, authenticator.stored(0))
}

const GRANT: AssertionGrant<'static> = AssertionGrant::Primary { client_id: "app" };

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn random_form_fields_never_panic(client_data in field(), auth_data in field(), signature in field(), user_handle in field()) {
        let (mut store, _, passkey) = valid_assertion();
        if let Ok(form) = AssertionForm::from_fields(client_data.as_deref(), auth_data.as_deref(), signature.as_deref(), user_handle.as_deref()) {
            if let Ok(pending) = store.redeem_assertion(form.challenge(), &GRANT, NOW) {
                prop_assert!(verify_assertion(&form, &pending, &rp(), [&passkey]).is_err());
            }
        }
    }

    #[test]
    fn random_authenticator_data_with_a_real_challenge_never_panics_nor_verifies(
        auth_data in proptest::collection::vec(any::<u8>(), 1..400),
        signature in proptest::collection::vec(any::<u8>(), 1..100),
    ) {
        let (mut store, fields, passkey) = valid_assertion();
        let form = AssertionForm::from_fields(
            Some(&fields.client_data_json), Some(&b64::encode(&auth_data)), Some(&b64::encode(&signature)), fields.user_handle.as_deref(),
        ).unwrap();
        let pending = store.redeem_assertion(form.challenge(), &GRANT, NOW).unwrap();
        prop_assert!(verify_assertion(&form, &pending, &rp(), [&passkey]).is_err());
    }

    #[test]
    fn a_flipped_bit_anywhere_in_a_valid_assertion_is_refused(which in 0usize..3, position in any::<prop::sample::Index>(), bit in 0u8..8) {
        let (mut store, fields, passkey) = valid_assertion();
        let mut parts = [
            b64::decode(&fields.client_data_json, 8192).unwrap(),
            b64::decode(&fields.authenticator_data, 8192).unwrap(),
            b64::decode(&fields.signature, 8192).unwrap(),
        ];
        let target = &mut parts[which];
        let i = position.index(target.len());
        target[i] ^= 1 << bit;
        let outcome = AssertionForm::from_fields(
            Some(&b64::encode(&parts[0])), Some(&b64::encode(&parts[1])), Some(&b64::encode(&parts[2])), fields.user_handle.as_deref(),
        )
        .and_then(|form| {
            let pending = store.redeem_assertion(form.challenge(), &GRANT, NOW)?;
            verify_assertion(&form, &pending, &rp(), [&passkey])
        });
        prop_assert!(outcome.is_err(), "flipping bit {} of byte {} of part {} was accepted", bit, i, which);
    }

    #[test]
    fn random_bytes_never_panic_any_parser(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
        let _ = cbor::decode_exact(&bytes);
        let _ = cbor::decode_prefix(&bytes);
        let _ = AuthenticatorData::parse(&bytes);
        let _ = PublicKey::from_cose(&bytes);
        let _ = PublicKey::from_spki_der(&bytes);
        let _ = PublicKey::from_spki_text(&String::from_utf8_lossy(&bytes));
        let key = SoftAuthenticator::es256(b"c", b"u").public_key();
        prop_assert!(!key.verify(b"message", &bytes));
    }

    #[test]
    fn mutated_attestation_objects_never_panic(position in any::<prop::sample::Index>(), value in any::<u8>(), cut in any::<prop::sample::Index>()) {
        let authenticator = SoftAuthenticator::es256(b"cred", b"u");
        let mut store = ChallengeStore::new();
        let issued = store.issue_registration(RegistrationRequest::new("ada", b"u", RP_ID), NOW).unwrap();
        let mut ceremony = Ceremony::get(&issued.challenge);
        ceremony.kind = "webauthn.create".into();
        let auth_data = ceremony.authenticator_data(Some(&attested_credential_data(&authenticator)));
        let mut object = cbor_map(&[
            (cbor_text("fmt"), cbor_text("none")),
            (cbor_text("attStmt"), cbor_map(&[])),
            (cbor_text("authData"), cbor_bytes(&auth_data)),
        ]);
        let i = position.index(object.len());
        object[i] = value;
        object.truncate(1 + cut.index(object.len()));
        let client_data = b64::encode(&ceremony.client_data_json());
        let object = b64::encode(&object);
        let response = RegistrationResponse { client_data_json: Some(&client_data), attestation_object: Some(&object), transports: vec![] };
        let _ = store.complete_registration(&response, &rp(), NOW);
    }
}

#[test]
fn huge_fields_are_refused_before_decoding() {
    let huge = "A".repeat(10 * 1024 * 1024);
    let small = b64::encode(br#"{"challenge":"x"}"#);
    let cases = [
        (huge.as_str(), "AAAA", "AAAA", None),
        (small.as_str(), huge.as_str(), "AAAA", None),
        (small.as_str(), "AAAA", huge.as_str(), None),
        (small.as_str(), "AAAA", "AAAA", Some(huge.as_str())),
    ];
    for (client_data, auth_data, signature, user_handle) in cases {
        let err = AssertionForm::from_fields(Some(client_data), Some(auth_data), Some(signature), user_handle).unwrap_err();
        let too_long = matches!(
            err,
            AssertionError::ClientData(ClientDataProblem::NotBase64Url(B64Problem::TooLong { .. }))
                | AssertionError::MalformedField { problem: B64Problem::TooLong { .. }, .. }
        );
        assert!(too_long, "{err:?}");
    }
    let mut store = ChallengeStore::new();
    let response = RegistrationResponse { client_data_json: Some(&small), attestation_object: Some(&huge), transports: vec![] };
    assert!(matches!(
        store.complete_registration(&response, &rp(), NOW),
        Err(RegistrationError::MalformedField { problem: B64Problem::TooLong { .. }, .. })
    ));
}

#[test]
fn deeply_nested_or_lying_cbor_is_refused() {
    assert_eq!(cbor::decode_exact(&[0x81; 10_000]), Err(CborError::TooDeep));
    // A byte string claiming 2^64-1 bytes, a map claiming 2^63 pairs, an indefinite array.
    assert_eq!(cbor::decode_exact(&[0x5b, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]), Err(CborError::Truncated));
    assert_eq!(cbor::decode_exact(&[0xbb, 0x80, 0, 0, 0, 0, 0, 0, 0]), Err(CborError::TooManyElements));
    assert_eq!(cbor::decode_exact(&[0x9f, 0xff]), Err(CborError::IndefiniteLength));
    assert_eq!(cbor::decode_exact(&[0xa2, 0x01, 0x02, 0x01, 0x03]), Err(CborError::DuplicateMapKey));
    assert_eq!(cbor::decode_exact(&[0x62, 0xff, 0xfe]), Err(CborError::InvalidUtf8));
    assert_eq!(cbor::decode_exact(&[0x1c]), Err(CborError::ReservedEncoding));
    assert_eq!(cbor::decode_exact(&[0x01, 0x02]), Err(CborError::TrailingBytes));
    assert_eq!(cbor::decode_exact(&[0x39, 0x01, 0x00]).unwrap().as_int(), Some(-257));
}

#[test]
fn deeply_nested_client_data_is_refused_not_overflowing_the_stack() {
    let nested = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    let encoded = b64::encode(nested.as_bytes());
    // Over the size limit anyway; a nested document within the limit is refused by serde_json's depth limit.
    assert!(AssertionForm::from_fields(Some(&encoded), Some("AAAA"), Some("AAAA"), None).is_err());
    let within = format!("{{\"challenge\":\"x\",\"a\":{}{}}}", "[".repeat(3000), "]".repeat(3000));
    let err = AssertionForm::from_fields(Some(&b64::encode(within.as_bytes())), Some("AAAA"), Some("AAAA"), None).unwrap_err();
    assert_eq!(err, AssertionError::ClientData(ClientDataProblem::NotJsonObject));
}
