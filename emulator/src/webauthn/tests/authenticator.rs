//! A software authenticator for the tests: real P-256 and RSA keys, authenticatorData and
//! clientDataJSON built byte by byte as WebAuthn §6.1 and §5.8.1 define them, real signatures.
//! Plus the few CBOR encoders the registration tests need.

use crate::webauthn::auth_data::{FLAG_AT, FLAG_UP, FLAG_UV};
use crate::webauthn::b64;
use crate::webauthn::{AssertionError, AssertionForm, PublicKey, StoredPasskey};
use p256::ecdsa::signature::Signer;
use rsa::traits::PublicKeyParts;
use rsa::{Pkcs1v15Sign, RsaPrivateKey};
use sha2::{Digest, Sha256};
use std::sync::OnceLock;

pub const RP_ID: &str = "localhost";
pub const ORIGIN: &str = "http://localhost:8080";

/// One 2048-bit RSA key for the whole test run: generating one takes a while.
pub fn rsa_private_key() -> RsaPrivateKey {
    static KEY: OnceLock<RsaPrivateKey> = OnceLock::new();
    KEY.get_or_init(|| RsaPrivateKey::new(&mut rand::rngs::OsRng, 2048).unwrap()).clone()
}

pub enum SoftKey {
    Es256(p256::ecdsa::SigningKey),
    Rs256(Box<RsaPrivateKey>),
}

pub struct SoftAuthenticator {
    pub key: SoftKey,
    pub credential_id: Vec<u8>,
    pub user_handle: Vec<u8>,
    pub rp_id: String,
}

impl SoftAuthenticator {
    pub fn es256(credential_id: &[u8], user_handle: &[u8]) -> SoftAuthenticator {
        SoftAuthenticator {
            key: SoftKey::Es256(p256::ecdsa::SigningKey::random(&mut rand::rngs::OsRng)),
            credential_id: credential_id.to_vec(),
            user_handle: user_handle.to_vec(),
            rp_id: RP_ID.into(),
        }
    }

    pub fn rs256(credential_id: &[u8], user_handle: &[u8]) -> SoftAuthenticator {
        SoftAuthenticator {
            key: SoftKey::Rs256(Box::new(rsa_private_key())),
            credential_id: credential_id.to_vec(),
            user_handle: user_handle.to_vec(),
            rp_id: RP_ID.into(),
        }
    }

    pub fn public_key(&self) -> PublicKey {
        match &self.key {
            SoftKey::Es256(k) => PublicKey::Es256(*k.verifying_key()),
            SoftKey::Rs256(k) => PublicKey::Rs256(k.to_public_key()),
        }
    }

    /// The passkey as the emulator stores it, with counter `sign_count`.
    pub fn stored(&self, sign_count: u32) -> StoredPasskey {
        StoredPasskey {
            credential_id: self.credential_id.clone(),
            user_handle: self.user_handle.clone(),
            public_key: self.public_key(),
            sign_count,
            rp_id: self.rp_id.clone(),
            transports: vec!["internal".into()],
            display_name: None,
        }
    }

    /// ES256: ASN.1 DER ECDSA over SHA-256; RS256: PKCS#1 v1.5 over SHA-256.
    pub fn sign(&self, message: &[u8]) -> Vec<u8> {
        match &self.key {
            SoftKey::Es256(k) => {
                let sig: p256::ecdsa::Signature = k.sign(message);
                sig.to_der().as_bytes().to_vec()
            }
            SoftKey::Rs256(k) => k.sign(Pkcs1v15Sign::new::<Sha256>(), &Sha256::digest(message)).unwrap(),
        }
    }

    /// The credential public key as a COSE_Key (RFC 9053).
    pub fn cose_key(&self) -> Vec<u8> {
        match &self.key {
            SoftKey::Es256(k) => {
                let point = k.verifying_key().to_encoded_point(false);
                cbor_map(&[
                    (cbor_int(1), cbor_int(2)),
                    (cbor_int(3), cbor_int(-7)),
                    (cbor_int(-1), cbor_int(1)),
                    (cbor_int(-2), cbor_bytes(point.x().unwrap())),
                    (cbor_int(-3), cbor_bytes(point.y().unwrap())),
                ])
            }
            SoftKey::Rs256(k) => cbor_map(&[
                (cbor_int(1), cbor_int(3)),
                (cbor_int(3), cbor_int(-257)),
                (cbor_int(-1), cbor_bytes(&k.n().to_bytes_be())),
                (cbor_int(-2), cbor_bytes(&k.e().to_bytes_be())),
            ]),
        }
    }
}

/// One `navigator.credentials.get()` (or `create()`) as an authenticator and browser would
/// run it; every member can be changed before signing to make one check fail.
#[derive(Clone)]
pub struct Ceremony {
    pub kind: String,
    pub challenge: String,
    pub origin: String,
    pub cross_origin: Option<bool>,
    pub rp_id: String,
    pub flags: u8,
    pub sign_count: u32,
    pub return_user_handle: bool,
}

/// The four form fields as the SDK posts them to `/token`.
#[derive(Clone, Debug)]
pub struct Fields {
    pub client_data_json: String,
    pub authenticator_data: String,
    pub signature: String,
    pub user_handle: Option<String>,
}

impl Fields {
    pub fn form(&self) -> Result<AssertionForm, AssertionError> {
        AssertionForm::from_fields(
            Some(&self.client_data_json),
            Some(&self.authenticator_data),
            Some(&self.signature),
            self.user_handle.as_deref(),
        )
    }
}

impl Ceremony {
    /// A `webauthn.get` for `challenge` on localhost with UP and UV, counter 1, returning the user handle.
    pub fn get(challenge: &str) -> Ceremony {
        Ceremony {
            kind: "webauthn.get".into(),
            challenge: challenge.into(),
            origin: ORIGIN.into(),
            cross_origin: Some(false),
            rp_id: RP_ID.into(),
            flags: FLAG_UP | FLAG_UV,
            sign_count: 1,
            return_user_handle: true,
        }
    }

    /// Chrome's member order and its extra member: the verifier must not compare against a template.
    pub fn client_data_json(&self) -> Vec<u8> {
        let mut json = serde_json::json!({ "type": self.kind, "challenge": self.challenge, "origin": self.origin });
        if let Some(cross) = self.cross_origin {
            json["crossOrigin"] = cross.into();
        }
        json["other_keys_can_be_added_here"] = "do not compare clientDataJSON against a template. See https://goo.gl/yabPex".into();
        serde_json::to_vec(&json).unwrap()
    }

    /// rpIdHash ‖ flags ‖ signCount, plus `attested` (already encoded) when given.
    pub fn authenticator_data(&self, attested: Option<&[u8]>) -> Vec<u8> {
        let mut data = Sha256::digest(self.rp_id.as_bytes()).to_vec();
        data.push(self.flags | if attested.is_some() { FLAG_AT } else { 0 });
        data.extend_from_slice(&self.sign_count.to_be_bytes());
        if let Some(attested) = attested {
            data.extend_from_slice(attested);
        }
        data
    }

    /// Signs as the authenticator does: over authenticatorData ‖ SHA-256(clientDataJSON).
    pub fn sign_with(&self, authenticator: &SoftAuthenticator) -> Fields {
        let client_data = self.client_data_json();
        let auth_data = self.authenticator_data(None);
        let signature = authenticator.sign(&signed_bytes(&auth_data, &client_data));
        Fields {
            client_data_json: b64::encode(&client_data),
            authenticator_data: b64::encode(&auth_data),
            signature: b64::encode(&signature),
            user_handle: self.return_user_handle.then(|| b64::encode(&authenticator.user_handle)),
        }
    }
}

pub fn signed_bytes(auth_data: &[u8], client_data: &[u8]) -> Vec<u8> {
    let mut signed = auth_data.to_vec();
    signed.extend_from_slice(&Sha256::digest(client_data));
    signed
}

/// aaguid ‖ credentialIdLength ‖ credentialId ‖ COSE key.
pub fn attested_credential_data(authenticator: &SoftAuthenticator) -> Vec<u8> {
    let mut data = vec![0xAA; 16];
    data.extend_from_slice(&(authenticator.credential_id.len() as u16).to_be_bytes());
    data.extend_from_slice(&authenticator.credential_id);
    data.extend_from_slice(&authenticator.cose_key());
    data
}

fn cbor_head(major: u8, n: u64) -> Vec<u8> {
    let m = major << 5;
    match n {
        0..=23 => vec![m | n as u8],
        24..=0xff => vec![m | 24, n as u8],
        0x100..=0xffff => [vec![m | 25], (n as u16).to_be_bytes().to_vec()].concat(),
        0x1_0000..=0xffff_ffff => [vec![m | 26], (n as u32).to_be_bytes().to_vec()].concat(),
        _ => [vec![m | 27], n.to_be_bytes().to_vec()].concat(),
    }
}

pub fn cbor_int(n: i64) -> Vec<u8> {
    if n >= 0 {
        cbor_head(0, n as u64)
    } else {
        cbor_head(1, (-1 - n) as u64)
    }
}

pub fn cbor_bytes(b: &[u8]) -> Vec<u8> {
    [cbor_head(2, b.len() as u64), b.to_vec()].concat()
}

pub fn cbor_text(t: &str) -> Vec<u8> {
    [cbor_head(3, t.len() as u64), t.as_bytes().to_vec()].concat()
}

pub fn cbor_map(pairs: &[(Vec<u8>, Vec<u8>)]) -> Vec<u8> {
    let mut out = cbor_head(5, pairs.len() as u64);
    for (k, v) in pairs {
        out.extend_from_slice(k);
        out.extend_from_slice(v);
    }
    out
}

pub fn cbor_array(items: &[Vec<u8>]) -> Vec<u8> {
    let mut out = cbor_head(4, items.len() as u64);
    for item in items {
        out.extend_from_slice(item);
    }
    out
}
