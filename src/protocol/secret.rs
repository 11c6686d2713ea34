//! A string that must never be printed: passwords, OTPs, codes, tokens.

use core::fmt;

/// Holds a credential or token. `Debug` prints `[redacted]`, there is no `Display`, and
/// there is deliberately no `PartialEq`: nothing in the SDK compares secrets.
#[derive(Clone)]
pub struct Secret(String);

impl Secret {
    /// Wraps a value that must not show up in logs or error messages.
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    /// The value itself, for the one place that needs it (a form body, a JS result).
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

#[cfg(test)]
#[cfg(not(target_arch = "wasm32"))] // proptest is native-only
mod tests {
    use super::*;

    #[test]
    fn debug_is_redacted() {
        let secret = Secret::new("hunter2");
        assert_eq!(format!("{secret:?}"), "[redacted]");
        assert_eq!(secret.expose(), "hunter2");
    }
}
