//! TLS against a cluster serving a certificate signed by a test CA.

use rcgen::{BasicConstraints, CertificateParams, CertifiedIssuer, DnType, IsCa, KeyPair};
use schema_check::testing::{Cluster, ClusterOptions};

use crate::{all_output, schema_check, stderr, stdout};

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

/// A self-signed X.509 version 1 certificate and its key (PEM), like the one
/// `CREATE EXTENSION citus` generates: made by the `openssl` command (a
/// certificate signed from a request without extensions is version 1).
fn version_1_certificate(dir: &std::path::Path) -> (String, String) {
    let openssl = |args: &[&str]| {
        let out = std::process::Command::new("openssl")
            .current_dir(dir)
            .args(args)
            .output()
            .expect("the openssl command runs (Debian: apt-get install openssl)");
        assert!(
            out.status.success(),
            "openssl {args:?}: {}",
            all_output(&out)
        );
    };
    openssl(&[
        "req",
        "-new",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        "v1.key",
        "-subj",
        "/CN=127.0.0.1",
        "-out",
        "v1.csr",
    ]);
    openssl(&[
        "x509", "-req", "-in", "v1.csr", "-signkey", "v1.key", "-days", "2", "-out", "v1.crt",
    ]);
    let cert = std::fs::read_to_string(dir.join("v1.crt")).unwrap();
    let key = std::fs::read_to_string(dir.join("v1.key")).unwrap();
    (cert, key)
}

#[test]
fn prefer_and_require_connect_to_a_version_1_certificate_that_verify_modes_refuse() {
    let root = tempfile::tempdir().unwrap();
    let (cert, key) = version_1_certificate(root.path());
    let cluster = Cluster::start(&ClusterOptions {
        tls: Some((cert.clone(), key)),
        ..ClusterOptions::default()
    })
    .unwrap();
    let db = cluster.create_database();
    db.execute("CREATE TABLE sharded (id int PRIMARY KEY)");
    std::fs::write(root.path().join("server.crt"), &cert).unwrap();
    let base = db.url().expose().replace("?sslmode=disable", "");
    let run = |query: &str| {
        let url = format!("{base}?{query}");
        schema_check(root.path(), &["introspect"], &[("DATABASE_URL", &url)])
    };
    for query in ["sslmode=require", "sslmode=prefer"] {
        let out = run(query);
        assert_eq!(out.status.code(), Some(0), "{query}: {}", all_output(&out));
        assert!(stdout(&out).contains("table public.sharded"), "{query}");
    }
    // Encrypted, not silently plain: the server reports the session's TLS.
    let url = schema_check::DatabaseUrl::new(format!("{base}?sslmode=require"));
    let connection = schema_check::Connection::open(&url, &Default::default()).unwrap();
    assert_eq!(
        connection
            .query_strings("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")
            .unwrap(),
        [Some("t".to_owned())]
    );

    for mode in ["verify-ca", "verify-full"] {
        let out = run(&format!("sslmode={mode}&sslrootcert=server.crt"));
        assert_eq!(out.status.code(), Some(2), "{mode}: {}", all_output(&out));
        let message = stderr(&out);
        assert!(
            message.contains(&format!(
                "error performing TLS handshake: sslmode={mode} cannot verify the server's certificate: it is an X.509 version 1 certificate"
            )),
            "{message}"
        );
        assert!(message.contains("or use sslmode=require"), "{message}");
    }
    // libpq: a root certificate makes `require` verify the chain.
    let out = run("sslmode=require&sslrootcert=server.crt");
    assert_eq!(out.status.code(), Some(2), "{}", all_output(&out));
    assert!(
        stderr(&out).contains("or leave sslrootcert out of the URL to encrypt without verifying"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn prefer_falls_back_to_plain_text_when_the_server_has_no_tls() {
    let db = schema_check::testing::database();
    db.execute("CREATE TABLE unencrypted (id int)");
    let url = db
        .url()
        .expose()
        .replace("sslmode=disable", "sslmode=prefer");
    let root = tempfile::tempdir().unwrap();
    let out = schema_check(root.path(), &["introspect"], &[("DATABASE_URL", &url)]);
    assert_eq!(out.status.code(), Some(0), "{}", all_output(&out));
    assert!(stdout(&out).contains("table public.unencrypted"));
    let out = schema_check(
        root.path(),
        &["introspect"],
        &[(
            "DATABASE_URL",
            &url.replace("sslmode=prefer", "sslmode=require"),
        )],
    );
    assert_eq!(out.status.code(), Some(2), "require never falls back");
}

#[test]
fn prefer_falls_back_to_plain_text_when_the_handshake_fails() {
    // The server offers TLS, but only versions the client refuses to speak.
    let pki = pki();
    let cluster = Cluster::start(&ClusterOptions {
        tls: Some((pki.server_cert_pem.clone(), pki.server_key_pem.clone())),
        settings: vec![
            ("ssl_min_protocol_version".into(), "TLSv1".into()),
            ("ssl_max_protocol_version".into(), "TLSv1.1".into()),
        ],
        ..ClusterOptions::default()
    })
    .unwrap();
    let db = cluster.create_database();
    let base = db.url().expose().replace("?sslmode=disable", "");
    let url = schema_check::DatabaseUrl::new(format!("{base}?sslmode=prefer"));
    let connection = schema_check::Connection::open(&url, &Default::default()).unwrap();
    assert_eq!(
        connection
            .query_strings("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")
            .unwrap(),
        [Some("f".to_owned())]
    );
    let url = schema_check::DatabaseUrl::new(format!("{base}?sslmode=require"));
    let error = schema_check::Connection::open(&url, &Default::default())
        .map(|_| ())
        .unwrap_err()
        .to_string();
    assert!(error.contains("error performing TLS handshake"), "{error}");
}
