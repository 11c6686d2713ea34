//! JWT decoding and ID token claim checks. The signature itself is checked outside
//! (WebCrypto in the browser): this module hands out the signing input, the signature
//! bytes and the JWK to verify with.

use super::base64url;
use super::error::{hints, Error, ErrorKind};
use super::json::{self, Value};

/// A JWT split and decoded, not yet trusted. `Debug` shows the header's and claims' structure
/// (no values: the claims name the user) and the lengths of the rest.
#[derive(Clone)]
pub struct DecodedJwt {
    pub header: Value,
    pub claims: Value,
    /// The claims segment decoded to UTF-8 JSON text (for handing to `JSON.parse`).
    pub claims_json: String,
    /// `header.payload`: the bytes the signature covers.
    pub signing_input: String,
    pub signature: Vec<u8>,
}

impl core::fmt::Debug for DecodedJwt {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("DecodedJwt")
            .field("header", &self.header)
            .field("claims", &self.claims)
            .field("claims_json_len", &self.claims_json.len())
            .field("signing_input_len", &self.signing_input.len())
            .field("signature_len", &self.signature.len())
            .finish()
    }
}

fn invalid(code: &'static str, description: &'static str) -> Error {
    Error::local(ErrorKind::Protocol, code, description, hints::ID_TOKEN)
}

fn segment_object(segment: &str) -> Result<(Value, String), Error> {
    let bytes = base64url::decode(segment).ok_or_else(|| invalid("invalid_jwt", "A JWT segment is not base64url."))?;
    let value = json::parse(&bytes).map_err(|_| invalid("invalid_jwt", "A JWT segment is not JSON."))?;
    if !value.is_object() {
        return Err(invalid("invalid_jwt", "A JWT segment is not a JSON object."));
    }
    // json::parse accepted it, so the bytes are valid UTF-8.
    let text = String::from_utf8(bytes).map_err(|_| invalid("invalid_jwt", "A JWT segment is not UTF-8."))?;
    Ok((value, text))
}

/// Splits a compact JWS (`header.payload.signature`) and decodes each part.
pub fn decode(jwt: &str) -> Result<DecodedJwt, Error> {
    // Exactly two dots (a byte loop: no `str::split` searcher in the wasm). '.' is ASCII, so
    // the cuts are char boundaries.
    let mut dots = jwt.bytes().enumerate().filter(|&(_, b)| b == b'.').map(|(i, _)| i);
    let (Some(first), Some(second), None) = (dots.next(), dots.next(), dots.next()) else {
        return Err(invalid("invalid_jwt", "A JWT has three dot-separated parts."));
    };
    let (Some(header), Some(payload), Some(signature)) = (jwt.get(..first), jwt.get(first + 1..second), jwt.get(second + 1..)) else {
        return Err(invalid("invalid_jwt", "A JWT has three dot-separated parts."));
    };
    let (header_value, _) = segment_object(header)?;
    let (claims, claims_json) = segment_object(payload)?;
    let signature = base64url::decode(signature).ok_or_else(|| invalid("invalid_jwt", "The JWT signature is not base64url."))?;
    Ok(DecodedJwt { header: header_value, claims, claims_json, signing_input: jwt.get(..second).unwrap_or_default().to_owned(), signature })
}

/// What an ID token must say (§7, as Okta's Swift SDK checks it).
pub struct Expectations<'a> {
    pub issuer: &'a str,
    pub client_id: &'a str,
    pub now_seconds: i64,
    pub clock_skew_seconds: i64,
    /// The caller's `maxAgeSeconds`: how long ago the token may have been issued (and the user
    /// authenticated, when it says so in `auth_time`).
    pub max_age_seconds: Option<i64>,
}

/// Checks `alg` and that there is a signature: before the signature is verified, so that an
/// unsigned or wrongly signed token never reaches the claim checks.
pub fn check_id_token_header(jwt: &DecodedJwt) -> Result<(), Error> {
    if jwt.header.get("alg").and_then(Value::as_str) != Some("RS256") {
        return Err(invalid("invalid_id_token_alg", "The ID token is not signed with RS256."));
    }
    if jwt.signature.is_empty() {
        return Err(invalid("invalid_id_token_signature", "The ID token has no signature."));
    }
    Ok(())
}

/// Checks the claims of a token whose signature verified: `iss`, `aud` (and `azp` when `aud`
/// lists several), `exp` not past and `iat` not in the future (each beyond the skew), the
/// caller's `maxAgeSeconds` against `iat` and `auth_time`, and `sub`. All time arithmetic
/// saturates: the claims are the issuer's numbers, any `i64`.
pub fn check_id_token_claims(jwt: &DecodedJwt, expect: &Expectations<'_>) -> Result<(), Error> {
    let claims = &jwt.claims;
    if claims.get("iss").and_then(Value::as_str) != Some(expect.issuer) {
        return Err(invalid("invalid_id_token_issuer", "The ID token's iss is not the configured issuer."));
    }
    let audience_ok = match claims.get("aud") {
        Some(Value::String(aud)) => aud == expect.client_id,
        Some(Value::Array(auds)) => {
            auds.iter().any(|a| a.as_str() == Some(expect.client_id))
                // OIDC Core 3.1.3.7: several audiences need an azp, and it must be this client.
                && (auds.len() < 2 || claims.get("azp").and_then(Value::as_str) == Some(expect.client_id))
        }
        _ => false,
    };
    if !audience_ok {
        return Err(invalid("invalid_id_token_audience", "The ID token's aud (or azp) is not the client ID."));
    }
    let (now, skew) = (expect.now_seconds, expect.clock_skew_seconds);
    let exp = claims.get("exp").and_then(Value::as_i64).ok_or_else(|| invalid("invalid_id_token_exp", "The ID token has no valid exp."))?;
    if exp.saturating_add(skew) <= now {
        return Err(invalid("id_token_expired", "The ID token has expired (device clock?)."));
    }
    let iat = claims.get("iat").and_then(Value::as_i64).ok_or_else(|| invalid("invalid_id_token_iat", "The ID token has no valid iat."))?;
    if iat.saturating_sub(skew) > now {
        return Err(invalid("invalid_id_token_iat", "The ID token's iat is in the future (device clock?)."));
    }
    if let Some(max_age) = expect.max_age_seconds {
        let too_old = |at: Option<i64>| at.is_none_or(|at| at.saturating_add(max_age).saturating_add(skew) < now);
        // `auth_time` counts when present; one that is not a number cannot prove a recent sign-in.
        let auth_time = match claims.get("auth_time") {
            None | Some(Value::Null) => Some(iat),
            Some(value) => value.as_i64(),
        };
        if too_old(Some(iat)) || too_old(auth_time) {
            return Err(invalid("id_token_too_old", "The ID token or its sign-in is older than maxAgeSeconds."));
        }
    }
    match claims.get("sub").and_then(Value::as_str) {
        Some(sub) if !sub.is_empty() => {}
        _ => return Err(invalid("invalid_id_token_sub", "The ID token has no sub.")),
    }
    if claims.get("nonce").is_some() {
        // Direct authentication sends no nonce, so a token carrying one was issued elsewhere.
        return Err(invalid("invalid_id_token_nonce", "The ID token carries a nonce this flow never sent."));
    }
    Ok(())
}

/// Both checks, header then claims (for tests and callers that verified the signature).
pub fn check_id_token(jwt: &DecodedJwt, expect: &Expectations<'_>) -> Result<(), Error> {
    check_id_token_header(jwt)?;
    check_id_token_claims(jwt, expect)
}

/// The RSA public key to verify with, as JWK members for `crypto.subtle.importKey('jwk', …)`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RsaJwk {
    pub n: String,
    pub e: String,
}

/// Picks the key for this token from a JWKS: the one whose `kid` matches the header's
/// (or the only RSA signing key when the token names none).
pub fn select_key(jwks: &Value, jwt: &DecodedJwt) -> Result<RsaJwk, Error> {
    let Some(Value::Array(keys)) = jwks.get("keys") else {
        return Err(invalid("invalid_jwks", "The keys endpoint did not return a JWKS."));
    };
    let kid = jwt.header.get("kid").and_then(Value::as_str);
    let usable = |key: &&Value| {
        key.get("kty").and_then(Value::as_str) == Some("RSA")
            && key.get("use").and_then(Value::as_str).is_none_or(|u| u == "sig")
            && key.get("alg").and_then(Value::as_str).is_none_or(|a| a == "RS256")
            && kid.is_none_or(|kid| key.get("kid").and_then(Value::as_str) == Some(kid))
    };
    let mut candidates = keys.iter().filter(usable);
    let (Some(key), None) = (candidates.next(), if kid.is_none() { candidates.next() } else { None }) else {
        return Err(invalid("unknown_signing_key", "No single RS256 key matches the ID token's kid."));
    };
    match (key.get("n").and_then(Value::as_str), key.get("e").and_then(Value::as_str)) {
        (Some(n), Some(e)) if base64url::decode(n).is_some() && base64url::decode(e).is_some() => {
            Ok(RsaJwk { n: n.to_owned(), e: e.to_owned() })
        }
        _ => Err(invalid("invalid_jwks", "The signing key lacks a valid modulus or exponent.")),
    }
}

#[cfg(test)]
#[cfg(not(target_arch = "wasm32"))] // proptest is native-only
mod tests {
    use super::*;
    use crate::protocol::base64url::encode as b64;
    use proptest::prelude::*;

    fn token(header: &str, claims: &str) -> String {
        format!("{}.{}.c2ln", b64(header), b64(claims))
    }

    const NOW: i64 = 1_700_000_000;

    fn expect() -> Expectations<'static> {
        Expectations {
            issuer: "https://x.okta.com/oauth2/default",
            client_id: "0oa-demo-spa",
            now_seconds: NOW,
            clock_skew_seconds: 300,
            max_age_seconds: None,
        }
    }

    fn claims(extra: &str) -> String {
        format!(
            r#"{{"iss":"https://x.okta.com/oauth2/default","aud":"0oa-demo-spa","sub":"00u1","exp":{},"iat":{}{extra}}}"#,
            NOW + 3600,
            NOW
        )
    }

    #[test]
    fn decodes_and_accepts_a_good_token() {
        let jwt = decode(&token(r#"{"alg":"RS256","kid":"k1"}"#, &claims(""))).unwrap();
        assert_eq!(jwt.signature, b"sig");
        assert!(jwt.signing_input.ends_with(&b64(claims(""))));
        assert!(jwt.claims_json.contains("00u1"));
        check_id_token(&jwt, &expect()).unwrap();
    }

    #[test]
    fn each_claim_check() {
        let code = |header: &str, claims: &str| {
            let jwt = decode(&token(header, claims)).unwrap();
            check_id_token(&jwt, &expect()).unwrap_err().code.clone()
        };
        let rs = r#"{"alg":"RS256"}"#;
        assert_eq!(code(r#"{"alg":"none"}"#, &claims("")), "invalid_id_token_alg");
        assert_eq!(code(r#"{"alg":"HS256"}"#, &claims("")), "invalid_id_token_alg");
        assert_eq!(code(rs, &claims("").replace("oauth2/default", "oauth2/other")), "invalid_id_token_issuer");
        assert_eq!(code(rs, &claims("").replace("0oa-demo-spa", "0oa-other")), "invalid_id_token_audience");
        assert_eq!(code(rs, &claims("").replace(&(NOW + 3600).to_string(), &(NOW - 301).to_string())), "id_token_expired");
        assert_eq!(code(rs, &claims("").replace(&format!("\"iat\":{NOW}"), &format!("\"iat\":{}", NOW + 400))), "invalid_id_token_iat");
        assert_eq!(code(rs, &claims("").replace("00u1", "")), "invalid_id_token_sub");
        assert_eq!(code(rs, &claims(r#","nonce":"n""#)), "invalid_id_token_nonce");
        let audience_list = claims("").replace(r#""aud":"0oa-demo-spa""#, r#""aud":["x","0oa-demo-spa"],"azp":"0oa-demo-spa""#);
        check_id_token(&decode(&token(rs, &audience_list)).unwrap(), &expect()).unwrap();
        // Within the skew: expired 200 s ago is still accepted with 300 s of tolerance.
        let skewed = claims("").replace(&(NOW + 3600).to_string(), &(NOW - 200).to_string());
        check_id_token(&decode(&token(rs, &skewed)).unwrap(), &expect()).unwrap();
    }

    fn with_iat(iat: i64, extra: &str) -> DecodedJwt {
        let claims = claims(extra).replace(&format!("\"iat\":{NOW}"), &format!("\"iat\":{iat}"));
        decode(&token(r#"{"alg":"RS256"}"#, &claims)).unwrap()
    }

    #[test]
    fn iat_is_when_the_token_was_issued_not_now() {
        // A session restored an hour later still verifies its (unexpired) ID token.
        check_id_token(&with_iat(NOW - 3000, ""), &expect()).unwrap();
        check_id_token(&with_iat(NOW + 300, ""), &expect()).unwrap();
        assert_eq!(check_id_token(&with_iat(NOW + 301, ""), &expect()).unwrap_err().code, "invalid_id_token_iat");
        let max_age = |seconds| Expectations { max_age_seconds: Some(seconds), ..expect() };
        check_id_token(&with_iat(NOW - 3000, ""), &max_age(2700)).unwrap();
        assert_eq!(check_id_token(&with_iat(NOW - 3000, ""), &max_age(2699)).unwrap_err().code, "id_token_too_old");
        let auth_time = format!(r#","auth_time":{}"#, NOW - 7000);
        assert_eq!(check_id_token(&with_iat(NOW, &auth_time), &max_age(3600)).unwrap_err().code, "id_token_too_old");
        check_id_token(&with_iat(NOW, &auth_time), &max_age(6700)).unwrap();
        check_id_token(&with_iat(NOW, &auth_time), &expect()).unwrap();
        assert_eq!(check_id_token(&with_iat(NOW, r#","auth_time":"x""#), &max_age(10)).unwrap_err().code, "id_token_too_old");
    }

    #[test]
    fn extreme_times_saturate() {
        for iat in [i64::MIN, i64::MIN + 1, i64::MAX, -1] {
            let jwt = with_iat(iat, "");
            // i64::MIN's magnitude does not fit an i64: read as no valid iat, refused all the same.
            assert_eq!(check_id_token(&jwt, &expect()).is_ok(), iat < NOW && iat != i64::MIN, "{iat}");
            let _ = check_id_token(&jwt, &Expectations { max_age_seconds: Some(i64::MAX), clock_skew_seconds: i64::MAX, ..expect() });
            let _ = check_id_token(&jwt, &Expectations { now_seconds: i64::MIN, clock_skew_seconds: i64::MAX, ..expect() });
        }
        let far = claims("").replace(&(NOW + 3600).to_string(), &i64::MAX.to_string());
        check_id_token(&decode(&token(r#"{"alg":"RS256"}"#, &far)).unwrap(), &Expectations { clock_skew_seconds: i64::MAX, ..expect() })
            .unwrap();
    }

    #[test]
    fn several_audiences_need_azp_equal_to_the_client() {
        let aud = |extra: &str| {
            let text = claims(extra).replace(r#""aud":"0oa-demo-spa""#, r#""aud":["0oa-demo-spa","api://x"]"#);
            check_id_token(&decode(&token(r#"{"alg":"RS256"}"#, &text)).unwrap(), &expect()).map_err(|e| e.code.clone())
        };
        assert_eq!(aud(""), Err("invalid_id_token_audience".into()), "no azp");
        assert_eq!(aud(r#","azp":"api://x""#), Err("invalid_id_token_audience".into()));
        assert_eq!(aud(r#","azp":"0oa-demo-spa""#), Ok(()));
        let single = claims("").replace(r#""aud":"0oa-demo-spa""#, r#""aud":["0oa-demo-spa"]"#);
        check_id_token(&decode(&token(r#"{"alg":"RS256"}"#, &single)).unwrap(), &expect()).unwrap();
    }

    proptest! {
        /// Random claim sets (any integers, or text where a number belongs) never panic the
        /// claim checks, with any clock, skew and maxAge (overflow checks are on in tests).
        #[test]
        fn claim_checks_never_panic(
            exp in prop_oneof![any::<i64>().prop_map(|n| n.to_string()), "[a-z0-9.eE+-]{0,24}".prop_map(|s| format!("{s:?}"))],
            iat in any::<i64>(),
            auth_time in proptest::option::of(any::<i64>()),
            now in any::<i64>(),
            skew in any::<i64>(),
            max_age in proptest::option::of(any::<i64>()),
        ) {
            let auth = auth_time.map(|t| format!(r#","auth_time":{t}"#)).unwrap_or_default();
            let text = format!(r#"{{"iss":"https://x.okta.com/oauth2/default","aud":"0oa-demo-spa","sub":"s","exp":{exp},"iat":{iat}{auth}}}"#);
            let jwt = decode(&token(r#"{"alg":"RS256"}"#, &text)).unwrap();
            let _ = check_id_token(&jwt, &Expectations { now_seconds: now, clock_skew_seconds: skew, max_age_seconds: max_age, ..expect() });
        }
    }

    #[test]
    fn malformed_tokens() {
        for bad in ["", "a", "a.b", "a.b.c.d", "!!.e30.c2ln", "e30.!!.c2ln", "e30.e30.!!", "W10.e30.c2ln", "e30.bnVsbA.c2ln"] {
            assert_eq!(decode(bad).unwrap_err().code, "invalid_jwt", "{bad}");
        }
        // The signature covers `header.payload`, cut at the second dot.
        let jwt = decode("e30.eyJhIjoxfQ.c2ln").unwrap();
        assert_eq!(
            (jwt.signing_input.as_str(), jwt.claims_json.as_str(), jwt.signature.as_slice()),
            ("e30.eyJhIjoxfQ", r#"{"a":1}"#, &b"sig"[..])
        );
    }

    #[test]
    fn selects_the_key_by_kid() {
        let jwks = json::parse(br#"{"keys":[{"kty":"RSA","kid":"k1","use":"sig","alg":"RS256","n":"AQAB","e":"AQAB"},{"kty":"RSA","kid":"k2","n":"AAEC","e":"AQAB"},{"kty":"EC","kid":"k3"}]}"#).unwrap();
        let with_kid = |kid: &str| decode(&token(&format!(r#"{{"alg":"RS256","kid":"{kid}"}}"#), &claims(""))).unwrap();
        assert_eq!(select_key(&jwks, &with_kid("k2")).unwrap(), RsaJwk { n: "AAEC".into(), e: "AQAB".into() });
        assert_eq!(select_key(&jwks, &with_kid("k3")).unwrap_err().code, "unknown_signing_key");
        assert_eq!(select_key(&jwks, &with_kid("nope")).unwrap_err().code, "unknown_signing_key");
        let no_kid = decode(&token(r#"{"alg":"RS256"}"#, &claims(""))).unwrap();
        assert_eq!(select_key(&jwks, &no_kid).unwrap_err().code, "unknown_signing_key", "two RSA keys and no kid is ambiguous");
        assert_eq!(select_key(&json::parse(b"{}").unwrap(), &no_kid).unwrap_err().code, "invalid_jwks");
    }
}
