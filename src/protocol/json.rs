//! A small, strict JSON parser (RFC 8259), so the wasm carries no serde_json.
//!
//! Strict means: UTF-8 only, no trailing commas, no comments, no leading zeros, no lone
//! surrogates, no control characters in strings, no duplicate keys, one value per document,
//! at most [`MAX_DEPTH`] nested arrays/objects (so hostile input cannot exhaust the stack), and
//! at most [`MAX_MEMBERS`] members per object (so the duplicate check stays bounded).
//! Numbers are kept as their validated text: the SDK only ever needs integers from them
//! ([`Value::as_i64`]) or near-integers ([`Value::as_f64`]), and keeping text avoids shipping
//! core's float parser in the wasm. [`ObjectWriter`] writes JSON objects (the results handed to
//! JS, `crate::face::results`); reading a caller's members by type is `crate::face::members`.

/// Deepest nesting accepted. Okta's responses nest two or three levels.
pub const MAX_DEPTH: usize = 64;
/// Most members accepted in one object. Okta's objects have a few dozen; the bound keeps the
/// duplicate-name check (each name against the earlier ones) at most 256 × 255 / 2 comparisons
/// per object, so a hostile body (40,000 distinct names took 1.6 s on the main thread) costs
/// time linear in its size.
pub const MAX_MEMBERS: usize = 256;

/// A JSON value. Its `Debug` shows the structure and member names but no string or number (a
/// response body or a caller's arguments hold tokens and codes).
#[derive(Clone, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    /// The number's text exactly as it appeared (already checked against the JSON grammar).
    Number(String),
    String(String),
    Array(Vec<Value>),
    /// Members in document order; keys are unique.
    Object(Vec<(String, Value)>),
}

impl core::fmt::Debug for Value {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Value::Null => f.write_str("null"),
            Value::Bool(b) => core::fmt::Debug::fmt(b, f),
            Value::Number(_) => f.write_str("<number>"),
            Value::String(_) => f.write_str("<string>"),
            Value::Array(items) => f.debug_list().entries(items).finish(),
            Value::Object(members) => f.debug_map().entries(members.iter().map(|(k, v)| (k, v))).finish(),
        }
    }
}

/// A refused document. It carries no reason or offset: every caller maps it to its own
/// error, so they would only weigh on the wasm.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct JsonError;

impl Value {
    /// The member `key` of an object (`None` for other values or a missing key).
    pub fn get(&self, key: &str) -> Option<&Value> {
        match self {
            Value::Object(members) => members.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    pub fn is_object(&self) -> bool {
        matches!(self, Value::Object(_))
    }

    /// The number rounded toward zero, if it is one and fits in an `i64`
    /// (`300`, `300.0`, `3e2` and `1.7e9` all work; `1e400` does not). Byte loops only: no
    /// float parser and no string searching in the wasm.
    pub fn as_i64(&self) -> Option<i64> {
        let Value::Number(text) = self else { return None };
        let bytes = text.as_bytes();
        let (negative, bytes) = match bytes.split_first() {
            Some((b'-', rest)) => (true, rest),
            _ => (false, bytes),
        };
        let (mantissa, exponent) = match bytes.iter().position(|&b| b == b'e' || b == b'E') {
            Some(i) => (bytes.get(..i)?, parse_i32(bytes.get(i + 1..)?)?),
            None => (bytes, 0),
        };
        let int_len = mantissa.iter().position(|&b| b == b'.').unwrap_or(mantissa.len());
        // Shift the decimal point by the exponent, then drop whatever is after it.
        let mut digits = mantissa.iter().filter(|&&b| b != b'.');
        let point = i64::try_from(int_len).ok()? + i64::from(exponent);
        if point > 20 {
            // More than 20 integer digits only fits when they are all zero; also bounds the loop.
            return digits.all(|&d| d == b'0').then_some(0);
        }
        let mut value: i64 = 0;
        for _ in 0..point.max(0) {
            let digit = digits.next().map_or(0, |d| d.wrapping_sub(b'0'));
            value = value.checked_mul(10)?.checked_add(i64::from(digit))?;
        }
        Some(if negative { -value } else { value })
    }

    /// `as_i64` for values that must be non-negative (lifetimes, intervals).
    pub fn as_u64(&self) -> Option<u64> {
        self.as_i64().and_then(|n| u64::try_from(n).ok())
    }

    /// The number as an `f64`, close enough for the caller's options and timestamps (exact for
    /// integers below 2^53 and for short decimals), without core's float parser (~10 KB of wasm).
    pub fn as_f64(&self) -> Option<f64> {
        let Value::Number(text) = self else { return None };
        let (mut mantissa, mut exponent, mut negative, mut after_point) = (0.0f64, 0i32, false, false);
        let mut bytes = text.bytes();
        while let Some(b) = bytes.next() {
            match b {
                b'-' => negative = true,
                b'.' => after_point = true,
                b'e' | b'E' => {
                    let (mut e, mut negative_e) = (0i32, false);
                    for b in bytes.by_ref() {
                        match b {
                            b'-' => negative_e = true,
                            b'+' => {}
                            d => e = e.saturating_mul(10).saturating_add(i32::from(d.wrapping_sub(b'0'))),
                        }
                    }
                    exponent = exponent.saturating_add(if negative_e { -e } else { e });
                }
                d => {
                    mantissa = mantissa * 10.0 + f64::from(d.wrapping_sub(b'0'));
                    exponent -= i32::from(after_point);
                }
            }
        }
        // Dividing by an exact power of ten keeps `1.5` exactly 1.5.
        let value = if exponent < 0 { mantissa / 10f64.powi(exponent.saturating_neg()) } else { mantissa * 10f64.powi(exponent) };
        Some(if negative { -value } else { value })
    }
}

/// `str::parse::<i32>` for an exponent's bytes, without core's integer parser.
fn parse_i32(bytes: &[u8]) -> Option<i32> {
    let (negative, digits) = match bytes.split_first() {
        Some((b'-', rest)) => (true, rest),
        Some((b'+', rest)) => (false, rest),
        _ => (false, bytes),
    };
    if digits.is_empty() {
        return None;
    }
    let mut n: i32 = 0;
    for &d in digits {
        if !d.is_ascii_digit() {
            return None;
        }
        let d = i32::from(d - b'0');
        n = n.checked_mul(10)?;
        n = if negative { n.checked_sub(d)? } else { n.checked_add(d)? };
    }
    Some(n)
}

// ---- writing ----------------------------------------------------------------------------------

/// Appends `text` as a JSON string.
pub fn write_string(out: &mut String, text: &str) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.push('"');
    for ch in text.chars() {
        match ch {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 => {
                out.push_str("\\u00");
                out.push(HEX[(c as usize) >> 4] as char);
                out.push(HEX[(c as usize) & 15] as char);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// Appends `n` in decimal (no `core::fmt` in the wasm).
pub fn write_u64(out: &mut String, mut n: u64) {
    let mut digits = [0u8; 20];
    let mut i = digits.len();
    loop {
        i -= 1;
        digits[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    for &d in &digits[i..] {
        out.push(d as char);
    }
}

/// Builds a JSON object member by member: the results handed to JS, which `JSON.parse`s them.
pub struct ObjectWriter(String);

impl Default for ObjectWriter {
    fn default() -> Self {
        ObjectWriter(String::from("{"))
    }
}

impl ObjectWriter {
    pub fn new() -> Self {
        Self::default()
    }

    fn key(&mut self, key: &str) -> &mut String {
        if self.0.len() > 1 {
            self.0.push(',');
        }
        write_string(&mut self.0, key);
        self.0.push(':');
        &mut self.0
    }

    pub fn string(&mut self, key: &str, value: &str) -> &mut Self {
        write_string(self.key(key), value);
        self
    }

    /// Leaves the member out when `None` (optional members are absent, not `null`).
    pub fn optional_string(&mut self, key: &str, value: Option<&str>) -> &mut Self {
        if let Some(value) = value {
            self.string(key, value);
        }
        self
    }

    pub fn number(&mut self, key: &str, value: u64) -> &mut Self {
        write_u64(self.key(key), value);
        self
    }

    /// A member whose value is already JSON text.
    pub fn raw(&mut self, key: &str, json: &str) -> &mut Self {
        self.key(key).push_str(json);
        self
    }

    pub fn finish(&mut self) -> String {
        self.0.push('}');
        core::mem::take(&mut self.0)
    }
}

/// Parses one JSON document from raw bytes.
pub fn parse(bytes: &[u8]) -> Result<Value, JsonError> {
    let mut parser = Parser { bytes, pos: 0 };
    parser.skip_whitespace();
    let value = parser.value(0)?;
    parser.skip_whitespace();
    if parser.pos != bytes.len() {
        return Err(parser.error("unexpected data after the value"));
    }
    Ok(value)
}

struct Parser<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl Parser<'_> {
    /// `_reason` says why, for the reader of each call site; it is not kept.
    fn error(&self, _reason: &'static str) -> JsonError {
        JsonError
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn skip_whitespace(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.peek() {
            self.pos += 1;
        }
    }

    fn expect_literal(&mut self, literal: &'static [u8], value: Value) -> Result<Value, JsonError> {
        if self.bytes[self.pos..].starts_with(literal) {
            self.pos += literal.len();
            Ok(value)
        } else {
            Err(self.error("invalid literal"))
        }
    }

    fn value(&mut self, depth: usize) -> Result<Value, JsonError> {
        match self.peek() {
            None => Err(self.error("unexpected end of input")),
            Some(b'n') => self.expect_literal(b"null", Value::Null),
            Some(b't') => self.expect_literal(b"true", Value::Bool(true)),
            Some(b'f') => self.expect_literal(b"false", Value::Bool(false)),
            Some(b'"') => self.string().map(Value::String),
            Some(b'-' | b'0'..=b'9') => self.number(),
            Some(b'[') => self.array(depth + 1),
            Some(b'{') => self.object(depth + 1),
            Some(_) => Err(self.error("unexpected character")),
        }
    }

    fn array(&mut self, depth: usize) -> Result<Value, JsonError> {
        if depth > MAX_DEPTH {
            return Err(self.error("nested too deeply"));
        }
        self.pos += 1; // '['
        let mut items = Vec::new();
        self.skip_whitespace();
        if self.peek() == Some(b']') {
            self.pos += 1;
            return Ok(Value::Array(items));
        }
        loop {
            self.skip_whitespace();
            items.push(self.value(depth)?);
            self.skip_whitespace();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b']') => {
                    self.pos += 1;
                    return Ok(Value::Array(items));
                }
                _ => return Err(self.error("expected ',' or ']'")),
            }
        }
    }

    fn object(&mut self, depth: usize) -> Result<Value, JsonError> {
        if depth > MAX_DEPTH {
            return Err(self.error("nested too deeply"));
        }
        self.pos += 1; // '{'
        let mut members: Vec<(String, Value)> = Vec::new();
        self.skip_whitespace();
        if self.peek() == Some(b'}') {
            self.pos += 1;
            return Ok(Value::Object(members));
        }
        loop {
            self.skip_whitespace();
            if self.peek() != Some(b'"') {
                return Err(self.error("expected a member name"));
            }
            let key = self.string()?;
            if members.len() == MAX_MEMBERS {
                return Err(self.error("too many members"));
            }
            if members.iter().any(|(k, _)| *k == key) {
                return Err(self.error("duplicate member name"));
            }
            self.skip_whitespace();
            if self.peek() != Some(b':') {
                return Err(self.error("expected ':'"));
            }
            self.pos += 1;
            self.skip_whitespace();
            let value = self.value(depth)?;
            members.push((key, value));
            self.skip_whitespace();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b'}') => {
                    self.pos += 1;
                    return Ok(Value::Object(members));
                }
                _ => return Err(self.error("expected ',' or '}'")),
            }
        }
    }

    fn digits(&mut self) -> usize {
        let start = self.pos;
        while let Some(b'0'..=b'9') = self.peek() {
            self.pos += 1;
        }
        self.pos - start
    }

    fn number(&mut self) -> Result<Value, JsonError> {
        let start = self.pos;
        if self.peek() == Some(b'-') {
            self.pos += 1;
        }
        match self.peek() {
            Some(b'0') => self.pos += 1,
            Some(b'1'..=b'9') => {
                self.digits();
            }
            _ => return Err(self.error("invalid number")),
        }
        if self.peek() == Some(b'.') {
            self.pos += 1;
            if self.digits() == 0 {
                return Err(self.error("invalid number"));
            }
        }
        if let Some(b'e' | b'E') = self.peek() {
            self.pos += 1;
            if let Some(b'+' | b'-') = self.peek() {
                self.pos += 1;
            }
            if self.digits() == 0 {
                return Err(self.error("invalid number"));
            }
        }
        // The grammar above admits ASCII only, so this slice is valid UTF-8.
        let text = core::str::from_utf8(&self.bytes[start..self.pos]).map_err(|_| self.error("invalid number"))?;
        Ok(Value::Number(text.to_owned()))
    }

    fn hex4(&mut self) -> Result<u32, JsonError> {
        let mut code = 0;
        for _ in 0..4 {
            let digit = match self.peek() {
                Some(b @ b'0'..=b'9') => b - b'0',
                Some(b @ b'a'..=b'f') => b - b'a' + 10,
                Some(b @ b'A'..=b'F') => b - b'A' + 10,
                _ => return Err(self.error("invalid \\u escape")),
            };
            code = code * 16 + u32::from(digit);
            self.pos += 1;
        }
        Ok(code)
    }

    fn string(&mut self) -> Result<String, JsonError> {
        self.pos += 1; // opening quote
        let mut out: Vec<u8> = Vec::new();
        loop {
            let Some(byte) = self.peek() else { return Err(self.error("unterminated string")) };
            self.pos += 1;
            match byte {
                b'"' => break,
                b'\\' => {
                    let Some(escape) = self.peek() else { return Err(self.error("unterminated string")) };
                    self.pos += 1;
                    let simple = match escape {
                        b'"' => b'"',
                        b'\\' => b'\\',
                        b'/' => b'/',
                        b'b' => 8,
                        b'f' => 12,
                        b'n' => b'\n',
                        b'r' => b'\r',
                        b't' => b'\t',
                        b'u' => 0,
                        _ => return Err(self.error("invalid escape")),
                    };
                    if escape != b'u' {
                        out.push(simple);
                        continue;
                    }
                    let first = self.hex4()?;
                    let code = match first {
                        0xD800..=0xDBFF => {
                            if !self.bytes[self.pos..].starts_with(b"\\u") {
                                return Err(self.error("lone surrogate"));
                            }
                            self.pos += 2;
                            let second = self.hex4()?;
                            if !(0xDC00..=0xDFFF).contains(&second) {
                                return Err(self.error("lone surrogate"));
                            }
                            0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)
                        }
                        0xDC00..=0xDFFF => return Err(self.error("lone surrogate")),
                        _ => first,
                    };
                    let ch = char::from_u32(code).ok_or_else(|| self.error("invalid \\u escape"))?;
                    let mut buffer = [0; 4];
                    out.extend_from_slice(ch.encode_utf8(&mut buffer).as_bytes());
                }
                0..=0x1F => return Err(self.error("control character in string")),
                _ => out.push(byte),
            }
        }
        String::from_utf8(out).map_err(|_| self.error("invalid UTF-8"))
    }
}

/// Serialises a value (tests only: the round-trip property needs a writer).
#[cfg(test)]
#[cfg(not(target_arch = "wasm32"))] // proptest is native-only
pub fn write(value: &Value) -> String {
    fn string(out: &mut String, s: &str) {
        write_string(out, s);
    }
    fn go(out: &mut String, value: &Value) {
        match value {
            Value::Null => out.push_str("null"),
            Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Value::Number(n) => out.push_str(n),
            Value::String(s) => string(out, s),
            Value::Array(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    go(out, item);
                }
                out.push(']');
            }
            Value::Object(members) => {
                out.push('{');
                for (i, (k, v)) in members.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    string(out, k);
                    out.push(':');
                    go(out, v);
                }
                out.push('}');
            }
        }
    }
    let mut out = String::new();
    go(&mut out, value);
    out
}

#[cfg(test)]
#[cfg(not(target_arch = "wasm32"))] // proptest is native-only
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn s(text: &str) -> Value {
        Value::String(text.into())
    }

    #[test]
    fn parses_an_okta_token_response() {
        let body = br#" {"token_type":"Bearer","expires_in":3600,"access_token":"eyJ.a.b",
            "scope":"openid profile","nested":{"list":[1,-2.5e3,true,false,null,"x"]}} "#;
        let value = parse(body).unwrap();
        assert_eq!(value.get("token_type"), Some(&s("Bearer")));
        assert_eq!(value.get("expires_in").and_then(Value::as_u64), Some(3600));
        let list = value.get("nested").and_then(|n| n.get("list")).unwrap();
        assert_eq!(
            *list,
            Value::Array(vec![
                Value::Number("1".into()),
                Value::Number("-2.5e3".into()),
                Value::Bool(true),
                Value::Bool(false),
                Value::Null,
                s("x")
            ])
        );
    }

    #[test]
    fn decodes_escapes_and_surrogate_pairs() {
        let value = parse(br#""a\"b\\c\/d\b\f\n\r\t\u00e9\u20ac\ud83d\ude00""#).unwrap();
        assert_eq!(value, s("a\"b\\c/d\u{8}\u{c}\n\r\t\u{e9}\u{20ac}\u{1f600}"));
        assert_eq!(parse("\"h\u{e9}llo\"".as_bytes()).unwrap(), s("h\u{e9}llo"));
    }

    #[test]
    fn floats_from_number_text() {
        let n = |t: &str| Value::Number(t.into()).as_f64().unwrap();
        assert_eq!(n("30000"), 30000.0);
        assert_eq!(n("-0.5"), -0.5);
        assert_eq!(n("1.5"), 1.5);
        assert_eq!(n("1700000000123"), 1_700_000_000_123.0);
        assert_eq!(n("3e2"), 300.0);
        assert_eq!(n("25E-1"), 2.5);
        assert_eq!(n("1e+21"), 1e21);
        assert!(n("1e400").is_infinite());
        assert_eq!(n("1e-400"), 0.0);
        assert_eq!(s("5").as_f64(), None);
    }

    #[test]
    fn debug_shows_no_string_or_number() {
        let v = parse(br#"{"access_token":"hunter2","expires_in":31337,"ok":true,"list":[null,"hunter2"]}"#).unwrap();
        let shown = format!("{v:?}");
        assert_eq!(shown, r#"{"access_token": <string>, "expires_in": <number>, "ok": true, "list": [null, <string>]}"#);
    }

    #[test]
    fn integers_from_number_text() {
        let n = |t: &str| Value::Number(t.into()).as_i64();
        assert_eq!(n("0"), Some(0));
        assert_eq!(n("-12"), Some(-12));
        assert_eq!(n("300.0"), Some(300));
        assert_eq!(n("300.9"), Some(300));
        assert_eq!(n("3e2"), Some(300));
        assert_eq!(n("1.7e9"), Some(1_700_000_000));
        assert_eq!(n("25E-1"), Some(2));
        assert_eq!(n("1e-999999"), Some(0));
        assert_eq!(n("1e400"), None);
        assert_eq!(n("99999999999999999999"), None);
        assert_eq!(Value::Number("-1".into()).as_u64(), None);
        assert_eq!(s("5").as_i64(), None);
    }

    #[test]
    fn refuses_what_rfc_8259_refuses() {
        let bad: &[&[u8]] = &[
            b"",
            b" ",
            b"{",
            b"[1,]",
            b"{\"a\":1,}",
            b"01",
            b"-",
            b"1.",
            b".5",
            b"1e",
            b"+1",
            b"NaN",
            b"Infinity",
            b"tru",
            b"nul",
            b"'a'",
            b"\"a",
            b"\"\\x\"",
            b"\"\\u12\"",
            b"\"\\ud800\"",
            b"\"\\udc00\"",
            b"\"\\ud800\\u0041\"",
            b"\"a\nb\"",
            b"{\"a\" 1}",
            b"{1:2}",
            b"[1 2]",
            b"{} {}",
            b"\xff",
            b"\"\xc3\"",
            b"{\"a\":1,\"a\":2}",
            b"// c\n1",
            b"<html>",
        ];
        for doc in bad {
            assert!(parse(doc).is_err(), "{:?}", String::from_utf8_lossy(doc));
        }
    }

    #[test]
    fn depth_limit() {
        let ok = "[".repeat(MAX_DEPTH) + &"]".repeat(MAX_DEPTH);
        assert!(parse(ok.as_bytes()).is_ok());
        let deep = "[".repeat(MAX_DEPTH + 1) + &"]".repeat(MAX_DEPTH + 1);
        // Well-formed but for its depth, so the depth is why it is refused.
        assert_eq!(parse(deep.as_bytes()), Err(JsonError));
        let hostile = "[".repeat(1_000_000);
        assert!(parse(hostile.as_bytes()).is_err());
    }

    fn number_text() -> impl Strategy<Value = String> {
        (any::<i64>(), proptest::option::of(0u32..1000), proptest::option::of(-30i32..30)).prop_map(|(i, frac, exp)| {
            let mut text = i.to_string();
            if let Some(f) = frac {
                text += &format!(".{f}");
            }
            if let Some(e) = exp {
                text += &format!("e{e}");
            }
            text
        })
    }

    fn value() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            number_text().prop_map(Value::Number),
            any::<String>().prop_map(Value::String),
        ];
        leaf.prop_recursive(4, 64, 8, |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..8).prop_map(Value::Array),
                proptest::collection::btree_map(any::<String>(), inner, 0..8).prop_map(|m| Value::Object(m.into_iter().collect())),
            ]
        })
    }

    proptest! {
        #[test]
        fn round_trips(v in value()) {
            prop_assert_eq!(parse(write(&v).as_bytes()).unwrap(), v);
        }

        #[test]
        fn never_panics_on_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..256)) {
            let _ = parse(&bytes);
        }

        #[test]
        fn never_panics_on_json_like_text(text in r#"[\[\]{}",:0-9a-z\\ .eE+-]{0,64}"#) {
            let _ = parse(text.as_bytes());
        }

        #[test]
        fn never_panics_on_mutated_json(v in value(), cut in any::<prop::sample::Index>(), byte in any::<u8>()) {
            let mut bytes = write(&v).into_bytes();
            if !bytes.is_empty() {
                let i = cut.index(bytes.len());
                bytes[i] = byte;
                let _ = parse(&bytes);
                let _ = parse(&bytes[..i]);
            }
        }

        #[test]
        fn number_to_integer_never_panics(text in number_text()) {
            let _ = Value::Number(text).as_i64();
        }
    }
}
