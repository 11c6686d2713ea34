//! Authenticator data (WebAuthn §6.1): rpIdHash (32) ‖ flags (1) ‖ signCount (4, big-endian)
//! ‖ attested credential data (when AT) ‖ extensions CBOR map (when ED), and nothing after.

use super::cbor::{self, Value};
use super::keys::PublicKey;

pub const FLAG_UP: u8 = 0x01;
pub const FLAG_UV: u8 = 0x04;
pub const FLAG_BE: u8 = 0x08;
pub const FLAG_BS: u8 = 0x10;
pub const FLAG_AT: u8 = 0x40;
pub const FLAG_ED: u8 = 0x80;

/// WebAuthn §5.1: credential IDs are at most 1023 bytes.
pub const MAX_CREDENTIAL_ID_BYTES: usize = 1023;

/// Parsed authenticator data.
#[derive(Debug, Clone)]
pub struct AuthenticatorData {
    pub rp_id_hash: [u8; 32],
    pub flags: u8,
    pub sign_count: u32,
    /// Present when the AT flag is set (registration).
    pub attested: Option<AttestedCredential>,
}

/// The attested credential data of a registration.
#[derive(Debug, Clone)]
pub struct AttestedCredential {
    pub aaguid: [u8; 16],
    pub credential_id: Vec<u8>,
    pub public_key: PublicKey,
}

impl AuthenticatorData {
    pub fn user_present(&self) -> bool {
        self.flags & FLAG_UP != 0
    }
    pub fn user_verified(&self) -> bool {
        self.flags & FLAG_UV != 0
    }
    pub fn backup_eligible(&self) -> bool {
        self.flags & FLAG_BE != 0
    }
    pub fn backed_up(&self) -> bool {
        self.flags & FLAG_BS != 0
    }

    /// Parses `bytes`; the message says which part is wrong.
    pub fn parse(bytes: &[u8]) -> Result<AuthenticatorData, String> {
        if bytes.len() < 37 {
            return Err(format!("authenticatorData has {} bytes: at least 37 are required", bytes.len()));
        }
        let (head, mut rest) = bytes.split_at(37);
        let mut rp_id_hash = [0u8; 32];
        rp_id_hash.copy_from_slice(&head[..32]);
        let flags = head[32];
        let sign_count = u32::from_be_bytes([head[33], head[34], head[35], head[36]]);
        if flags & FLAG_BS != 0 && flags & FLAG_BE == 0 {
            return Err("authenticatorData says backed up (BS) but not backup eligible (BE)".into());
        }
        let attested = if flags & FLAG_AT != 0 {
            let (credential, used) = parse_attested(rest)?;
            rest = &rest[used..];
            Some(credential)
        } else {
            None
        };
        if flags & FLAG_ED != 0 {
            let (extensions, used) =
                cbor::decode_prefix(rest).map_err(|e| format!("authenticatorData's extensions are not valid CBOR: {e}"))?;
            if extensions.as_map().is_none() {
                return Err("authenticatorData's extensions are not a CBOR map".into());
            }
            rest = &rest[used..];
        }
        if !rest.is_empty() {
            return Err(format!("authenticatorData has {} unexpected bytes at its end (check the AT and ED flags)", rest.len()));
        }
        Ok(AuthenticatorData { rp_id_hash, flags, sign_count, attested })
    }
}

/// aaguid (16) ‖ credentialIdLength (2) ‖ credentialId ‖ credentialPublicKey (COSE_Key CBOR).
fn parse_attested(bytes: &[u8]) -> Result<(AttestedCredential, usize), String> {
    if bytes.len() < 18 {
        return Err("authenticatorData's attested credential data is truncated".into());
    }
    let mut aaguid = [0u8; 16];
    aaguid.copy_from_slice(&bytes[..16]);
    let id_len = usize::from(u16::from_be_bytes([bytes[16], bytes[17]]));
    if id_len == 0 || id_len > MAX_CREDENTIAL_ID_BYTES {
        return Err(format!("the credential ID has {id_len} bytes: 1 to {MAX_CREDENTIAL_ID_BYTES} are allowed"));
    }
    let credential_id = bytes.get(18..18 + id_len).ok_or("authenticatorData's credential ID is truncated")?.to_vec();
    let key_bytes = &bytes[18 + id_len..];
    let (key, used): (Value, usize) =
        cbor::decode_prefix(key_bytes).map_err(|e| format!("the credential public key is not valid CBOR: {e}"))?;
    let public_key = PublicKey::from_cose_value(&key).map_err(|e| e.0)?;
    Ok((AttestedCredential { aaguid, credential_id, public_key }, 18 + id_len + used))
}
