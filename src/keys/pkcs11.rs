//! The examiner's key on a PKCS#11 token (a smart card, an HSM), named by
//! an RFC 7512 URI (`pkcs11:token=Examiner;object=seal`): the module is
//! loaded, the token found by its label, the user logged in with the PIN,
//! the private key and the certificate stored under the same label (or id)
//! found. The key never leaves the token: each signature is one operation
//! on it. ECDSA keys are signed over the hash with `CKM_ECDSA` (SoftHSM 2.6
//! has no `CKM_ECDSA_SHA256`) and the raw r‖s is DER-encoded here.

use std::path::Path;
use std::sync::Mutex;

use cryptoki::context::{CInitializeArgs, CInitializeFlags, Pkcs11};
use cryptoki::mechanism::Mechanism;
use cryptoki::object::{Attribute, AttributeType, ObjectClass, ObjectHandle};
use cryptoki::session::{Session, UserType};
use sha2::Digest as _;
use zeroize::Zeroizing;

use super::KeyError;
use crate::tsp::{Cert, CertSigner, ExternalKey, KeyAlgorithm};

/// What a `pkcs11:` URI names: a token by label, and an object on it by
/// label and/or id.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TokenUri {
    pub token: Option<String>,
    pub object: Option<String>,
    pub id: Option<Vec<u8>>,
}

impl TokenUri {
    /// Parses the path attributes of an RFC 7512 URI: `token`, `object`,
    /// `id` and `type` (which must be `private` or `cert` when given).
    /// Any other attribute would narrow the choice in a way not checked
    /// here, so it is refused rather than ignored.
    pub fn parse(uri: &str) -> Result<TokenUri, String> {
        let rest = uri
            .strip_prefix("pkcs11:")
            .ok_or("a PKCS#11 URI starts with pkcs11:")?;
        let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
        if !query.is_empty() {
            return Err("query attributes (after ?) are not taken: give the PIN with EXHIBIT_PKCS11_PIN or at the prompt, the module with --pkcs11-module".into());
        }
        let mut parsed = TokenUri::default();
        for part in path.split(';').filter(|p| !p.is_empty()) {
            let (name, value) = part
                .split_once('=')
                .ok_or_else(|| format!("{part:?} is not name=value"))?;
            let value: Vec<u8> = percent_encoding::percent_decode_str(value).collect();
            let text =
                || String::from_utf8(value.clone()).map_err(|_| format!("{name} is not UTF-8"));
            match name {
                "token" => parsed.token = Some(text()?),
                "object" => parsed.object = Some(text()?),
                "id" => parsed.id = Some(value),
                "type" if matches!(text()?.as_str(), "private" | "cert") => {}
                "type" => return Err("type must be private (the signing key)".into()),
                other => {
                    return Err(format!(
                        "attribute {other:?} is not taken (token, object, id are)"
                    ))
                }
            }
        }
        if parsed.object.is_none() && parsed.id.is_none() {
            return Err("name the key with object=LABEL or id=%XX...".into());
        }
        Ok(parsed)
    }
}

/// A private key on a token, with the session that reaches it.
struct TokenKey {
    session: Mutex<Session>,
    key: ObjectHandle,
    algorithm: KeyAlgorithm,
}

impl ExternalKey for TokenKey {
    fn algorithm(&self) -> KeyAlgorithm {
        self.algorithm
    }

    fn sign(&self, message: &[u8]) -> Result<Vec<u8>, String> {
        let session = self
            .session
            .lock()
            .map_err(|_| "the token's session was lost".to_string())?;
        let failed = |e: cryptoki::error::Error| format!("the token refused to sign: {e}");
        match self.algorithm {
            KeyAlgorithm::Rsa => session
                .sign(&Mechanism::Sha256RsaPkcs, self.key, message)
                .map_err(failed),
            KeyAlgorithm::P256 | KeyAlgorithm::P384 => {
                let p256 = self.algorithm == KeyAlgorithm::P256;
                let digest = if p256 {
                    sha2::Sha256::digest(message).to_vec()
                } else {
                    sha2::Sha384::digest(message).to_vec()
                };
                let raw = session
                    .sign(&Mechanism::Ecdsa, self.key, &digest)
                    .map_err(failed)?;
                let der = if p256 {
                    p256::ecdsa::Signature::from_slice(&raw).map(|s| s.to_der().as_bytes().to_vec())
                } else {
                    p384::ecdsa::Signature::from_slice(&raw).map(|s| s.to_der().as_bytes().to_vec())
                };
                der.map_err(|e| format!("the token's ECDSA signature: {e}"))
            }
        }
    }
}

/// Opens the key and certificate `uri` names on a token of `module`,
/// logging in with the PIN `pin` gives (asked only once the token is
/// found). `chain`: more certificates to include.
pub fn open_token_signer(
    module: &Path,
    uri: &str,
    pin: &dyn Fn(&str) -> Result<Zeroizing<String>, KeyError>,
    chain: Vec<Cert>,
) -> Result<CertSigner, KeyError> {
    let fail = |what: &str, detail: String| KeyError::Pkcs11 {
        what: what.to_string(),
        detail,
    };
    let wanted = TokenUri::parse(uri).map_err(|e| fail(uri, e))?;
    let module_name = module.display().to_string();
    let context = Pkcs11::new(module).map_err(|e| {
        fail(
            &module_name,
            format!("cannot load the PKCS#11 module ({e})"),
        )
    })?;
    context
        .initialize(CInitializeArgs::new(CInitializeFlags::OS_LOCKING_OK))
        .map_err(|e| {
            fail(
                &module_name,
                format!("the PKCS#11 module does not start ({e})"),
            )
        })?;
    let slots = context
        .get_slots_with_token()
        .map_err(|e| fail(&module_name, format!("cannot list its tokens ({e})")))?;
    let mut found = None;
    for slot in slots {
        let Ok(info) = context.get_token_info(slot) else {
            continue;
        };
        let label = info.label().trim_end().to_string();
        if wanted.token.as_deref().is_none_or(|t| t == label) {
            found = Some((slot, label));
            break;
        }
    }
    let Some((slot, label)) = found else {
        return Err(fail(uri, format!("no such token in {module_name}")));
    };
    let session = context.open_ro_session(slot).map_err(|e| {
        fail(
            &format!("token {label:?}"),
            format!("cannot open a session ({e})"),
        )
    })?;
    let pin = pin(&label)?;
    let secret = cryptoki::types::AuthPin::from(pin.as_str());
    session
        .login(UserType::User, Some(&secret))
        .map_err(|e| match e {
            cryptoki::error::Error::Pkcs11(cryptoki::error::RvError::PinIncorrect, _) => {
                fail(&format!("token {label:?}"), "wrong PIN".into())
            }
            other => fail(
                &format!("token {label:?}"),
                format!("cannot log in ({other})"),
            ),
        })?;
    let find = |class: ObjectClass| -> Result<Option<ObjectHandle>, KeyError> {
        let mut template = vec![Attribute::Class(class)];
        if let Some(object) = &wanted.object {
            template.push(Attribute::Label(object.as_bytes().to_vec()));
        }
        if let Some(id) = &wanted.id {
            template.push(Attribute::Id(id.clone()));
        }
        let handles = session
            .find_objects(&template)
            .map_err(|e| fail(uri, format!("cannot search the token ({e})")))?;
        match handles.as_slice() {
            [] => Ok(None),
            [one] => Ok(Some(*one)),
            _ => Err(fail(
                uri,
                "names more than one object; add id= or a label that is unique".into(),
            )),
        }
    };
    let key = find(ObjectClass::PRIVATE_KEY)?.ok_or_else(|| {
        fail(
            uri,
            format!("no private key with that name on token {label:?}"),
        )
    })?;
    let cert = find(ObjectClass::CERTIFICATE)?.ok_or_else(|| {
        fail(
            uri,
            format!("no certificate with that name on token {label:?}"),
        )
    })?;
    let value = session
        .get_attributes(cert, &[AttributeType::Value])
        .map_err(|e| fail(uri, format!("cannot read the certificate ({e})")))?;
    let der = value
        .into_iter()
        .find_map(|a| match a {
            Attribute::Value(der) => Some(der),
            _ => None,
        })
        .ok_or_else(|| fail(uri, "the certificate object has no value".into()))?;
    let cert = Cert::from_der(&der).map_err(|e| fail(uri, e))?;
    let algorithm = cert.key_algorithm().map_err(|e| fail(uri, e))?;
    let key = TokenKey {
        session: Mutex::new(session),
        key,
        algorithm,
    };
    Ok(CertSigner::external(Box::new(key), cert, chain))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_name_a_token_and_an_object() {
        assert_eq!(
            TokenUri::parse("pkcs11:token=Examiner;object=seal;type=private"),
            Ok(TokenUri {
                token: Some("Examiner".into()),
                object: Some("seal".into()),
                id: None,
            })
        );
        assert_eq!(
            TokenUri::parse("pkcs11:token=My%20Card;id=%01%02").map(|u| (u.token, u.id)),
            Ok((Some("My Card".into()), Some(vec![1, 2])))
        );
        for bad in [
            "token=Examiner;object=seal",
            "pkcs11:token=Examiner",
            "pkcs11:object=seal?pin-value=1234",
            "pkcs11:object=seal;serial=42",
            "pkcs11:object=seal;type=public",
        ] {
            assert!(TokenUri::parse(bad).is_err(), "{bad}");
        }
    }
}
