//! Optional URL signing: HMAC-SHA256 over the canonical query, so that only URLs the site
//! itself made are rendered.
//!
//! The signature is the `sig` parameter, lower-case hex. It covers
//! [`canonical_query`](crate::request::canonical_query): the known parameters, decoded,
//! normalised and sorted, so any spelling of the same request verifies and extra tracking
//! parameters do not break it. Comparison is constant-time (`hmac`'s `verify_slice`).

use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::render::hex;
use crate::request::{canonical_query, ParamError};

type HmacSha256 = Hmac<Sha256>;

fn mac(key: &[u8]) -> HmacSha256 {
    // Infallible: HMAC takes keys of any length.
    HmacSha256::new_from_slice(key).expect("HMAC accepts any key length")
}

/// The signature of a canonical query.
pub fn signature(key: &[u8], canonical: &str) -> String {
    let mut m = mac(key);
    m.update(canonical.as_bytes());
    hex(&m.finalize().into_bytes())
}

/// `canonical&sig=…` for a raw query: what `ogcard sign` prints after `/api/og?`.
pub fn signed_query(key: &[u8], query: &str) -> Result<String, ParamError> {
    let canonical = canonical_query(query)?;
    let sig = signature(key, &canonical);
    Ok(if canonical.is_empty() {
        format!("sig={sig}")
    } else {
        format!("{canonical}&sig={sig}")
    })
}

/// Whether the raw query carries a valid `sig` for its own canonical form, under any of
/// `keys` (several during a key rotation: the new one signs, the old one still verifies).
/// The query is parsed and made canonical once, whatever the number of keys.
pub fn verify_any<K: AsRef<[u8]>>(keys: &[K], query: &str) -> bool {
    let Some(sig) = query
        .split('&')
        .filter_map(|p| p.strip_prefix("sig="))
        .next_back()
    else {
        return false;
    };
    let Some(sig) = from_hex(sig) else {
        return false;
    };
    let Ok(canonical) = canonical_query(query) else {
        return false;
    };
    keys.iter().any(|key| {
        let mut m = mac(key.as_ref());
        m.update(canonical.as_bytes());
        m.verify_slice(&sig).is_ok()
    })
}

/// Whether the raw query carries a valid `sig` for its own canonical form.
pub fn verify(key: &[u8], query: &str) -> bool {
    verify_any(&[key], query)
}

/// Bytes of a hex string: digits and `a`–`f` in either case, nothing else (no sign, no
/// space: `from_str_radix` alone would take `+f`).
fn from_hex(s: &str) -> Option<Vec<u8>> {
    if !s.len().is_multiple_of(2) || !s.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signed_queries_verify_in_any_spelling() {
        let key = b"secret";
        let signed = signed_query(key, "title=การ+AI&site=x.com").unwrap();
        assert!(verify(key, &signed));
        let sig = signed.rsplit_once("sig=").unwrap().1;
        let respelled =
            format!("utm=1&site=x.com&title=%E0%B8%81%E0%B8%B2%E0%B8%A3%20AI&sig={sig}");
        assert!(verify(key, &respelled));
    }

    #[test]
    fn tampering_or_another_key_fails() {
        let signed = signed_query(b"secret", "title=hello").unwrap();
        assert!(!verify(b"other", &signed));
        assert!(!verify(b"secret", &signed.replace("hello", "hellp")));
        assert!(!verify(b"secret", "title=hello"));
        assert!(!verify(b"secret", "title=hello&sig=zz"));
        assert!(!verify(b"secret", "title=hello&sig="));
    }

    #[test]
    fn only_plain_hex_is_a_signature() {
        let signed = signed_query(b"secret", "title=hello").unwrap();
        let sig = signed.rsplit_once("sig=").unwrap().1.to_string();
        assert!(verify(b"secret", &signed));
        assert!(verify(
            b"secret",
            &format!("title=hello&sig={}", sig.to_uppercase())
        ));
        // `+` before a digit: `from_str_radix` reads `+f` as 15.
        let plus = format!("title=hello&sig=+{}", &sig[1..]);
        assert!(!verify(b"secret", &plus));
        assert!(!verify(
            b"secret",
            &format!("title=hello&sig= {}", &sig[1..])
        ));
    }

    #[test]
    fn any_of_several_keys_verifies() {
        let old = signed_query(b"old", "title=hello").unwrap();
        let new = signed_query(b"new", "title=hello").unwrap();
        let keys = [b"new".to_vec(), b"old".to_vec()];
        assert!(verify_any(&keys, &old));
        assert!(verify_any(&keys, &new));
        assert!(!verify_any(
            &keys,
            &signed_query(b"other", "title=hello").unwrap()
        ));
        assert!(!verify_any::<Vec<u8>>(&[], &new));
    }
}
