//! `clientDataJSON` (WebAuthn §5.8.1): parsed as JSON, never compared against a template
//! (browsers add members such as `crossOrigin`, `topOrigin` and Chrome's
//! `other_keys_can_be_added_here`).

use serde_json::Value;

/// The members the verifier reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientData {
    /// `type`: `webauthn.get` or `webauthn.create`; `None` when absent or not a string.
    pub kind: Option<String>,
    /// `challenge`, as sent (base64url).
    pub challenge: String,
    /// `origin`; `None` when absent or not a string.
    pub origin: Option<String>,
    /// `crossOrigin`: true when the ceremony ran in a cross-origin iframe.
    pub cross_origin: bool,
}

/// Why `clientDataJSON` does not carry a challenge (Okta: `direct_auth_invalid_webauthn_challenge_data`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClientDataProblem {
    /// The field is not base64url (or too long).
    NotBase64Url(super::b64::B64Problem),
    NotJsonObject,
    NoChallenge,
}

impl ClientData {
    pub fn parse(bytes: &[u8]) -> Result<ClientData, ClientDataProblem> {
        // serde_json bounds nesting (128 levels), so deep input cannot overflow the stack.
        let value: Value = serde_json::from_slice(bytes).map_err(|_| ClientDataProblem::NotJsonObject)?;
        let object = value.as_object().ok_or(ClientDataProblem::NotJsonObject)?;
        let text = |name: &str| object.get(name).and_then(Value::as_str).map(str::to_owned);
        let challenge = text("challenge").filter(|c| !c.is_empty()).ok_or(ClientDataProblem::NoChallenge)?;
        Ok(ClientData {
            kind: text("type"),
            challenge,
            origin: text("origin"),
            cross_origin: object.get("crossOrigin").and_then(Value::as_bool).unwrap_or(false),
        })
    }
}
