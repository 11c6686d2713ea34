//! `private_key_jwt` client authentication: every rule of a `client_assertion`, against the
//! seed client `0oa-confidential-jwt` and its demo key (`emulator/keys/demo-client-jwt.pem`).

mod common;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use common::*;
use rsa::pkcs8::DecodePrivateKey;
use rsa::{Pkcs1v15Sign, RsaPrivateKey};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

const JWT_CLIENT: &str = "0oa-confidential-jwt";
const ASSERTION_TYPE: &str = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
const DEMO_KEY: &str = include_str!("../keys/demo-client-jwt.pem");

fn sign(key: &RsaPrivateKey, header: &Value, claims: &Value) -> String {
    let input = format!("{}.{}", URL_SAFE_NO_PAD.encode(header.to_string()), URL_SAFE_NO_PAD.encode(claims.to_string()));
    let sig = key.sign(Pkcs1v15Sign::new::<Sha256>(), &Sha256::digest(input.as_bytes())).unwrap();
    format!("{input}.{}", URL_SAFE_NO_PAD.encode(sig))
}

fn demo_key() -> RsaPrivateKey {
    RsaPrivateKey::from_pkcs8_pem(DEMO_KEY).unwrap()
}

async fn now(emu: &Emu) -> i64 {
    emu.get("/__emulator/clock").await.json["now"].as_i64().unwrap() / 1000
}

/// Claims of a good assertion for `endpoint` (a path under the emulator).
async fn good_claims(emu: &Emu, endpoint: &str) -> Value {
    json!({
        "iss": JWT_CLIENT,
        "sub": JWT_CLIENT,
        "aud": emu.url(endpoint),
        "exp": now(emu).await + 300,
        "iat": now(emu).await,
        "jti": okta_emulator::keys::random_id(12),
    })
}

fn header() -> Value {
    json!({ "alg": "RS256", "kid": "demo-client-jwt" })
}

async fn password_with(emu: &Emu, assertion: &str, extra: &[(&str, &str)]) -> Resp {
    let mut form = vec![
        ("client_assertion_type", ASSERTION_TYPE),
        ("client_assertion", assertion),
        ("grant_type", G_PASSWORD),
        ("username", "password.only@example.com"),
        ("password", PASSWORD),
        ("scope", "openid"),
    ];
    form.extend_from_slice(extra);
    emu.token(&form).await
}

#[track_caller]
fn refused(r: &Resp, description: &str) {
    r.expect(401, "invalid_client");
    assert_eq!(r.desc(), description);
}

#[tokio::test]
async fn a_good_assertion_authenticates_once() {
    let emu = Emu::start().await;
    let token_path = format!("{DA}/token");
    let assertion = sign(&demo_key(), &header(), &good_claims(&emu, &token_path).await);
    let r = password_with(&emu, &assertion, &[]).await;
    r.expect(200, "");
    assert_eq!(common::claims(&r.s("id_token"))["aud"], JWT_CLIENT);
    let logged = emu.get("/__emulator/requests").await.json["requests"][0].clone();
    assert_eq!(logged["clientId"], JWT_CLIENT);
    refused(&password_with(&emu, &assertion, &[]).await, "The client_assertion token has already been used.");
    // client_id in the form is allowed when it matches.
    let again = sign(&demo_key(), &header(), &good_claims(&emu, &token_path).await);
    password_with(&emu, &again, &[("client_id", JWT_CLIENT)]).await.expect(200, "");
    let other = sign(&demo_key(), &header(), &good_claims(&emu, &token_path).await);
    refused(
        &password_with(&emu, &other, &[("client_id", CLIENT)]).await,
        "The subject claim for client_assertion is not a valid client_id.",
    );
    // Without a jti an assertion may be reused until it expires.
    let mut claims = good_claims(&emu, &token_path).await;
    claims.as_object_mut().unwrap().remove("jti");
    let no_jti = sign(&demo_key(), &json!({ "alg": "RS256" }), &claims);
    password_with(&emu, &no_jti, &[]).await.expect(200, "");
    password_with(&emu, &no_jti, &[]).await.expect(200, "");
}

#[tokio::test]
async fn every_claim_rule_has_its_refusal() {
    let emu = Emu::start().await;
    let token_path = format!("{DA}/token");
    let key = demo_key();
    let base = good_claims(&emu, &token_path).await;
    let now = now(&emu).await;
    let with = |changes: Value| {
        let mut c = base.clone();
        for (k, v) in changes.as_object().unwrap() {
            if v.is_null() {
                c.as_object_mut().unwrap().remove(k);
            } else {
                c[k] = v.clone();
            }
        }
        c["jti"] = json!(okta_emulator::keys::random_id(12));
        c
    };
    let cases = [
        (
            json!({ "aud": emu.url(&format!("{DA}/challenge")) }),
            "The audience claim for client_assertion must be the endpoint invoked for the request.",
        ),
        (json!({ "aud": null }), "The audience claim for client_assertion must be the endpoint invoked for the request."),
        (json!({ "exp": null }), "The client_assertion must contain the 'exp' claim as seconds since epoch."),
        (json!({ "exp": now - 1 }), "The client_assertion token is expired."),
        (json!({ "exp": now + 7200 }), "The client_assertion token has an expiration too far into the future."),
        (json!({ "iat": now + 600 }), "The client_assertion token must be issued before the current time."),
        (json!({ "iss": "0oa-nobody", "sub": "0oa-nobody" }), "The issuer claim for client_assertion is not a valid client_id."),
        (json!({ "sub": CLIENT }), "The subject claim for client_assertion is not a valid client_id."),
        (json!({ "iss": CLIENT, "sub": CLIENT }), "The client does not have a JWKSet configured, but the client_assertion requires one."),
    ];
    for (changes, description) in cases {
        let assertion = sign(&key, &header(), &with(changes.clone()));
        let r = password_with(&emu, &assertion, &[]).await;
        assert_eq!((r.status, r.error(), r.desc()), (401, "invalid_client", description), "{changes}");
    }
    // An array audience containing the endpoint is accepted.
    let listed = sign(&key, &header(), &with(json!({ "aud": ["https://elsewhere.example", emu.url(&token_path)] })));
    password_with(&emu, &listed, &[]).await.expect(200, "");
}

#[tokio::test]
async fn signature_key_and_algorithm_are_checked() {
    let emu = Emu::start().await;
    let token_path = format!("{DA}/token");
    let claims = good_claims(&emu, &token_path).await;
    // Signed by another key (the emulator's own).
    refused(&password_with(&emu, &sign(&shared_key(), &header(), &claims), &[]).await, "The client_assertion signature is invalid.");
    let other_key_no_kid = sign(&shared_key(), &json!({ "alg": "RS256" }), &good_claims(&emu, &token_path).await);
    refused(&password_with(&emu, &other_key_no_kid, &[]).await, "The client_assertion signature is invalid.");
    // A tampered payload.
    let good = sign(&demo_key(), &header(), &good_claims(&emu, &token_path).await);
    let mut parts: Vec<String> = good.split('.').map(str::to_string).collect();
    let mut payload: Value = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(&parts[1]).unwrap()).unwrap();
    payload["exp"] = json!(payload["exp"].as_i64().unwrap() + 1);
    parts[1] = URL_SAFE_NO_PAD.encode(payload.to_string());
    refused(&password_with(&emu, &parts.join("."), &[]).await, "The client_assertion signature is invalid.");
    // An unknown kid, another algorithm, garbage.
    let claims = good_claims(&emu, &token_path).await;
    refused(
        &password_with(&emu, &sign(&demo_key(), &json!({ "alg": "RS256", "kid": "nope" }), &claims), &[]).await,
        "The client_assertion JWT kid is invalid.",
    );
    refused(
        &password_with(&emu, &sign(&demo_key(), &json!({ "alg": "HS256", "kid": "demo-client-jwt" }), &claims), &[]).await,
        "The client_assertion JWT signature algorithm is invalid.",
    );
    for garbage in ["x", "a.b.c", "a.b.c.d", &"a".repeat(9000)] {
        refused(&password_with(&emu, garbage, &[]).await, "The parsing of the client_assertion failed.");
    }
}

#[tokio::test]
async fn assertions_exclude_other_credentials_and_are_required_for_the_jwt_client() {
    let emu = Emu::start().await;
    let token_path = format!("{DA}/token");
    let assertion = sign(&demo_key(), &header(), &good_claims(&emu, &token_path).await);
    let r = password_with(&emu, &assertion, &[("client_secret", "x")]).await;
    r.expect(401, "invalid_request");
    assert!(r.desc().starts_with("Cannot supply multiple client credentials."));
    let r = emu
        .token(&[
            ("client_assertion_type", "urn:example:other"),
            ("client_assertion", &assertion),
            ("grant_type", G_PASSWORD),
            ("username", "password.only@example.com"),
            ("password", PASSWORD),
            ("scope", "openid"),
        ])
        .await;
    r.expect(400, "invalid_request");
    assert_eq!(r.desc(), "The client_assertion_type is invalid.");
    let r = emu.token(&[("client_assertion_type", ASSERTION_TYPE), ("grant_type", G_PASSWORD)]).await;
    r.expect(400, "invalid_request");
    assert_eq!(r.desc(), "The required parameter 'client_assertion' is missing.");
    // The JWT client with only its client_id: refused.
    let r = emu.password(JWT_CLIENT, "password.only@example.com").await;
    refused(&r, "Client authentication failed. Either the client or the client credentials are invalid.");
}

#[tokio::test]
async fn assertions_work_on_every_endpoint_and_allow_mfa_attestation() {
    let emu = Emu::start().await;
    let key = demo_key();
    let token_path = format!("{DA}/token");
    let first = sign(&key, &header(), &good_claims(&emu, &token_path).await);
    let r = emu
        .token(&[
            ("client_assertion_type", ASSERTION_TYPE),
            ("client_assertion", &first),
            ("grant_type", G_PASSWORD),
            ("username", "mfa.push@example.com"),
            ("password", PASSWORD),
            ("scope", "openid"),
            ("acr_values", "urn:okta:app:mfa:attestation"),
        ])
        .await;
    r.expect(403, "mfa_required");
    let mfa_token = r.s("mfa_token");
    let challenge_path = format!("{DA}/challenge");
    let for_challenge = sign(&key, &header(), &good_claims(&emu, &challenge_path).await);
    let r = emu
        .post(
            &challenge_path,
            &[
                ("client_assertion_type", ASSERTION_TYPE),
                ("client_assertion", &for_challenge),
                ("mfa_token", &mfa_token),
                ("challenge_types_supported", G_MFA_OOB),
                ("channel_hint", "push"),
            ],
        )
        .await;
    r.expect(200, "");
    let oob = r.s("oob_code");
    let push = emu.push_for("mfa.push@example.com").await;
    emu.post(&format!("/__emulator/push/{}/approve", push["id"].as_str().unwrap()), &[]).await;
    let exchange = sign(&key, &header(), &good_claims(&emu, &token_path).await);
    let r = emu
        .token(&[
            ("client_assertion_type", ASSERTION_TYPE),
            ("client_assertion", &exchange),
            ("grant_type", G_MFA_OOB),
            ("mfa_token", &mfa_token),
            ("oob_code", &oob),
        ])
        .await;
    r.expect(200, "");
    assert_eq!(r.json["access_token"], json!(null));
    assert_eq!(common::claims(&r.s("id_token"))["acr"], "urn:okta:app:mfa:attestation");

    // /primary-authenticate: the token endpoint's audience is not its audience.
    let primary_path = format!("{DA}/primary-authenticate");
    let wrong_aud = sign(&key, &header(), &good_claims(&emu, &token_path).await);
    let primary = |assertion: String| {
        let path = primary_path.clone();
        let emu = &emu;
        async move {
            emu.post(
                &path,
                &[
                    ("client_assertion_type", ASSERTION_TYPE),
                    ("client_assertion", &assertion),
                    ("login_hint", "push.only@example.com"),
                    ("channel_hint", "push"),
                    ("challenge_hint", G_OOB),
                ],
            )
            .await
        }
    };
    refused(&primary(wrong_aud).await, "The audience claim for client_assertion must be the endpoint invoked for the request.");
    primary(sign(&key, &header(), &good_claims(&emu, &primary_path).await)).await.expect(200, "");
}
