//! HTTPS to the upstream with rustls: the emulator behind a TLS terminator whose certificate a
//! test CA issued; the proxy trusts that CA through `upstream_ca_file` and nothing else does.

mod support;
use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, KeyPair, SanType};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use std::sync::Arc;
use support::*;

/// A TLS terminator on a free port forwarding to `plain` (host:port); returns (port, CA PEM).
async fn tls_in_front_of(plain: std::net::SocketAddr) -> (u16, String) {
    let ca_key = KeyPair::generate().unwrap();
    let mut ca = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca.distinguished_name.push(DnType::CommonName, "okta-direct-auth-proxy test CA");
    let ca_cert = ca.self_signed(&ca_key).unwrap();
    let leaf_key = KeyPair::generate().unwrap();
    let mut leaf = CertificateParams::new(vec!["localhost".to_owned()]).unwrap();
    leaf.subject_alt_names.push(SanType::IpAddress("127.0.0.1".parse().unwrap()));
    let leaf_cert = leaf.signed_by(&leaf_key, &ca_cert, &ca_key).unwrap();

    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let server = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(
            vec![CertificateDer::from(leaf_cert.der().to_vec())],
            PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(leaf_key.serialize_der())),
        )
        .unwrap();
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(server));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move {
        while let Ok((tcp, _)) = listener.accept().await {
            let acceptor = acceptor.clone();
            tokio::spawn(async move {
                let Ok(mut tls) = acceptor.accept(tcp).await else { return };
                let Ok(mut up) = tokio::net::TcpStream::connect(plain).await else { return };
                let _ = tokio::io::copy_bidirectional(&mut tls, &mut up).await;
            });
        }
    });
    (port, ca_cert.pem())
}

#[tokio::test]
async fn the_upstream_is_reached_over_tls_with_an_extra_ca() {
    let emu = emulator().await;
    let (port, ca_pem) = tls_in_front_of(emu.running.addr).await;
    let ca_file = std::env::temp_dir().join(format!("oda-proxy-test-ca-{}-{port}.pem", std::process::id()));
    std::fs::write(&ca_file, &ca_pem).unwrap();
    let upstream = format!("https://localhost:{port}");

    let mut c = config(&upstream);
    c.upstream_ca_file = Some(ca_file.clone());
    let p = proxy(c).await;
    let r = get(&p.url("/okta/oauth2/default/.well-known/openid-configuration"), &[]).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.json["issuer"], format!("{}/oauth2/default", emu.base));
    let r = post(&p.url("/okta/oauth2/default/v1/token"), &password_form("password.only@example.com", "openid"), &[]).await;
    assert_eq!(r.status, 200, "a sign-in over TLS: {}", r.text);
    assert!(r.json["access_token"].is_string());

    // The same upstream without the CA: the certificate is not trusted, nothing is sent.
    let before = emu.seen().await.len();
    let untrusting = proxy(config(&upstream)).await;
    let r = post(&untrusting.url("/okta/oauth2/default/v1/token"), &password_form("password.only@example.com", "openid"), &[]).await;
    r.refused(502, "temporarily_unavailable", "upstream_unreachable");
    assert_eq!(emu.seen().await.len(), before);

    // A file with no certificate is a configuration error.
    std::fs::write(&ca_file, "not a certificate").unwrap();
    let mut c = config(&upstream);
    c.upstream_ca_file = Some(ca_file.clone());
    assert!(okta_direct_auth_proxy::router(c).err().unwrap().to_string().contains("no PEM certificate"));
    let _ = std::fs::remove_file(&ca_file);
}
