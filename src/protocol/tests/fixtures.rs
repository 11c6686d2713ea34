//! Request bodies field by field, and every response shape of the protocol reference
//! (§4, §5, §8.1 fixtures of Okta's Swift and Kotlin SDKs) through the classifiers.

use proptest::prelude::*;

use super::config::{ConfigInput, GRANT_TYPES};
use super::error::{hints, ErrorKind};
use super::form;
use super::request::{self, Method};
use super::response::{classify_json, classify_oob_challenge, classify_revoke, classify_token, reading, retry_after_seconds, HttpResponse};
use super::secret::{AccessToken, BindingCode, MfaToken, OobCode, Otp, Password, RefreshToken, RevocableToken};
use super::*;

const NOW: f64 = 1_700_000_000_000.0;

fn config() -> Config {
    ConfigInput {
        issuer: "https://x.okta.com/oauth2/default".into(),
        client_id: "0oa-demo-spa".into(),
        scopes: Some(vec!["openid".into(), "profile".into(), "offline_access".into()]),
        ..Default::default()
    }
    .validate()
    .unwrap()
}

fn fields(request: &HttpRequest) -> Vec<(String, String)> {
    form::decode(request.body.as_deref().unwrap())
}

fn pairs(expected: &[(&str, &str)]) -> Vec<(String, String)> {
    expected.iter().map(|(k, v)| ((*k).into(), (*v).into())).collect()
}

fn assert_post(request: &HttpRequest, url: &str) {
    assert_eq!(request.method, Method::Post);
    assert_eq!(request.url, url);
    assert!(request.headers.contains(&("Accept", "application/json".into())));
    assert!(request.headers.contains(&("Content-Type", "application/x-www-form-urlencoded".into())));
}

const TOKEN_URL: &str = "https://x.okta.com/oauth2/default/v1/token";
const SCOPE: &str = "openid profile offline_access";

#[test]
fn password_grant_body() {
    let r = request::password_grant(&config(), "alex@example.com", &Password::new("p ss&=word"));
    assert_post(&r, TOKEN_URL);
    assert_eq!(
        fields(&r),
        pairs(&[
            ("grant_type", "password"),
            ("client_id", "0oa-demo-spa"),
            ("scope", SCOPE),
            ("username", "alex@example.com"),
            ("password", "p ss&=word")
        ])
    );
    assert!(r.body.as_deref().unwrap().contains("scope=openid+profile+offline_access"));
    assert!(!format!("{r:?}").contains("p ss"), "Debug must not show the body");
}

#[test]
fn otp_grant_body() {
    let r = request::otp_grant(&config(), "otp.only@example.com", &Otp::new("123456"), Intent::SignIn);
    assert_post(&r, TOKEN_URL);
    assert_eq!(
        fields(&r),
        pairs(&[
            ("grant_type", "urn:okta:params:oauth:grant-type:otp"),
            ("client_id", "0oa-demo-spa"),
            ("scope", SCOPE),
            ("login_hint", "otp.only@example.com"),
            ("otp", "123456")
        ])
    );
}

#[test]
fn mfa_otp_grant_body() {
    let r = request::mfa_otp_grant(&config(), &MfaToken::new("mfa1"), &Otp::new("654321"));
    assert_eq!(
        fields(&r),
        pairs(&[
            ("grant_type", "http://auth0.com/oauth/grant-type/mfa-otp"),
            ("client_id", "0oa-demo-spa"),
            ("scope", SCOPE),
            ("mfa_token", "mfa1"),
            ("otp", "654321")
        ])
    );
}

#[test]
fn oob_grant_bodies() {
    let c = config();
    let poll = request::oob_grant(&c, &OobCode::new("oob1"), None, None, Intent::SignIn);
    assert_post(&poll, TOKEN_URL);
    assert_eq!(
        fields(&poll),
        pairs(&[
            ("grant_type", "urn:okta:params:oauth:grant-type:oob"),
            ("client_id", "0oa-demo-spa"),
            ("scope", SCOPE),
            ("oob_code", "oob1")
        ])
    );
    let with_code = request::oob_grant(&c, &OobCode::new("oob1"), None, Some(&BindingCode::new("123456")), Intent::SignIn);
    assert_eq!(
        fields(&with_code),
        pairs(&[
            ("grant_type", "urn:okta:params:oauth:grant-type:oob"),
            ("client_id", "0oa-demo-spa"),
            ("scope", SCOPE),
            ("oob_code", "oob1"),
            ("binding_code", "123456")
        ])
    );
    let mfa_poll = request::oob_grant(&c, &OobCode::new("oob2"), Some(&MfaToken::new("mfa1")), None, Intent::SignIn);
    assert_eq!(
        fields(&mfa_poll),
        pairs(&[
            ("grant_type", "http://auth0.com/oauth/grant-type/mfa-oob"),
            ("client_id", "0oa-demo-spa"),
            ("scope", SCOPE),
            ("oob_code", "oob2"),
            ("mfa_token", "mfa1")
        ])
    );
    let mfa_code =
        request::oob_grant(&c, &OobCode::new("oob2"), Some(&MfaToken::new("mfa1")), Some(&BindingCode::new("777777")), Intent::SignIn);
    assert_eq!(fields(&mfa_code).last().unwrap(), &("binding_code".to_owned(), "777777".to_owned()));
}

#[test]
fn recovery_grants_carry_the_recovery_parameter_and_only_the_recovery_scope() {
    let kotlin = config();
    let r = request::otp_grant(&kotlin, "recovery.user@example.com", &Otp::new("123456"), Intent::Recovery);
    assert_eq!(
        fields(&r),
        pairs(&[
            ("grant_type", "urn:okta:params:oauth:grant-type:otp"),
            ("client_id", "0oa-demo-spa"),
            ("scope", "okta.myAccount.password.manage"),
            ("prompt", "recover_authenticator"),
            ("login_hint", "recovery.user@example.com"),
            ("otp", "123456")
        ])
    );
    let swift = ConfigInput {
        issuer: "https://x.okta.com".into(),
        client_id: "0oa-demo-spa".into(),
        recovery_parameter: Some("intent".into()),
        ..Default::default()
    }
    .validate()
    .unwrap();
    let r = request::oob_grant(&swift, &OobCode::new("oob1"), None, Some(&BindingCode::new("42")), Intent::Recovery);
    assert_eq!(
        fields(&r),
        pairs(&[
            ("grant_type", "urn:okta:params:oauth:grant-type:oob"),
            ("client_id", "0oa-demo-spa"),
            ("scope", "okta.myAccount.password.manage"),
            ("intent", "recovery"),
            ("oob_code", "oob1"),
            ("binding_code", "42")
        ])
    );
    let sign_in = request::oob_grant(&swift, &OobCode::new("oob1"), None, None, Intent::SignIn);
    assert!(!fields(&sign_in).iter().any(|(k, _)| k == "intent" || k == "prompt"), "a sign-in says nothing");
}

#[test]
fn replace_password_is_a_json_put_on_the_org() {
    let c =
        ConfigInput { issuer: "https://x.okta.com/oauth2/default".into(), client_id: "c".into(), ..Default::default() }.validate().unwrap();
    let r = request::replace_password(&c, &AccessToken::new("at1"), &Password::new("N\"ew\\pass1"));
    assert_eq!((r.method, r.url.as_str()), (Method::Put, "https://x.okta.com/idp/myaccount/password"));
    assert_eq!(
        r.headers,
        vec![
            ("Accept", "application/json; okta-version=1.0.0".into()),
            ("Authorization", "Bearer at1".into()),
            ("Content-Type", "application/json".into())
        ]
    );
    assert_eq!(r.body.as_deref(), Some(r#"{"profile":{"password":"N\"ew\\pass1"}}"#));
    assert!(!format!("{r:?}").contains("pass1") && !format!("{r:?}").contains("at1"));
}

#[test]
fn myaccount_password_errors_are_typed_for_a_person() {
    use super::myaccount::classify_replace_password;
    let api = |status: u16, code: &str, cause: &str| {
        json(
            status,
            &format!(
                r#"{{"errorCode":"{code}","errorSummary":"Api validation failed: Password","errorLink":"{code}","errorId":"oae1","errorCauses":[{{"errorSummary":"{cause}"}}]}}"#
            ),
        )
    };
    assert!(classify_replace_password(&json(201, r#"{"id":"00T1","status":"ACTIVE"}"#)).is_ok());
    let policy = "password: Password requirements were not met. Password requirements: at least 8 characters.";
    let e = classify_replace_password(&api(400, "E0000001", policy)).unwrap_err();
    assert_eq!((e.kind, e.code.as_ref(), e.hint), (ErrorKind::Password, "password_requirements_not_met", hints::PASSWORD_REQUIREMENTS));
    assert_eq!(e.description.as_deref(), Some("Password requirements were not met. Password requirements: at least 8 characters."));
    assert_eq!(e.okta_error_code.as_deref(), Some("E0000001"));
    for reused in ["password: Password has been used too recently", "password: Password cannot be your current password"] {
        let e = classify_replace_password(&api(400, "E0000001", reused)).unwrap_err();
        assert_eq!((e.kind, e.code.as_ref(), e.hint), (ErrorKind::Password, "password_reused", hints::PASSWORD_REUSED), "{reused}");
    }
    let e = classify_replace_password(&api(401, "E0000011", "x")).unwrap_err();
    assert_eq!((e.kind, e.code.as_ref(), e.hint), (ErrorKind::OAuth, "invalid_token", hints::RECOVERY_TOKEN));
    let e = classify_replace_password(&api(403, "E0000006", "x")).unwrap_err();
    assert_eq!(e.code, "insufficient_scope");
    let e = classify_replace_password(&api(406, "E0000149", "x")).unwrap_err();
    assert_eq!((e.code.as_ref(), e.okta_error_code.as_deref()), ("api_error", Some("E0000149")));
    let e = classify_replace_password(&HttpResponse {
        status: 502,
        content_type: Some("text/html".into()),
        body: b"<html>".to_vec(),
        ..Default::default()
    })
    .unwrap_err();
    assert_eq!(e.kind, ErrorKind::Protocol);
}

#[test]
fn challenge_body() {
    let r = request::challenge(&config(), &MfaToken::new("mfa1"), Channel::Push);
    assert_post(&r, "https://x.okta.com/oauth2/default/v1/challenge");
    assert_eq!(
        fields(&r),
        pairs(&[
            ("client_id", "0oa-demo-spa"),
            ("mfa_token", "mfa1"),
            ("challenge_types_supported", "http://auth0.com/oauth/grant-type/mfa-oob"),
            ("channel_hint", "push")
        ])
    );
}

#[test]
fn primary_authenticate_bodies() {
    let r = request::primary_authenticate(&config(), "push.only@example.com", Channel::Sms);
    assert_post(&r, "https://x.okta.com/oauth2/default/v1/primary-authenticate");
    assert_eq!(
        fields(&r),
        pairs(&[
            ("client_id", "0oa-demo-spa"),
            ("login_hint", "push.only@example.com"),
            ("channel_hint", "sms"),
            ("challenge_hint", "urn:okta:params:oauth:grant-type:oob")
        ])
    );
    let old = ConfigInput {
        primary_oob_endpoint: Some("oob-authenticate".into()),
        ..ConfigInput { issuer: "https://x.okta.com".into(), client_id: "c".into(), ..Default::default() }
    }
    .validate()
    .unwrap();
    let r = request::primary_authenticate(&old, "u", Channel::Voice);
    assert_post(&r, "https://x.okta.com/oauth2/v1/oob-authenticate");
    assert_eq!(fields(&r), pairs(&[("client_id", "c"), ("login_hint", "u"), ("channel_hint", "voice")]));
}

#[test]
fn transaction_parameters_are_identical_on_every_request() {
    let c = ConfigInput {
        issuer: "https://x.okta.com".into(),
        client_id: "0oa1".into(),
        acr_values: Some(vec!["urn:okta:loa:2fa:any".into()]),
        grant_types_supported: Some(GRANT_TYPES.iter().map(|g| (*g).to_owned()).collect()),
        ..Default::default()
    }
    .validate()
    .unwrap();
    let (mfa, otp, oob) = (MfaToken::new("s"), Otp::new("s"), OobCode::new("s"));
    let token_requests = [
        request::password_grant(&c, "u", &Password::new("s")),
        request::otp_grant(&c, "u", &otp, Intent::SignIn),
        request::mfa_otp_grant(&c, &mfa, &otp),
        request::oob_grant(&c, &oob, None, None, Intent::SignIn),
        request::oob_grant(&c, &oob, Some(&mfa), Some(&BindingCode::new("s")), Intent::SignIn),
    ];
    for r in &token_requests {
        let f = fields(r);
        let get = |name: &str| f.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str());
        assert_eq!(get("client_id"), Some("0oa1"));
        assert_eq!(get("scope"), Some("openid profile"));
        assert_eq!(get("acr_values"), Some("urn:okta:loa:2fa:any"));
        assert_eq!(get("grant_types_supported"), Some(GRANT_TYPES.join(" ").as_str()));
    }
    for r in [request::challenge(&c, &mfa, Channel::Push), request::primary_authenticate(&c, "u", Channel::Push)] {
        let f = fields(&r);
        assert!(f.contains(&("acr_values".into(), "urn:okta:loa:2fa:any".into())));
        assert!(!f.iter().any(|(k, _)| k == "scope"), "these endpoints refuse scope");
    }
}

#[test]
fn refresh_revoke_userinfo_keys() {
    let c = config();
    let r = request::refresh_token_grant(&c, Some(&RefreshToken::new("rt")), None);
    assert_eq!(fields(&r), pairs(&[("grant_type", "refresh_token"), ("client_id", "0oa-demo-spa"), ("refresh_token", "rt")]));
    let r = request::refresh_token_grant(&c, Some(&RefreshToken::new("rt")), Some("openid"));
    assert_eq!(fields(&r).last().unwrap(), &("scope".to_owned(), "openid".to_owned()));
    let r = request::revoke(&c, &RevocableToken::Access(AccessToken::new("at")));
    assert_post(&r, "https://x.okta.com/oauth2/default/v1/revoke");
    assert_eq!(fields(&r), pairs(&[("client_id", "0oa-demo-spa"), ("token", "at"), ("token_type_hint", "access_token")]));
    let r = request::userinfo(&c, &AccessToken::new("at"));
    assert_eq!((r.method, r.url.as_str(), r.body.as_deref()), (Method::Get, "https://x.okta.com/oauth2/default/v1/userinfo", None));
    assert!(r.headers.contains(&("Authorization", "Bearer at".into())));
    assert!(!format!("{r:?}").contains("Bearer"), "Debug must not show the Authorization value");
    let r = request::keys(&c, false);
    assert_eq!((r.method, r.url.as_str()), (Method::Get, "https://x.okta.com/oauth2/default/v1/keys"));
}

// ---- responses ------------------------------------------------------------------------------

fn json(status: u16, body: &str) -> HttpResponse {
    HttpResponse { status, content_type: Some("application/json".into()), body: body.as_bytes().to_vec(), ..Default::default() }
}

fn token(response: &HttpResponse, request: ErrorReading) -> Result<TokenOutcome, Error> {
    classify_token(response, &request, NOW)
}

fn token_error(response: &HttpResponse, request: ErrorReading) -> Error {
    token(response, request).unwrap_err()
}

/// Swift `token.json` / Kotlin `TOKEN_RESPONSE_JSON`.
const TOKEN_JSON: &str = r#"{"token_type":"Bearer","expires_in":3600,"access_token":"eyJraWQiOiJrMSJ9.e30.c2ln","scope":"openid profile offline_access","refresh_token":"rt-1","id_token":"eyJhbGciOiJSUzI1NiJ9.e30.c2ln"}"#;

#[test]
fn token_success() {
    let TokenOutcome::Done(SignIn::Success(t)) = token(&json(200, TOKEN_JSON), reading::PASSWORD).unwrap() else { panic!() };
    assert_eq!(t.token_type, "Bearer");
    assert_eq!(t.access_token.expose(), "eyJraWQiOiJrMSJ9.e30.c2ln");
    assert_eq!(t.expires_in, 3600);
    assert_eq!(t.expires_at_ms, NOW + 3_600_000.0);
    assert_eq!(t.scope.as_deref(), Some("openid profile offline_access"));
    assert_eq!(t.refresh_token.unwrap().expose(), "rt-1");
    assert!(t.id_token.is_some());
    assert!(!format!("{:?}", token(&json(200, TOKEN_JSON), reading::PASSWORD)).contains("rt-1"));
    // charset parameter and minimal token response
    let minimal = HttpResponse {
        content_type: Some("application/json;charset=UTF-8".into()),
        ..json(200, r#"{"token_type":"Bearer","expires_in":300,"access_token":"a"}"#)
    };
    assert!(matches!(token(&minimal, reading::OTP), Ok(TokenOutcome::Done(SignIn::Success(_)))));
}

#[test]
fn mfa_required_as_403_or_400() {
    // Docs: 403 without supported_challenge_types. Swift fixture: 400 with them.
    for (status, body) in [
        (
            403,
            r#"{"error":"mfa_required","error_description":"Verify with an additional authenticator to complete the sign-in process.","mfa_token":"mfa-1"}"#,
        ),
        (
            400,
            r#"{"error":"mfa_required","error_description":"MFA required","mfa_token":"mfa-1","supported_challenge_types":"http://auth0.com/oauth/grant-type/mfa-otp http://auth0.com/oauth/grant-type/mfa-oob"}"#,
        ),
    ] {
        let TokenOutcome::Done(SignIn::MfaRequired { mfa_token, supported_challenge_types }) =
            token(&json(status, body), reading::PASSWORD).unwrap()
        else {
            panic!()
        };
        assert_eq!(mfa_token.expose(), "mfa-1");
        if status == 400 {
            assert_eq!(
                supported_challenge_types.unwrap(),
                vec!["http://auth0.com/oauth/grant-type/mfa-otp", "http://auth0.com/oauth/grant-type/mfa-oob"]
            );
        } else {
            assert!(supported_challenge_types.is_none());
        }
    }
    // Kotlin INVALID_MFA_REQUIRED_JSON: no mfa_token.
    let e = token_error(&json(400, r#"{"error":"mfa_required","error_description":"x"}"#), reading::PASSWORD);
    assert_eq!((e.kind, e.code.as_ref()), (ErrorKind::Protocol, "invalid_response"));
}

#[test]
fn polling_outcomes() {
    let pending = json(
        400,
        r#"{"error":"authorization_pending","error_description":"No user response received on the out-of-band authenticator yet."}"#,
    );
    assert!(matches!(token(&pending, reading::OOB_POLL), Ok(TokenOutcome::Pending)));
    assert!(matches!(token(&json(400, r#"{"error":"direct_auth_authorization_pending"}"#), reading::OOB_POLL), Ok(TokenOutcome::Pending)));
    assert!(matches!(
        token(&json(400, r#"{"error":"slow_down","error_description":"too fast"}"#), reading::OOB_POLL),
        Ok(TokenOutcome::SlowDown)
    ));
    let e = token(&pending, reading::OOB_BINDING_CODE).unwrap().into_sign_in(400).unwrap_err();
    assert_eq!(e.kind, ErrorKind::Protocol);

    let expired = json(403, r#"{"error":"access_denied","error_description":"'oob_code' has expired. Use a new 'oob_code'."}"#);
    let e = token_error(&expired, reading::OOB_POLL);
    assert_eq!((e.kind, e.code.as_ref(), e.status, e.hint), (ErrorKind::Expired, "access_denied", Some(403), hints::EXPIRED));
    assert_eq!(e.description.as_deref(), Some("'oob_code' has expired. Use a new 'oob_code'."));
    let e = token_error(&json(403, r#"{"error":"access_denied","error_description":"The 'mfa_token' has expired."}"#), reading::OTP);
    assert_eq!(e.kind, ErrorKind::Expired);

    let rejected = json(400, r#"{"error":"invalid_grant","error_description":"User rejected the push notification."}"#);
    let e = token_error(&rejected, reading::OOB_POLL);
    assert_eq!((e.kind, e.code.as_ref(), e.hint), (ErrorKind::Denied, "invalid_grant", hints::DENIED));
}

#[test]
fn oauth_errors_carry_code_description_status_and_hint() {
    let cases: &[(u16, &str, ErrorReading, ErrorKind, &str, &str)] = &[
        (
            400,
            r#"{"error":"invalid_grant","error_description":"The 'otp' provided is either empty or incorrect."}"#,
            reading::OTP,
            ErrorKind::OAuth,
            "invalid_grant",
            hints::WRONG_OTP,
        ),
        (
            400,
            r#"{"error":"invalid_grant","error_description":"The password was invalid."}"#,
            reading::PASSWORD,
            ErrorKind::OAuth,
            "invalid_grant",
            hints::WRONG_PASSWORD,
        ),
        (
            400,
            r#"{"error":"invalid_grant","error_description":"The binding code is incorrect."}"#,
            reading::OOB_BINDING_CODE,
            ErrorKind::OAuth,
            "invalid_grant",
            hints::WRONG_BINDING_CODE,
        ),
        (
            400,
            r#"{"error":"invalid_grant","error_description":"The refresh token is invalid or expired."}"#,
            reading::REFRESH,
            ErrorKind::OAuth,
            "invalid_grant",
            hints::BAD_REFRESH_TOKEN,
        ),
        (
            400,
            r#"{"error":"unauthorized_client","error_description":"The client is not authorized to use the provided grant type. Configured grant types: [authorization_code]."}"#,
            reading::OTP,
            ErrorKind::OAuth,
            "unauthorized_client",
            hints::UNAUTHORIZED_CLIENT,
        ),
        (
            400,
            r#"{"error":"unsupported_grant_type","error_description":"x"}"#,
            reading::PASSWORD,
            ErrorKind::OAuth,
            "unsupported_grant_type",
            hints::UNSUPPORTED_GRANT_TYPE,
        ),
        (
            401,
            r#"{"error":"invalid_client","error_description":"Client authentication failed."}"#,
            reading::PASSWORD,
            ErrorKind::OAuth,
            "invalid_client",
            hints::INVALID_CLIENT,
        ),
        (
            400,
            r#"{"error":"invalid_scope","error_description":"The requested scopes must match the original request."}"#,
            reading::OTP,
            ErrorKind::OAuth,
            "invalid_scope",
            hints::INVALID_SCOPE,
        ),
        (
            400,
            r#"{"error":"invalid_request","error_description":"The 'channel_hint' is invalid."}"#,
            reading::PLAIN,
            ErrorKind::OAuth,
            "invalid_request",
            hints::INVALID_REQUEST,
        ),
        (
            400,
            r#"{"error":"invalid_request","error_description":"Browser requests to the token endpoint must be part of at least one whitelisted redirect_uri or come from a Trusted Origin."}"#,
            reading::PASSWORD,
            ErrorKind::OAuth,
            "invalid_request",
            hints::ORIGIN,
        ),
        (
            403,
            r#"{"error":"access_denied","error_description":"User isn't assigned to the client app."}"#,
            reading::OTP,
            ErrorKind::OAuth,
            "access_denied",
            hints::ACCESS_DENIED,
        ),
        (
            429,
            r#"{"error":"invalid_grant","error_description":"API call exceeded rate limit due to too many requests."}"#,
            reading::OOB_BINDING_CODE,
            ErrorKind::RateLimited,
            "invalid_grant",
            hints::RATE_LIMITED,
        ),
        (400, r#"{"error":"expired_token"}"#, reading::OOB_POLL, ErrorKind::Expired, "expired_token", hints::EXPIRED),
        (
            500,
            r#"{"error":"server_error","error_description":"Failed to initiate out-of-band authentication."}"#,
            reading::PLAIN,
            ErrorKind::OAuth,
            "server_error",
            hints::SERVER_ERROR,
        ),
        (400, r#"{"error":"something_new"}"#, reading::PASSWORD, ErrorKind::OAuth, "something_new", hints::OAUTH),
    ];
    for (status, body, request, kind, code, hint) in cases {
        let response = json(*status, body);
        // The /challenge and /primary-authenticate cases (`PLAIN`) go through their classifier.
        let e = if *request == reading::PLAIN {
            classify_oob_challenge(&response, request, NOW, None).unwrap_err()
        } else {
            token_error(&response, *request)
        };
        assert_eq!((e.kind, e.code.as_ref(), e.status, e.hint), (*kind, *code, Some(*status), *hint), "{body}");
        assert!(e.description.is_some() || *code == "expired_token" || *code == "something_new");
    }
}

#[test]
fn okta_api_error_form() {
    // Kotlin SERVER_ERROR_JSON-style and an errorCauses variant.
    let body = r#"{"errorCode":"E0000001","errorSummary":"Api validation failed: login","errorLink":"E0000001","errorId":"oae1","errorCauses":[{"errorSummary":"login: The field cannot be left blank"}]}"#;
    let e = token_error(&json(400, body), reading::PASSWORD);
    assert_eq!((e.kind, e.code.as_ref(), e.okta_error_code.as_deref()), (ErrorKind::OAuth, "api_error", Some("E0000001")));
    assert_eq!(e.description.as_deref(), Some("Api validation failed: login login: The field cannot be left blank"));
    let e = token_error(&json(500, r#"{"errorCode":"E0000009","errorSummary":"Internal Server Error"}"#), reading::OOB_POLL);
    assert_eq!((e.status, e.hint), (Some(500), hints::SERVER_ERROR));
    assert!(e.is_transient());
    // Kotlin: a 429 carrying a malformed Okta-style body, and a well-formed one.
    let e = token_error(
        &json(429, r#"{"errorCode":"E0000047","errorSummary":"API call exceeded rate limit due to too many requests."}"#),
        reading::OTP,
    );
    assert_eq!((e.kind, e.okta_error_code.as_deref()), (ErrorKind::RateLimited, Some("E0000047")));
    let e = token_error(&json(429, r#"{"errorCode":"#), reading::OTP);
    assert_eq!(e.kind, ErrorKind::Protocol);
}

#[test]
fn not_what_okta_sends() {
    let html = HttpResponse {
        status: 502,
        content_type: Some("text/html".into()),
        body: b"<html><body>Bad Gateway</body></html>".to_vec(),
        ..Default::default()
    };
    let e = token_error(&html, reading::OOB_POLL);
    assert_eq!((e.kind, e.code.as_ref(), e.status), (ErrorKind::Protocol, "server_error_page", Some(502)));
    assert!(e.is_transient());
    let html200 = HttpResponse {
        status: 200,
        content_type: Some("text/html; charset=utf-8".into()),
        body: b"<html>login</html>".to_vec(),
        ..Default::default()
    };
    assert_eq!(token_error(&html200, reading::PASSWORD).code, "unexpected_content_type");
    let plain = HttpResponse {
        status: 400,
        content_type: Some("text/plain".into()),
        body: b"{\"error\":\"invalid_grant\"}".to_vec(),
        ..Default::default()
    };
    assert_eq!(token_error(&plain, reading::PASSWORD).code, "unexpected_content_type");
    let no_type = HttpResponse { status: 200, content_type: None, body: TOKEN_JSON.as_bytes().to_vec(), ..Default::default() };
    assert_eq!(token_error(&no_type, reading::PASSWORD).code, "unexpected_content_type");
    assert_eq!(token_error(&json(200, &TOKEN_JSON[..40]), reading::PASSWORD).code, "invalid_json");
    assert_eq!(token_error(&json(200, "[]"), reading::PASSWORD).code, "unexpected_json");
    assert_eq!(token_error(&json(200, r#"{"token_type":"Bearer","expires_in":3600}"#), reading::PASSWORD).code, "invalid_response");
    assert_eq!(token_error(&json(200, r#"{"token_type":"Bearer","access_token":"a"}"#), reading::PASSWORD).code, "invalid_response");
    assert_eq!(token_error(&json(302, "{}"), reading::PASSWORD).code, "unexpected_redirect");
    let e = token_error(&json(404, "{}"), reading::PASSWORD);
    assert_eq!((e.kind, e.code.as_ref()), (ErrorKind::Protocol, "unexpected_status"));
    let e = token_error(
        &HttpResponse { status: 429, content_type: Some("text/html".into()), body: vec![], ..Default::default() },
        reading::PASSWORD,
    );
    assert_eq!(e.kind, ErrorKind::RateLimited);
}

#[test]
fn rate_limit_headers_say_how_long_to_wait() {
    let now = 1_700_000_000_500.0;
    let with = |retry_after: Option<&str>, reset: Option<&str>| HttpResponse {
        retry_after: retry_after.map(str::to_owned),
        rate_limit_reset: reset.map(str::to_owned),
        ..json(429, "{}")
    };
    // Okta's X-Rate-Limit-Reset is an epoch second: 1_700_000_030 is 29.5 s away, so 30 s.
    assert_eq!(retry_after_seconds(&with(None, Some("1700000030")), now), Some(30));
    assert_eq!(retry_after_seconds(&with(None, Some(" 1700000001 ")), now), Some(1));
    // A reset that has passed (or a device clock ahead of Okta's) says nothing.
    assert_eq!(retry_after_seconds(&with(None, Some("1700000000")), now), None);
    // Retry-After (delta-seconds) wins over the reset; its HTTP-date form is not read.
    assert_eq!(retry_after_seconds(&with(Some("7"), Some("1700000030")), now), Some(7));
    assert_eq!(retry_after_seconds(&with(Some("0"), None), now), Some(0));
    assert_eq!(retry_after_seconds(&with(Some("Wed, 21 Oct 2026 07:28:00 GMT"), Some("1700000030")), now), Some(30));
    for junk in ["", " ", "-5", "+5", "1.5", "1e3", "12345678901", "4294967296", "0x10", "٣"] {
        assert_eq!(retry_after_seconds(&with(Some(junk), None), now), None, "Retry-After {junk:?}");
        assert_eq!(retry_after_seconds(&with(None, Some(junk)), now), None, "X-Rate-Limit-Reset {junk:?}");
    }
    assert_eq!(retry_after_seconds(&json(429, "{}"), now), None, "no headers (or hidden by CORS)");
}

#[test]
fn only_a_rate_limited_error_keeps_its_retry_after() {
    let limited = token_error(
        &json(429, r#"{"error":"invalid_grant","error_description":"API call exceeded rate limit due to too many requests."}"#),
        reading::OTP,
    );
    assert_eq!(limited.with_retry_after(Some(42)).retry_after_seconds, Some(42));
    let wrong_otp = token_error(&json(400, r#"{"error":"invalid_grant"}"#), reading::OTP);
    assert_eq!(wrong_otp.with_retry_after(Some(42)).retry_after_seconds, None);
}

// ---- out-of-band start --------------------------------------------------------------------

fn oob(body: &str) -> Result<OobChallenge, Error> {
    classify_oob_challenge(&json(200, body), &reading::PLAIN, NOW, None)
}

#[test]
fn primary_authenticate_fixtures() {
    // Swift primary-authenticate.json
    let c = oob(
        r#"{"oob_code":"07d2b0b0-0b8c-4c2e-9a0a-3a1f0c1f2f0e","expires_in":120,"interval":1,"channel":"push","binding_method":"none"}"#,
    )
    .unwrap();
    assert_eq!((c.channel, c.binding_method, c.expires_in, c.interval), (Channel::Push, BindingMethod::None, 120, Some(1)));
    assert_eq!(c.expires_at_ms, NOW + 120_000.0);
    assert!(c.binding_code.is_none() && c.mfa_token.is_none());
    // primary-authenticate-binding-transfer.json: string binding code; Kotlin: number 95.
    let c =
        oob(r#"{"oob_code":"o","expires_in":120,"interval":1,"channel":"push","binding_method":"transfer","binding_code":"12"}"#).unwrap();
    assert_eq!(c.binding_code.unwrap().expose(), "12");
    let c =
        oob(r#"{"oob_code":"o","expires_in":120,"interval":5,"channel":"push","binding_method":"transfer","binding_code":95}"#).unwrap();
    assert_eq!(c.binding_code.unwrap().expose(), "95");
    // …-missingCode.json
    let e = oob(r#"{"oob_code":"o","expires_in":120,"interval":1,"channel":"push","binding_method":"transfer"}"#).unwrap_err();
    assert_eq!((e.kind, e.code.as_ref()), (ErrorKind::Protocol, "invalid_response"));
    // SMS / voice / email (Kotlin's email fixture, the goobem draft): no interval.
    for channel in ["sms", "voice", "email"] {
        let c = oob(&format!(r#"{{"oob_code":"o","expires_in":300,"channel":"{channel}","binding_method":"prompt"}}"#)).unwrap();
        assert_eq!((c.binding_method, c.interval), (BindingMethod::Prompt, None));
    }
    let c = oob(r#"{"oob_code":"o","expires_in":300,"channel":"email","binding_method":"prompt"}"#).unwrap();
    assert_eq!(c.channel, Channel::Email);
    // Kotlin: an unknown channel and an invalid binding method.
    assert!(oob(r#"{"oob_code":"o","expires_in":300,"channel":"fax","binding_method":"prompt"}"#).is_err());
    assert!(oob(r#"{"oob_code":"o","expires_in":300,"channel":"push","binding_method":"bluetooth"}"#).is_err());
    assert!(oob(r#"{"oob_code":"o","channel":"push","binding_method":"none"}"#).is_err());
    assert!(oob(r#"{"oob_code":"","expires_in":1,"channel":"push","binding_method":"none"}"#).is_err());
    assert!(oob(r#"{"oob_code":"o","expires_in":1,"interval":"5","channel":"push","binding_method":"none"}"#).is_err());
}

#[test]
fn challenge_fixtures_keep_the_mfa_token() {
    let body = r#"{"challenge_type":"http://auth0.com/oauth/grant-type/mfa-oob","oob_code":"o","expires_in":300,"interval":5,"channel":"push","binding_method":"transfer","binding_code":"95"}"#;
    let c = classify_oob_challenge(&json(200, body), &reading::PLAIN, NOW, Some(MfaToken::new("mfa1"))).unwrap();
    assert_eq!(c.mfa_token.unwrap().expose(), "mfa1");
    // CHALLENGE_OTP_RESPONSE_JSON: only challenge_type — not an out-of-band challenge.
    let only_type = json(200, r#"{"challenge_type":"http://auth0.com/oauth/grant-type/mfa-otp"}"#);
    assert_eq!(classify_oob_challenge(&only_type, &reading::PLAIN, NOW, None).unwrap_err().code, "invalid_response");
    let expired = json(403, r#"{"error":"access_denied","error_description":"'mfa_token' has expired. Use a new 'mfa_token'."}"#);
    assert_eq!(classify_oob_challenge(&expired, &reading::PLAIN, NOW, None).unwrap_err().kind, ErrorKind::Expired);
}

#[test]
fn revoke_userinfo_keys() {
    assert!(classify_revoke(&HttpResponse { status: 200, content_type: None, body: vec![], ..Default::default() }).is_ok());
    let e = classify_revoke(&json(401, r#"{"error":"invalid_client","error_description":"x"}"#)).unwrap_err();
    assert_eq!(e.code, "invalid_client");
    let info = classify_json(&json(200, r#"{"sub":"00u1","email":"alex@example.com"}"#), &reading::USERINFO).unwrap();
    assert_eq!(info.get("sub").and_then(json::Value::as_str), Some("00u1"));
    let e = classify_json(&HttpResponse { status: 401, content_type: None, body: vec![], ..Default::default() }, &reading::USERINFO)
        .unwrap_err();
    assert_eq!((e.kind, e.code.as_ref()), (ErrorKind::OAuth, "invalid_token"));
    let e = classify_json(
        &HttpResponse { status: 200, content_type: Some("text/html".into()), body: b"<html>".to_vec(), ..Default::default() },
        &reading::PLAIN,
    )
    .unwrap_err();
    assert_eq!(e.kind, ErrorKind::Protocol);
}

// ---- nothing from the network can make the classifiers panic ------------------------------

fn arbitrary_response() -> impl Strategy<Value = HttpResponse> {
    let content_type = proptest::option::of(prop_oneof![
        Just("application/json".to_owned()),
        Just("application/json; charset=utf-8".to_owned()),
        Just("text/html".to_owned()),
        ".{0,30}",
    ]);
    let body = prop_oneof![
        proptest::collection::vec(any::<u8>(), 0..200),
        r#"\{("(error|error_description|mfa_token|access_token|token_type|expires_in|oob_code|channel|binding_method|binding_code|interval|errorCode|errorCauses|supported_challenge_types)":("[a-z_ ]{0,12}"|[0-9]{1,25}|-?[0-9]\.[0-9]e[0-9]{1,3}|null|true|\[\{"errorSummary":"x"\}\]),?){0,8}\}"#
            .prop_map(String::into_bytes),
    ];
    (any::<u16>(), content_type, body).prop_map(|(status, content_type, body)| HttpResponse {
        status,
        content_type,
        body,
        ..Default::default()
    })
}

fn request_kind() -> impl Strategy<Value = ErrorReading> {
    prop_oneof![
        Just(reading::PASSWORD),
        Just(reading::OTP),
        Just(reading::OOB_POLL),
        Just(reading::OOB_BINDING_CODE),
        Just(reading::REFRESH),
        Just(reading::PLAIN),
        Just(reading::USERINFO),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn classifiers_never_panic(response in arbitrary_response(), request in request_kind(), now in any::<f64>()) {
        let _ = classify_token(&response, &request, now).map(|o| o.into_sign_in(response.status));
        let _ = classify_oob_challenge(&response, &request, now, None);
        let _ = classify_revoke(&response);
        let _ = classify_json(&response, &request);
    }

    #[test]
    fn rate_limit_headers_never_panic(retry_after in proptest::option::of(".{0,12}|[0-9]{1,12}"), reset in proptest::option::of(".{0,12}|[0-9]{1,12}"), now in any::<f64>()) {
        let response = HttpResponse { retry_after, rate_limit_reset: reset, ..HttpResponse::default() };
        if let Some(seconds) = retry_after_seconds(&response, now) {
            // Digits only: Rust's `parse` would also take a leading '+', which the header may not have.
            let digits = response.retry_after.as_deref().map(str::trim_ascii).filter(|v| v.bytes().all(|b| b.is_ascii_digit()));
            let from_retry_after = digits.and_then(|v| v.parse::<u32>().ok());
            prop_assert!(from_retry_after.is_none_or(|s| s == seconds), "Retry-After, when a whole number, is the answer");
        }
    }
}

// ---- okta-direct-auth-proxy: custody and refusals ---------------------------------------------

fn proxy_config() -> Config {
    ConfigInput {
        proxy: Some("/okta".into()),
        ..ConfigInput { issuer: config().issuer, client_id: config().client_id, ..Default::default() }
    }
    .validate()
    .unwrap()
}

#[test]
fn custody_requests_carry_no_refresh_token() {
    let c = proxy_config();
    let r = request::refresh_token_grant(&c, None, None);
    assert_post(&r, "/okta/oauth2/default/v1/token");
    assert_eq!(fields(&r), pairs(&[("grant_type", "refresh_token"), ("client_id", "0oa-demo-spa")]));
    let r = request::revoke_proxy_held_refresh_token(&c);
    assert_post(&r, "/okta/oauth2/default/v1/revoke");
    assert_eq!(fields(&r), pairs(&[("client_id", "0oa-demo-spa"), ("token_type_hint", "refresh_token")]));
    let r = request::end_proxy_session(&c);
    assert_post(&r, "/okta/session/end");
}

#[test]
fn custody_steps_need_the_proxy_option() {
    use super::steps::{EndProxySession, RefreshTokenGrant, RevokeProxyHeldRefreshToken};
    let direct = config();
    let refresh = RefreshTokenGrant { refresh_token: None, scope: None };
    assert_eq!(
        (refresh.check(&direct).unwrap_err().kind, refresh.check(&direct).unwrap_err().code.as_ref()),
        (ErrorKind::Input, "invalid_refresh_token")
    );
    assert!(refresh.check(&proxy_config()).is_ok());
    assert!(RefreshTokenGrant { refresh_token: Some(RefreshToken::new("r")), scope: None }.check(&direct).is_ok());
    assert_eq!(RevokeProxyHeldRefreshToken.check(&direct).unwrap_err().code, "invalid_token");
    assert!(RevokeProxyHeldRefreshToken.check(&proxy_config()).is_ok());
    assert_eq!(EndProxySession.check(&direct).unwrap_err().kind, ErrorKind::Config);
    let out = EndProxySession.process(json(200, r#"{"signed_out":true,"revoked":false}"#), NOW).unwrap();
    assert!(!out.revoked);
    assert_eq!(EndProxySession.process(json(200, r#"{"ok":true}"#), NOW).unwrap_err().kind, ErrorKind::Protocol);
}

#[test]
fn custody_marker_is_read_from_the_token_answer() {
    let body = r#"{"token_type":"Bearer","expires_in":3600,"access_token":"a","refresh_token_custody":"proxy"}"#;
    let TokenOutcome::Done(SignIn::Success(t)) = token(&json(200, body), reading::PASSWORD).unwrap() else { panic!() };
    assert_eq!((t.refresh_token.is_none(), t.refresh_token_custody), (true, Some(RefreshTokenCustody::Proxy)));
    let body = r#"{"token_type":"Bearer","expires_in":3600,"access_token":"a","refresh_token_custody":"none"}"#;
    let TokenOutcome::Done(SignIn::Success(t)) = token(&json(200, body), reading::PASSWORD).unwrap() else { panic!() };
    assert_eq!(t.refresh_token_custody, Some(RefreshTokenCustody::None));
    let TokenOutcome::Done(SignIn::Success(t)) = token(&json(200, TOKEN_JSON), reading::PASSWORD).unwrap() else { panic!() };
    assert_eq!(t.refresh_token_custody, None, "Okta itself sends no marker");
}

#[test]
fn proxy_refusals_are_typed_by_their_reason() {
    let refusal = |status: u16, error: &str, reason: &str| {
        token_error(
            &json(status, &format!(r#"{{"error":"{error}","error_description":"d","proxy_reason":"{reason}"}}"#)),
            reading::PASSWORD,
        )
    };
    for (status, error, reason, kind, hint) in [
        (403, "access_denied", "origin_not_allowed", ErrorKind::Proxy, hints::PROXY_ORIGIN),
        (403, "access_denied", "origin_missing", ErrorKind::Proxy, hints::PROXY_ORIGIN),
        (403, "access_denied", "cross_site_request", ErrorKind::Proxy, hints::PROXY_ORIGIN),
        (401, "invalid_grant", "custody_cookie_missing", ErrorKind::Proxy, hints::PROXY_CUSTODY),
        (401, "invalid_grant", "custody_cookie_tampered", ErrorKind::Proxy, hints::PROXY_CUSTODY),
        (404, "not_found", "custody_off", ErrorKind::Proxy, hints::PROXY_CUSTODY_OFF),
        (502, "temporarily_unavailable", "upstream_unreachable", ErrorKind::Proxy, hints::PROXY_UPSTREAM),
        (504, "temporarily_unavailable", "upstream_timeout", ErrorKind::Proxy, hints::PROXY_UPSTREAM),
        (403, "access_denied", "client_not_allowed", ErrorKind::Proxy, hints::PROXY_ALLOWLIST),
        (400, "unsupported_grant_type", "grant_type_not_allowed", ErrorKind::Proxy, hints::PROXY_ALLOWLIST),
        (413, "invalid_request", "body_too_large", ErrorKind::Proxy, hints::PROXY_REQUEST),
        (500, "server_error", "no_peer_address", ErrorKind::Proxy, hints::PROXY_SERVER),
        (429, "temporarily_unavailable", "rate_limited_username", ErrorKind::RateLimited, hints::RATE_LIMITED),
    ] {
        let e = refusal(status, error, reason);
        assert_eq!(
            (e.kind, e.code.as_ref(), e.hint, e.status, e.description.as_deref()),
            (kind, reason, hint, Some(status), Some("d")),
            "{reason}"
        );
    }
    assert!(refusal(502, "temporarily_unavailable", "upstream_failed").is_transient(), "upstream errors are worth a retry");
    assert!(!refusal(401, "invalid_grant", "custody_cookie_expired").is_transient());
    // Okta's own browser refusal points at the proxy.
    let okta = token_error(
        &json(
            400,
            r#"{"error":"unauthorized_client","error_description":"Browser requests to the token endpoint may only use the authorization_code grant_type."}"#,
        ),
        reading::PASSWORD,
    );
    assert_eq!((okta.kind, okta.code.as_ref(), okta.hint), (ErrorKind::OAuth, "unauthorized_client", hints::ORIGIN));
    assert!(hints::ORIGIN.contains("okta-direct-auth-proxy") && hints::NETWORK.contains("okta-direct-auth-proxy"));
}
