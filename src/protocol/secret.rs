//! Strings that must never be printed: passwords, OTPs, codes, tokens. Each kind is its own
//! type (oauth2-rs style), so a refresh token cannot be handed to `/userinfo` nor an OTP sent
//! as a password: the compiler checks which secret goes where.

use core::fmt;

/// A credential of no particular kind (a token the caller revokes without saying which), and
/// the inside of every typed secret below. `Debug` prints `[redacted]`, there is no `Display`,
/// and there is deliberately no `PartialEq`: nothing in the SDK compares secrets.
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

/// A typed secret: `new`, `expose`, and a `Debug` that names the type and nothing else.
macro_rules! secret_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone)]
        pub struct $name(Secret);

        impl $name {
            pub fn new(value: impl Into<String>) -> Self {
                $name(Secret::new(value))
            }

            /// The value itself, for the one place that needs it (a form body, a JS result).
            pub fn expose(&self) -> &str {
                self.0.expose()
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(concat!(stringify!($name), "([redacted])"))
            }
        }
    };
}

secret_type!(
    /// An OAuth access token: the bearer for `/userinfo`.
    AccessToken
);
secret_type!(
    /// A refresh token: only the `refresh_token` grant and `/revoke` take it.
    RefreshToken
);
secret_type!(
    /// An ID token (a JWT), verified with the issuer's keys.
    IdToken
);
secret_type!(
    /// The `mfa_token` that ties the second factor to the first (§4.5).
    MfaToken
);
secret_type!(
    /// The `oob_code` of a started out-of-band factor (§4.2).
    OobCode
);
secret_type!(
    /// The code that binds an out-of-band factor: typed by the user (SMS, voice) or shown to
    /// them (push number challenge).
    BindingCode
);
secret_type!(
    /// The user's password.
    Password
);
secret_type!(
    /// A one-time code from an authenticator app.
    Otp
);

/// A token to revoke: its type, when the caller said it, becomes `token_type_hint` (§7).
#[derive(Clone, Debug)]
pub enum RevocableToken {
    Access(AccessToken),
    Refresh(RefreshToken),
    /// The caller did not say: no hint is sent and Okta works it out.
    Unhinted(Secret),
}

impl RevocableToken {
    pub fn expose(&self) -> &str {
        match self {
            RevocableToken::Access(token) => token.expose(),
            RevocableToken::Refresh(token) => token.expose(),
            RevocableToken::Unhinted(token) => token.expose(),
        }
    }

    /// `token_type_hint`, when known.
    pub fn hint(&self) -> Option<&'static str> {
        match self {
            RevocableToken::Access(_) => Some("access_token"),
            RevocableToken::Refresh(_) => Some("refresh_token"),
            RevocableToken::Unhinted(_) => None,
        }
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

    #[test]
    fn every_typed_secret_is_redacted() {
        let shown = [
            format!("{:?}", AccessToken::new("hunter2")),
            format!("{:?}", RefreshToken::new("hunter2")),
            format!("{:?}", IdToken::new("hunter2")),
            format!("{:?}", MfaToken::new("hunter2")),
            format!("{:?}", OobCode::new("hunter2")),
            format!("{:?}", BindingCode::new("hunter2")),
            format!("{:?}", Password::new("hunter2")),
            format!("{:?}", Otp::new("hunter2")),
            format!("{:?}", RevocableToken::Access(AccessToken::new("hunter2"))),
            format!("{:?}", RevocableToken::Unhinted(Secret::new("hunter2"))),
        ];
        for text in &shown {
            assert!(!text.contains("hunter2") && text.contains("redacted"), "{text}");
        }
        assert_eq!(shown[0], "AccessToken([redacted])");
        assert_eq!(RevocableToken::Refresh(RefreshToken::new("r")).hint(), Some("refresh_token"));
        assert_eq!(RevocableToken::Unhinted(Secret::new("t")).expose(), "t");
    }
}
