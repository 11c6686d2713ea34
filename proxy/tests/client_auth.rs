//! Confidential clients: the proxy adds the client secret (HTTP Basic or form) or a fresh
//! private_key_jwt assertion on the endpoints Okta authenticates clients on, and nowhere else.

mod support;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use okta_direct_auth_proxy::config::{AssertionAudience, ClientAuthMethod};
use okta_direct_auth_proxy::secret::Secret;
use okta_direct_auth_proxy::ProxyConfig;
use rsa::pkcs1v15::{Signature, VerifyingKey};
use rsa::pkcs8::{EncodePrivateKey, LineEnding};
use rsa::signature::Verifier;
use rsa::RsaPrivateKey;
use serde_json::Value;
use support::*;

const CONFIDENTIAL: &str = "0oa-confidential";

fn confidential(upstream: &str, method: ClientAuthMethod, secret: &str) -> ProxyConfig {
    let mut c = config(upstream);
    c.client_ids = vec![CONFIDENTIAL.into()];
    c.client_auth.method = method;
    if method != ClientAuthMethod::None {
        c.client_auth.client_secret = Some(Secret::new(secret));
    }
    c
}

fn confidential_password() -> Vec<(&'static str, &'static str)> {
    vec![
        ("client_id", CONFIDENTIAL),
        ("grant_type", G_PASSWORD),
        ("username", "password.only@example.com"),
        ("password", PASSWORD),
        ("scope", "openid"),
    ]
}

#[tokio::test]
async fn a_client_secret_is_added_for_okta_and_never_comes_from_the_browser() {
    let emu = emulator().await;
    // Without the proxy's secret Okta refuses the confidential client.
    let public = proxy(confidential(&emu.base, ClientAuthMethod::None, "")).await;
    let r = post(&public.url("/okta/oauth2/default/v1/token"), &confidential_password(), &[]).await;
    assert_eq!((r.status, r.json["error"].as_str()), (401, Some("invalid_client")), "{}", r.text);
    for method in [ClientAuthMethod::ClientSecretPost, ClientAuthMethod::ClientSecretBasic] {
        let p = proxy(confidential(&emu.base, method, "demo-client-secret")).await;
        let r = post(&p.url("/okta/oauth2/default/v1/token"), &confidential_password(), &[]).await;
        assert_eq!(r.status, 200, "{method:?}: {}", r.text);
        let wrong = proxy(confidential(&emu.base, method, "wrong-secret")).await;
        let r = post(&wrong.url("/okta/oauth2/default/v1/token"), &confidential_password(), &[]).await;
        assert_eq!((r.status, r.json["error"].as_str()), (401, Some("invalid_client")), "{method:?}");
    }
    // What goes on the wire, per method.
    let up = recorder(|_| json_answer(200, "{}", &[])).await;
    let post_p = proxy(confidential(&up.base, ClientAuthMethod::ClientSecretPost, "s3cret")).await;
    let basic_p = proxy(confidential(&up.base, ClientAuthMethod::ClientSecretBasic, "s3cret")).await;
    post(&post_p.url("/okta/oauth2/default/v1/token"), &confidential_password(), &[("Authorization", "Basic Zm9vOmJhcg==")]).await;
    post(&basic_p.url("/okta/oauth2/default/v1/token"), &confidential_password(), &[]).await;
    get(&basic_p.url("/okta/oauth2/default/v1/keys"), &[]).await;
    let seen = up.requests();
    assert_eq!(seen[0].field("client_secret").as_deref(), Some("s3cret"));
    assert!(seen[0].headers.get("authorization").is_none(), "the caller's Basic header is dropped");
    assert_eq!(seen[1].field("client_secret"), None);
    assert_eq!(seen[1].headers["authorization"], "Basic MG9hLWNvbmZpZGVudGlhbDpzM2NyZXQ=", "base64(client_id:secret)");
    assert!(seen[2].headers.get("authorization").is_none(), "no credentials on /keys");
}

struct Jwt {
    header: Value,
    claims: Value,
}

fn verify(jwt: &str, key: &RsaPrivateKey) -> Jwt {
    let parts: Vec<&str> = jwt.split('.').collect();
    assert_eq!(parts.len(), 3);
    let verifier = VerifyingKey::<sha2::Sha256>::new(key.to_public_key());
    let sig = Signature::try_from(URL_SAFE_NO_PAD.decode(parts[2]).unwrap().as_slice()).unwrap();
    verifier.verify(format!("{}.{}", parts[0], parts[1]).as_bytes(), &sig).expect("RS256 signature verifies with the public key");
    let dec = |s: &str| serde_json::from_slice(&URL_SAFE_NO_PAD.decode(s).unwrap()).unwrap();
    Jwt { header: dec(parts[0]), claims: dec(parts[1]) }
}

#[tokio::test]
async fn private_key_jwt_signs_a_fresh_assertion_per_request() {
    let key = RsaPrivateKey::new(&mut rand::rngs::OsRng, 2048).unwrap();
    let pem = key.to_pkcs8_pem(LineEnding::LF).unwrap().to_string();
    let up = recorder(|_| json_answer(200, "{}", &[])).await;
    let mut c = config(&up.base);
    c.client_ids = vec![CONFIDENTIAL.into()];
    c.client_auth.method = ClientAuthMethod::PrivateKeyJwt;
    c.client_auth.private_key_pem = Some(Secret::new(pem.clone()));
    c.client_auth.key_id = Some("kid-1".into());
    let p = proxy(c).await;
    let base = "/okta/oauth2/default/v1";
    post(&p.url(&format!("{base}/token")), &confidential_password(), &[]).await;
    post(&p.url(&format!("{base}/token")), &confidential_password(), &[]).await;
    for ep in ["challenge", "primary-authenticate", "oob-authenticate", "revoke"] {
        post(&p.url(&format!("{base}/{ep}")), &[("client_id", CONFIDENTIAL)], &[]).await;
    }
    get(&p.url(&format!("{base}/keys")), &[]).await;
    let seen = up.requests();
    assert_eq!(seen.len(), 7);
    let mut jtis = Vec::new();
    for r in &seen[..6] {
        assert_eq!(r.field("client_assertion_type").as_deref(), Some("urn:ietf:params:oauth:client-assertion-type:jwt-bearer"));
        assert_eq!(r.field("client_id").as_deref(), Some(CONFIDENTIAL));
        let jwt = verify(&r.field("client_assertion").unwrap(), &key);
        assert_eq!(jwt.header["alg"], "RS256");
        assert_eq!(jwt.header["kid"], "kid-1");
        assert_eq!(jwt.claims["iss"], CONFIDENTIAL);
        assert_eq!(jwt.claims["sub"], CONFIDENTIAL);
        // aud: the endpoint called (for /token, the token endpoint).
        assert_eq!(jwt.claims["aud"], format!("{}{}", up.base, r.uri.replace("/okta", "")));
        let (iat, exp) = (jwt.claims["iat"].as_u64().unwrap(), jwt.claims["exp"].as_u64().unwrap());
        assert_eq!(exp - iat, 60, "a short-lived assertion");
        let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs();
        assert!(iat.abs_diff(now) < 10);
        jtis.push(jwt.claims["jti"].as_str().unwrap().to_owned());
    }
    jtis.sort();
    jtis.dedup();
    assert_eq!(jtis.len(), 6, "a unique jti per request");
    assert_eq!(seen[6].field("client_assertion"), None, "no assertion on /keys");

    // aud = the token endpoint for every endpoint, when configured so.
    let mut c = config(&up.base);
    c.client_ids = vec![CONFIDENTIAL.into()];
    c.client_auth.method = ClientAuthMethod::PrivateKeyJwt;
    c.client_auth.private_key_pem = Some(Secret::new(pem));
    c.client_auth.assertion_audience = AssertionAudience::TokenEndpoint;
    let p = proxy(c).await;
    post(&p.url(&format!("{base}/challenge")), &[("client_id", CONFIDENTIAL)], &[]).await;
    let last = up.requests().pop().unwrap();
    assert_eq!(verify(&last.field("client_assertion").unwrap(), &key).claims["aud"], format!("{}/oauth2/default/v1/token", up.base));
    // A browser's own assertion is refused.
    post(&p.url(&format!("{base}/token")), &[("client_id", CONFIDENTIAL), ("client_assertion", "x")], &[]).await.refused(
        400,
        "invalid_request",
        "client_credentials_not_accepted",
    );
}

#[tokio::test]
async fn client_auth_configuration_is_checked_at_start() {
    let mut c = config("https://example.okta.com");
    c.client_ids = vec!["0oa1".into(), "0oa2".into()];
    c.client_auth.method = ClientAuthMethod::ClientSecretPost;
    c.client_auth.client_secret = Some(Secret::new("s"));
    assert!(okta_direct_auth_proxy::router(c).err().unwrap().to_string().contains("exactly that client"));
    let mut c = config("https://example.okta.com");
    c.client_auth.method = ClientAuthMethod::ClientSecretBasic;
    assert!(okta_direct_auth_proxy::router(c).err().unwrap().to_string().contains("needs client_secret"));
    let small = RsaPrivateKey::new(&mut rand::rngs::OsRng, 1024).unwrap().to_pkcs8_pem(LineEnding::LF).unwrap().to_string();
    let mut c = config("https://example.okta.com");
    c.client_auth.method = ClientAuthMethod::PrivateKeyJwt;
    c.client_auth.private_key_pem = Some(Secret::new(small));
    assert!(okta_direct_auth_proxy::router(c).err().unwrap().to_string().contains("at least 2048 bits"));
    let mut c = config("https://example.okta.com");
    c.client_auth.method = ClientAuthMethod::PrivateKeyJwt;
    c.client_auth.private_key_pem = Some(Secret::new("-----BEGIN PRIVATE KEY-----\nnope\n-----END PRIVATE KEY-----"));
    let e = okta_direct_auth_proxy::router(c).err().unwrap().to_string();
    assert!(e.contains("not an RSA private key") && !e.contains("nope"), "{e}");
}
