//! Same-origin callers only. A browser always sends `Origin` on a POST (same-origin too), so a
//! POST without one did not come from a page of the app; `Sec-Fetch-Site`, when a browser sends
//! it, must say the request came from the page's own origin. GETs from a page of the same
//! origin send no `Origin`, so a GET without one passes; one with a foreign `Origin` does not.
//! The proxy answers no CORS preflight and sends no CORS headers: other sites cannot read it.
//! With `same_site_app_origins` on, the app origins may be sibling origins (another port or
//! subdomain of the same site): `Sec-Fetch-Site: same-site` then passes for an app origin, and
//! `crate::cors` answers CORS for exactly those origins. `cross-site` never passes.

use crate::errors::ProxyError;
use axum::http::{HeaderMap, StatusCode};

pub fn check(headers: &HeaderMap, is_post: bool, origins: &[String], same_site: bool) -> Result<(), ProxyError> {
    let refuse = |reason, msg: String| Err(ProxyError::new(StatusCode::FORBIDDEN, "access_denied", reason, msg));
    let mut origin_values = headers.get_all("origin").iter();
    let origin = origin_values.next();
    if origin_values.next().is_some() {
        return refuse("origin_not_allowed", "The request carries more than one Origin header.".into());
    }
    let mut allowed_origin = false;
    match origin {
        None if is_post => return refuse(
            "origin_missing",
            "A POST to the sign-in proxy must carry the Origin header a browser sends; requests from outside the app's pages are refused."
                .into(),
        ),
        None => {}
        Some(v) => {
            let v = v.to_str().unwrap_or("");
            if !origins.iter().any(|o| o == v) {
                return refuse(
                    "origin_not_allowed",
                    format!(
                        "Origin {v:?} is not one of the app origins this proxy serves; serve the page from an allowed origin (the proxy's app_origins setting)."
                    ),
                );
            }
            allowed_origin = true;
        }
    }
    if let Some(site) = headers.get("sec-fetch-site") {
        let site = site.to_str().unwrap_or("");
        // `none`: the user opened the URL in the address bar (only possible for a GET).
        // `same-site`: a sibling origin, only when that is configured and the Origin is an app origin.
        let ok = site == "same-origin" || (!is_post && site == "none") || (same_site && allowed_origin && site == "same-site");
        if !ok {
            let allowed = if same_site { "same-origin, or same-site from an app origin" } else { "same-origin" };
            return refuse(
                "cross_site_request",
                format!("Sec-Fetch-Site is {site:?}: only the app's own pages ({allowed}) may call the sign-in proxy."),
            );
        }
    }
    Ok(())
}
