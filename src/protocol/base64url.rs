//! Base64url decoding (RFC 4648 §5) for JWT segments: unpadded, or padded with `=`.

/// Decodes base64url. Returns `None` on any character outside the alphabet, a misplaced
/// `=`, a length no encoder produces (`len % 4 == 1`), or leftover bits that are not zero
/// (text no encoder produces: one byte string has one encoding, as `base64` requires).
pub fn decode(input: &str) -> Option<Vec<u8>> {
    let bytes = input.as_bytes();
    // Padding is optional in JWTs; accept it only at the very end, at most two `=`.
    let unpadded_len = bytes.iter().rposition(|&b| b != b'=').map_or(0, |i| i + 1);
    let padding = bytes.len() - unpadded_len;
    if padding > 2 || (padding > 0 && bytes.len() % 4 != 0) {
        return None;
    }
    let data = &bytes[..unpadded_len];
    if data.len() % 4 == 1 {
        return None;
    }
    let mut out = Vec::with_capacity(data.len() * 3 / 4);
    let mut accumulator: u32 = 0;
    let mut bits: u32 = 0;
    for &byte in data {
        let sextet = match byte {
            b'A'..=b'Z' => byte - b'A',
            b'a'..=b'z' => byte - b'a' + 26,
            b'0'..=b'9' => byte - b'0' + 52,
            b'-' => 62,
            b'_' => 63,
            _ => return None,
        };
        accumulator = (accumulator << 6) | u32::from(sextet);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            // Truncation to the low byte is the point: the high bits were already emitted.
            out.push((accumulator >> bits) as u8);
            accumulator &= (1 << bits) - 1;
        }
    }
    (accumulator == 0).then_some(out)
}

/// base64url without padding, as JWTs use: a straightforward encoder for tests only (the SDK
/// never encodes), shared by the round-trip property and the JWT fixtures.
#[cfg(test)]
pub fn encode(input: impl AsRef<[u8]>) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::new();
    for chunk in input.as_ref().chunks(3) {
        let n = chunk.iter().enumerate().fold(0u32, |n, (i, &b)| n | (u32::from(b) << (16 - 8 * i)));
        for i in 0..=chunk.len() {
            out.push(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize] as char);
        }
    }
    out
}

#[cfg(test)]
#[cfg(not(target_arch = "wasm32"))] // proptest is native-only
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn decodes_known_values() {
        assert_eq!(decode("").unwrap(), b"");
        assert_eq!(decode("Zg").unwrap(), b"f");
        assert_eq!(decode("Zg==").unwrap(), b"f");
        assert_eq!(decode("Zm8").unwrap(), b"fo");
        assert_eq!(decode("Zm9v").unwrap(), b"foo");
        assert_eq!(decode("eyJhbGciOiJSUzI1NiJ9").unwrap(), br#"{"alg":"RS256"}"#);
        assert_eq!(decode("-_8").unwrap(), [0xfb, 0xff]);
    }

    #[test]
    fn rejects_what_no_encoder_produces() {
        for bad in ["Z", "Zg=", "Zm9v=", "Zg===", "Z=g=", "Zm+v", "Zm/v", "Zm9v\n", "é"] {
            assert_eq!(decode(bad), None, "{bad:?}");
        }
    }

    proptest! {
        #[test]
        fn round_trips(bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
            prop_assert_eq!(decode(&encode(&bytes)).unwrap(), bytes);
        }

        #[test]
        fn never_panics(text in ".{0,100}") {
            let _ = decode(&text);
        }
    }
}
