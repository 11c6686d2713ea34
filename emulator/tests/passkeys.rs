//! Passkeys over HTTP: the challenge on `/primary-authenticate` (with a username, discoverable,
//! Swift's MFA) and `/challenge` (Kotlin's MFA), the two `/token` grants with real P-256
//! signatures, the catalogue's errors, the stored counter, and `/__emulator/` enrolment.

mod common;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use common::*;
use p256::ecdsa::signature::Signer;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

const G_WEBAUTHN: &str = "urn:okta:params:oauth:grant-type:webauthn";
const G_MFA_WEBAUTHN: &str = "urn:okta:params:oauth:grant-type:mfa-webauthn";
const ORIGIN: &str = "http://localhost:8100";
const UV_CLIENT: &str = "0oa-passkey-uv";
const KOTLIN_TYPES: &str =
    "urn:okta:params:oauth:grant-type:mfa-webauthn http://auth0.com/oauth/grant-type/mfa-oob http://auth0.com/oauth/grant-type/mfa-otp";

fn b64(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

/// A software passkey: a P-256 key, its credential ID and the counter it signs with.
struct Passkey {
    key: p256::ecdsa::SigningKey,
    id: Vec<u8>,
    user_handle: Option<Vec<u8>>,
    counter: u32,
}

/// What an assertion changes from a good one.
#[derive(Default, Clone, Copy)]
struct Tamper {
    bad_signature: bool,
    no_uv: bool,
    origin: Option<&'static str>,
    no_user_handle: bool,
}

impl Passkey {
    fn new(id: &[u8]) -> Passkey {
        Passkey { key: p256::ecdsa::SigningKey::random(&mut rand::rngs::OsRng), id: id.to_vec(), user_handle: None, counter: 0 }
    }

    fn jwk(&self) -> Value {
        let point = self.key.verifying_key().to_encoded_point(false);
        json!({ "kty": "EC", "crv": "P-256", "x": b64(point.x().unwrap()), "y": b64(point.y().unwrap()) })
    }

    /// Enrols the key for `login` through the emulator API (known-key form, user handle `uh:{login}`).
    async fn enrol(&mut self, emu: &Emu, login: &str) {
        let handle = format!("uh:{login}").into_bytes();
        let body =
            json!({ "credentialId": b64(&self.id), "publicKeyJwk": self.jwk(), "userHandle": b64(&handle), "transports": ["internal"] });
        let r = emu.post_json(&format!("/__emulator/users/{login}/passkeys"), &body).await;
        assert_eq!(r.status, 200, "{}", r.text);
        self.user_handle = Some(handle);
    }

    /// The four form fields for `challenge`, as navigator.credentials.get() would return them.
    fn assert(&mut self, challenge: &str, tamper: Tamper) -> Vec<(&'static str, String)> {
        self.counter += 1;
        let client_data = serde_json::to_vec(&json!({
            "type": "webauthn.get", "challenge": challenge, "origin": tamper.origin.unwrap_or(ORIGIN), "crossOrigin": false,
        }))
        .unwrap();
        let mut auth_data = Sha256::digest(b"localhost").to_vec();
        auth_data.push(if tamper.no_uv { 0x01 } else { 0x05 });
        auth_data.extend_from_slice(&self.counter.to_be_bytes());
        let mut signed = auth_data.clone();
        signed.extend_from_slice(&Sha256::digest(&client_data));
        let sig: p256::ecdsa::Signature = self.key.sign(&signed);
        let mut signature = sig.to_der().as_bytes().to_vec();
        if tamper.bad_signature {
            let last = signature.len() - 1;
            signature[last] ^= 0x01;
        }
        let mut fields =
            vec![("clientDataJSON", b64(&client_data)), ("authenticatorData", b64(&auth_data)), ("signature", b64(&signature))];
        if let (Some(h), false) = (&self.user_handle, tamper.no_user_handle) {
            fields.push(("userHandle", b64(h)));
        }
        fields
    }
}

async fn start() -> Emu {
    Emu::start_with(|c| c.trusted_origins = vec![ORIGIN.into(), "http://127.0.0.1:8100".into()]).await
}

async fn primary_challenge(emu: &Emu, client: &str, login: Option<&str>) -> Resp {
    let mut form = vec![("client_id", client), ("challenge_hint", G_WEBAUTHN)];
    if let Some(l) = login {
        form.push(("login_hint", l));
    }
    emu.post(&format!("{DA}/primary-authenticate"), &form).await
}

fn challenge_of(r: &Resp) -> String {
    r.json["publicKey"]["challenge"].as_str().unwrap_or_else(|| panic!("no challenge in {}", r.text)).to_string()
}

async fn webauthn_token(emu: &Emu, client: &str, fields: &[(&'static str, String)], mfa_token: Option<&str>) -> Resp {
    let mut form: Vec<(&str, &str)> = vec![("client_id", client), ("scope", SCOPE)];
    match mfa_token {
        Some(t) => form.extend([("grant_type", G_MFA_WEBAUTHN), ("mfa_token", t)]),
        None => form.push(("grant_type", G_WEBAUTHN)),
    }
    form.extend(fields.iter().map(|(k, v)| (*k, v.as_str())));
    emu.token(&form).await
}

async fn sign_count(emu: &Emu, login: &str) -> u64 {
    let r = emu.get(&format!("/__emulator/users/{login}/passkeys")).await;
    r.json[0]["signCount"].as_u64().unwrap()
}

#[tokio::test]
async fn sign_in_with_a_username_issues_tokens_and_stores_the_counter() {
    let emu = start().await;
    let mut pk = Passkey::new(b"cred-ada");
    pk.enrol(&emu, "password.only@example.com").await;
    let r = primary_challenge(&emu, CLIENT, Some("password.only@example.com")).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.json["challengeType"], G_WEBAUTHN);
    assert_eq!(r.json["publicKey"]["rpId"], "localhost");
    assert_eq!(r.json["publicKey"]["allowCredentials"][0]["id"], b64(b"cred-ada"));
    assert_eq!(r.json["publicKey"]["allowCredentials"][0]["transports"], json!(["internal"]));
    let fields = pk.assert(&challenge_of(&r), Tamper::default());
    let t = webauthn_token(&emu, CLIENT, &fields, None).await;
    assert_eq!(t.status, 200, "{}", t.text);
    let id = claims(&t.s("id_token"));
    assert_eq!(id["amr"], json!(["hwk"]));
    assert_eq!(id["preferred_username"], "password.only@example.com");
    assert_eq!(sign_count(&emu, "password.only@example.com").await, 1);
}

#[tokio::test]
async fn discoverable_sign_in_finds_the_user_by_user_handle() {
    let emu = start().await;
    let mut other = Passkey::new(b"cred-other");
    other.enrol(&emu, "otp.only@example.com").await;
    let mut pk = Passkey::new(b"cred-pat");
    pk.enrol(&emu, "password.only@example.com").await;
    let r = primary_challenge(&emu, CLIENT, None).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert!(r.json["publicKey"].get("allowCredentials").is_none(), "{}", r.text);
    let fields = pk.assert(&challenge_of(&r), Tamper::default());
    let t = webauthn_token(&emu, CLIENT, &fields, None).await;
    assert_eq!(t.status, 200, "{}", t.text);
    assert_eq!(claims(&t.s("id_token"))["preferred_username"], "password.only@example.com");

    // Without its userHandle a discoverable assertion names no one.
    let r = primary_challenge(&emu, CLIENT, None).await;
    let fields = pk.assert(&challenge_of(&r), Tamper { no_user_handle: true, ..Tamper::default() });
    webauthn_token(&emu, CLIENT, &fields, None).await.expect(400, "invalid_grant");
}

#[tokio::test]
async fn a_two_factor_user_signing_in_with_a_passkey_gets_mfa_required_without_the_passkey_as_second() {
    let emu = start().await;
    let mut pk = Passkey::new(b"cred-morgan");
    pk.enrol(&emu, "mfa.otp@example.com").await;
    let r = primary_challenge(&emu, CLIENT, Some("mfa.otp@example.com")).await;
    let t = webauthn_token(&emu, CLIENT, &pk.assert(&challenge_of(&r), Tamper::default()), None).await;
    t.expect(403, "mfa_required");
    assert_eq!(t.json["supported_challenge_types"], "http://auth0.com/oauth/grant-type/mfa-otp");
    // The passkey cannot be the second factor of its own sign-in.
    let c = emu.challenge(CLIENT, &t.s("mfa_token"), G_MFA_WEBAUTHN, None).await;
    c.expect(403, "access_denied");
}

#[tokio::test]
async fn replayed_bogus_and_untrusted_assertions_are_refused_with_the_catalogue_errors() {
    let emu = start().await;
    let mut pk = Passkey::new(b"cred-replay");
    pk.enrol(&emu, "password.only@example.com").await;
    let r = primary_challenge(&emu, CLIENT, Some("password.only@example.com")).await;
    let fields = pk.assert(&challenge_of(&r), Tamper::default());
    assert_eq!(webauthn_token(&emu, CLIENT, &fields, None).await.status, 200);
    let replay = webauthn_token(&emu, CLIENT, &fields, None).await;
    replay.expect(400, "invalid_grant");
    assert_eq!(replay.desc(), "There is no pending WebAuthn challenge for the request.");

    let r = primary_challenge(&emu, CLIENT, Some("password.only@example.com")).await;
    let bogus =
        webauthn_token(&emu, CLIENT, &pk.assert(&challenge_of(&r), Tamper { bad_signature: true, ..Tamper::default() }), None).await;
    bogus.expect(400, "invalid_grant");
    assert_eq!(bogus.desc(), "None of the WebAuthn authenticators the user has enrolled for was able to validate the assertion");

    let r = primary_challenge(&emu, CLIENT, Some("password.only@example.com")).await;
    let foreign = Tamper { origin: Some("http://localhost:9999"), ..Tamper::default() };
    webauthn_token(&emu, CLIENT, &pk.assert(&challenge_of(&r), foreign), None).await.expect(400, "invalid_grant");

    // A counter that does not grow (a cloned authenticator) is refused too.
    let r = primary_challenge(&emu, CLIENT, Some("password.only@example.com")).await;
    pk.counter = 0;
    webauthn_token(&emu, CLIENT, &pk.assert(&challenge_of(&r), Tamper::default()), None).await.expect(400, "invalid_grant");
    assert_eq!(sign_count(&emu, "password.only@example.com").await, 1);
}

#[tokio::test]
async fn malformed_assertions_are_invalid_requests() {
    let emu = start().await;
    let mut pk = Passkey::new(b"cred-form");
    pk.enrol(&emu, "password.only@example.com").await;
    let r = primary_challenge(&emu, CLIENT, Some("password.only@example.com")).await;
    let mut fields = pk.assert(&challenge_of(&r), Tamper::default());
    let without_signature: Vec<_> = fields.iter().filter(|(k, _)| *k != "signature").cloned().collect();
    let t = webauthn_token(&emu, CLIENT, &without_signature, None).await;
    t.expect(400, "invalid_request");
    assert_eq!(t.desc(), "WebAuthn requests must contain 'authenticatorData', 'clientDataJSON', and 'signature'.");
    fields[0].1 = b64(b"not json");
    let t = webauthn_token(&emu, CLIENT, &fields, None).await;
    t.expect(400, "invalid_request");
    assert_eq!(t.desc(), "'clientDataJSON' is not a Base64 encoded JSON string containing a 'challenge'.");
}

#[tokio::test]
async fn user_verification_required_by_the_client_refuses_an_assertion_without_uv() {
    let emu = start().await;
    let mut pk = Passkey::new(b"cred-uv");
    pk.enrol(&emu, "password.only@example.com").await;
    let r = primary_challenge(&emu, UV_CLIENT, Some("password.only@example.com")).await;
    assert_eq!(r.json["publicKey"]["userVerification"], "required");
    let t = webauthn_token(&emu, UV_CLIENT, &pk.assert(&challenge_of(&r), Tamper { no_uv: true, ..Tamper::default() }), None).await;
    t.expect(400, "invalid_grant");
    let r = primary_challenge(&emu, UV_CLIENT, Some("password.only@example.com")).await;
    assert_eq!(webauthn_token(&emu, UV_CLIENT, &pk.assert(&challenge_of(&r), Tamper::default()), None).await.status, 200);
}

#[tokio::test]
async fn a_user_without_a_passkey_gets_the_unenrolled_factor_answer() {
    let emu = start().await;
    let r = primary_challenge(&emu, CLIENT, Some("password.only@example.com")).await;
    r.expect(403, "access_denied");
    assert!(r.desc().contains("user is enrolled in the authenticator"), "{}", r.text);
    primary_challenge(&emu, CLIENT, Some("nobody@example.com")).await.expect(400, "invalid_grant");
    // A password-then-OTP user without a passkey is not offered one, and asking for it fails.
    let mfa = emu.password(CLIENT, "mfa.otp@example.com").await;
    assert_eq!(mfa.json["supported_challenge_types"], "http://auth0.com/oauth/grant-type/mfa-otp");
    emu.challenge(CLIENT, &mfa.s("mfa_token"), G_MFA_WEBAUTHN, None).await.expect(403, "access_denied");
    // Kotlin's list then falls through to the OTP the user has.
    let c = emu.challenge(CLIENT, &mfa.s("mfa_token"), KOTLIN_TYPES, None).await;
    assert_eq!(c.json["challenge_type"], "http://auth0.com/oauth/grant-type/mfa-otp", "{}", c.text);
}

#[tokio::test]
async fn a_client_without_the_grant_is_unauthorized() {
    let emu = start().await;
    let mut pk = Passkey::new(b"cred-noauth");
    pk.enrol(&emu, "password.only@example.com").await;
    primary_challenge(&emu, "0oa-password-only", Some("password.only@example.com")).await.expect(400, "unauthorized_client");
}

#[tokio::test]
async fn second_factor_through_challenge_as_kotlin_does() {
    let emu = start().await;
    let mut pk = Passkey::new(b"cred-mfa");
    pk.enrol(&emu, "mfa.otp@example.com").await;
    let mfa = emu.password(CLIENT, "mfa.otp@example.com").await;
    mfa.expect(403, "mfa_required");
    let types = mfa.json["supported_challenge_types"].as_str().unwrap();
    assert!(types.split(' ').any(|t| t == G_MFA_WEBAUTHN), "{types}");
    let token = mfa.s("mfa_token");
    let c = emu.challenge(CLIENT, &token, KOTLIN_TYPES, None).await;
    assert_eq!(c.status, 200, "{}", c.text);
    assert_eq!(c.json["challengeType"], G_MFA_WEBAUTHN);
    let fields = pk.assert(&challenge_of(&c), Tamper::default());

    // The challenge belongs to this mfa_token only.
    let other = emu.mfa_token(CLIENT, "mfa.otp@example.com").await;
    let t = webauthn_token(&emu, CLIENT, &fields, Some(&other)).await;
    t.expect(400, "invalid_request");
    assert!(t.desc().starts_with("The 'challenge' and the 'mfa_token' provided are not associated"), "{}", t.text);
    // Nor can the primary grant take it.
    webauthn_token(&emu, CLIENT, &fields, None).await.expect(400, "invalid_grant");

    let t = webauthn_token(&emu, CLIENT, &fields, Some(&token)).await;
    assert_eq!(t.status, 200, "{}", t.text);
    assert_eq!(claims(&t.s("id_token"))["amr"], json!(["pwd", "hwk", "mfa"]));
    // The mfa_token is spent.
    let c = emu.challenge(CLIENT, &token, KOTLIN_TYPES, None).await;
    c.expect(400, "invalid_grant");
}

#[tokio::test]
async fn second_factor_through_primary_authenticate_as_swift_does() {
    let emu = start().await;
    let mut pk = Passkey::new(b"cred-swift");
    pk.enrol(&emu, "mfa.otp@example.com").await;
    let token = emu.mfa_token(CLIENT, "mfa.otp@example.com").await;
    let c = emu
        .post(&format!("{DA}/primary-authenticate"), &[("client_id", CLIENT), ("challenge_hint", G_WEBAUTHN), ("mfa_token", &token)])
        .await;
    assert_eq!(c.status, 200, "{}", c.text);
    assert_eq!(c.json["challengeType"], G_MFA_WEBAUTHN);
    let t = webauthn_token(&emu, CLIENT, &pk.assert(&challenge_of(&c), Tamper::default()), Some(&token)).await;
    assert_eq!(t.status, 200, "{}", t.text);
}

// ---- enrolment --------------------------------------------------------------------------------

fn cbor_head(major: u8, n: usize) -> Vec<u8> {
    match n {
        0..=23 => vec![(major << 5) | n as u8],
        24..=255 => vec![(major << 5) | 24, n as u8],
        _ => vec![(major << 5) | 25, (n >> 8) as u8, n as u8],
    }
}

fn cbor_bytes(b: &[u8]) -> Vec<u8> {
    [cbor_head(2, b.len()), b.to_vec()].concat()
}

fn cbor_text(t: &str) -> Vec<u8> {
    [cbor_head(3, t.len()), t.as_bytes().to_vec()].concat()
}

/// `navigator.credentials.create()` with attestation "none", built by hand.
fn created(pk: &Passkey, challenge: &str, rp_id: &str) -> Value {
    let point = pk.key.verifying_key().to_encoded_point(false);
    // COSE EC2 key {1: 2, 3: -7, -1: 1, -2: x, -3: y}.
    let cose =
        [vec![0xa5, 0x01, 0x02, 0x03, 0x26, 0x20, 0x01, 0x21], cbor_bytes(point.x().unwrap()), vec![0x22], cbor_bytes(point.y().unwrap())]
            .concat();
    let mut auth_data = Sha256::digest(rp_id.as_bytes()).to_vec();
    auth_data.push(0x45); // UP | UV | AT
    auth_data.extend_from_slice(&0u32.to_be_bytes());
    auth_data.extend_from_slice(&[0u8; 16]);
    auth_data.extend_from_slice(&(pk.id.len() as u16).to_be_bytes());
    auth_data.extend_from_slice(&pk.id);
    auth_data.extend_from_slice(&cose);
    let attestation =
        [vec![0xa3], cbor_text("fmt"), cbor_text("none"), cbor_text("attStmt"), vec![0xa0], cbor_text("authData"), cbor_bytes(&auth_data)]
            .concat();
    let client_data = serde_json::to_vec(&json!({ "type": "webauthn.create", "challenge": challenge, "origin": ORIGIN })).unwrap();
    json!({
        "id": b64(&pk.id), "rawId": b64(&pk.id), "type": "public-key",
        "response": { "clientDataJSON": b64(&client_data), "attestationObject": b64(&attestation), "transports": ["internal", "bogus"] },
    })
}

#[tokio::test]
async fn the_registration_ceremony_enrols_a_passkey_that_then_signs_in() {
    let emu = start().await;
    let login = "password.only@example.com";
    let o = emu.post_json(&format!("/__emulator/users/{login}/passkeys/options"), &json!({})).await;
    assert_eq!(o.status, 200, "{}", o.text);
    let options = &o.json["publicKey"];
    assert_eq!(options["rp"]["id"], "localhost");
    assert_eq!(options["user"]["name"], login);
    let mut pk = Passkey::new(b"cred-created");
    let reg = emu
        .post_json(&format!("/__emulator/users/{login}/passkeys"), &created(&pk, options["challenge"].as_str().unwrap(), "localhost"))
        .await;
    assert_eq!(reg.status, 200, "{}", reg.text);
    assert_eq!(reg.json["transports"], json!(["internal"]));
    // The same credential twice is refused; so is a challenge used once already.
    let again = emu
        .post_json(&format!("/__emulator/users/{login}/passkeys"), &created(&pk, options["challenge"].as_str().unwrap(), "localhost"))
        .await;
    assert_eq!(again.status, 400, "{}", again.text);
    // The user id from the options is the user handle assertions carry.
    pk.user_handle = Some(URL_SAFE_NO_PAD.decode(options["user"]["id"].as_str().unwrap()).unwrap());
    let r = primary_challenge(&emu, CLIENT, None).await;
    let t = webauthn_token(&emu, CLIENT, &pk.assert(&challenge_of(&r), Tamper::default()), None).await;
    assert_eq!(t.status, 200, "{}", t.text);
    let users = emu.get("/__emulator/users").await;
    let user = users.json.as_array().unwrap().iter().find(|u| u["login"] == login).unwrap().clone();
    assert!(user["factors"].as_array().unwrap().contains(&json!("passkey")), "{user}");
}

#[tokio::test]
async fn a_registration_for_another_rp_id_or_an_unknown_user_is_refused() {
    let emu = start().await;
    let login = "password.only@example.com";
    let o = emu.post_json(&format!("/__emulator/users/{login}/passkeys/options"), &json!({})).await;
    let pk = Passkey::new(b"cred-elsewhere");
    let reg = emu
        .post_json(
            &format!("/__emulator/users/{login}/passkeys"),
            &created(&pk, o.json["publicKey"]["challenge"].as_str().unwrap(), "example.com"),
        )
        .await;
    assert_eq!(reg.status, 400, "{}", reg.text);
    let unknown = emu.post_json("/__emulator/users/nobody@example.com/passkeys/options", &json!({})).await;
    assert_eq!(unknown.status, 404);
    let bad_key =
        emu.post_json(&format!("/__emulator/users/{login}/passkeys"), &json!({ "credentialId": "a", "publicKey": "bm90IGEga2V5" })).await;
    assert_eq!(bad_key.status, 400, "{}", bad_key.text);
}

#[tokio::test]
async fn reset_forgets_registered_passkeys_and_the_seed_file_can_hold_them() {
    let emu = start().await;
    let mut pk = Passkey::new(b"cred-reset");
    pk.enrol(&emu, "password.only@example.com").await;
    let r = emu.post_json("/__emulator/reset", &json!({})).await;
    assert_eq!(r.status, 200);
    primary_challenge(&emu, CLIENT, Some("password.only@example.com")).await.expect(403, "access_denied");

    let seeded = Passkey::new(b"cred-seeded");
    let jwk = seeded.jwk();
    let toml = format!(
        "[[users]]\nlogin = \"ada@example.com\"\nname = \"Ada\"\n[[users.passkeys]]\ncredential_id = \"{}\"\npublic_key_jwk = {{ kty = \"EC\", crv = \"P-256\", x = \"{}\", y = \"{}\" }}\n\n[[clients]]\nclient_id = \"c\"\ngrant_types = [\"{G_WEBAUTHN}\"]\n",
        b64(&seeded.id),
        jwk["x"].as_str().unwrap(),
        jwk["y"].as_str().unwrap()
    );
    let seed = okta_emulator::Seed::parse(&toml).expect("a seed with a passkey parses");
    let emu = Emu::start_with(|c| {
        c.seed = seed;
        c.rp_id = "example.com".into();
    })
    .await;
    let r = primary_challenge(&emu, "c", Some("ada@example.com")).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.json["publicKey"]["rpId"], "example.com");
    assert_eq!(r.json["publicKey"]["allowCredentials"][0]["id"], b64(b"cred-seeded"));

    let twice = toml.replace("[[clients]]", &format!("[[users]]\nlogin = \"bob@example.com\"\nname = \"Bob\"\n[[users.passkeys]]\ncredential_id = \"{}\"\npublic_key_jwk = {{ kty = \"EC\", crv = \"P-256\", x = \"{}\", y = \"{}\" }}\n\n[[clients]]", b64(&seeded.id), jwk["x"].as_str().unwrap(), jwk["y"].as_str().unwrap()));
    let err = okta_emulator::Seed::parse(&twice).expect_err("a credential ID enrolled twice is refused");
    assert!(err.0.contains("duplicate passkey credential_id"), "{err}");
}

#[tokio::test]
async fn clients_can_get_the_challenge_shapes_okta_sends() {
    let emu = start().await;
    let mut pk = Passkey::new(b"cred-shapes");
    pk.enrol(&emu, "password.only@example.com").await;
    let r = primary_challenge(&emu, "0oa-passkey-okta-shape", Some("password.only@example.com")).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert!(r.json["publicKey"].get("rpId").is_none(), "{}", r.text);
    assert_eq!(r.json["publicKey"]["allowCredentials"][0]["transports"], "[\"internal\"]");
    let r = primary_challenge(&emu, "0oa-passkey-appid", Some("password.only@example.com")).await;
    assert_eq!(r.json["publicKey"]["extensions"]["appid"], "https://example.okta.com");
    assert_eq!(r.json["publicKey"]["rpId"], "localhost");
    let r = primary_challenge(&emu, "0oa-passkey-okta-rp", None).await;
    assert_eq!(r.json["publicKey"]["rpId"], "okta.com");
    // An assertion for the emulator's RP ID does not answer a challenge for okta.com.
    let t = webauthn_token(&emu, "0oa-passkey-okta-rp", &pk.assert(&challenge_of(&r), Tamper::default()), None).await;
    t.expect(400, "invalid_grant");
}
