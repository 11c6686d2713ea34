//! Constant-time comparison of secrets (passwords, client secrets, OTPs, binding codes), so
//! the time a comparison takes says nothing about how much of a guess was right.

/// `a == b` in time that depends only on the lengths.
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::constant_time_eq;

    #[test]
    fn equal_only_when_every_byte_is() {
        assert!(constant_time_eq(b"Demo-Passw0rd", b"Demo-Passw0rd"));
        assert!(!constant_time_eq(b"Demo-Passw0rd", b"Demo-Passw0rD"));
        assert!(!constant_time_eq(b"Demo-Passw0rd", b"Demo-Passw0r"));
        assert!(constant_time_eq(b"", b""));
    }
}
