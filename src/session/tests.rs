use super::*;
use crate::protocol::json;

const NOW: f64 = 1_700_000_000_000.0;

fn tokens(extra: &str) -> json::Value {
    let text = format!(r#"{{"tokenType":"Bearer","accessToken":"at1","expiresIn":3600,"expiresAt":{}{extra}}}"#, NOW + 3_600_000.0);
    json::parse(text.as_bytes()).unwrap()
}

fn signed_in(extra: &str) -> SessionRecord {
    record(&tokens(extra), None, false).unwrap()
}

fn refresh_token(r: &SessionRecord) -> Option<&str> {
    match &r.refresh {
        Refresh::Token(t) => Some(t.expose()),
        _ => None,
    }
}

#[test]
fn a_sign_in_is_kept_only_with_an_id_token() {
    let r = signed_in(r#","idToken":"id1","refreshToken":"rt1","scope":"openid offline_access""#);
    assert_eq!((r.access_token.expose(), r.id_token.expose(), refresh_token(&r)), ("at1", "id1", Some("rt1")));
    let e = record(&tokens(r#","refreshToken":"rt1""#), None, false).unwrap_err();
    assert_eq!((e.code.as_ref(), e.kind), ("not_a_sign_in", crate::protocol::ErrorKind::Input));
    assert_eq!(
        record(&json::parse(br#"{"status":"mfa_required","mfaToken":"m"}"#).unwrap(), None, false).unwrap_err().code,
        "not_a_sign_in"
    );
    assert!(matches!(signed_in(r#","idToken":"id1""#).refresh, Refresh::None), "no offline_access: nothing to refresh with");
}

#[test]
fn rotation_replaces_the_refresh_token_and_keeps_what_the_answer_lacks() {
    let first = signed_in(r#","idToken":"id1","refreshToken":"rt1","scope":"openid offline_access""#);
    let rotated = record(&tokens(r#","refreshToken":"rt2","idToken":"id2""#), Some(&first), false).unwrap();
    assert_eq!((refresh_token(&rotated), rotated.id_token.expose()), (Some("rt2"), "id2"));
    assert_eq!(rotated.scope.as_deref(), Some("openid offline_access"), "scope kept when the answer omits it");
    let unrotated = record(&tokens(""), Some(&rotated), false).unwrap();
    assert_eq!((refresh_token(&unrotated), unrotated.id_token.expose()), (Some("rt2"), "id2"), "rotation off: the old ones stay");
}

#[test]
fn custody_never_stores_a_refresh_token() {
    let by_option = record(&tokens(r#","idToken":"id1","refreshToken":"leaked""#), None, true).unwrap();
    assert!(matches!(by_option.refresh, Refresh::Proxy));
    assert!(!by_option.write().contains("leaked"));
    let by_marker = signed_in(r#","idToken":"id1","refreshTokenCustody":"proxy""#);
    assert!(matches!(by_marker.refresh, Refresh::Proxy));
    let refreshed = record(&tokens(r#","refreshToken":"rt9""#), Some(&by_marker), false).unwrap();
    assert!(matches!(refreshed.refresh, Refresh::Proxy), "custody survives a refresh");
    assert_eq!(plan(Some(&refreshed), NOW + 3_590_000.0, 60.0), Plan::Refresh, "custody can refresh");
    assert!(refreshed.write().contains(r#""refreshTokenCustody":"proxy""#));
    assert!(record(&tokens(r#","idToken":"i","refreshTokenCustody":"elsewhere""#), None, false).is_err(), "an unknown custody is refused");
}

#[test]
fn the_record_round_trips_and_strange_records_are_no_session() {
    for extra in
        [r#","idToken":"i","refreshToken":"r","scope":"openid""#, r#","idToken":"i""#, r#","idToken":"i","refreshTokenCustody":"proxy""#]
    {
        let r = signed_in(extra);
        let again = SessionRecord::parse(&r.write()).unwrap();
        assert_eq!(again.write(), r.write());
        assert_eq!(again.expires_at_ms, NOW + 3_600_000.0);
    }
    let good = signed_in(r#","idToken":"i","refreshToken":"r""#).write();
    for bad in [
        String::new(),
        "null".into(),
        "{}".into(),
        good.replace(r#""v":1"#, r#""v":2"#),
        good.replace(r#""accessToken":"at1""#, r#""accessToken":"""#),
        good.replace(r#""idToken":"i""#, r#""idToken":7"#),
        good.replace(r#""refreshToken":"r""#, r#""refreshTokenCustody":"elsewhere""#),
        good.replace(r#""expiresAt":"#, r#""expiresAt":"x","y":"#),
        good[..good.len() - 1].to_owned(),
    ] {
        assert!(SessionRecord::parse(&bad).is_none(), "{bad}");
    }
}

#[test]
fn the_plan_refreshes_within_the_margin() {
    let r = signed_in(r#","idToken":"i","refreshToken":"r""#);
    assert_eq!(plan(None, NOW, 60.0), Plan::None);
    assert_eq!(plan(Some(&r), NOW, 60.0), Plan::Use);
    assert_eq!(plan(Some(&r), NOW + 3_539_000.0, 60.0), Plan::Use, "61 s left");
    assert_eq!(plan(Some(&r), NOW + 3_540_000.0, 60.0), Plan::Refresh, "60 s left");
    assert_eq!(plan(Some(&r), NOW + 4_000_000.0, 60.0), Plan::Refresh, "expired");
    assert_eq!(plan(Some(&r), NOW + 3_000_000.0, 900.0), Plan::Refresh, "a larger margin");
    assert_eq!(plan(Some(&r), NOW, f64::INFINITY), Plan::Refresh, "forceRefresh");
    let no_refresh = signed_in(r#","idToken":"i""#);
    assert_eq!(plan(Some(&no_refresh), NOW, f64::INFINITY), Plan::Use, "forceRefresh without a refresh token");
    assert_eq!(plan(Some(&no_refresh), NOW + 3_590_000.0, 60.0), Plan::Use, "nothing better: use it while it lasts");
    assert_eq!(plan(Some(&no_refresh), NOW + 3_600_000.0, 60.0), Plan::Expired);
}

#[test]
fn the_margin_is_capped_at_half_a_short_lifetime() {
    let text = format!(r#"{{"accessToken":"a","expiresIn":5,"expiresAt":{},"idToken":"i","refreshToken":"r"}}"#, NOW + 5000.0);
    let short = record(&json::parse(text.as_bytes()).unwrap(), None, false).unwrap();
    assert_eq!(plan(Some(&short), NOW, 60.0), Plan::Use, "a fresh 5 s token is used, not refreshed on every read");
    assert_eq!(plan(Some(&short), NOW + 2_400.0, 60.0), Plan::Use);
    assert_eq!(plan(Some(&short), NOW + 2_500.0, 60.0), Plan::Refresh);
}

#[test]
fn what_a_failed_refresh_means() {
    use RefreshFailure::*;
    let sent = r#"{"v":1,"sent":1}"#;
    assert_eq!(refresh_failed("oauth", "invalid_grant", sent, Some(sent)), Ended);
    assert_eq!(refresh_failed("oauth", "invalid_grant", sent, Some(r#"{"v":1,"other":1}"#)), Superseded, "another tab rotated first");
    assert_eq!(refresh_failed("oauth", "invalid_grant", sent, None), SignedOut);
    for (kind, code) in [
        ("network", "network_error"),
        ("timeout", "timeout"),
        ("protocol", "invalid_json"),
        ("rate_limited", "invalid_grant"),
        ("aborted", "aborted"),
        ("oauth", "invalid_client"),
        ("oauth", "server_error"),
    ] {
        assert_eq!(refresh_failed(kind, code, sent, Some(sent)), Failed, "{kind} {code}: the session stays");
    }
}

#[test]
fn events_are_an_allowlist() {
    for e in Event::ALL {
        assert_eq!(Event::parse(e.as_str()), Some(e));
    }
    for bad in ["", "signedin", "tokens", "__proto__", "signedOut "] {
        assert_eq!(Event::parse(bad), None, "{bad}");
    }
    assert!(Event::SignedOut.ends_session() && Event::SessionEnded.ends_session());
    assert!(!Event::SignedIn.ends_session() && !Event::TokensRefreshed.ends_session());
}

#[test]
fn errors_say_what_to_do() {
    for code in [
        "not_signed_in",
        "session_expired",
        "session_ended",
        "not_a_sign_in",
        "invalid_storage",
        "invalid_session_option",
        "storage_failed",
    ] {
        let e = error(code);
        assert_eq!(e.code, code);
        assert!(e.description.is_some() && !e.hint.is_empty());
    }
    assert_eq!(error("anything").code, "not_signed_in");
}

#[test]
fn debug_never_shows_a_token() {
    let r = signed_in(r#","idToken":"hunter2-id","refreshToken":"hunter2-rt""#);
    let r = SessionRecord { access_token: crate::protocol::secret::AccessToken::new("hunter2-at"), ..r };
    let shown = format!("{r:?}");
    assert!(!shown.contains("hunter2"), "{shown}");
    assert!(shown.contains("redacted"));
}
