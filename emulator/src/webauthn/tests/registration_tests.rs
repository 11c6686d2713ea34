//! Registration: creation options, and `navigator.credentials.create()` responses with
//! attestation `none` and `packed` self-attestation; each check failing alone.

use super::authenticator::{attested_credential_data, cbor_array, cbor_bytes, cbor_int, cbor_map, cbor_text, signed_bytes};
use super::authenticator::{Ceremony, SoftAuthenticator, ORIGIN, RP_ID};
use crate::webauthn::auth_data::{FLAG_UP, FLAG_UV};
use crate::webauthn::b64;
use crate::webauthn::*;
use serde_json::json;

const NOW: i64 = 1_800_000_000_000;

fn rp() -> RelyingParty {
    RelyingParty::new(RP_ID, &[ORIGIN]).unwrap()
}

/// A `webauthn.create` response; `tweak` changes the ceremony, `format` picks the attestation.
struct Create {
    ceremony: Ceremony,
    format: &'static str,
    statement: Option<Vec<u8>>,
}

impl Create {
    fn new(challenge: &str) -> Create {
        let mut ceremony = Ceremony::get(challenge);
        ceremony.kind = "webauthn.create".into();
        ceremony.sign_count = 0;
        Create { ceremony, format: "none", statement: None }
    }

    fn response(&self, authenticator: &SoftAuthenticator) -> (String, String) {
        let client_data = self.ceremony.client_data_json();
        let auth_data = self.ceremony.authenticator_data(Some(&attested_credential_data(authenticator)));
        let statement = match (&self.statement, self.format) {
            (Some(s), _) => s.clone(),
            (None, "packed") => {
                let alg = authenticator.public_key().cose_algorithm();
                let sig = authenticator.sign(&signed_bytes(&auth_data, &client_data));
                cbor_map(&[(cbor_text("alg"), cbor_int(alg)), (cbor_text("sig"), cbor_bytes(&sig))])
            }
            (None, _) => cbor_map(&[]),
        };
        let object = cbor_map(&[
            (cbor_text("fmt"), cbor_text(self.format)),
            (cbor_text("attStmt"), statement),
            (cbor_text("authData"), cbor_bytes(&auth_data)),
        ]);
        (b64::encode(&client_data), b64::encode(&object))
    }
}

fn complete(store: &mut ChallengeStore, response: (String, String), transports: Vec<String>) -> Result<Registration, RegistrationError> {
    let response = RegistrationResponse { client_data_json: Some(&response.0), attestation_object: Some(&response.1), transports };
    store.complete_registration(&response, &rp(), NOW + 1_000)
}

fn issue(store: &mut ChallengeStore, uv: UserVerification) -> IssuedChallenge {
    let mut request = RegistrationRequest::new("ada@example.com", b"00u1ada", RP_ID);
    request.user_verification = uv;
    request.exclude_credentials = vec![AllowedCredential { id: b"old".to_vec(), transports: vec!["usb".into()] }];
    store.issue_registration(request, NOW).unwrap()
}

#[test]
fn creation_options_are_what_parse_creation_options_from_json_takes() {
    let mut store = ChallengeStore::new();
    let issued = issue(&mut store, UserVerification::Required);
    assert_eq!(
        issued.body,
        json!({ "publicKey": {
            "challenge": issued.challenge,
            "rp": { "id": "localhost", "name": "Okta emulator" },
            "user": { "id": "MDB1MWFkYQ", "name": "ada@example.com", "displayName": "ada@example.com" },
            "pubKeyCredParams": [ { "type": "public-key", "alg": -7 }, { "type": "public-key", "alg": -257 } ],
            "timeout": 60_000,
            "attestation": "none",
            "authenticatorSelection": { "residentKey": "required", "requireResidentKey": true, "userVerification": "required" },
            "excludeCredentials": [ { "id": "b2xk", "type": "public-key", "transports": ["usb"] } ],
        } })
    );
}

#[test]
fn a_none_attestation_registers_a_passkey_that_then_signs_in() {
    for authenticator in [SoftAuthenticator::es256(b"new-es", b"ignored"), SoftAuthenticator::rs256(b"new-rs", b"ignored")] {
        let mut store = ChallengeStore::new();
        let issued = issue(&mut store, UserVerification::Preferred);
        let registration =
            complete(&mut store, Create::new(&issued.challenge).response(&authenticator), vec!["internal".into(), "bogus".into()]).unwrap();
        assert_eq!(registration.user, "ada@example.com");
        assert_eq!(registration.attestation_format, "none");
        assert_eq!(registration.aaguid, [0xAA; 16]);
        let passkey = registration.passkey;
        assert_eq!(passkey.credential_id, authenticator.credential_id);
        assert_eq!(passkey.user_handle, b"00u1ada", "the user handle comes from the challenge, not the authenticator");
        assert_eq!(passkey.public_key, authenticator.public_key());
        assert_eq!((passkey.rp_id.as_str(), passkey.sign_count), (RP_ID, 0));
        assert_eq!(passkey.transports, ["internal"]);

        // The registered passkey verifies an assertion.
        let mut signer = authenticator;
        signer.user_handle = b"00u1ada".to_vec();
        let binding = ChallengeBinding::Primary { client_id: "app".into(), login_hint: None };
        let sign_in = store.issue(ChallengeRequest::new(binding, RP_ID), NOW).unwrap();
        let form = Ceremony::get(&sign_in.challenge).sign_with(&signer).form().unwrap();
        let pending = store.redeem_assertion(form.challenge(), &AssertionGrant::Primary { client_id: "app" }, NOW).unwrap();
        assert!(verify_assertion(&form, &pending, &rp(), [&passkey]).is_ok());
    }
}

#[test]
fn packed_self_attestation_is_verified() {
    let authenticator = SoftAuthenticator::es256(b"packed", b"u");
    let mut store = ChallengeStore::new();
    let issued = issue(&mut store, UserVerification::Preferred);
    let mut create = Create::new(&issued.challenge);
    create.format = "packed";
    let registration = complete(&mut store, create.response(&authenticator), vec![]).unwrap();
    assert_eq!(registration.attestation_format, "packed");

    // Signed by another key: refused.
    let issued = issue(&mut store, UserVerification::Preferred);
    let mut create = Create::new(&issued.challenge);
    create.format = "packed";
    let impostor = SoftAuthenticator::es256(b"x", b"u");
    let sig = impostor.sign(b"whatever");
    create.statement = Some(cbor_map(&[(cbor_text("alg"), cbor_int(-7)), (cbor_text("sig"), cbor_bytes(&sig))]));
    assert_eq!(complete(&mut store, create.response(&authenticator), vec![]).unwrap_err(), RegistrationError::BadAttestationSignature);
}

#[test]
fn each_registration_check_fails_alone() {
    let authenticator = SoftAuthenticator::es256(b"cred", b"u");
    type Tweak = fn(&mut Create);
    type Expect = fn(&RegistrationError) -> bool;
    let cases: Vec<(Tweak, UserVerification, Expect)> = vec![
        (|c| c.ceremony.kind = "webauthn.get".into(), UserVerification::Preferred, |e| matches!(e, RegistrationError::WrongType(_))),
        (
            |c| c.ceremony.origin = "http://evil.example".into(),
            UserVerification::Preferred,
            |e| matches!(e, RegistrationError::UntrustedOrigin(_)),
        ),
        (|c| c.ceremony.cross_origin = Some(true), UserVerification::Preferred, |e| *e == RegistrationError::CrossOrigin),
        (
            |c| c.ceremony.rp_id = "example.com".into(),
            UserVerification::Preferred,
            |e| matches!(e, RegistrationError::RpIdHashMismatch { .. }),
        ),
        (|c| c.ceremony.flags = FLAG_UV, UserVerification::Preferred, |e| *e == RegistrationError::UserNotPresent),
        (|c| c.ceremony.flags = FLAG_UP, UserVerification::Required, |e| *e == RegistrationError::UserNotVerified),
        (|c| c.format = "tpm", UserVerification::Preferred, |e| matches!(e, RegistrationError::UnsupportedAttestation(_))),
        (
            |c| {
                c.format = "packed";
                c.statement = Some(cbor_map(&[
                    (cbor_text("alg"), cbor_int(-7)),
                    (cbor_text("sig"), cbor_bytes(b"s")),
                    (cbor_text("x5c"), cbor_array(&[cbor_bytes(b"cert")])),
                ]));
            },
            UserVerification::Preferred,
            |e| matches!(e, RegistrationError::UnsupportedAttestation(_)),
        ),
        (
            |c| c.statement = Some(cbor_map(&[(cbor_text("alg"), cbor_int(-7))])),
            UserVerification::Preferred,
            |e| matches!(e, RegistrationError::MalformedAttestationObject(_)),
        ),
    ];
    for (i, (tweak, uv, expected)) in cases.into_iter().enumerate() {
        let mut store = ChallengeStore::new();
        let issued = issue(&mut store, uv);
        let mut create = Create::new(&issued.challenge);
        tweak(&mut create);
        let err = complete(&mut store, create.response(&authenticator), vec![]).unwrap_err();
        assert!(expected(&err), "case {i}: {err:?}");
        let (status, error, description) = err.wire();
        assert_eq!((status, error), (axum::http::StatusCode::BAD_REQUEST, "invalid_request"));
        assert_eq!(description, err.to_string());
        // The untweaked response passes, so the tweak alone made it fail.
        let issued = issue(&mut store, uv);
        assert!(complete(&mut store, Create::new(&issued.challenge).response(&authenticator), vec![]).is_ok(), "case {i} baseline");
    }
}

#[test]
fn registration_challenges_are_single_use_and_not_sign_in_challenges() {
    let authenticator = SoftAuthenticator::es256(b"cred", b"u");
    let mut store = ChallengeStore::new();
    let issued = issue(&mut store, UserVerification::Preferred);
    let response = Create::new(&issued.challenge).response(&authenticator);
    assert!(complete(&mut store, response.clone(), vec![]).is_ok());
    assert_eq!(complete(&mut store, response, vec![]).unwrap_err(), RegistrationError::NoPendingChallenge(NoPendingReason::UnknownOrUsed));

    let binding = ChallengeBinding::Primary { client_id: "app".into(), login_hint: None };
    let sign_in = store.issue(ChallengeRequest::new(binding, RP_ID), NOW).unwrap();
    let response = Create::new(&sign_in.challenge).response(&authenticator);
    assert!(matches!(complete(&mut store, response, vec![]), Err(RegistrationError::NoPendingChallenge(_))));

    let issued = issue(&mut store, UserVerification::Preferred);
    let response = Create::new(&issued.challenge).response(&authenticator);
    let late = RegistrationResponse { client_data_json: Some(&response.0), attestation_object: Some(&response.1), transports: vec![] };
    assert_eq!(
        store.complete_registration(&late, &rp(), issued.expires_at_ms).unwrap_err(),
        RegistrationError::NoPendingChallenge(NoPendingReason::Expired)
    );
}

#[test]
fn missing_or_malformed_registration_fields_are_refused() {
    let mut store = ChallengeStore::new();
    let none = RegistrationResponse::default();
    assert_eq!(store.complete_registration(&none, &rp(), NOW).unwrap_err(), RegistrationError::MissingField("clientDataJSON"));
    let client_data = b64::encode(br#"{"challenge":"x"}"#);
    let bad_object = RegistrationResponse { client_data_json: Some(&client_data), attestation_object: Some("%%"), transports: vec![] };
    assert!(matches!(store.complete_registration(&bad_object, &rp(), NOW), Err(RegistrationError::MalformedField { .. })));

    // An attestation object that is not the expected CBOR map.
    let authenticator = SoftAuthenticator::es256(b"cred", b"u");
    let issued = issue(&mut store, UserVerification::Preferred);
    let (client_data, _) = Create::new(&issued.challenge).response(&authenticator);
    let object = b64::encode(&cbor_map(&[(cbor_text("fmt"), cbor_text("none"))]));
    let response = RegistrationResponse { client_data_json: Some(&client_data), attestation_object: Some(&object), transports: vec![] };
    assert!(matches!(store.complete_registration(&response, &rp(), NOW), Err(RegistrationError::MalformedAttestationObject(_))));
}
