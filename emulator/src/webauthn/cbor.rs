//! A minimal CBOR (RFC 8949) reader for exactly what WebAuthn needs: the attestation object,
//! COSE keys and the extensions map inside authenticator data. Definite lengths only (CTAP2's
//! canonical encoding never uses indefinite ones); nesting, element counts and lengths are
//! bounded by limits and by the input left, so hostile input costs at most its own size and
//! never panics.

/// A decoded CBOR data item.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Unsigned(u64),
    /// The negative integer `-1 - n`.
    Negative(u64),
    Bytes(Vec<u8>),
    Text(String),
    Array(Vec<Value>),
    /// Pairs in encoded order; duplicate keys are refused while decoding.
    Map(Vec<(Value, Value)>),
    Tagged(u64, Box<Value>),
    Bool(bool),
    Null,
    Undefined,
    /// A float or another simple value, kept only as its raw bits: nothing WebAuthn reads is one.
    OtherSimple(u64),
}

/// Why CBOR input was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CborError {
    Truncated,
    IndefiniteLength,
    ReservedEncoding,
    TooDeep,
    TooManyElements,
    InvalidUtf8,
    DuplicateMapKey,
    TrailingBytes,
}

impl std::fmt::Display for CborError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            CborError::Truncated => "CBOR ends in the middle of an item",
            CborError::IndefiniteLength => "CBOR indefinite-length items are not accepted",
            CborError::ReservedEncoding => "CBOR uses a reserved encoding",
            CborError::TooDeep => "CBOR nests too deeply",
            CborError::TooManyElements => "a CBOR array or map has too many elements",
            CborError::InvalidUtf8 => "a CBOR text string is not UTF-8",
            CborError::DuplicateMapKey => "a CBOR map repeats a key",
            CborError::TrailingBytes => "bytes follow the CBOR item",
        })
    }
}

/// Nesting WebAuthn needs: attestation object → attStmt → x5c → bytes is 3 deep.
const MAX_DEPTH: usize = 8;
/// COSE keys have at most 6 members, attestation objects 3; generous but bounded.
const MAX_ELEMENTS: u64 = 64;

impl Value {
    /// The value as an integer, if it is one.
    pub fn as_int(&self) -> Option<i128> {
        match self {
            Value::Unsigned(n) => Some(i128::from(*n)),
            Value::Negative(n) => Some(-1 - i128::from(*n)),
            _ => None,
        }
    }

    pub fn as_bytes(&self) -> Option<&[u8]> {
        match self {
            Value::Bytes(b) => Some(b),
            _ => None,
        }
    }

    pub fn as_text(&self) -> Option<&str> {
        match self {
            Value::Text(t) => Some(t),
            _ => None,
        }
    }

    pub fn as_map(&self) -> Option<&[(Value, Value)]> {
        match self {
            Value::Map(m) => Some(m),
            _ => None,
        }
    }
}

/// The member of `map` under the integer key `key` (COSE labels).
pub fn get_int(map: &[(Value, Value)], key: i128) -> Option<&Value> {
    map.iter().find(|(k, _)| k.as_int() == Some(key)).map(|(_, v)| v)
}

/// The member of `map` under the text key `key` (attestation object members).
pub fn get_text<'m>(map: &'m [(Value, Value)], key: &str) -> Option<&'m Value> {
    map.iter().find(|(k, _)| k.as_text() == Some(key)).map(|(_, v)| v)
}

/// Decodes one item from the start of `input`; returns it and the number of bytes it used.
pub fn decode_prefix(input: &[u8]) -> Result<(Value, usize), CborError> {
    let mut reader = Reader { input, pos: 0 };
    let value = reader.item(0)?;
    Ok((value, reader.pos))
}

/// Decodes `input` as exactly one item.
pub fn decode_exact(input: &[u8]) -> Result<Value, CborError> {
    let (value, used) = decode_prefix(input)?;
    if used != input.len() {
        return Err(CborError::TrailingBytes);
    }
    Ok(value)
}

struct Reader<'a> {
    input: &'a [u8],
    pos: usize,
}

impl Reader<'_> {
    fn remaining(&self) -> usize {
        self.input.len().saturating_sub(self.pos)
    }

    fn take(&mut self, n: usize) -> Result<&[u8], CborError> {
        let end = self.pos.checked_add(n).ok_or(CborError::Truncated)?;
        let bytes = self.input.get(self.pos..end).ok_or(CborError::Truncated)?;
        self.pos = end;
        Ok(bytes)
    }

    fn byte(&mut self) -> Result<u8, CborError> {
        Ok(self.take(1)?[0])
    }

    /// The argument of an initial byte with additional information `info`.
    fn argument(&mut self, info: u8) -> Result<u64, CborError> {
        let width = match info {
            0..=23 => return Ok(u64::from(info)),
            24 => 1,
            25 => 2,
            26 => 4,
            27 => 8,
            28..=30 => return Err(CborError::ReservedEncoding),
            _ => return Err(CborError::IndefiniteLength),
        };
        Ok(self.take(width)?.iter().fold(0u64, |acc, b| (acc << 8) | u64::from(*b)))
    }

    /// A length that must fit in what is left of the input.
    fn length(&mut self, info: u8) -> Result<usize, CborError> {
        let n = self.argument(info)?;
        let n = usize::try_from(n).map_err(|_| CborError::Truncated)?;
        if n > self.remaining() {
            return Err(CborError::Truncated);
        }
        Ok(n)
    }

    /// An element count: bounded, and each element needs at least one byte.
    fn count(&mut self, info: u8, per_element: u64) -> Result<usize, CborError> {
        let n = self.argument(info)?;
        if n > MAX_ELEMENTS {
            return Err(CborError::TooManyElements);
        }
        if n.saturating_mul(per_element) > self.remaining() as u64 {
            return Err(CborError::Truncated);
        }
        // Bounded by MAX_ELEMENTS above, so the conversion cannot fail.
        usize::try_from(n).map_err(|_| CborError::TooManyElements)
    }

    fn item(&mut self, depth: usize) -> Result<Value, CborError> {
        if depth > MAX_DEPTH {
            return Err(CborError::TooDeep);
        }
        let initial = self.byte()?;
        let (major, info) = (initial >> 5, initial & 0x1f);
        match major {
            0 => Ok(Value::Unsigned(self.argument(info)?)),
            1 => Ok(Value::Negative(self.argument(info)?)),
            2 => {
                let n = self.length(info)?;
                Ok(Value::Bytes(self.take(n)?.to_vec()))
            }
            3 => {
                let n = self.length(info)?;
                let text = std::str::from_utf8(self.take(n)?).map_err(|_| CborError::InvalidUtf8)?;
                Ok(Value::Text(text.to_owned()))
            }
            4 => {
                let n = self.count(info, 1)?;
                let mut items = Vec::with_capacity(n);
                for _ in 0..n {
                    items.push(self.item(depth + 1)?);
                }
                Ok(Value::Array(items))
            }
            5 => {
                let n = self.count(info, 2)?;
                let mut pairs: Vec<(Value, Value)> = Vec::with_capacity(n);
                for _ in 0..n {
                    let key = self.item(depth + 1)?;
                    if pairs.iter().any(|(k, _)| *k == key) {
                        return Err(CborError::DuplicateMapKey);
                    }
                    let value = self.item(depth + 1)?;
                    pairs.push((key, value));
                }
                Ok(Value::Map(pairs))
            }
            6 => {
                let tag = self.argument(info)?;
                Ok(Value::Tagged(tag, Box::new(self.item(depth + 1)?)))
            }
            _ => match info {
                20 => Ok(Value::Bool(false)),
                21 => Ok(Value::Bool(true)),
                22 => Ok(Value::Null),
                23 => Ok(Value::Undefined),
                31 => Err(CborError::IndefiniteLength),
                _ => Ok(Value::OtherSimple(self.argument(info)?)),
            },
        }
    }
}
