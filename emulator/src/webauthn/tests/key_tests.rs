//! Public keys from COSE, SPKI and JWK, and the seed file's `[[users.passkeys]]` entries.

use super::authenticator::{cbor_bytes, cbor_int, cbor_map, SoftAuthenticator, RP_ID};
use crate::webauthn::b64;
use crate::webauthn::*;
use base64::Engine;
use rsa::traits::PublicKeyParts;

#[test]
fn cose_keys_of_both_algorithms_parse_to_the_same_key() {
    for authenticator in [SoftAuthenticator::es256(b"c", b"u"), SoftAuthenticator::rs256(b"c", b"u")] {
        let key = PublicKey::from_cose(&authenticator.cose_key()).unwrap();
        assert_eq!(key, authenticator.public_key());
        let message = b"authenticator data and client data hash";
        assert!(key.verify(message, &authenticator.sign(message)));
        assert!(!key.verify(b"another message", &authenticator.sign(message)));
    }
}

#[test]
fn spki_round_trips_as_base64url_and_pem() {
    for authenticator in [SoftAuthenticator::es256(b"c", b"u"), SoftAuthenticator::rs256(b"c", b"u")] {
        let key = authenticator.public_key();
        let der = key.to_spki_der().unwrap();
        assert_eq!(PublicKey::from_spki_der(&der).unwrap(), key);
        assert_eq!(PublicKey::from_spki_text(&b64::encode(&der)).unwrap(), key);
        let body = base64::engine::general_purpose::STANDARD.encode(&der);
        let lines: Vec<String> = body.as_bytes().chunks(64).map(|c| String::from_utf8(c.to_vec()).unwrap()).collect();
        let pem = format!("-----BEGIN PUBLIC KEY-----\n{}\n-----END PUBLIC KEY-----\n", lines.join("\n"));
        assert_eq!(PublicKey::from_spki_text(&pem).unwrap(), key);
    }
}

#[test]
fn jwks_parse_and_private_ones_are_refused() {
    let es = SoftAuthenticator::es256(b"c", b"u");
    let PublicKey::Es256(vk) = es.public_key() else { unreachable!() };
    let point = vk.to_encoded_point(false);
    let mut jwk = Jwk {
        kty: "EC".into(),
        crv: Some("P-256".into()),
        x: Some(b64::encode(point.x().unwrap())),
        y: Some(b64::encode(point.y().unwrap())),
        ..Jwk::default()
    };
    assert_eq!(PublicKey::from_jwk(&jwk).unwrap(), es.public_key());
    jwk.d = Some("c2VjcmV0".into());
    assert!(PublicKey::from_jwk(&jwk).unwrap_err().0.contains("private"));
    jwk.d = None;
    jwk.crv = Some("P-384".into());
    assert!(PublicKey::from_jwk(&jwk).is_err());

    let rs = SoftAuthenticator::rs256(b"c", b"u");
    let PublicKey::Rs256(rk) = rs.public_key() else { unreachable!() };
    let jwk = Jwk {
        kty: "RSA".into(),
        n: Some(b64::encode(&rk.n().to_bytes_be())),
        e: Some(b64::encode(&rk.e().to_bytes_be())),
        alg: Some("RS256".into()),
        ..Jwk::default()
    };
    assert_eq!(PublicKey::from_jwk(&jwk).unwrap(), rs.public_key());
    assert!(PublicKey::from_jwk(&Jwk { kty: "OKP".into(), ..Jwk::default() }).unwrap_err().0.contains("not supported"));
}

#[test]
fn unsupported_or_broken_cose_keys_are_refused_with_a_reason() {
    let es = SoftAuthenticator::es256(b"c", b"u");
    let PublicKey::Es256(vk) = es.public_key() else { unreachable!() };
    let point = vk.to_encoded_point(false);
    let (x, y) = (point.x().unwrap().to_vec(), point.y().unwrap().to_vec());
    let ec = |kty: i64, alg: i64, crv: i64, x: &[u8], y: &[u8]| {
        cbor_map(&[
            (cbor_int(1), cbor_int(kty)),
            (cbor_int(3), cbor_int(alg)),
            (cbor_int(-1), cbor_int(crv)),
            (cbor_int(-2), cbor_bytes(x)),
            (cbor_int(-3), cbor_bytes(y)),
        ])
    };
    let mut off_curve = y.clone();
    off_curve[31] ^= 1;
    let ed25519 = cbor_map(&[
        (cbor_int(1), cbor_int(1)),
        (cbor_int(3), cbor_int(-8)),
        (cbor_int(-1), cbor_int(6)),
        (cbor_int(-2), cbor_bytes(&[0; 32])),
    ]);
    let cases = [
        (ec(2, -7, 2, &x, &y), "P-256"),
        (ec(2, -35, 1, &x, &y), "not supported"),
        (ec(2, -7, 1, &x[..31], &y), "32 bytes"),
        (ec(2, -7, 1, &x, &off_curve), "not on the curve"),
        (ed25519, "not supported"),
        (cbor_map(&[(cbor_int(1), cbor_int(2))]), "kty (1) or alg (3)"),
        (cbor_int(5), "not a CBOR map"),
        ([ec(2, -7, 1, &x, &y), vec![0]].concat(), "not valid CBOR"),
    ];
    for (bytes, reason) in cases {
        let err = PublicKey::from_cose(&bytes).unwrap_err();
        assert!(err.0.contains(reason), "{err} should say {reason}");
    }
    assert!(PublicKey::from_cose(&ec(2, -7, 1, &x, &y)).is_ok());
}

#[test]
fn rsa_keys_below_2048_bits_are_refused() {
    let small = rsa::RsaPrivateKey::new(&mut rand::rngs::OsRng, 1024).unwrap();
    let cose = cbor_map(&[
        (cbor_int(1), cbor_int(3)),
        (cbor_int(3), cbor_int(-257)),
        (cbor_int(-1), cbor_bytes(&small.n().to_bytes_be())),
        (cbor_int(-2), cbor_bytes(&small.e().to_bytes_be())),
    ]);
    assert!(PublicKey::from_cose(&cose).unwrap_err().0.contains("at least 2048"));
}

/// The seed shape documented in `webauthn/mod.rs`, as a seed file would carry it.
#[derive(serde::Deserialize)]
struct UserWithPasskeys {
    #[serde(default)]
    passkeys: Vec<PasskeySeed>,
}

#[test]
fn the_documented_seed_shape_parses_into_stored_passkeys() {
    let es = SoftAuthenticator::es256(b"cred-1", b"00u1ada");
    let spki = b64::encode(&es.public_key().to_spki_der().unwrap());
    let PublicKey::Es256(vk) = es.public_key() else { unreachable!() };
    let point = vk.to_encoded_point(false);
    let toml_text = format!(
        r#"
[[passkeys]]
credential_id = "Y3JlZC0x"
public_key = "{spki}"
user_handle = "MDB1MWFkYQ"
rp_id = "localhost"
sign_count = 3
transports = ["internal", "hybrid"]
display_name = "Touch ID"

[[passkeys]]
credential_id = "Y3JlZC0y"
public_key_jwk = {{ kty = "EC", crv = "P-256", x = "{x}", y = "{y}", ext = true, key_ops = ["verify"] }}
"#,
        x = b64::encode(point.x().unwrap()),
        y = b64::encode(point.y().unwrap()),
    );
    let user: UserWithPasskeys = toml::from_str(&toml_text).unwrap();
    let first = user.passkeys[0].to_stored(b"default-handle", "example.com").unwrap();
    assert_eq!(first.credential_id, b"cred-1");
    assert_eq!(first.user_handle, b"00u1ada");
    assert_eq!(first.public_key, es.public_key());
    assert_eq!((first.sign_count, first.rp_id.as_str()), (3, "localhost"));
    assert_eq!(first.transports, ["internal", "hybrid"]);
    assert_eq!(first.display_name.as_deref(), Some("Touch ID"));
    let second = user.passkeys[1].to_stored(b"00u1ada", RP_ID).unwrap();
    assert_eq!((second.user_handle.as_slice(), second.rp_id.as_str(), second.sign_count), (&b"00u1ada"[..], RP_ID, 0));
    assert_eq!(second.public_key, es.public_key());

    // And back: a stored passkey saves as an entry that reads back the same.
    let saved = PasskeySeed::from_stored(&first).unwrap();
    assert_eq!(saved.to_stored(b"x", "x.com").unwrap(), first);
    let text = toml::to_string(&UserSeedOut { passkeys: vec![saved] }).unwrap();
    assert!(text.contains("[[passkeys]]") && text.contains("credential_id = \"Y3JlZC0x\""), "{text}");
}

#[derive(serde::Serialize)]
struct UserSeedOut {
    passkeys: Vec<PasskeySeed>,
}

#[test]
fn bad_seed_entries_say_what_is_wrong() {
    let spki = b64::encode(&SoftAuthenticator::es256(b"c", b"u").public_key().to_spki_der().unwrap());
    let entry = |extra: &str| format!("credential_id = \"Y3JlZC0x\"\n{extra}");
    let cases = [
        (entry(""), "exactly one of public_key"),
        (entry(&format!("public_key = \"{spki}\"\npublic_key_jwk = {{ kty = \"EC\" }}")), "exactly one of public_key"),
        (entry("public_key = \"not a key\""), "neither PEM nor base64url"),
        (entry(&format!("public_key = \"{spki}\"\nrp_id = \"127.0.0.1\"")), "IP address"),
        (entry(&format!("public_key = \"{spki}\"\ntransports = [\"carrier-pigeon\"]")), "carrier-pigeon"),
        (entry(&format!("public_key = \"{spki}\"\nuser_handle = \"{}\"", b64::encode(&[1; 65]))), "user_handle"),
        (format!("credential_id = \"Y3JlZC0x=\"\npublic_key = \"{spki}\""), "credential_id"),
        (format!("credential_id = \"\"\npublic_key = \"{spki}\""), "empty"),
    ];
    for (text, reason) in cases {
        let seed: PasskeySeed = toml::from_str(&text).unwrap();
        let err = seed.to_stored(b"user", RP_ID).unwrap_err();
        assert!(err.contains(reason), "{err} should say {reason}");
    }
    assert!(toml::from_str::<PasskeySeed>(&format!("credential_id = \"Y3JlZC0x\"\npublic_key = \"{spki}\"\ncolour = 1")).is_err());
}

#[test]
fn stored_passkey_debug_shows_ids_not_key_material() {
    let passkey = SoftAuthenticator::es256(b"cred-1", b"user").stored(0);
    let printed = format!("{passkey:?}");
    assert!(printed.contains("Y3JlZC0x") && printed.contains("Es256"), "{printed}");
}
