//! TLS against a cluster serving a certificate signed by a test CA.

use rcgen::{BasicConstraints, CertificateParams, CertifiedIssuer, DnType, IsCa, KeyPair};
use schema_check::testing::{Cluster, ClusterOptions};

use crate::{all_output, schema_check, stderr};

struct Pki {
    ca_pem: String,
    other_ca_pem: String,
    server_cert_pem: String,
    server_key_pem: String,
}

fn ca(name: &str) -> CertifiedIssuer<'static, KeyPair> {
    let mut params = CertificateParams::new(Vec::<String>::new()).unwrap();
    params.distinguished_name.push(DnType::CommonName, name);
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    CertifiedIssuer::self_signed(params, KeyPair::generate().unwrap()).unwrap()
}

/// A CA, a server certificate it signed for `db.pgdrift.test` only, and an
/// unrelated CA.
fn pki() -> Pki {
    let ca = ca("pgdrift test CA");
    let key = KeyPair::generate().unwrap();
    let params = CertificateParams::new(vec!["db.pgdrift.test".to_owned()]).unwrap();
    let cert = params.signed_by(&key, &ca).unwrap();
    Pki {
        ca_pem: ca.pem(),
        other_ca_pem: self::ca("unrelated CA").pem(),
        server_cert_pem: cert.pem(),
        server_key_pem: key.serialize_pem(),
    }
}

#[test]
fn tls_modes_against_a_self_signed_server() {
    let pki = pki();
    let cluster = Cluster::start(&ClusterOptions {
        tls: Some((pki.server_cert_pem.clone(), pki.server_key_pem.clone())),
        ..ClusterOptions::default()
    })
    .unwrap();
    let db = cluster.create_database();
    db.execute("CREATE TABLE secured (id int PRIMARY KEY)");
    let root = tempfile::tempdir().unwrap();
    std::fs::create_dir(root.path().join("certs")).unwrap();
    std::fs::write(root.path().join("certs/ca.pem"), &pki.ca_pem).unwrap();
    std::fs::write(root.path().join("certs/other-ca.pem"), &pki.other_ca_pem).unwrap();
    // The certificate names db.pgdrift.test, and we connect to 127.0.0.1.
    let base = db.url().expose().replace("?sslmode=disable", "");
    let with = |query: &str| format!("{base}?{query}");
    let run = |url: &str| schema_check(root.path(), &["introspect"], &[("DATABASE_URL", url)]);

    for query in [
        "sslmode=require",
        "sslmode=prefer",
        // Relative certificate paths are the project's, not the current directory's.
        "sslmode=verify-ca&sslrootcert=certs/ca.pem",
    ] {
        let out = run(&with(query));
        assert_eq!(out.status.code(), Some(0), "{query}: {}", all_output(&out));
        assert!(String::from_utf8_lossy(&out.stdout).contains("table public.secured"));
    }
    let out = run(&with("sslmode=verify-full&sslrootcert=certs/other-ca.pem"));
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("invalid peer certificate: UnknownIssuer"),
        "{}",
        stderr(&out)
    );

    let out = run(&with("sslmode=verify-ca&sslrootcert=certs/other-ca.pem"));
    assert_eq!(
        out.status.code(),
        Some(2),
        "verify-ca still checks the chain"
    );

    let out = run(&with("sslmode=verify-full&sslrootcert=certs/ca.pem"));
    assert_eq!(
        out.status.code(),
        Some(2),
        "verify-full checks the host name"
    );
    assert!(
        stderr(&out).contains("certificate not valid for name"),
        "{}",
        stderr(&out)
    );

    let out = run(&with("sslmode=verify-full"));
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains(
        "sslmode=verify-full needs the certificate authority to trust: add sslrootcert=PATH"
    ));
}
