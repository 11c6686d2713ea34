//! Signing keys: rotation on request (`POST /__emulator/keys/rotate`) with a grace period for
//! the previous key, `/keys` caching, and the ID tokens `POST /__emulator/id-tokens` mints for
//! the SDK's negative verification tests (a foreign key, `alg: none`, HS256, chosen claims).

mod common;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use common::*;
use hmac::{Hmac, Mac};
use rsa::pkcs8::{EncodePublicKey, LineEnding};
use rsa::{BigUint, RsaPublicKey};
use serde_json::{json, Value};

fn header(jwt: &str) -> Value {
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(jwt.split('.').next().unwrap()).unwrap()).unwrap()
}

fn kids(jwks: &Value) -> Vec<String> {
    jwks["keys"].as_array().unwrap().iter().map(|k| k["kid"].as_str().unwrap().to_string()).collect()
}

async fn jwks(emu: &Emu) -> Value {
    let r = emu.get(&format!("{DA}/keys")).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.header("cache-control"), Some("max-age=3600, must-revalidate"));
    r.json
}

async fn sign_in(emu: &Emu) -> Resp {
    let r = emu.password(CLIENT, "password.only@example.com").await;
    r.expect(200, "");
    r
}

async fn userinfo(emu: &Emu, access_token: &str) -> u16 {
    emu.http.get(emu.url(&format!("{DA}/userinfo"))).bearer_auth(access_token).send().await.unwrap().status().as_u16()
}

#[tokio::test]
async fn rotation_signs_with_a_new_key_and_keeps_the_old_one_for_the_grace_period() {
    let emu = Emu::start_with(|c| c.key_grace_secs = 600).await;
    let before = jwks(&emu).await;
    assert_eq!(kids(&before).len(), 1);
    let old = sign_in(&emu).await;
    let old_kid = header(&old.s("id_token"))["kid"].as_str().unwrap().to_string();
    assert_eq!(kids(&before), vec![old_kid.clone()]);

    let rotated = emu.post_json("/__emulator/keys/rotate", &json!({})).await;
    assert_eq!(rotated.status, 200, "{}", rotated.text);
    let new_kid = rotated.s("activeKid");
    assert_ne!(new_kid, old_kid);
    assert_eq!(rotated.s("previousKid"), old_kid);
    let now = emu.get("/__emulator/clock").await.json["now"].as_i64().unwrap();
    let retires = rotated.json["previousRetiresAt"].as_i64().unwrap();
    assert!((retires - now - 600_000).abs() < 5_000, "retires {retires}, now {now}");

    // Both published, the new one first; new tokens carry the new kid and verify.
    let during = jwks(&emu).await;
    assert_eq!(kids(&during), vec![new_kid.clone(), old_kid.clone()]);
    let new = sign_in(&emu).await;
    assert_eq!(header(&new.s("id_token"))["kid"], new_kid.as_str());
    assert_eq!(header(&new.s("access_token"))["kid"], new_kid.as_str());
    verify_with_jwks(&new.s("id_token"), &during);
    verify_with_jwks(&old.s("id_token"), &during);
    assert_eq!(userinfo(&emu, &old.s("access_token")).await, 200, "the old key still verifies during the grace period");

    // After the grace period the old key is gone, and so is what it signed.
    emu.advance(601).await;
    let after = jwks(&emu).await;
    assert_eq!(kids(&after), vec![new_kid.clone()]);
    assert_eq!(userinfo(&emu, &old.s("access_token")).await, 401);
    let fresh = sign_in(&emu).await;
    assert_eq!(userinfo(&emu, &fresh.s("access_token")).await, 200);

    let listed = emu.get("/__emulator/keys").await;
    assert_eq!(listed.s("activeKid"), new_kid);
    assert_eq!(listed.json["keys"], json!([{ "kid": new_kid, "retiresAt": null }]));
}

#[tokio::test]
async fn rotation_with_no_grace_drops_the_previous_key_at_once_and_checks_its_body() {
    let emu = Emu::start().await;
    let first = kids(&jwks(&emu).await);
    let r = emu.post_json("/__emulator/keys/rotate", &json!({ "graceSeconds": 0 })).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let now = kids(&jwks(&emu).await);
    assert_eq!(now.len(), 1);
    assert_ne!(now, first);
    // An empty body uses --key-grace-secs (3600 by default).
    assert_eq!(emu.post("/__emulator/keys/rotate", &[]).await.status, 200);
    assert_eq!(kids(&jwks(&emu).await).len(), 2);
    let bad = emu.post_json("/__emulator/keys/rotate", &json!({ "graceSeconds": -1 })).await;
    assert_eq!(bad.status, 400);
    assert_eq!(bad.json["errorCode"], "E0000001");
    assert_eq!(emu.post_json("/__emulator/keys/rotate", &json!({ "grace": 1 })).await.status, 400);
}

async fn mint(emu: &Emu, body: Value) -> Resp {
    let r = emu.post_json("/__emulator/id-tokens", &body).await;
    assert_eq!(r.status, 200, "{}", r.text);
    r
}

fn public_key(jwk: &Value) -> RsaPublicKey {
    let n = BigUint::from_bytes_be(&URL_SAFE_NO_PAD.decode(jwk["n"].as_str().unwrap()).unwrap());
    let e = BigUint::from_bytes_be(&URL_SAFE_NO_PAD.decode(jwk["e"].as_str().unwrap()).unwrap());
    RsaPublicKey::new(n, e).unwrap()
}

#[tokio::test]
async fn minted_id_tokens_are_signed_by_a_foreign_key_by_default() {
    let emu = Emu::start().await;
    let published = jwks(&emu).await;
    let r = mint(&emu, json!({ "login": "mfa.otp@example.com" })).await;
    let token = r.s("idToken");
    assert_eq!(r.s("signer"), "foreign");
    let kid = header(&token)["kid"].as_str().unwrap().to_string();
    assert!(!kids(&published).contains(&kid), "the foreign key is not published");
    assert!(!kids(&jwks(&emu).await).contains(&kid));
    // It is a real RS256 signature, by the key /__emulator/keys shows as `foreign`.
    let listed = emu.get("/__emulator/keys").await;
    assert_eq!(listed.s("foreignKid"), kid);
    let claims = verify_with_jwks(&token, &json!({ "keys": [listed.json["foreign"]] }));
    // Otherwise the claims are what a real sign-in gives.
    let real = sign_in(&emu).await;
    let real_claims = common::claims(&real.s("id_token"));
    assert_eq!(claims["iss"], real_claims["iss"]);
    assert_eq!(claims["aud"], CLIENT);
    assert_eq!(claims["preferred_username"], "mfa.otp@example.com");
    assert!(claims["sub"].as_str().unwrap().starts_with("00u"));
    assert_eq!(claims["exp"].as_i64().unwrap() - claims["iat"].as_i64().unwrap(), 3600);
    // One foreign key for every minted token.
    let again = mint(&emu, json!({ "login": "alex@example.com" })).await;
    assert_eq!(header(&again.s("idToken"))["kid"], kid.as_str());
}

#[tokio::test]
async fn minted_id_tokens_take_chosen_claims_headers_and_signers() {
    let emu = Emu::start().await;
    let published = jwks(&emu).await;
    let active_kid = kids(&published)[0].clone();

    // The active key with a wrong issuer, several audiences and azp, an expiry in the past.
    let r = mint(
        &emu,
        json!({
            "login": "password.only@example.com",
            "signer": "active",
            "server": "org",
            "expiresIn": -60,
            "claims": { "iss": "https://evil.example", "aud": [CLIENT, "other"], "azp": "other", "email": null },
        }),
    )
    .await;
    let token = r.s("idToken");
    let c = verify_with_jwks(&token, &published);
    assert_eq!(c["iss"], "https://evil.example");
    assert_eq!(c["aud"], json!([CLIENT, "other"]));
    assert_eq!(c["azp"], "other");
    assert!(c.get("email").is_none());
    assert_eq!(c["exp"].as_i64().unwrap() - c["iat"].as_i64().unwrap(), -60);
    assert_eq!(header(&token)["kid"], active_kid.as_str());
    assert_eq!(r.json["claims"], c);

    // No kid (while the JWKS may hold two keys).
    let r = mint(&emu, json!({ "login": "password.only@example.com", "signer": "active", "header": { "kid": null } })).await;
    let h = header(&r.s("idToken"));
    assert!(h.get("kid").is_none());
    assert_eq!(h["alg"], "RS256");

    // alg none: an empty signature.
    let r = mint(&emu, json!({ "login": "password.only@example.com", "signer": "none" })).await;
    let token = r.s("idToken");
    assert!(token.ends_with('.'));
    assert_eq!(header(&token), json!({ "alg": "none" }));

    // HS256 keyed with the active public key's PEM.
    let r = mint(&emu, json!({ "login": "password.only@example.com", "signer": "hs256-public-key" })).await;
    let token = r.s("idToken");
    assert_eq!(header(&token)["alg"], "HS256");
    let pem = public_key(&published["keys"][0]).to_public_key_pem(LineEnding::LF).unwrap();
    let (input, sig) = token.rsplit_once('.').unwrap();
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(pem.as_bytes()).unwrap();
    mac.update(input.as_bytes());
    assert_eq!(URL_SAFE_NO_PAD.decode(sig).unwrap(), mac.finalize().into_bytes().to_vec());

    // A chosen alg and kid on a foreign signature.
    let r = mint(&emu, json!({ "login": "password.only@example.com", "header": { "alg": "RS512", "kid": active_kid } })).await;
    assert_eq!(header(&r.s("idToken")), json!({ "alg": "RS512", "kid": active_kid }));

    // Errors in the Okta API form.
    let unknown = emu.post_json("/__emulator/id-tokens", &json!({ "login": "nobody@example.com" })).await;
    assert_eq!((unknown.status, unknown.json["errorCode"].as_str()), (404, Some("E0000007")));
    let bad_signer = emu.post_json("/__emulator/id-tokens", &json!({ "login": "alex@example.com", "signer": "mine" })).await;
    assert_eq!(bad_signer.status, 400);
    let bad_server = emu.post_json("/__emulator/id-tokens", &json!({ "login": "alex@example.com", "server": "aus-nope" })).await;
    assert_eq!(bad_server.status, 404);
}
