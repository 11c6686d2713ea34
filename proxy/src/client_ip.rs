//! The end user's IP address: the TCP peer, unless the peer is one of the configured trusted
//! proxies (a load balancer in front of this proxy); then `X-Forwarded-For` is read from the
//! right, skipping trusted proxies, and the first address that is not one is the client. An
//! entry that is not an IP address stops the walk (nothing left of it can be believed).

use axum::http::HeaderMap;
use ipnet::IpNet;
use std::net::{IpAddr, SocketAddr};

pub fn client_ip(peer: IpAddr, headers: &HeaderMap, trusted: &[IpNet]) -> IpAddr {
    let is_trusted = |ip: &IpAddr| trusted.iter().any(|n| n.contains(&canonical(*ip)));
    let mut ip = canonical(peer);
    if !is_trusted(&ip) {
        return ip;
    }
    let chain: Vec<&str> = headers
        .get_all("x-forwarded-for")
        .iter()
        .flat_map(|v| v.to_str().unwrap_or("").split(','))
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect();
    for entry in chain.iter().rev() {
        match parse_entry(entry) {
            Some(hop) => {
                ip = hop;
                if !is_trusted(&hop) {
                    break;
                }
            }
            None => break,
        }
    }
    ip
}

/// IPv4-mapped IPv6 addresses (`::ffff:192.0.2.1`, a dual-stack listener's peers) as IPv4.
fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map(IpAddr::V4).unwrap_or(ip),
        v4 => v4,
    }
}

fn parse_entry(s: &str) -> Option<IpAddr> {
    s.parse::<IpAddr>().ok().or_else(|| s.parse::<SocketAddr>().ok().map(|a| a.ip())).map(canonical)
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(xff: &[&str]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for v in xff {
            h.append("x-forwarded-for", HeaderValue::from_str(v).unwrap());
        }
        h
    }

    #[test]
    fn forwarded_for_is_believed_only_from_trusted_proxies() {
        let lb: Vec<IpNet> = vec!["10.0.0.0/8".parse().unwrap()];
        let ip = |s: &str| s.parse::<IpAddr>().unwrap();
        // Untrusted peer: its X-Forwarded-For is ignored.
        assert_eq!(client_ip(ip("203.0.113.9"), &headers(&["1.2.3.4"]), &lb), ip("203.0.113.9"));
        // Trusted peer: the rightmost untrusted entry.
        assert_eq!(client_ip(ip("10.0.0.2"), &headers(&["6.6.6.6, 198.51.100.7, 10.0.0.5"]), &lb), ip("198.51.100.7"));
        assert_eq!(client_ip(ip("10.0.0.2"), &headers(&["6.6.6.6", "198.51.100.7:4431"]), &lb), ip("198.51.100.7"));
        // Garbage stops the walk at the last trusted hop.
        assert_eq!(client_ip(ip("10.0.0.2"), &headers(&["198.51.100.7, nonsense, 10.0.0.5"]), &lb), ip("10.0.0.5"));
        // No header: the peer.
        assert_eq!(client_ip(ip("10.0.0.2"), &headers(&[]), &lb), ip("10.0.0.2"));
        assert_eq!(client_ip(ip("::ffff:203.0.113.9"), &headers(&[]), &lb), ip("203.0.113.9"));
    }
}
