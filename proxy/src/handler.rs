//! One request through the proxy, in the order the rules apply: the path is on the surface, the
//! authorization server is allowed, the method fits, the caller is same-origin, the IP is
//! within its rate, the body is a small form naming an allowed client and grant, the username
//! is within its rate; then custody and client authentication are added, the request goes to
//! Okta with only the headers Okta needs, and the answer comes back with only its safe headers.

use crate::client_ip::client_ip;
use crate::custody::{self, OpenError};
use crate::errors::{json_response, ProxyError};
use crate::form::Form;
use crate::log::LogLine;
use crate::origin;
use crate::ratelimit::Limiter;
use crate::settings::Settings;
use crate::surface::{self, Endpoint, Target};
use crate::upstream::{self, UpstreamResponse};
use axum::body::Body;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{json, Value};
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

/// The response header (and JSON member of token responses) that tells the SDK the proxy holds
/// the refresh token: `proxy` (held) or `none` (custody on, nothing held).
pub const CUSTODY_HEADER: &str = "x-refresh-token-custody";
pub const CUSTODY_MEMBER: &str = "refresh_token_custody";

pub struct Proxy {
    pub s: Settings,
    pub http: reqwest::Client,
    pub per_ip: Limiter,
    pub per_username: Limiter,
}

fn now_secs() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0)
}

fn refuse(status: StatusCode, error: &'static str, reason: &'static str, msg: impl Into<String>) -> ProxyError {
    ProxyError::new(status, error, reason, msg)
}

/// Runs `work`, logs one line, answers.
async fn logged<F>(p: &Proxy, method: &Method, path: &str, work: F) -> Response
where
    F: std::future::Future<Output = (Result<Response, ProxyError>, LogLine)>,
{
    let started = Instant::now();
    let (result, mut line) = work.await;
    let resp = match result {
        Ok(r) => r,
        Err(e) => {
            line.reason = Some(e.reason);
            e.into_response()
        }
    };
    line.method = method.to_string();
    line.path = path.to_owned();
    line.status = resp.status().as_u16();
    line.duration_ms = started.elapsed().as_millis();
    p.s.log.write(&line.render());
    resp
}

pub async fn handle(State(p): State<Arc<Proxy>>, req: Request) -> Response {
    let method = req.method().clone();
    let path = req.uri().path().to_owned();
    logged(&p, &method, &path, async {
        let mut line = LogLine::default();
        let r = proxy(&p, req, &mut line).await;
        (r, line)
    })
    .await
}

pub async fn sign_out(State(p): State<Arc<Proxy>>, req: Request) -> Response {
    let method = req.method().clone();
    let path = req.uri().path().to_owned();
    logged(&p, &method, &path, async {
        let mut line = LogLine { endpoint: Some("session/end"), ..Default::default() };
        let r = end_session(&p, req, &mut line).await;
        (r, line)
    })
    .await
}

#[cfg(test)]
mod tests {
    #[test]
    fn ipv6_addresses_share_their_64() {
        let key = |s: &str| super::ip_key(s.parse().unwrap());
        assert_eq!(key("2001:db8:1:2::1"), key("2001:db8:1:2:ffff::9"));
        assert_ne!(key("2001:db8:1:2::1"), key("2001:db8:1:3::1"));
        assert_eq!(key("192.0.2.1"), "192.0.2.1");
    }
}

pub async fn healthz() -> Response {
    json_response(StatusCode::OK, &json!({ "status": "ok" }))
}

/// The end user's IP (the peer, or from X-Forwarded-For behind a trusted proxy).
fn caller_ip(p: &Proxy, req: &Request, line: &mut LogLine) -> Result<IpAddr, ProxyError> {
    let Some(ConnectInfo(peer)) = req.extensions().get::<ConnectInfo<SocketAddr>>() else {
        return Err(refuse(
            StatusCode::INTERNAL_SERVER_ERROR,
            "server_error",
            "no_peer_address",
            "The sign-in proxy is mounted without the peer address: serve the router with into_make_service_with_connect_info::<SocketAddr>().",
        ));
    };
    let ip = client_ip(peer.ip(), req.headers(), &p.s.trusted_proxies);
    line.client_ip = Some(ip.to_string());
    Ok(ip)
}

/// The per-IP limit's key: the address, or for IPv6 its /64 (one subscriber's usual
/// allocation: rotating through it must not buy a fresh limit per address).
fn ip_key(ip: IpAddr) -> String {
    match ip {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => {
            let s = v6.segments();
            format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
        }
    }
}

fn limit_ip(p: &Proxy, ip: IpAddr) -> Result<(), ProxyError> {
    if let Err(retry) = p.per_ip.check(&ip_key(ip), Instant::now()) {
        let mut e = refuse(
            StatusCode::TOO_MANY_REQUESTS,
            "temporarily_unavailable",
            "rate_limited_ip",
            format!("Too many requests from this address; wait {retry} s and try again."),
        );
        e.retry_after = Some(retry);
        return Err(e);
    }
    Ok(())
}

fn method_not_allowed(allow: &'static str) -> ProxyError {
    let mut e =
        refuse(StatusCode::METHOD_NOT_ALLOWED, "invalid_request", "method_not_allowed", format!("This endpoint takes {allow} only."));
    e.allow = Some(allow);
    e
}

async fn read_form(p: &Proxy, req: Request) -> Result<(HeaderMap, Form), ProxyError> {
    let limit = p.s.max_request_body;
    let too_large = || {
        refuse(
            StatusCode::PAYLOAD_TOO_LARGE,
            "invalid_request",
            "body_too_large",
            format!("The request body is larger than {limit} bytes (or broke off); send only the form Okta needs."),
        )
    };
    let (parts, body) = req.into_parts();
    let declared = parts.headers.get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()).and_then(|v| v.trim().parse::<u64>().ok());
    if declared.is_some_and(|n| n > limit as u64) {
        return Err(too_large());
    }
    let content_type = parts.headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    let essence = content_type.split(';').next().unwrap_or("").trim();
    if !essence.eq_ignore_ascii_case("application/x-www-form-urlencoded") {
        return Err(refuse(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "invalid_request",
            "unsupported_content_type",
            "The body must be application/x-www-form-urlencoded.",
        ));
    }
    let bytes = axum::body::to_bytes(body, limit).await.map_err(|_| too_large())?;
    Ok((parts.headers, Form::parse(&bytes)?))
}

async fn proxy(p: &Proxy, req: Request, line: &mut LogLine) -> Result<Response, ProxyError> {
    let s = &p.s;
    let ip = caller_ip(p, &req, line)?;
    let rest = req.uri().path().strip_prefix(s.mount.as_str()).unwrap_or("");
    if rest == MY_ACCOUNT_PASSWORD && s.my_account_password {
        line.endpoint = Some("idp/myaccount/password");
        return forward_my_account_password(p, req, ip, line).await;
    }
    let Some(target) = surface::parse(rest) else {
        return Err(refuse(
            StatusCode::NOT_FOUND,
            "not_found",
            "path_not_allowed",
            format!(
                "{} is not an Okta direct-authentication endpoint this proxy forwards (token, challenge, primary-authenticate, oob-authenticate, revoke, userinfo, keys, discovery).",
                req.uri().path()
            ),
        ));
    };
    line.endpoint = Some(target.endpoint.name());
    line.auth_server = Some(target.server.clone());
    if !s.servers.contains(&target.server) {
        return Err(refuse(
            StatusCode::FORBIDDEN,
            "access_denied",
            "authorization_server_not_allowed",
            format!("The authorization server '{}' is not one this proxy serves.", target.server),
        ));
    }
    let is_post = target.endpoint.is_form_post();
    if req.method().as_str() != target.endpoint.allowed_method() {
        return Err(method_not_allowed(target.endpoint.allowed_method()));
    }
    origin::check(req.headers(), is_post, &s.origins, s.same_site)?;
    limit_ip(p, ip)?;
    if is_post {
        forward_form(p, target, req, ip, line).await
    } else {
        forward_get(p, target, req, ip, line).await
    }
}

/// MyAccount "Replace a Password" (the end of password recovery): on the org, not under an
/// authorization server, authenticated by the caller's bearer token (a recovery access token).
const MY_ACCOUNT_PASSWORD: &str = "/idp/myaccount/password";

/// `PUT {mount}/idp/myaccount/password` → `{upstream}/idp/myaccount/password`: PUT only, the
/// same origin rules as a POST, a JSON body of exactly `{"profile":{"password":"…"}}` within
/// the body cap; the caller's `Authorization` and `Accept` (`application/json;
/// okta-version=1.0.0`) are forwarded — the only endpoint besides `userinfo` that gets them.
async fn forward_my_account_password(p: &Proxy, req: Request, ip: IpAddr, line: &mut LogLine) -> Result<Response, ProxyError> {
    let s = &p.s;
    if req.method() != Method::PUT {
        return Err(method_not_allowed("PUT"));
    }
    origin::check(req.headers(), true, &s.origins, s.same_site)?;
    limit_ip(p, ip)?;
    let limit = s.max_request_body;
    let too_large = || {
        refuse(
            StatusCode::PAYLOAD_TOO_LARGE,
            "invalid_request",
            "body_too_large",
            format!("The request body is larger than {limit} bytes (or broke off); send only the JSON MyAccount needs."),
        )
    };
    let (parts, body) = req.into_parts();
    let declared = parts.headers.get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()).and_then(|v| v.trim().parse::<u64>().ok());
    if declared.is_some_and(|n| n > limit as u64) {
        return Err(too_large());
    }
    let content_type = parts.headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    if !content_type.split(';').next().unwrap_or("").trim().eq_ignore_ascii_case("application/json") {
        return Err(refuse(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "invalid_request",
            "unsupported_content_type",
            "The body must be application/json.",
        ));
    }
    let bytes = axum::body::to_bytes(body, limit).await.map_err(|_| too_large())?;
    let shape_ok = serde_json::from_slice::<Value>(&bytes).ok().is_some_and(|v| {
        let profile = v.as_object().filter(|o| o.len() == 1).and_then(|o| o.get("profile")).and_then(Value::as_object);
        profile.is_some_and(|p| p.len() == 1 && p.get("password").is_some_and(Value::is_string))
    });
    if !shape_ok {
        return Err(refuse(
            StatusCode::BAD_REQUEST,
            "invalid_request",
            "invalid_json_body",
            "The body must be exactly {\"profile\":{\"password\":\"…\"}}.",
        ));
    }
    let mut headers =
        vec![("content-type", "application/json".to_owned()), ("accept", accept(&parts.headers)), ("x-forwarded-for", ip.to_string())];
    if let Some(auth) = parts.headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()) {
        headers.push(("authorization", auth.to_owned()));
    }
    let body = String::from_utf8(bytes.to_vec())
        .map_err(|_| refuse(StatusCode::BAD_REQUEST, "invalid_request", "invalid_json_body", "The body must be UTF-8 JSON."))?;
    let url = format!("{}{MY_ACCOUNT_PASSWORD}", s.upstream);
    let up = upstream::send(&p.http, s, reqwest::Method::PUT, &url, headers, Some(body)).await?;
    line.upstream_status = Some(up.status.as_u16());
    Ok(relay(up, None))
}

fn check_client(s: &Settings, client_id: Option<&str>, line: &mut LogLine) -> Result<String, ProxyError> {
    let Some(client_id) = client_id else {
        return Err(refuse(StatusCode::BAD_REQUEST, "invalid_request", "client_id_missing", "The form must carry client_id."));
    };
    line.client_id = Some(client_id.to_owned());
    if !s.clients.contains(client_id) {
        return Err(refuse(
            StatusCode::FORBIDDEN,
            "access_denied",
            "client_not_allowed",
            format!("The client '{client_id}' is not one this proxy serves."),
        ));
    }
    Ok(client_id.to_owned())
}

async fn forward_get(p: &Proxy, target: Target, req: Request, ip: IpAddr, line: &mut LogLine) -> Result<Response, ProxyError> {
    let s = &p.s;
    let mut url = target.upstream_url(&s.upstream);
    if let Some(q) = req.uri().query() {
        let query = Form::parse(q.as_bytes())?;
        let mut names = form_urlencoded::parse(q.as_bytes()).map(|(k, _)| k.into_owned());
        if let Some(other) = names.find(|k| k != "client_id") {
            return Err(refuse(
                StatusCode::BAD_REQUEST,
                "invalid_request",
                "query_parameter_not_allowed",
                format!("The query parameter '{other}' is not forwarded; only client_id is."),
            ));
        }
        let client_id = check_client(s, query.get("client_id"), line)?;
        url.push_str("?client_id=");
        url.extend(form_urlencoded::byte_serialize(client_id.as_bytes()));
    }
    let mut headers = vec![("accept", accept(req.headers())), ("x-forwarded-for", ip.to_string())];
    if target.endpoint == Endpoint::Userinfo {
        if let Some(auth) = req.headers().get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()) {
            headers.push(("authorization", auth.to_owned()));
        }
    }
    let up = upstream::send(&p.http, s, reqwest::Method::GET, &url, headers, None).await?;
    line.upstream_status = Some(up.status.as_u16());
    Ok(relay(up, None))
}

fn accept(h: &HeaderMap) -> String {
    h.get(header::ACCEPT).and_then(|v| v.to_str().ok()).filter(|v| !v.is_empty()).unwrap_or("application/json").to_owned()
}

/// Where the refresh token of a custody request came from.
#[derive(PartialEq, Eq, Clone, Copy)]
enum RefreshSource {
    NotARefresh,
    Body,
    Cookie,
}

fn custody_error(e: OpenError, clear: Option<String>) -> ProxyError {
    let (reason, msg) = match e {
        OpenError::Tampered => (
            "custody_cookie_tampered",
            "The sign-in proxy's refresh-token cookie was altered or was not made with this proxy's key; sign in again.",
        ),
        OpenError::Foreign => (
            "custody_cookie_foreign",
            "The sign-in proxy's refresh-token cookie belongs to another authorization server or client; sign in again with this one.",
        ),
        OpenError::Expired => ("custody_cookie_expired", "The sign-in proxy's refresh-token cookie has expired; sign in again."),
    };
    // A foreign cookie is valid for its own client: leave it.
    let clear = if e == OpenError::Foreign { None } else { clear };
    refuse(StatusCode::UNAUTHORIZED, "invalid_grant", reason, msg).with_cookie(clear)
}

/// The custody cookie's refresh token for (`server`, `client_id`): `Ok(None)` when there is no cookie.
fn cookie_token(s: &Settings, headers: &HeaderMap, server: &str, client_id: &str) -> Result<Option<crate::secret::Secret>, ProxyError> {
    let Some(c) = &s.custody else { return Ok(None) };
    let values = custody::cookie_values(headers, &c.cookie_name);
    let mut first_error = None;
    for v in &values {
        match c.keys.open(v, Some(server), Some(client_id), now_secs()) {
            Ok((opened, _, _)) => return Ok(Some(opened.refresh_token)),
            Err(e) => {
                first_error.get_or_insert(e);
            }
        }
    }
    match first_error {
        Some(e) => Err(custody_error(e, Some(custody::clear_cookie(&c.cookie_name, &s.mount)))),
        None => Ok(None),
    }
}

async fn forward_form(p: &Proxy, target: Target, req: Request, ip: IpAddr, line: &mut LogLine) -> Result<Response, ProxyError> {
    let s = &p.s;
    let (headers, mut form) = read_form(p, req).await?;
    for name in ["client_secret", "client_assertion", "client_assertion_type"] {
        if form.contains(name) {
            return Err(refuse(
                StatusCode::BAD_REQUEST,
                "invalid_request",
                "client_credentials_not_accepted",
                format!("The form carries '{name}': a browser must not hold client credentials; the proxy adds them when the app is confidential."),
            ));
        }
    }
    let client_id = check_client(s, form.get("client_id"), line)?;
    let grant = form.get("grant_type").map(str::to_owned);
    if target.endpoint == Endpoint::Token {
        let Some(grant) = &grant else {
            return Err(refuse(
                StatusCode::BAD_REQUEST,
                "invalid_request",
                "grant_type_missing",
                "The token request must carry grant_type.",
            ));
        };
        line.grant_type = Some(grant.clone());
        if !s.grants.contains(grant) {
            return Err(refuse(
                StatusCode::BAD_REQUEST,
                "unsupported_grant_type",
                "grant_type_not_allowed",
                format!("The grant type '{grant}' is not one this proxy forwards."),
            ));
        }
    }
    if target.endpoint == Endpoint::Revoke {
        line.token_type_hint = form.get("token_type_hint").map(str::to_owned);
    }
    for name in ["username", "login_hint"] {
        if let Some(user) = form.get(name) {
            let key = user.trim().to_lowercase();
            if let Err(retry) = p.per_username.check(&key, Instant::now()) {
                let mut e = refuse(
                    StatusCode::TOO_MANY_REQUESTS,
                    "temporarily_unavailable",
                    "rate_limited_username",
                    format!("Too many sign-in attempts for this username; wait {retry} s and try again."),
                );
                e.retry_after = Some(retry);
                return Err(e);
            }
        }
    }

    // Custody: supply the refresh token from the cookie.
    let mut source = RefreshSource::NotARefresh;
    let mut revoke_from_cookie = false;
    if let Some(c) = &s.custody {
        if target.endpoint == Endpoint::Token && grant.as_deref() == Some("refresh_token") {
            source = RefreshSource::Body;
            if !form.contains("refresh_token") {
                match cookie_token(s, &headers, &target.server, &client_id)? {
                    Some(rt) => {
                        form.set("refresh_token", rt.expose());
                        source = RefreshSource::Cookie;
                    }
                    None => {
                        return Err(refuse(
                            StatusCode::UNAUTHORIZED,
                            "invalid_grant",
                            "custody_cookie_missing",
                            "No refresh token: the request has none and the sign-in proxy's refresh-token cookie is absent; sign in again.",
                        ))
                    }
                }
            }
        }
        if target.endpoint == Endpoint::Revoke && form.get("token_type_hint") == Some("refresh_token") && !form.contains("token") {
            match cookie_token(s, &headers, &target.server, &client_id)? {
                Some(rt) => {
                    form.set("token", rt.expose());
                    revoke_from_cookie = true;
                }
                None => {
                    // Nothing held: nothing to revoke. Answer as Okta does for an unknown token.
                    let mut resp = Response::new(Body::empty());
                    append_cookie(&mut resp, Some(custody::clear_cookie(&c.cookie_name, &s.mount)));
                    line.custody = Some("none");
                    return Ok(resp);
                }
            }
        }
    }

    let url = target.upstream_url(&s.upstream);
    let mut out_headers = vec![
        ("content-type", "application/x-www-form-urlencoded".to_owned()),
        ("accept", accept(&headers)),
        ("x-forwarded-for", ip.to_string()),
    ];
    if let Some(auth) = add_client_auth(s, &mut form, &client_id, &target, &url)? {
        out_headers.push(("authorization", auth));
    }
    let up = upstream::send(&p.http, s, reqwest::Method::POST, &url, out_headers, Some(form.encode())).await?;
    line.upstream_status = Some(up.status.as_u16());

    let Some(c) = &s.custody else { return Ok(relay(up, None)) };
    if revoke_from_cookie {
        let clear = (up.status == StatusCode::OK).then(|| custody::clear_cookie(&c.cookie_name, &s.mount));
        line.custody = clear.as_ref().map(|_| "none");
        return Ok(relay(up, clear));
    }
    if target.endpoint != Endpoint::Token {
        return Ok(relay(up, None));
    }
    if up.status != StatusCode::OK {
        // A refresh token from the cookie that Okta no longer takes: drop the cookie.
        let dead = source == RefreshSource::Cookie
            && up.status == StatusCode::BAD_REQUEST
            && oauth_error(&up.body) == Some("invalid_grant".into());
        return Ok(relay(up, dead.then(|| custody::clear_cookie(&c.cookie_name, &s.mount))));
    }
    take_refresh_token(s, up, &target.server, &client_id, source, line)
}

fn oauth_error(body: &[u8]) -> Option<String> {
    serde_json::from_slice::<Value>(body).ok()?.get("error")?.as_str().map(str::to_owned)
}

fn add_client_auth(s: &Settings, form: &mut Form, client_id: &str, target: &Target, url: &str) -> Result<Option<String>, ProxyError> {
    let audience = match &s.client_auth {
        crate::client_auth::ClientAuth::PrivateKeyJwt(signer) if signer.audience == crate::config::AssertionAudience::TokenEndpoint => {
            surface::endpoint_url(&s.upstream, &target.server, Endpoint::Token)
        }
        _ => url.to_owned(),
    };
    s.client_auth.apply(form, client_id, &audience, now_secs()).ok_or_else(|| {
        refuse(
            StatusCode::INTERNAL_SERVER_ERROR,
            "server_error",
            "client_assertion_failed",
            "The sign-in proxy could not sign its client assertion.",
        )
    })
}

/// A 200 token response in custody mode: the refresh token goes into the cookie, the marker
/// into the answer.
fn take_refresh_token(
    s: &Settings,
    up: UpstreamResponse,
    server: &str,
    client_id: &str,
    source: RefreshSource,
    line: &mut LogLine,
) -> Result<Response, ProxyError> {
    let Some(c) = &s.custody else { return Ok(relay(up, None)) };
    let Ok(Value::Object(mut body)) = serde_json::from_slice::<Value>(&up.body) else {
        return Err(refuse(
            StatusCode::BAD_GATEWAY,
            "temporarily_unavailable",
            "upstream_invalid_response",
            "Okta's token answer is not a JSON object; the sign-in proxy cannot take custody of its refresh token. Try again.",
        ));
    };
    let (cookie, marker) = match body.remove("refresh_token") {
        Some(Value::String(rt)) => {
            let exp = now_secs() + c.lifetime_secs;
            let Some(sealed) = c.keys.seal(server, client_id, &rt, exp) else {
                return Err(refuse(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "server_error",
                    "custody_seal_failed",
                    "The sign-in proxy could not seal the refresh token.",
                ));
            };
            (Some(custody::set_cookie(&c.cookie_name, &sealed, &s.mount, c.lifetime_secs)), "proxy")
        }
        // A refresh without rotation: the cookie stays as it is.
        _ if source == RefreshSource::Cookie => (None, "proxy"),
        // A sign-in without offline_access: any older session's refresh token must not outlive it.
        _ if source == RefreshSource::NotARefresh => (Some(custody::clear_cookie(&c.cookie_name, &s.mount)), "none"),
        _ => (None, "none"),
    };
    body.insert(CUSTODY_MEMBER.into(), Value::from(marker));
    line.custody = Some(marker);
    let up = UpstreamResponse { body: bytes::Bytes::from(Value::Object(body).to_string()), ..up };
    let mut resp = relay(up, cookie);
    resp.headers_mut().insert(CUSTODY_HEADER, HeaderValue::from_static(marker));
    Ok(resp)
}

fn append_cookie(resp: &mut Response, cookie: Option<String>) {
    if let Some(v) = cookie.and_then(|c| HeaderValue::from_str(&c).ok()) {
        resp.headers_mut().append(header::SET_COOKIE, v);
    }
}

/// Okta's answer, with only the allowlisted headers.
fn relay(up: UpstreamResponse, cookie: Option<String>) -> Response {
    let mut resp = Response::new(Body::from(up.body));
    *resp.status_mut() = up.status;
    for (n, v) in up.headers {
        resp.headers_mut().append(n, v);
    }
    append_cookie(&mut resp, cookie);
    resp
}

/// `POST {mount}/session/end`: revoke the custody refresh token at Okta and clear the cookie.
async fn end_session(p: &Proxy, req: Request, line: &mut LogLine) -> Result<Response, ProxyError> {
    let s = &p.s;
    let ip = caller_ip(p, &req, line)?;
    if req.method() != Method::POST {
        return Err(method_not_allowed("POST"));
    }
    origin::check(req.headers(), true, &s.origins, s.same_site)?;
    limit_ip(p, ip)?;
    let Some(c) = &s.custody else {
        return Err(refuse(
            StatusCode::NOT_FOUND,
            "not_found",
            "custody_off",
            "Refresh-token custody is off on this proxy: there is no proxy session to end; revoke the tokens the app holds instead.",
        ));
    };
    let clear = custody::clear_cookie(&c.cookie_name, &s.mount);
    let values = custody::cookie_values(req.headers(), &c.cookie_name);
    let Some(value) = values.first() else {
        let mut resp = json_response(StatusCode::OK, &json!({ "signed_out": true, "revoked": false }));
        append_cookie(&mut resp, Some(clear));
        return Ok(resp);
    };
    let (opened, server, client_id) = c.keys.open(value, None, None, now_secs()).map_err(|e| custody_error(e, Some(clear.clone())))?;
    line.auth_server = Some(server.clone());
    line.client_id = Some(client_id.clone());
    if !s.servers.contains(&server) || !s.clients.contains(&client_id) {
        return Err(custody_error(OpenError::Foreign, None).with_cookie(Some(clear)));
    }
    let target = Target { server, endpoint: Endpoint::Revoke };
    let url = target.upstream_url(&s.upstream);
    let mut form = Form::default();
    form.set("client_id", &client_id);
    form.set("token", opened.refresh_token.expose());
    form.set("token_type_hint", "refresh_token");
    let mut headers = vec![
        ("content-type", "application/x-www-form-urlencoded".to_owned()),
        ("accept", "application/json".to_owned()),
        ("x-forwarded-for", ip.to_string()),
    ];
    if let Some(auth) = add_client_auth(s, &mut form, &client_id, &target, &url)? {
        headers.push(("authorization", auth));
    }
    let up = upstream::send(&p.http, s, reqwest::Method::POST, &url, headers, Some(form.encode())).await?;
    line.upstream_status = Some(up.status.as_u16());
    if up.status != StatusCode::OK {
        return Err(refuse(
            StatusCode::BAD_GATEWAY,
            "temporarily_unavailable",
            "upstream_revoke_failed",
            format!(
                "Okta did not revoke the refresh token (HTTP {}); the session cookie is kept so that sign-out can be tried again.",
                up.status.as_u16()
            ),
        ));
    }
    line.custody = Some("none");
    let mut resp = json_response(StatusCode::OK, &json!({ "signed_out": true, "revoked": true }));
    append_cookie(&mut resp, Some(clear));
    Ok(resp)
}
