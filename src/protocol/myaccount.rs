//! MyAccount's answer to "Replace a Password" (`PUT {org}/idp/myaccount/password`): 2xx, or
//! Okta's API error form. A refused password (400 `E0000001`) becomes an error of kind
//! `password` whose `description` is Okta's cause ("Password requirements were not met.
//! Password requirements: at least 8 characters, …") and whose `hint` a person can read.

use std::borrow::Cow;

use super::error::{hints, Error, ErrorDetails, ErrorKind};
use super::json::{self, Value};
use super::response::{classify_failure, contains_ignore_case, reading, HttpResponse};

pub fn classify_replace_password(response: &HttpResponse) -> Result<(), Error> {
    let status = response.status;
    if (200..300).contains(&status) {
        return Ok(());
    }
    let body = json::parse(&response.body).unwrap_or(Value::Null);
    let okta_code = body.get("errorCode").and_then(Value::as_str);
    let (kind, code, hint) = match (status, okta_code) {
        (400, Some("E0000001")) => {
            // No `str::contains` (its searcher is heavy in the wasm).
            let reused = causes(&body).any(|c| contains_ignore_case(c, "used too recently") || contains_ignore_case(c, "current password"));
            if reused {
                (ErrorKind::Password, "password_reused", hints::PASSWORD_REUSED)
            } else {
                (ErrorKind::Password, "password_requirements_not_met", hints::PASSWORD_REQUIREMENTS)
            }
        }
        (401, _) => (ErrorKind::OAuth, "invalid_token", hints::RECOVERY_TOKEN),
        (403, Some("E0000006")) => (ErrorKind::OAuth, "insufficient_scope", hints::RECOVERY_TOKEN),
        _ => return Err(classify_failure(response, &reading::PLAIN)),
    };
    // Okta's causes name the field ("password: …"): what is left is for the person.
    let mut description = String::new();
    for cause in causes(&body) {
        description.push_str(if description.is_empty() { "" } else { " " });
        description.push_str(cause.strip_prefix("password: ").unwrap_or(cause));
    }
    if description.is_empty() {
        description.push_str(body.get("errorSummary").and_then(Value::as_str).unwrap_or(""));
    }
    Err(ErrorDetails {
        kind,
        code: Cow::Borrowed(code),
        description: (!description.is_empty()).then_some(Cow::Owned(description)),
        status: Some(status),
        hint,
        okta_error_code: okta_code.map(str::to_owned),
        retry_after_seconds: None,
    }
    .into())
}

/// The `errorSummary` of each of `errorCauses`.
fn causes(body: &Value) -> impl Iterator<Item = &str> {
    let list = match body.get("errorCauses") {
        Some(Value::Array(causes)) => causes.as_slice(),
        _ => &[],
    };
    list.iter().filter_map(|c| c.get("errorSummary").and_then(Value::as_str))
}
