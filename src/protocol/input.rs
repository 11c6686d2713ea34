//! Checks on call arguments, made before anything is sent (errors of kind `input`).

use super::config::is_token;
use super::error::Error;
use super::secret::Secret;
use super::Channel;

/// A login: non-empty after trimming. Sent as given (Okta decides what a login is).
pub fn username(value: &str) -> Result<&str, Error> {
    let trimmed = value.trim();
    if trimmed.is_empty() || trimmed.chars().any(char::is_control) {
        return Err(Error::input("invalid_username", "username must be a non-empty string."));
    }
    Ok(trimmed)
}

/// A TOTP code: 6 to 8 ASCII digits (surrounding spaces ignored).
pub fn otp(value: &str) -> Result<Secret, Error> {
    let trimmed = value.trim();
    if !(6..=8).contains(&trimmed.len()) || !trimmed.bytes().all(|b| b.is_ascii_digit()) {
        return Err(Error::input("invalid_otp", "otp must be 6 to 8 digits."));
    }
    Ok(Secret::new(trimmed))
}

pub fn password(value: &str) -> Result<Secret, Error> {
    if value.is_empty() {
        return Err(Error::input("invalid_password", "password must be a non-empty string."));
    }
    Ok(Secret::new(value))
}

/// An opaque value Okta issued (`mfa_token`, `oob_code`, tokens): non-empty, printable.
pub fn opaque(value: &str, code: &'static str, description: &'static str) -> Result<Secret, Error> {
    if is_token(value) {
        Ok(Secret::new(value))
    } else {
        Err(Error::input(code, description))
    }
}

/// The SMS / voice code the user typed: non-empty, no spaces inside (surrounding ones ignored).
pub fn binding_code(value: &str) -> Result<Secret, Error> {
    let trimmed = value.trim();
    if is_token(trimmed) && trimmed.len() <= 64 {
        Ok(Secret::new(trimmed))
    } else {
        Err(Error::input("invalid_binding_code", "bindingCode must be the non-empty code the user received."))
    }
}

pub fn channel(value: &str) -> Result<Channel, Error> {
    Channel::parse(value).ok_or(Error::input("invalid_channel", "channel must be 'push', 'sms' or 'voice'."))
}

/// Scopes narrowing a refresh: each a token; `None` when the caller gave none.
pub fn scopes(values: Option<Vec<String>>) -> Result<Option<String>, Error> {
    match values {
        None => Ok(None),
        Some(values) if !values.is_empty() && values.iter().all(|v| is_token(v)) => Ok(Some(values.join(" "))),
        Some(_) => Err(Error::input("invalid_scopes", "scopes must be a non-empty list of scopes without spaces.")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::error::ErrorKind;

    #[test]
    fn otp_is_six_to_eight_digits() {
        assert_eq!(otp(" 123456 ").unwrap().expose(), "123456");
        assert_eq!(otp("12345678").unwrap().expose(), "12345678");
        for bad in ["", "12345", "123456789", "12345a", "123 456", "１２３４５６"] {
            let err = otp(bad).unwrap_err();
            assert_eq!((err.kind, err.code.as_ref()), (ErrorKind::Input, "invalid_otp"), "{bad}");
            assert!(!format!("{err:?}").contains(bad.trim()) || bad.trim().is_empty(), "error leaks the OTP");
        }
    }

    #[test]
    fn other_arguments() {
        assert_eq!(username("  alex@example.com ").unwrap(), "alex@example.com");
        assert!(username("   ").is_err());
        assert!(password("").is_err());
        assert_eq!(channel("sms").unwrap(), Channel::Sms);
        assert_eq!(channel("email").unwrap_err().code, "invalid_channel");
        assert!(binding_code(" 123456 ").is_ok());
        assert!(binding_code("").is_err());
        assert!(opaque("", "x", "y").is_err());
        assert_eq!(scopes(Some(vec!["openid".into(), "email".into()])).unwrap().as_deref(), Some("openid email"));
        assert!(scopes(Some(vec![])).is_err());
    }
}
