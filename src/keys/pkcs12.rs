//! The examiner's certificate and key from a PKCS#12 file (`--cert
//! FILE.p12`, as `openssl pkcs12 -export` and institutional PKIs issue
//! them): its MAC checked with the passphrase, the key and the certificate
//! that belongs to it, and the chain the file carries.

use std::path::Path;

use zeroize::Zeroizing;

use super::pem::read_limited;
use super::KeyError;
use crate::tsp::{Cert, CertSigner};

/// Opens `path` with `passphrase` (tried as given; an empty passphrase is
/// an unprotected file's).
pub fn load_cert_signer(path: &Path, passphrase: &str) -> Result<CertSigner, KeyError> {
    let bytes = read_limited(path)?;
    let bad = |detail: String| KeyError::Pkcs12 {
        path: path.to_path_buf(),
        detail,
    };
    let store = match p12_keystore::KeyStore::from_pkcs12(&bytes, passphrase) {
        Ok(store) => store,
        Err(p12_keystore::error::Error::MacError(_)) => {
            return Err(KeyError::WrongPassphrase {
                path: path.to_path_buf(),
            })
        }
        Err(e) => return Err(bad(format!("not a PKCS#12 file exhibit can open ({e})"))),
    };
    let Some((_, chain)) = store.private_key_chain() else {
        return Err(bad(
            "holds no private key with its certificate (a certificate alone cannot sign)".into(),
        ));
    };
    let mut certs = Vec::new();
    for cert in chain.chain() {
        certs.push(Cert::from_der(cert.as_der()).map_err(bad)?);
    }
    let Some(leaf) = certs.first().cloned() else {
        return Err(bad("holds a private key without its certificate".into()));
    };
    let key = Zeroizing::new(chain.key().to_vec());
    CertSigner::new(&key, leaf, certs).map_err(bad)
}
