//! Reading request bodies (64 KiB cap, read timeout) and parsing
//! `application/x-www-form-urlencoded` forms. Nothing here panics on client input.

use crate::errors::OAuthError;
use axum::body::{Body, Bytes};
use axum::http::{header, HeaderMap};
use std::collections::HashMap;
use std::time::Duration;

pub const MAX_BODY: usize = 64 * 1024;
const BODY_READ_TIMEOUT: Duration = Duration::from_secs(10);

#[derive(Debug)]
pub enum BodyError {
    TooLarge,
    Unreadable,
}

impl From<BodyError> for OAuthError {
    fn from(e: BodyError) -> Self {
        match e {
            BodyError::TooLarge => OAuthError::invalid_request(format!("The request body is too large (the limit is {MAX_BODY} bytes).")),
            BodyError::Unreadable => OAuthError::invalid_request("The request body could not be read."),
        }
    }
}

/// Reads the whole body, refusing more than [`MAX_BODY`] bytes or a body that stalls.
pub async fn read_body(headers: &HeaderMap, body: Body) -> Result<Bytes, BodyError> {
    if let Some(len) = headers.get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()) {
        if len.trim().parse::<u64>().map(|n| n > MAX_BODY as u64).unwrap_or(false) {
            return Err(BodyError::TooLarge);
        }
    }
    match tokio::time::timeout(BODY_READ_TIMEOUT, axum::body::to_bytes(body, MAX_BODY)).await {
        Ok(Ok(bytes)) => Ok(bytes),
        Ok(Err(e)) => {
            // axum reports an exceeded limit as a LengthLimitError source.
            let msg = format!("{e:?}");
            if msg.contains("LengthLimit") {
                Err(BodyError::TooLarge)
            } else {
                Err(BodyError::Unreadable)
            }
        }
        Err(_) => Err(BodyError::Unreadable),
    }
}

/// A parsed form. Per RFC 6749 §3.1 a parameter sent without a value counts as omitted.
#[derive(Debug, Default, Clone)]
pub struct Form {
    values: HashMap<String, String>,
}

impl Form {
    pub fn get(&self, key: &str) -> Option<&str> {
        self.values.get(key).map(String::as_str).filter(|v| !v.is_empty())
    }

    pub fn require(&self, key: &str) -> Result<&str, OAuthError> {
        self.get(key).ok_or_else(|| OAuthError::missing_param(key))
    }

    pub fn contains(&self, key: &str) -> bool {
        self.get(key).is_some()
    }

    /// Parses a urlencoded body; a repeated parameter is an `invalid_request` (RFC 6749 §3.1).
    pub fn parse(bytes: &[u8]) -> Result<Form, OAuthError> {
        let mut values = HashMap::new();
        let mut dups = Vec::new();
        for (k, v) in form_urlencoded::parse(bytes) {
            if values.insert(k.to_string(), v.to_string()).is_some() && !dups.contains(&k.to_string()) {
                dups.push(k.to_string());
            }
        }
        if !dups.is_empty() {
            return Err(OAuthError::invalid_request(format!(
                "Duplicate parameter provided in request. Duplicated parameters: [{}].",
                dups.join(", ")
            )));
        }
        Ok(Form { values })
    }
}

/// `true` when the Content-Type is `application/x-www-form-urlencoded` (parameters allowed).
pub fn is_form_content_type(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|v| v.split(';').next().unwrap_or("").trim().eq_ignore_ascii_case("application/x-www-form-urlencoded"))
        .unwrap_or(false)
}

/// Reads and parses a form body, with the checks every form endpoint shares.
pub async fn read_form(headers: &HeaderMap, body: Body) -> Result<Form, OAuthError> {
    let bytes = read_body(headers, body).await?;
    if !is_form_content_type(headers) {
        return Err(OAuthError::invalid_request("Bad request. The Content-Type must be 'application/x-www-form-urlencoded'."));
    }
    Form::parse(&bytes)
}
