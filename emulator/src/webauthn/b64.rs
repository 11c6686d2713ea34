//! Strict base64url (RFC 4648 §5, no padding) for WebAuthn's binary members, with a size limit
//! checked before anything is allocated. Padded or standard-alphabet base64 is refused: Okta's
//! shipping Direct Auth WebAuthn client (Kotlin) and `PublicKeyCredential.toJSON()` send
//! base64url without padding (ANCHORS-2026-12 §1.3).

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;

/// Why a base64url field was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum B64Problem {
    /// Longer than the field's limit (decoded bytes).
    TooLong { max_bytes: usize },
    /// Not base64url without padding (wrong alphabet, padding, or a truncated quantum).
    NotBase64Url,
}

impl std::fmt::Display for B64Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            B64Problem::TooLong { max_bytes } => write!(f, "longer than {max_bytes} bytes"),
            B64Problem::NotBase64Url => f.write_str("not base64url without padding (RFC 4648 §5: '-' and '_', no '=')"),
        }
    }
}

/// base64url without padding.
pub fn encode(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

/// Decodes base64url without padding, refusing input that would decode to more than `max_bytes`.
pub fn decode(text: &str, max_bytes: usize) -> Result<Vec<u8>, B64Problem> {
    // 4 characters carry 3 bytes; the length is checked before decoding so a huge field
    // costs nothing.
    if text.len() > max_bytes.div_ceil(3).saturating_mul(4) {
        return Err(B64Problem::TooLong { max_bytes });
    }
    let bytes = URL_SAFE_NO_PAD.decode(text.as_bytes()).map_err(|_| B64Problem::NotBase64Url)?;
    if bytes.len() > max_bytes {
        return Err(B64Problem::TooLong { max_bytes });
    }
    Ok(bytes)
}
