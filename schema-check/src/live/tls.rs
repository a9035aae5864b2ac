//! TLS for a connection: rustls for every `sslmode`, including `verify-ca`
//! and `verify-full`, which tokio-postgres leaves to the TLS connector.
//!
//! `prefer` and `require` encrypt without authenticating the server, as
//! libpq does; `verify-ca` checks the chain against the trusted certificate
//! authority, `verify-full` the host name as well.

use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::Arc;

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::client::WebPkiServerVerifier;
use rustls::crypto::CryptoProvider;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, ServerName, UnixTime};
use rustls::{
    CertificateError, ClientConfig, DigitallySignedStruct, RootCertStore, SignatureScheme,
};

use crate::error::{Error, Result};

/// The `sslmode` values of libpq.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SslMode {
    Disable,
    Prefer,
    Require,
    VerifyCa,
    VerifyFull,
}

impl SslMode {
    /// The mode as libpq spells it.
    pub fn name(self) -> &'static str {
        match self {
            SslMode::Disable => "disable",
            SslMode::Prefer => "prefer",
            SslMode::Require => "require",
            SslMode::VerifyCa => "verify-ca",
            SslMode::VerifyFull => "verify-full",
        }
    }
}

impl FromStr for SslMode {
    type Err = ();

    fn from_str(s: &str) -> std::result::Result<SslMode, ()> {
        match s {
            "disable" => Ok(SslMode::Disable),
            "allow" | "prefer" => Ok(SslMode::Prefer),
            "require" => Ok(SslMode::Require),
            "verify-ca" => Ok(SslMode::VerifyCa),
            "verify-full" => Ok(SslMode::VerifyFull),
            _ => Err(()),
        }
    }
}

/// TLS settings taken out of the URL before the driver parses it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct TlsSettings {
    pub(super) mode: SslMode,
    /// `sslrootcert`: the certificate authority to trust.
    pub(super) root_cert: Option<PathBuf>,
    /// `sslcert`: the client's certificate chain.
    pub(super) cert: Option<PathBuf>,
    /// `sslkey`: the client certificate's private key.
    pub(super) key: Option<PathBuf>,
}

/// The rustls configuration `tls` asks for: how the server is verified, and
/// the client certificate, if any.
pub(super) fn client_config(tls: &TlsSettings) -> Result<ClientConfig> {
    // aws-lc-rs rather than *ring*: it offers post-quantum key exchange
    // (X25519MLKEM768), which rustls deprecates the *ring* provider for lacking.
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let builder = ClientConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()
        .map_err(|e| Error::Config(format!("cannot set up TLS: {e}")))?;
    let root_cert = match (&tls.root_cert, tls.mode) {
        (Some(path), _) => Some(path.clone()),
        (None, SslMode::VerifyCa | SslMode::VerifyFull) => {
            let default = std::env::var_os("HOME")
                .map(|home| Path::new(&home).join(".postgresql/root.crt"))
                .filter(|p| p.exists());
            Some(default.ok_or_else(|| {
                Error::Config(format!(
                    "sslmode={} needs the certificate authority to trust: add sslrootcert=PATH to the URL",
                    if tls.mode == SslMode::VerifyCa { "verify-ca" } else { "verify-full" }
                ))
            })?)
        }
        (None, _) => None,
    };
    let builder = match root_cert {
        // libpq: a root certificate makes `require` verify the chain as `verify-ca` does.
        Some(path) if tls.mode != SslMode::Prefer => {
            let mut roots = RootCertStore::empty();
            for cert in read_certs(&path)? {
                roots
                    .add(cert)
                    .map_err(|e| Error::Config(format!("sslrootcert {}: {e}", path.display())))?;
            }
            let webpki =
                WebPkiServerVerifier::builder_with_provider(Arc::new(roots), provider.clone())
                    .build()
                    .map_err(|e| Error::Config(format!("sslrootcert {}: {e}", path.display())))?;
            builder
                .dangerous()
                .with_custom_certificate_verifier(Arc::new(Verifying {
                    webpki,
                    mode: tls.mode,
                }))
        }
        _ => builder
            .dangerous()
            .with_custom_certificate_verifier(Arc::new(NoVerification(provider))),
    };
    match (&tls.cert, &tls.key) {
        (None, None) => Ok(builder.with_no_client_auth()),
        (Some(cert), Some(key)) => {
            let chain = read_certs(cert)?;
            let key_der = PrivateKeyDer::from_pem_file(key)
                .map_err(|e| Error::Config(format!("sslkey {}: {e}", key.display())))?;
            builder
                .with_client_auth_cert(chain, key_der)
                .map_err(|e| Error::Config(format!("sslcert {}: {e}", cert.display())))
        }
        _ => Err(Error::Config(
            "sslcert and sslkey go together: give both or neither".to_owned(),
        )),
    }
}

fn read_certs(path: &Path) -> Result<Vec<CertificateDer<'static>>> {
    let fail = |e: &dyn std::fmt::Display| {
        Error::Config(format!(
            "cannot read certificates from {}: {e}",
            path.display()
        ))
    };
    let certs = CertificateDer::pem_file_iter(path)
        .map_err(|e| fail(&e))?
        .collect::<std::result::Result<Vec<_>, _>>()
        .map_err(|e| fail(&e))?;
    if certs.is_empty() {
        return Err(fail(&"no PEM certificate in it"));
    }
    Ok(certs)
}

/// `sslmode=prefer|require`: encrypted, but the server is not authenticated,
/// as with libpq: its certificate is neither verified nor even parsed (a
/// certificate the TLS library cannot read, such as the X.509 version 1
/// certificate Citus generates, still connects), and neither is the
/// handshake signature made with it, which without a trusted certificate
/// would prove nothing.
#[derive(Debug)]
struct NoVerification(Arc<CryptoProvider>);

impl ServerCertVerifier for NoVerification {
    fn verify_server_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> std::result::Result<ServerCertVerified, rustls::Error> {
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        _message: &[u8],
        _cert: &CertificateDer<'_>,
        _dss: &DigitallySignedStruct,
    ) -> std::result::Result<HandshakeSignatureValid, rustls::Error> {
        Ok(HandshakeSignatureValid::assertion())
    }

    fn verify_tls13_signature(
        &self,
        _message: &[u8],
        _cert: &CertificateDer<'_>,
        _dss: &DigitallySignedStruct,
    ) -> std::result::Result<HandshakeSignatureValid, rustls::Error> {
        Ok(HandshakeSignatureValid::assertion())
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.signature_verification_algorithms.supported_schemes()
    }
}

/// `sslmode=verify-ca|verify-full` against a certificate that cannot be
/// verified at all (as opposed to one that fails verification): one
/// sentence saying why, and what to do instead.
fn unverifiable(error: rustls::Error, mode: SslMode) -> rustls::Error {
    let kind = match &error {
        rustls::Error::InvalidCertificate(CertificateError::Other(other))
            if format!("{other:?}").contains("UnsupportedCertVersion") =>
        {
            "an X.509 version 1 certificate (as Citus generates), and only version 3 certificates can be verified"
        }
        rustls::Error::InvalidCertificate(CertificateError::BadEncoding) => {
            "not a certificate the TLS library can read"
        }
        _ => return error,
    };
    let instead = if mode == SslMode::Require {
        "leave sslrootcert out of the URL"
    } else {
        "use sslmode=require"
    };
    rustls::Error::General(format!(
        "sslmode={} cannot verify the server's certificate: it is {kind}; give the server a version 3 certificate signed by the certificate authority, or {instead} to encrypt without verifying, as libpq does",
        mode.name()
    ))
}

/// `sslmode=verify-full`: the chain must lead to the trusted CA and the
/// certificate must name the host. `verify-ca` (and `require` given a root
/// certificate, as libpq does): the chain only, the host name is not checked.
#[derive(Debug)]
struct Verifying {
    webpki: Arc<WebPkiServerVerifier>,
    mode: SslMode,
}

impl ServerCertVerifier for Verifying {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> std::result::Result<ServerCertVerified, rustls::Error> {
        match self.webpki.verify_server_cert(
            end_entity,
            intermediates,
            server_name,
            ocsp_response,
            now,
        ) {
            Err(rustls::Error::InvalidCertificate(
                CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. },
            )) if self.mode != SslMode::VerifyFull => Ok(ServerCertVerified::assertion()),
            Err(error) => Err(unverifiable(error, self.mode)),
            ok => ok,
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> std::result::Result<HandshakeSignatureValid, rustls::Error> {
        self.webpki.verify_tls12_signature(message, cert, dss)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> std::result::Result<HandshakeSignatureValid, rustls::Error> {
        self.webpki.verify_tls13_signature(message, cert, dss)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.webpki.supported_verify_schemes()
    }
}
