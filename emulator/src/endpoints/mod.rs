//! The Okta endpoints, one module per group, and what they share: client authentication,
//! scope checks, rate limiting, transaction checks and token issuance.

pub mod attestation;
pub mod browser_rules;
pub mod challenge;
pub mod client_assertion;
pub mod discovery;
pub mod email;
pub mod myaccount;
pub mod primary;
pub mod recovery;
pub mod session;
pub mod token;
pub mod webauthn;

use crate::errors::{OAuthError, OktaApiError};
use crate::reqlog::ReqInfo;
use crate::seed::{ClientSeed, FactorKind, Policy, PushMode, UserSeed, GRANT_MFA_OOB, GRANT_MFA_OTP, GRANT_REFRESH};
use crate::state::{AppState, AuthServer};
use crate::store::{AccessRecord, MfaTxn, RateInfo, RefreshRecord, TxnContext};
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
use base64::Engine;
use serde_json::{json, Value};

/// Either error form.
#[derive(Debug)]
pub enum Failure {
    OAuth(OAuthError),
    Api(OktaApiError),
}

impl From<OAuthError> for Failure {
    fn from(e: OAuthError) -> Self {
        Failure::OAuth(e)
    }
}

impl From<OktaApiError> for Failure {
    fn from(e: OktaApiError) -> Self {
        Failure::Api(e)
    }
}

impl IntoResponse for Failure {
    fn into_response(self) -> Response {
        match self {
            Failure::OAuth(e) => e.into_response(),
            Failure::Api(e) => e.into_response(),
        }
    }
}

/// Per-request bookkeeping a handler fills in as it learns things.
#[derive(Debug, Default)]
pub struct Ctx {
    pub info: ReqInfo,
    pub rate: Option<RateInfo>,
    /// `Cache-Control: no-store` and `Pragma: no-cache` (token endpoint).
    pub no_store: bool,
}

impl Ctx {
    pub fn finish(self, result: Result<Response, Failure>) -> Response {
        let mut resp = match result {
            Ok(r) => r,
            Err(e) => e.into_response(),
        };
        if let Some(r) = self.rate {
            set_rate_headers(resp.headers_mut(), r.limit, r.remaining, r.reset);
        }
        if self.no_store {
            resp.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            resp.headers_mut().insert(header::PRAGMA, HeaderValue::from_static("no-cache"));
        }
        resp.extensions_mut().insert(self.info);
        resp
    }
}

pub fn set_rate_headers(h: &mut HeaderMap, limit: u32, remaining: u32, reset: i64) {
    h.insert("x-rate-limit-limit", HeaderValue::from(limit));
    h.insert("x-rate-limit-remaining", HeaderValue::from(remaining));
    h.insert("x-rate-limit-reset", HeaderValue::from(reset));
}

/// Counts the request against the (client, user) rate limit.
pub fn rate_limit(state: &AppState, ctx: &mut Ctx, client_id: &str, login: &str) -> Result<(), OAuthError> {
    let now = state.clock.now_secs();
    let info = match state.store.lock() {
        Ok(mut s) => s.rate_check(client_id, &login.to_ascii_lowercase(), now, state.config.rate_limit_per_minute),
        Err(_) => return Err(OAuthError::server_error()),
    };
    ctx.rate = Some(info);
    if info.exceeded {
        Err(OAuthError::rate_limited())
    } else {
        Ok(())
    }
}

/// Client authentication: public clients send `client_id`; confidential ones add
/// `client_secret` (post), use HTTP Basic, or send a `client_assertion` (`private_key_jwt`,
/// whose `aud` must be this endpoint's URL: `path` is the request path).
pub fn authenticate_client<'a>(
    state: &'a AppState,
    headers: &HeaderMap,
    form: &crate::form::Form,
    path: &str,
    ctx: &mut Ctx,
) -> Result<&'a ClientSeed, OAuthError> {
    let mut basic: Option<(String, String)> = None;
    if let Some(auth) = headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()) {
        if let Some(b64) = auth.strip_prefix("Basic ").or_else(|| auth.strip_prefix("basic ")) {
            let decoded = base64::engine::general_purpose::STANDARD
                .decode(b64.trim())
                .ok()
                .and_then(|b| String::from_utf8(b).ok())
                .and_then(|s| s.split_once(':').map(|(a, b)| (a.to_string(), b.to_string())));
            match decoded {
                Some(pair) => basic = Some(pair),
                None => return Err(OAuthError::invalid_client("Found Authentication header but was not valid client credentials.")),
            }
        }
    }
    if basic.is_some() && form.contains("client_secret") {
        let mut e = OAuthError::invalid_request(
            "Cannot supply multiple client credentials. Use one of the following: credentials in the Authorization header, credentials in the post body, or a client_assertion in the post body.",
        );
        e.status = axum::http::StatusCode::UNAUTHORIZED;
        return Err(e);
    }
    if form.contains("client_assertion") || form.contains("client_assertion_type") {
        if basic.is_some() || form.contains("client_secret") {
            let mut e = OAuthError::invalid_request(
                "Cannot supply multiple client credentials. Use one of the following: credentials in the Authorization header, credentials in the post body, or a client_assertion in the post body.",
            );
            e.status = axum::http::StatusCode::UNAUTHORIZED;
            return Err(e);
        }
        if form.get("client_assertion_type") != Some(client_assertion::ASSERTION_TYPE) {
            return Err(OAuthError::invalid_request("The client_assertion_type is invalid."));
        }
        let assertion = form.get("client_assertion").ok_or_else(|| OAuthError::missing_param("client_assertion"))?;
        ctx.info.client_id = form.get("client_id").map(str::to_string);
        let client = client_assertion::verify(state, assertion, form.get("client_id"), &format!("{}{path}", state.base_url))?;
        ctx.info.client_id = Some(client.client_id.clone());
        return Ok(client);
    }
    let (client_id, secret) = match &basic {
        Some((id, secret)) => {
            if let Some(form_id) = form.get("client_id") {
                if form_id != id {
                    return Err(OAuthError::invalid_client(
                        "Client authentication failed. Either the client or the client credentials are invalid.",
                    ));
                }
            }
            (id.clone(), Some(secret.clone()))
        }
        None => match form.get("client_id") {
            Some(id) => (id.to_string(), form.get("client_secret").map(str::to_string)),
            None => return Err(OAuthError::invalid_client("No client credentials found.")),
        },
    };
    ctx.info.client_id = Some(client_id.clone());
    let client = state.clients.get(&client_id).ok_or_else(|| OAuthError::invalid_client("Invalid value for 'client_id' parameter."))?;
    if let Some(expected) = &client.client_secret {
        match secret {
            None => {
                return Err(OAuthError::invalid_client(
                    "Client authentication failed. Either the client or the client credentials are invalid.",
                ))
            }
            Some(s) if !crate::ct::constant_time_eq(s.as_bytes(), expected.as_bytes()) => {
                return Err(OAuthError::invalid_client("The client secret supplied for a confidential client is invalid."))
            }
            Some(_) => {}
        }
    } else if !client.jwks.is_empty() {
        // A private_key_jwt client without its assertion.
        return Err(OAuthError::invalid_client("Client authentication failed. Either the client or the client credentials are invalid."));
    }
    Ok(client)
}

pub fn client_allows(client: &ClientSeed, grant: &str) -> bool {
    client.grant_types.iter().any(|g| g == grant)
}

pub fn require_grant(client: &ClientSeed, grant: &str) -> Result<(), OAuthError> {
    if client_allows(client, grant) {
        Ok(())
    } else {
        Err(OAuthError::unauthorized_client(&client.grant_types))
    }
}

const OIDC_SCOPES: &[&str] = &["openid", "profile", "email", "address", "phone", "offline_access", "groups", "device_sso"];

/// Parses and checks a `scope` value; duplicates are dropped, order kept.
pub fn parse_scope(server: &AuthServer, raw: &str) -> Result<Vec<String>, OAuthError> {
    let mut out: Vec<String> = Vec::new();
    for s in raw.split(' ').filter(|s| !s.is_empty()) {
        let known =
            OIDC_SCOPES.contains(&s) || server.custom_scopes.iter().any(|c| c == s) || (server.key == "org" && s.starts_with("okta."));
        if !known {
            return Err(OAuthError::invalid_scope("One or more scopes are not configured for the authorization server resource."));
        }
        if !out.iter().any(|o| o == s) {
            out.push(s.to_string());
        }
    }
    if out.is_empty() {
        return Err(OAuthError::invalid_scope("No scopes were requested."));
    }
    Ok(out)
}

pub fn same_scopes(a: &[String], b: &[String]) -> bool {
    a.len() == b.len() && a.iter().all(|x| b.contains(x))
}

pub fn split_scope(s: &str) -> Vec<String> {
    s.split(' ').filter(|s| !s.is_empty()).map(str::to_string).collect()
}

/// Normalises `acr_values` (order and duplicates do not matter).
pub fn norm_acr(raw: Option<&str>) -> Option<String> {
    raw.map(|r| {
        let mut v: Vec<&str> = r.split(' ').filter(|s| !s.is_empty()).collect();
        v.sort_unstable();
        v.dedup();
        v.join(" ")
    })
    .filter(|s| !s.is_empty())
}

/// Checks `grant_types_supported` values (protocol notes §2).
pub fn parse_grant_types_supported(raw: Option<&str>) -> Result<Option<Vec<String>>, OAuthError> {
    let Some(raw) = raw else { return Ok(None) };
    let mut out = Vec::new();
    for g in raw.split(' ').filter(|s| !s.is_empty()) {
        if !crate::seed::KNOWN_GRANTS.contains(&g) {
            return Err(OAuthError::invalid_grant_type_supported(g));
        }
        out.push(g.to_string());
    }
    Ok(Some(out))
}

pub fn lock_store(state: &AppState) -> Result<std::sync::MutexGuard<'_, crate::store::Store>, OAuthError> {
    state.store.lock().map_err(|_| OAuthError::server_error())
}

/// Checks an `mfa_token` against the request: known, unused, same client, same server,
/// unexpired, same scope and acr_values (protocol notes §2).
pub fn check_mfa_token(
    state: &AppState,
    token: &str,
    client: &ClientSeed,
    server: &AuthServer,
    scope: Option<&str>,
    acr: Option<&str>,
) -> Result<MfaTxn, Failure> {
    let txn = {
        let store = lock_store(state)?;
        store.mfa.get(token).cloned()
    };
    let Some(txn) = txn else {
        return Err(OAuthError::invalid_grant("The 'mfa_token' is invalid.").into());
    };
    if txn.consumed {
        return Err(OAuthError::invalid_grant("The 'mfa_token' is invalid.").into());
    }
    check_context(&txn.ctx, client, server, scope, acr)?;
    if state.clock.now_ms() >= txn.expires_at_ms {
        return Err(OAuthError::expired("mfa_token").into());
    }
    Ok(txn)
}

/// The consistency rules for a transaction: same client, server, scope and acr_values.
pub fn check_context(
    ctx: &TxnContext,
    client: &ClientSeed,
    server: &AuthServer,
    scope: Option<&str>,
    acr: Option<&str>,
) -> Result<(), Failure> {
    if ctx.client_id != client.client_id {
        return Err(OAuthError::client_changed(&client.client_id, &ctx.client_id).into());
    }
    if ctx.server != server.key {
        return Err(OAuthError::server_changed(&server.key, &ctx.server).into());
    }
    if let (Some(req), Some(orig)) = (scope, ctx.scope.as_deref()) {
        let requested = parse_scope(server, req)?;
        if !same_scopes(&requested, &split_scope(orig)) {
            return Err(OAuthError::scopes_changed(req, orig).into());
        }
    }
    if let Some(req) = norm_acr(acr) {
        let orig = ctx.acr_values.clone().unwrap_or_default();
        if req != orig {
            return Err(OAuthError::acr_changed(acr.unwrap_or(""), &orig).into());
        }
    }
    Ok(())
}

/// After a successful first factor: tokens for a one-factor user, `mfa_required` otherwise.
#[allow(clippy::too_many_arguments)]
pub fn first_factor_done(
    state: &AppState,
    txn: TxnContext,
    server: &AuthServer,
    client: &ClientSeed,
    user: &UserSeed,
    kind: FactorKind,
    amr: &'static str,
    grant_types_supported: Option<&[String]>,
) -> Result<Response, Failure> {
    let now_ms = state.clock.now_ms();
    if let Ok(mut s) = state.store.lock() {
        s.record_success(&user.login.to_ascii_lowercase());
    }
    attestation::check_first_factor(&txn, user)?;
    if user.policy == Policy::OneFactor {
        let scopes = split_scope(txn.scope.as_deref().unwrap_or(""));
        return issue_tokens(state, server, client, user, &scopes, vec![amr.to_string()], now_ms / 1000);
    }
    if let Some(gts) = grant_types_supported {
        if !gts.iter().any(|g| g == GRANT_MFA_OTP || g == GRANT_MFA_OOB || g == crate::seed::GRANT_MFA_WEBAUTHN) {
            return Err(OAuthError::access_denied(format!(
                "The 'grant_types_supported' '{}' are not sufficient to satisfy the authentication policy. Configure additional grant types for the client or revise the authentication policy to allow the user to sign-in.",
                gts.join(" ")
            ))
            .into());
        }
    }
    let lifetime = client.mfa_token_lifetime.unwrap_or(state.config.mfa_token_lifetime);
    let token = crate::keys::random_id(24);
    let mfa = MfaTxn {
        ctx: txn,
        login: user.login.to_ascii_lowercase(),
        first: kind,
        first_amr: amr,
        auth_time: now_ms / 1000,
        expires_at_ms: now_ms + (lifetime as i64) * 1000,
        consumed: false,
    };
    let mut store = lock_store(state)?;
    store.prune(now_ms);
    store.mfa.insert(token.clone(), mfa);
    let mut types = supported_challenge_types(client, user, kind, grant_types_supported);
    if webauthn::usable_as_second(state, client, user, kind, grant_types_supported) {
        types.push(crate::seed::GRANT_MFA_WEBAUTHN);
    }
    Err(OAuthError::mfa_required(token, &types).into())
}

/// The second-factor types this user can finish the transaction with: a factor the user has,
/// of another kind than the first, that the client is allowed (and, when the request said,
/// that it supports). Goes into `mfa_required` as `supported_challenge_types`.
pub fn supported_challenge_types(
    client: &ClientSeed,
    user: &UserSeed,
    first: FactorKind,
    grant_types_supported: Option<&[String]>,
) -> Vec<&'static str> {
    let otp = user.totp_secret.is_some() && first != FactorKind::Otp;
    let oob = (user.push != PushMode::None && first != FactorKind::Push)
        || (user.phone.is_some() && first != FactorKind::Phone)
        || (user.email_factor && first != FactorKind::Email);
    [(GRANT_MFA_OTP, otp), (GRANT_MFA_OOB, oob)]
        .into_iter()
        .filter(|(t, usable)| *usable && client_allows(client, t))
        .filter(|(t, _)| grant_types_supported.map(|g| g.iter().any(|x| x == t)).unwrap_or(true))
        .map(|(t, _)| t)
        .collect()
}

/// After a successful second factor: the transaction is spent and tokens are issued.
pub fn second_factor_done(
    state: &AppState,
    mfa_token: &str,
    mfa: &MfaTxn,
    server: &AuthServer,
    client: &ClientSeed,
    user: &UserSeed,
    amr: &'static str,
) -> Result<Response, Failure> {
    {
        let mut store = lock_store(state)?;
        match store.mfa.get_mut(mfa_token) {
            Some(t) if !t.consumed => t.consumed = true,
            _ => return Err(OAuthError::invalid_grant("The 'mfa_token' is invalid.").into()),
        }
        store.record_success(&user.login.to_ascii_lowercase());
    }
    let scopes = split_scope(mfa.ctx.scope.as_deref().unwrap_or(""));
    let amrs = vec![mfa.first_amr.to_string(), amr.to_string(), "mfa".to_string()];
    if attestation::requested(mfa.ctx.acr_values.as_deref()) {
        return attestation::token_response(state, server, client, user, amrs, mfa.auth_time);
    }
    issue_tokens(state, server, client, user, &scopes, amrs, mfa.auth_time)
}

/// Mints the token response (protocol notes §4.1) and records the tokens.
#[allow(clippy::too_many_arguments)]
pub fn issue_tokens(
    state: &AppState,
    server: &AuthServer,
    client: &ClientSeed,
    user: &UserSeed,
    scopes: &[String],
    amr: Vec<String>,
    auth_time: i64,
) -> Result<Response, Failure> {
    let now = state.clock.now_secs();
    let lifetime = client.access_token_lifetime.unwrap_or(state.config.access_token_lifetime) as i64;
    let exp = now + lifetime;
    let uid = user.user_id();
    let jti = format!("AT.{}", crate::keys::random_id(24));
    let access_claims = json!({
        "ver": 1,
        "jti": jti,
        "iss": server.issuer,
        "aud": server.audience,
        "iat": now,
        "exp": exp,
        "cid": client.client_id,
        "uid": uid,
        "scp": scopes,
        "auth_time": auth_time,
        "sub": user.login,
    });
    let sign_err = |_| Failure::OAuth(OAuthError::server_error());
    let access_token = state.sign_jwt(&access_claims).map_err(sign_err)?;
    let scope_str = scopes.join(" ");
    let mut body = json!({
        "token_type": "Bearer",
        "expires_in": lifetime,
        "access_token": access_token,
        "scope": scope_str,
    });
    let has = |s: &str| scopes.iter().any(|x| x == s);
    if has("offline_access") && client_allows(client, GRANT_REFRESH) {
        let rt = crate::keys::random_id(32);
        let mut store = lock_store(state)?;
        store.refresh_tokens.insert(
            rt.clone(),
            RefreshRecord {
                login: user.login.to_ascii_lowercase(),
                client_id: client.client_id.clone(),
                server: server.key.clone(),
                scopes: scopes.to_vec(),
                amr: amr.clone(),
                auth_time,
                spent: false,
            },
        );
        body["refresh_token"] = Value::String(rt);
    }
    if has("openid") {
        let mut id_claims = json!({
            "sub": uid,
            "ver": 1,
            "iss": server.issuer,
            "aud": client.client_id,
            "iat": now,
            "exp": now + 3600,
            "jti": format!("ID.{}", crate::keys::random_id(24)),
            "amr": amr,
            "idp": format!("00o{}", &uid.get(3..).unwrap_or("emulator")),
            "auth_time": auth_time,
            "at_hash": crate::keys::at_hash(&access_token),
        });
        if has("profile") {
            id_claims["name"] = Value::String(user.name.clone());
            id_claims["preferred_username"] = Value::String(user.login.clone());
        }
        if has("email") {
            id_claims["email"] = Value::String(user.email());
        }
        let id_token = state.sign_jwt(&id_claims).map_err(sign_err)?;
        body["id_token"] = Value::String(id_token);
    }
    {
        let mut store = lock_store(state)?;
        store.access_tokens.insert(
            jti,
            AccessRecord {
                login: user.login.to_ascii_lowercase(),
                client_id: client.client_id.clone(),
                server: server.key.clone(),
                scopes: scopes.to_vec(),
                expires_at: exp,
                revoked: false,
            },
        );
    }
    Ok(crate::errors::json_response(axum::http::StatusCode::OK, &body))
}
