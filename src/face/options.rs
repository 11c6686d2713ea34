//! The caller's `DirectAuthOptions` object, read into the protocol's [`ConfigInput`] (which
//! `validate` checks): wrong member types are `config` errors named as JS names them.

use super::members::{Kind, Members};
use crate::protocol::config::{ConfigInput, EndpointOverrides};
use crate::protocol::json::Value;
use crate::protocol::Error;

/// `DirectAuthOptions` members of a fixed type, in the order they are checked (the
/// `endpoints` members are checked between the 4th and the 5th).
const MEMBERS: [(&str, Kind); 10] = [
    ("scopes", Kind::Strs),
    ("acrValues", Kind::Strs),
    ("grantTypesSupported", Kind::Strs),
    ("primaryOobEndpoint", Kind::Str),
    ("credentials", Kind::Str),
    ("timeoutMs", Kind::Num),
    ("slowDownIncrementSeconds", Kind::Num),
    ("clockSkewSeconds", Kind::Num),
    ("proxy", Kind::Str),
    ("recoveryParameter", Kind::Str),
];
/// The error for a wrong member of [`MEMBERS`], then for a wrong `endpoints` member.
const MEMBER_ERRORS: [(&str, &str); 11] = [
    ("invalid_scopes", "scopes must be an array of strings."),
    ("invalid_acr_values", "acrValues must be an array of strings."),
    ("invalid_grant_types_supported", "grantTypesSupported must be an array of strings."),
    ("invalid_primary_oob_endpoint", "primaryOobEndpoint must be a string."),
    ("invalid_credentials", "credentials must be a string."),
    ("invalid_timeout", "timeoutMs must be a number."),
    ("invalid_slow_down_increment", "slowDownIncrementSeconds must be a number."),
    ("invalid_clock_skew", "clockSkewSeconds must be a number."),
    ("invalid_proxy", "proxy must be a string (the proxy's URL or a path starting with '/')."),
    ("invalid_recovery_parameter", "recoveryParameter must be a string."),
    ("invalid_endpoint", "endpoints must be strings."),
];
const ENDPOINT_MEMBERS: [(&str, Kind); 7] = [
    ("token", Kind::Str),
    ("challenge", Kind::Str),
    ("primaryAuthenticate", Kind::Str),
    ("userinfo", Kind::Str),
    ("revoke", Kind::Str),
    ("keys", Kind::Str),
    ("myAccountPassword", Kind::Str),
];

/// `DirectAuthOptions` as JSON (from `JSON.stringify`, which writes a non-finite number as
/// a string so that it is refused here): wrong types are `config` errors.
pub fn options(options: &Value) -> Result<ConfigInput, Error> {
    if !options.is_object() {
        return Err(Error::config("invalid_options", "options must be an object with issuer and clientId."));
    }
    let endpoints = options.get("endpoints").unwrap_or(&Value::Null);
    // A mistyped `endpoints` must not silently mean the issuer's own URLs (a proxy bypassed).
    if !matches!(endpoints, Value::Null | Value::Object(_)) {
        return Err(Error::config("invalid_endpoints", "endpoints must be an object of URLs."));
    }
    let (first, rest) = MEMBERS.split_at(4);
    let wrong = options
        .wrong_member(first)
        .or_else(|| endpoints.wrong_member(&ENDPOINT_MEMBERS).map(|_| MEMBERS.len()))
        .or_else(|| options.wrong_member(rest).map(|i| i + first.len()));
    if let Some((code, description)) = wrong.and_then(|i| MEMBER_ERRORS.get(i)) {
        return Err(Error::config(code, description));
    }
    Ok(ConfigInput {
        issuer: options.text("issuer").to_owned(),
        client_id: options.text("clientId").to_owned(),
        scopes: options.strings("scopes"),
        acr_values: options.strings("acrValues"),
        grant_types_supported: options.strings("grantTypesSupported"),
        primary_oob_endpoint: options.string("primaryOobEndpoint"),
        recovery_parameter: options.string("recoveryParameter"),
        endpoints: EndpointOverrides {
            token: endpoints.string("token"),
            challenge: endpoints.string("challenge"),
            primary_authenticate: endpoints.string("primaryAuthenticate"),
            userinfo: endpoints.string("userinfo"),
            revoke: endpoints.string("revoke"),
            keys: endpoints.string("keys"),
            my_account_password: endpoints.string("myAccountPassword"),
        },
        proxy: options.string("proxy"),
        credentials: options.string("credentials"),
        timeout_ms: options.number("timeoutMs"),
        slow_down_increment_seconds: options.number("slowDownIncrementSeconds"),
        clock_skew_seconds: options.number("clockSkewSeconds"),
    })
}

#[cfg(test)]
#[cfg(not(target_arch = "wasm32"))] // proptest is native-only
mod tests {
    use super::*;

    #[test]
    fn options_from_json() {
        let read = |text: &str| options(&crate::protocol::json::parse(text.as_bytes()).unwrap());
        let i = read(
            r#"{"issuer":"https://x.okta.com","clientId":"c","scopes":["openid"],"timeoutMs":5000,"endpoints":{"token":"/t"},"signal":{}}"#,
        )
        .unwrap();
        assert_eq!(
            (i.issuer.as_str(), i.client_id.as_str(), i.timeout_ms, i.endpoints.token.as_deref()),
            ("https://x.okta.com", "c", Some(5000.0), Some("/t"))
        );
        assert_eq!(i.validate().unwrap().endpoints.token, "/t");
        let code = |text: &str| read(text).unwrap_err().code.clone();
        assert_eq!(code("null"), "invalid_options");
        assert_eq!(code(r#"{"scopes":"openid"}"#), "invalid_scopes");
        assert_eq!(code(r#"{"timeoutMs":"NaN"}"#), "invalid_timeout");
        // What api.js writes for NaN, Infinity, a Symbol, a function or a BigInt: refused everywhere.
        assert_eq!(code(r#"{"timeoutMs":[[]]}"#), "invalid_timeout");
        assert_eq!(code(r#"{"clockSkewSeconds":[[]]}"#), "invalid_clock_skew");
        assert_eq!(code(r#"{"scopes":["openid",[[]]]}"#), "invalid_scopes");
        assert_eq!(code(r#"{"credentials":[[]]}"#), "invalid_credentials");
        assert_eq!(code(r#"{"endpoints":{"token":[[]]}}"#), "invalid_endpoint");
        assert_eq!(read(r#"{"issuer":"https://x.okta.com","clientId":[[]]}"#).unwrap().validate().unwrap_err().code, "invalid_client_id");
        assert_eq!(code(r#"{"endpoints":{"keys":5}}"#), "invalid_endpoint");
        assert_eq!(code(r#"{"credentials":true}"#), "invalid_credentials");
        assert_eq!(code(r#"{"proxy":["/okta"]}"#), "invalid_proxy");
        assert_eq!(read(r#"{"proxy":"/okta"}"#).unwrap().proxy.as_deref(), Some("/okta"));
        assert_eq!(code(r#"{"recoveryParameter":1}"#), "invalid_recovery_parameter");
        assert_eq!(code(r#"{"endpoints":{"myAccountPassword":1}}"#), "invalid_endpoint");
        let i = read(r#"{"recoveryParameter":"intent","endpoints":{"myAccountPassword":"/p"}}"#).unwrap();
        assert_eq!((i.recovery_parameter.as_deref(), i.endpoints.my_account_password.as_deref()), (Some("intent"), Some("/p")));
        // Checked in order: the endpoints after primaryOobEndpoint, before credentials.
        assert_eq!(code(r#"{"credentials":true,"endpoints":{"keys":5}}"#), "invalid_endpoint");
        assert_eq!(code(r#"{"endpoints":{"keys":5},"primaryOobEndpoint":1}"#), "invalid_primary_oob_endpoint");
        assert_eq!(code(r#"{"clockSkewSeconds":"1","scopes":[1]}"#), "invalid_scopes");
        assert_eq!(code(r#"{"clockSkewSeconds":"1","timeoutMs":null}"#), "invalid_clock_skew");
        assert!(read(r#"{"endpoints":null,"scopes":null}"#).is_ok(), "null members are ignored");
        for endpoints in [r#""x""#, "5", "true", "[]", r#"["/t"]"#, "[[]]"] {
            assert_eq!(code(&format!(r#"{{"endpoints":{endpoints}}}"#)), "invalid_endpoints", "{endpoints}");
        }
        assert_eq!(read(r#"{"issuer":5}"#).unwrap().validate().unwrap_err().code, "invalid_issuer");
    }
}
