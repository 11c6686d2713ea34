//! The relying party the emulator plays: its RP ID and the origins whose ceremonies it trusts.

/// The RP ID and the trusted origins (Okta's Trusted Origins with the CORS scope, ANCHORS §1.5).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RelyingParty {
    rp_id: String,
    trusted_origins: Vec<String>,
}

impl RelyingParty {
    /// `rp_id` is a domain (`localhost`, `example.com`); each origin is `scheme://host[:port]`
    /// with no path, compared exactly with `clientDataJSON.origin`.
    pub fn new<S: AsRef<str>>(rp_id: &str, trusted_origins: &[S]) -> Result<RelyingParty, String> {
        validate_rp_id(rp_id)?;
        let mut origins = Vec::with_capacity(trusted_origins.len());
        for origin in trusted_origins {
            validate_origin(origin.as_ref())?;
            origins.push(origin.as_ref().to_owned());
        }
        Ok(RelyingParty { rp_id: rp_id.to_owned(), trusted_origins: origins })
    }

    pub fn rp_id(&self) -> &str {
        &self.rp_id
    }

    pub fn trusted_origins(&self) -> &[String] {
        &self.trusted_origins
    }

    /// Exact match: no prefix, wildcard or case folding (browsers serialise origins canonically).
    pub fn trusts(&self, origin: &str) -> bool {
        self.trusted_origins.iter().any(|o| o == origin)
    }
}

/// A DNS name the browser accepts as an RP ID: lowercase letters, digits, `-` and `.`, no IP
/// address, no scheme, port or path.
pub fn validate_rp_id(rp_id: &str) -> Result<(), String> {
    if rp_id.parse::<std::net::IpAddr>().is_ok() {
        return Err(format!(
            "RP ID {rp_id:?} is an IP address, which WebAuthn refuses: serve the page on localhost and use RP ID \"localhost\""
        ));
    }
    let well_formed = !rp_id.is_empty()
        && rp_id.len() <= 253
        && rp_id.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        });
    if !well_formed {
        return Err(format!(
            "RP ID {rp_id:?} is not a lowercase domain name such as \"localhost\" or \"example.com\" (no scheme, port or path)"
        ));
    }
    Ok(())
}

fn validate_origin(origin: &str) -> Result<(), String> {
    let rest = origin.strip_prefix("https://").or_else(|| origin.strip_prefix("http://"));
    match rest {
        Some(host) if !host.is_empty() && !host.contains('/') && !host.contains('?') && !host.contains('#') => Ok(()),
        _ => Err(format!("trusted origin {origin:?} is not of the form scheme://host[:port] (no path, no trailing slash)")),
    }
}
