//! `application/x-www-form-urlencoded` serialisation, as the WHATWG URL standard defines it.

/// Builds a form body field by field. Spaces become `+`; every byte outside
/// `A-Z a-z 0-9 * - . _` is percent-encoded from its UTF-8 form (so `+` itself is `%2B`).
#[derive(Default)]
pub struct FormBody(String);

impl FormBody {
    pub fn new() -> Self {
        FormBody(String::new())
    }

    /// Appends `name=value`.
    pub fn field(mut self, name: &str, value: &str) -> Self {
        if !self.0.is_empty() {
            self.0.push('&');
        }
        encode_into(&mut self.0, name);
        self.0.push('=');
        encode_into(&mut self.0, value);
        self
    }

    /// Appends `name=value` when there is a value.
    pub fn optional(self, name: &str, value: Option<&str>) -> Self {
        match value {
            Some(value) => self.field(name, value),
            None => self,
        }
    }

    pub fn finish(self) -> String {
        self.0
    }
}

fn encode_into(out: &mut String, text: &str) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for &byte in text.as_bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'*' | b'-' | b'.' | b'_' => out.push(byte as char),
            b' ' => out.push('+'),
            _ => {
                out.push('%');
                out.push(HEX[usize::from(byte >> 4)] as char);
                out.push(HEX[usize::from(byte & 15)] as char);
            }
        }
    }
}

/// Decodes a form body back into its fields (tests only: the SDK never reads forms).
#[cfg(test)]
#[cfg(not(target_arch = "wasm32"))] // proptest is native-only
pub fn decode(body: &str) -> Vec<(String, String)> {
    fn unescape(part: &str) -> String {
        let bytes = part.as_bytes();
        let mut out = Vec::new();
        let mut i = 0;
        while i < bytes.len() {
            match bytes[i] {
                b'+' => out.push(b' '),
                b'%' => {
                    out.push(u8::from_str_radix(&part[i + 1..i + 3], 16).unwrap());
                    i += 2;
                }
                b => out.push(b),
            }
            i += 1;
        }
        String::from_utf8(out).unwrap()
    }
    if body.is_empty() {
        return Vec::new();
    }
    body.split('&')
        .map(|pair| {
            let (name, value) = pair.split_once('=').unwrap();
            (unescape(name), unescape(value))
        })
        .collect()
}

#[cfg(test)]
#[cfg(not(target_arch = "wasm32"))] // proptest is native-only
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn encodes_like_url_search_params() {
        let body = FormBody::new()
            .field("scope", "openid profile")
            .field("grant_type", "http://auth0.com/oauth/grant-type/mfa-otp")
            .field("password", "p@ss+w&rd=é~")
            .finish();
        assert_eq!(
            body,
            "scope=openid+profile&grant_type=http%3A%2F%2Fauth0.com%2Foauth%2Fgrant-type%2Fmfa-otp\
             &password=p%40ss%2Bw%26rd%3D%C3%A9%7E"
        );
    }

    proptest! {
        #[test]
        fn round_trips(name in "[a-z_]{1,10}", value in ".{0,40}") {
            let body = FormBody::new().field(&name, &value).finish();
            prop_assert!(body.bytes().all(|b| b.is_ascii_graphic()));
            prop_assert_eq!(decode(&body), vec![(name, value)]);
        }
    }
}
