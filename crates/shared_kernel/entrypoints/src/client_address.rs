//! Who is on the other end of a request: the client address the rate limits count by.

use std::convert::Infallible;
use std::future::{Ready, ready};
use std::net::{IpAddr, Ipv4Addr};
use std::str::FromStr;

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest, web};
use ipnet::IpNet;

/// The proxies whose `X-Forwarded-For` the server believes (`TRUSTED_PROXIES`): none by
/// default, so that a client cannot pick the address it is counted under.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TrustedProxies(Vec<IpNet>);

impl TrustedProxies {
    pub fn new(networks: Vec<IpNet>) -> Self {
        Self(networks)
    }

    fn trusts(&self, address: IpAddr) -> bool {
        self.0.iter().any(|network| network.contains(&address))
    }

    /// The client of a request from `peer` that says `forwarded_for` (every
    /// `X-Forwarded-For` value, in order): the peer itself unless it is a trusted proxy;
    /// otherwise the right-most forwarded address that is not one (the first hop a trusted
    /// proxy saw), or the left-most if they all are.
    pub fn client(&self, peer: IpAddr, forwarded_for: &[&str]) -> IpAddr {
        if !self.trusts(peer) {
            return peer;
        }
        let hops: Vec<IpAddr> = forwarded_for
            .iter()
            .flat_map(|value| value.split(','))
            .filter_map(|hop| parse_hop(hop.trim()))
            .collect();
        hops.iter()
            .rev()
            .find(|hop| !self.trusts(**hop))
            .or(hops.first())
            .copied()
            .unwrap_or(peer)
    }
}

/// An address as proxies write it: bare, or an IPv6 address in brackets.
fn parse_hop(hop: &str) -> Option<IpAddr> {
    IpAddr::from_str(hop.trim_start_matches('[').trim_end_matches(']')).ok()
}

/// Parses `TRUSTED_PROXIES`: CIDRs (or bare addresses) separated by commas.
impl FromStr for TrustedProxies {
    type Err = String;

    fn from_str(list: &str) -> Result<Self, Self::Err> {
        list.split(',')
            .map(str::trim)
            .filter(|item| !item.is_empty())
            .map(|item| {
                IpNet::from_str(item)
                    .or_else(|_| IpAddr::from_str(item).map(IpNet::from))
                    .map_err(|_| format!("{item:?} is not a CIDR such as 10.0.0.0/8"))
            })
            .collect::<Result<_, _>>()
            .map(Self)
    }
}

/// The address a request is counted under (see `TrustedProxies::client`). Take it as a
/// handler argument; without `TrustedProxies` in the app data, it is the TCP peer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientAddress(pub IpAddr);

impl FromRequest for ClientAddress {
    type Error = Infallible;
    type Future = Ready<Result<Self, Infallible>>;

    fn from_request(request: &HttpRequest, _: &mut Payload) -> Self::Future {
        // A request always has a peer on a real socket; only a test request may not.
        let peer = request
            .peer_addr()
            .map_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED), |peer| peer.ip());
        let client = match request.app_data::<web::Data<TrustedProxies>>() {
            Some(proxies) => {
                let forwarded: Vec<&str> = request
                    .headers()
                    .get_all("x-forwarded-for")
                    .filter_map(|value| value.to_str().ok())
                    .collect();
                proxies.client(peer, &forwarded)
            }
            None => peer,
        };
        ready(Ok(ClientAddress(client)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    #[test]
    fn an_untrusted_peer_is_the_client_whatever_it_forwards() {
        let proxies: TrustedProxies = "10.0.0.0/8".parse().unwrap();
        assert_eq!(
            proxies.client(ip("203.0.113.9"), &["1.2.3.4"]),
            ip("203.0.113.9")
        );
        assert_eq!(
            TrustedProxies::default().client(ip("10.0.0.1"), &["1.2.3.4"]),
            ip("10.0.0.1")
        );
    }

    #[test]
    fn behind_trusted_proxies_the_right_most_untrusted_hop_is_the_client() {
        let proxies: TrustedProxies = "10.0.0.0/8, 192.168.1.1".parse().unwrap();

        // The client spoofed 6.6.6.6 in front; the proxies appended what they saw.
        let client = proxies.client(ip("10.0.0.2"), &["6.6.6.6, 198.51.100.7", "192.168.1.1"]);

        assert_eq!(client, ip("198.51.100.7"));
        assert_eq!(
            proxies.client(ip("10.0.0.2"), &["[2001:db8::1]"]),
            ip("2001:db8::1")
        );
        assert_eq!(
            proxies.client(ip("10.0.0.2"), &["10.1.1.1, 10.2.2.2"]),
            ip("10.1.1.1")
        );
        assert_eq!(proxies.client(ip("10.0.0.2"), &["garbage"]), ip("10.0.0.2"));
        assert_eq!(proxies.client(ip("10.0.0.2"), &[]), ip("10.0.0.2"));
    }

    #[test]
    fn a_bad_list_says_which_item_is_wrong() {
        let error = "10.0.0.0/8, nonsense"
            .parse::<TrustedProxies>()
            .unwrap_err();
        assert!(error.contains("nonsense"), "{error}");
        assert_eq!("".parse::<TrustedProxies>(), Ok(TrustedProxies::default()));
    }
}
