//! TOTP per RFC 6238 (HMAC-SHA-1, 6 digits, 30 s steps) and the base32 decoding of secrets.

use hmac::{Hmac, Mac};
use sha1::Sha1;

pub const STEP_SECS: i64 = 30;
pub const DIGITS: u32 = 6;

/// Decodes RFC 4648 base32 (case-insensitive, `=` padding and spaces ignored).
pub fn decode_base32(input: &str) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    let mut buffer: u64 = 0;
    let mut bits = 0u32;
    for c in input.chars() {
        if c == '=' || c == ' ' {
            continue;
        }
        let v = match c.to_ascii_uppercase() {
            u @ 'A'..='Z' => u as u64 - 'A' as u64,
            d @ '2'..='7' => d as u64 - '2' as u64 + 26,
            _ => return None,
        };
        buffer = (buffer << 5) | v;
        bits += 5;
        if bits >= 8 {
            bits -= 8;
            out.push((buffer >> bits) as u8);
            buffer &= (1u64 << bits) - 1;
        }
    }
    if out.is_empty() {
        None
    } else {
        Some(out)
    }
}

/// HOTP (RFC 4226) value for `counter`, as a zero-padded 6-digit string.
pub fn hotp(secret: &[u8], counter: u64) -> String {
    let mut mac = match Hmac::<Sha1>::new_from_slice(secret) {
        Ok(m) => m,
        Err(_) => return String::from("000000"),
    };
    mac.update(&counter.to_be_bytes());
    let digest = mac.finalize().into_bytes();
    let offset = (digest[19] & 0x0f) as usize;
    let bin = ((u32::from(digest[offset]) & 0x7f) << 24)
        | (u32::from(digest[offset + 1]) << 16)
        | (u32::from(digest[offset + 2]) << 8)
        | u32::from(digest[offset + 3]);
    format!("{:06}", bin % 10u32.pow(DIGITS))
}

/// The time step containing `unix_secs`.
pub fn step_at(unix_secs: i64) -> i64 {
    unix_secs.div_euclid(STEP_SECS)
}

/// The code for a given step.
pub fn code_for_step(secret: &[u8], step: i64) -> String {
    hotp(secret, step.max(0) as u64)
}

/// Seconds until the step containing `unix_secs` ends.
pub fn seconds_left(unix_secs: i64) -> i64 {
    STEP_SECS - unix_secs.rem_euclid(STEP_SECS)
}

/// The step (current, previous or next: ±1 step of drift) whose code equals `code`.
pub fn matching_step(secret: &[u8], unix_secs: i64, code: &str) -> Option<i64> {
    if code.len() != DIGITS as usize || !code.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let now = step_at(unix_secs);
    [now, now - 1, now + 1].into_iter().find(|&s| crate::ct::constant_time_eq(code_for_step(secret, s).as_bytes(), code.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    // RFC 6238 appendix B, SHA-1 seed "12345678901234567890", truncated to 6 digits.
    #[test]
    fn rfc6238_vectors() {
        let secret = b"12345678901234567890";
        assert_eq!(code_for_step(secret, step_at(59)), "287082");
        assert_eq!(code_for_step(secret, step_at(1111111109)), "081804");
        assert_eq!(code_for_step(secret, step_at(1234567890)), "005924");
        assert_eq!(code_for_step(secret, step_at(2000000000)), "279037");
    }

    #[test]
    fn base32() {
        assert_eq!(decode_base32("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ").unwrap(), b"12345678901234567890");
        assert!(decode_base32("not base32!").is_none());
    }

    #[test]
    fn drift_window() {
        let secret = b"12345678901234567890";
        let t = 1234567890;
        let prev = code_for_step(secret, step_at(t) - 1);
        assert_eq!(matching_step(secret, t, &prev), Some(step_at(t) - 1));
        let far = code_for_step(secret, step_at(t) - 3);
        assert_eq!(matching_step(secret, t, &far).is_some(), far == prev);
        assert_eq!(matching_step(secret, t, "12345"), None);
    }
}
