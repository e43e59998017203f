//! Which picture URLs may be fetched, and which addresses they may reach.
//!
//! Two rules, both checked on every hop of a fetch (the first URL and each redirect):
//!
//! - **Sources**: the URL must start with one of the operator's prefixes
//!   (`--image-sources`). Prefixes and URLs are compared parsed and normalised (scheme,
//!   host in lower case and IDNA form, port, path with `.`/`..` resolved), never as raw
//!   strings: `https://cdn.example.com` allows `https://cdn.example.com/a.png` but not
//!   `https://cdn.example.com.evil.org/` nor `https://cdn.example.com@evil.org/`, and
//!   `https://cdn.example.com/avatars/` does not allow `/avatars/../private`. Only `https`,
//!   except under a prefix that itself says `http://`.
//! - **Addresses**: every address a host resolves to must be public: not loopback,
//!   private, link-local, shared (CGNAT), multicast, unspecified, reserved or
//!   documentation space, in IPv4 or IPv6 — including IPv6 forms that carry an IPv4 address
//!   (IPv4-mapped, IPv4-compatible, 6to4, NAT64), judged by that address, and Teredo,
//!   refused whole. The one exception is the exact IP literal an allowed prefix names
//!   (`http://127.0.0.1:8080/`): the operator said that address, so it is allowed.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use url::Url;

/// One allowed prefix, parsed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Prefix {
    url: Url,
    /// The prefix's path as an origin reads it (percent-decoded), ending in `/`.
    decoded: String,
    /// The prefix's host when it is an IP literal: the one non-public address allowed.
    literal: Option<IpAddr>,
}

impl Prefix {
    /// The prefix as the operator will read it in messages (normalised).
    pub fn as_str(&self) -> &str {
        self.url.as_str()
    }

    fn allows(&self, url: &Url) -> bool {
        url.scheme() == self.url.scheme()
            && url.host() == self.url.host()
            && url.port_or_known_default() == self.url.port_or_known_default()
            && origin_path(url.path()).is_some_and(|path| path.starts_with(&self.decoded))
    }
}

/// The operator's allowed URL prefixes. Empty: pictures are off.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Sources {
    prefixes: Vec<Prefix>,
}

impl Sources {
    /// Parses a comma list of prefixes. Each is an absolute `https://` (or `http://`) URL
    /// with a host and no user name, password, query or fragment; its path is taken as a
    /// folder (`https://cdn.example.com` is `https://cdn.example.com/`, and
    /// `https://cdn.example.com/avatars` is `https://cdn.example.com/avatars/`).
    pub fn parse(list: &str) -> Result<Sources, String> {
        let mut prefixes = Vec::new();
        for raw in list.split(',').map(str::trim).filter(|s| !s.is_empty()) {
            let mut url = Url::parse(raw).map_err(|e| format!("image source `{raw}`: {e}"))?;
            if !matches!(url.scheme(), "https" | "http") {
                return Err(format!("image source `{raw}`: only https:// or http://"));
            }
            if !url.username().is_empty() || url.password().is_some() {
                return Err(format!("image source `{raw}`: no user name or password"));
            }
            if url.query().is_some() || url.fragment().is_some() {
                return Err(format!("image source `{raw}`: no query or fragment"));
            }
            let Some(host) = url.host() else {
                return Err(format!("image source `{raw}`: no host"));
            };
            let literal = match host {
                url::Host::Ipv4(ip) => Some(IpAddr::V4(ip)),
                url::Host::Ipv6(ip) => Some(IpAddr::V6(ip)),
                url::Host::Domain(_) => None,
            };
            if !url.path().ends_with('/') {
                let folder = format!("{}/", url.path());
                url.set_path(&folder);
            }
            let decoded = origin_path(url.path()).ok_or_else(|| {
                format!("image source `{raw}`: an encoded `/`, `\\` or `.` in its path")
            })?;
            prefixes.push(Prefix {
                url,
                decoded,
                literal,
            });
        }
        Ok(Sources { prefixes })
    }

    pub fn is_empty(&self) -> bool {
        self.prefixes.is_empty()
    }

    pub fn prefixes(&self) -> &[Prefix] {
        &self.prefixes
    }

    /// The prefix that allows `url` (parsed and normalised), if any.
    pub fn allowing(&self, url: &Url) -> Option<&Prefix> {
        if !url.username().is_empty() || url.password().is_some() {
            return None;
        }
        self.prefixes.iter().find(|p| p.allows(url))
    }

    /// Parses `raw` as an absolute URL and finds the prefix that allows it: what a request's
    /// `image`, `avatar` or `logo` is checked with. `Err` says why not, in a few words.
    pub fn check(&self, raw: &str) -> Result<(Url, &Prefix), String> {
        let url = Url::parse(raw).map_err(|e| format!("not an absolute URL ({e})"))?;
        if origin_path(url.path()).is_none() {
            return Err("an encoded `/`, `\\` or `.` in its path".into());
        }
        match self.allowing(&url) {
            Some(prefix) => Ok((url, prefix)),
            None if self.is_empty() => Err("pictures are off (no --image-sources)".into()),
            None => Err("not under an allowed image source".into()),
        }
    }
}

/// How deep percent-encoding is unwrapped: `%25` three times over is refused outright.
const MAX_ENCODING_DEPTH: usize = 3;

/// `path` (as a WHATWG parser left it: dot segments resolved, `\` made `/`) as an origin
/// that percent-decodes it would read it, or `None` when some decoder could read it as
/// leaving its folder. Refused: an encoded `/`, `\` or `.` (`%2F`, `%5C`, `%2E` in any
/// case, and the same under any depth of `%25` encoding), an encoded NUL or control
/// character, and encoding nested deeper than [`MAX_ENCODING_DEPTH`]. The URL crate already
/// resolves `.`, `..`, `%2e` and `%2e%2e` segments; what is refused here is what it leaves
/// for the origin to decode (`..%2f`, `%2e%2e%2f`, `%252e%252e/`), which Python's
/// http.server, storage proxies and many app routes do turn into `../`.
pub fn origin_path(path: &str) -> Option<String> {
    let mut level = path.to_string();
    for _ in 0..=MAX_ENCODING_DEPTH {
        if !level.contains('%') {
            return Some(level);
        }
        let bytes = level.as_bytes();
        for (i, _) in level.match_indices('%') {
            let code = bytes
                .get(i + 1..i + 3)
                .and_then(|h| std::str::from_utf8(h).ok())
                .and_then(|h| u8::from_str_radix(h, 16).ok());
            match code {
                Some(b'/' | b'\\' | b'.') => return None,
                Some(c) if c.is_ascii_control() => return None,
                _ => {}
            }
        }
        let decoded = percent_encoding::percent_decode_str(&level).decode_utf8_lossy();
        if decoded == level {
            // Only `%` not followed by two hex digits: nothing more to decode.
            return Some(level);
        }
        level = decoded.into_owned();
    }
    None
}

/// Whether a fetch under `prefix` may connect to `ip`: a public address, or the exact
/// literal the prefix names.
pub fn may_connect(prefix: &Prefix, ip: IpAddr) -> bool {
    prefix
        .literal
        .is_some_and(|l| canonical(l) == canonical(ip))
        || is_public(ip)
}

/// `ip` with an IPv4 address in IPv4-mapped form (`::ffff:a.b.c.d`) as that IPv4 address.
fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        v4 => v4,
    }
}

/// Whether `ip` is a globally reachable unicast address (see the module docs).
pub fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => is_public_v4(v4),
        IpAddr::V6(v6) => is_public_v6(v6),
    }
}

fn is_public_v4(ip: Ipv4Addr) -> bool {
    let [a, b, c, _] = ip.octets();
    !(a == 0                                   // "this network", 0.0.0.0
        || a == 10                             // private
        || a == 127                            // loopback
        || (a == 100 && (64..128).contains(&b)) // shared address space (CGNAT)
        || (a == 169 && b == 254)              // link-local (cloud metadata: 169.254.169.254)
        || (a == 172 && (16..32).contains(&b))  // private
        || (a == 192 && b == 0 && c == 0)      // IETF protocol assignments
        || (a == 192 && b == 0 && c == 2)      // documentation
        || (a == 192 && b == 88 && c == 99)    // 6to4 relay anycast
        || (a == 192 && b == 168)              // private
        || (a == 198 && (b == 18 || b == 19))  // benchmarking
        || (a == 198 && b == 51 && c == 100)   // documentation
        || (a == 203 && b == 0 && c == 113)    // documentation
        || a >= 224) // multicast, reserved, broadcast
}

fn is_public_v6(ip: Ipv6Addr) -> bool {
    let s = ip.segments();
    // Forms that carry an IPv4 address are judged by it.
    let embedded = |hi: u16, lo: u16| Ipv4Addr::from((u32::from(hi) << 16) | u32::from(lo));
    if let Some(v4) = ip.to_ipv4_mapped() {
        return is_public_v4(v4);
    }
    if s[..6] == [0; 6] {
        // IPv4-compatible (deprecated) — and `::` and `::1`, which are not public either.
        return is_public_v4(embedded(s[6], s[7]));
    }
    if s[0] == 0x2002 {
        // 6to4: the IPv4 address in the next 32 bits.
        return is_public_v4(embedded(s[1], s[2]));
    }
    if s[..6] == [0x64, 0xff9b, 0, 0, 0, 0] {
        // NAT64 (well-known prefix): the IPv4 address in the last 32 bits.
        return is_public_v4(embedded(s[6], s[7]));
    }
    !((s[0] == 0x64 && s[1] == 0xff9b && s[2] == 1) // local-use NAT64 (64:ff9b:1::/48)
        || (s[0] == 0x2001 && s[1] == 0)           // Teredo: an IPv4 relay behind it
        || (s[0] == 0x2001 && s[1] == 0xdb8)       // documentation
        || (s[0] == 0x100 && s[1..4] == [0, 0, 0])  // discard-only
        || (s[0] & 0xfe00) == 0xfc00               // unique local
        || (s[0] & 0xffc0) == 0xfe80               // link-local
        || (s[0] & 0xffc0) == 0xfec0               // site-local (deprecated)
        || (s[0] & 0xff00) == 0xff00) // multicast
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sources(list: &str) -> Sources {
        Sources::parse(list).unwrap()
    }

    #[test]
    fn prefixes_match_parsed_urls_not_strings() {
        let s = sources("https://cdn.example.com, https://images.example.org/avatars/");
        let allowed = |u: &str| s.check(u).is_ok();
        assert!(allowed("https://cdn.example.com/a.png"));
        assert!(
            allowed("https://CDN.example.com:443/x/y.jpg"),
            "case and default port"
        );
        assert!(allowed("https://images.example.org/avatars/lark.webp"));
        assert!(!allowed("https://cdn.example.com.evil.org/a.png"));
        assert!(!allowed("https://cdn.example.com@evil.org/a.png"));
        assert!(
            !allowed("https://user@cdn.example.com/a.png"),
            "credentials"
        );
        assert!(
            !allowed("https://cdn.example.com:8443/a.png"),
            "another port"
        );
        assert!(
            !allowed("http://cdn.example.com/a.png"),
            "https prefix, http URL"
        );
        assert!(!allowed("https://images.example.org/avatars-private/x.png"));
        assert!(!allowed(
            "https://images.example.org/avatars/../private/x.png"
        ));
        assert!(!allowed(
            "https://images.example.org/avatars/%2e%2e/private/x.png"
        ));
        assert!(!allowed("/relative.png"));
        assert!(!allowed("file:///etc/passwd"));
        assert!(!allowed("data:image/png;base64,AAAA"));
    }

    #[test]
    fn encoded_separators_and_dots_are_refused_at_any_depth() {
        let s = sources("http://origin.test/allowed/");
        for bad in [
            "http://origin.test/allowed/..%2fsecret/secret.png",
            "http://origin.test/allowed/..%2Fsecret/secret.png",
            "http://origin.test/allowed/%2e%2e%2fsecret/secret.png",
            "http://origin.test/allowed/x/..%2f..%2fsecret/s.png",
            "http://origin.test/allowed/..%5csecret/s.png",
            "http://origin.test/allowed/..%255csecret/s.png",
            "http://origin.test/allowed/%252e%252e/secret/s.png",
            "http://origin.test/allowed/..%252fsecret/s.png",
            "http://origin.test/allowed/..%25252fsecret/s.png",
            "http://origin.test/allowed/%2525252e%2525252e/s.png",
            "http://origin.test/allowed/a%00.png",
            "http://origin.test/allowed/a.png%2500",
        ] {
            let err = s.check(bad).unwrap_err();
            assert!(err.contains("encoded"), "{bad}: {err}");
        }
        // Dot segments the URL parser resolves itself are judged after resolving.
        assert!(s
            .check("http://origin.test/allowed/%2e%2e/secret.png")
            .is_err());
        assert!(s.check("http://origin.test/allowed/x/%2E%2E/y.png").is_ok());
        // What an origin decodes to a name inside the folder is inside it.
        assert!(s.check("http://origin.test/%61llowed/a.png").is_ok());
        assert!(s.check("http://origin.test/allowed/caf%C3%A9.png").is_ok());
        assert!(s.check("http://origin.test/allowed/100%25.png").is_ok());
        assert!(s
            .check("http://origin.test/allowed/a%20b.png?v=%2F")
            .is_ok());
        assert!(s.check("http://origin.test/allowedx/a.png").is_err());
        assert!(s.check("http://origin.test/%61llowedx/a.png").is_err());
        let err = Sources::parse("http://origin.test/a%2fb/").unwrap_err();
        assert!(err.contains("encoded"), "{err}");
    }

    /// The path a lax origin serves for `path`: percent-decoded `times` times over, `\`
    /// read as `/`, dot segments resolved (Python's http.server, many proxies and routes).
    fn served_path(path: &str, times: usize) -> String {
        let mut p = path.to_string();
        for _ in 0..times {
            p = percent_encoding::percent_decode_str(&p)
                .decode_utf8_lossy()
                .into_owned();
        }
        let p = p.replace('\\', "/");
        let mut out: Vec<&str> = Vec::new();
        for segment in p.split('/').skip(1) {
            match segment {
                "." => {}
                ".." => {
                    out.pop();
                }
                s => out.push(s),
            }
        }
        format!("/{}", out.join("/"))
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(4000))]
        /// Whatever path an attacker builds from escapes, dot segments and separators, a
        /// URL we accept is served from inside the prefix by an origin that decodes it
        /// once, twice or three times.
        #[test]
        fn nothing_accepted_is_served_outside_the_prefix(
            parts in proptest::collection::vec(proptest::sample::select(vec![
                "allowed", "secret", "x.png", ".", "..", "/", "\\", "%2e", "%2E", "%2f",
                "%2F", "%5c", "%5C", "%25", "%252f", "%252e", "%255c", "%2525", "%61", "%",
                "%2", "a%2", ";", "?", "#", "%3f", "%23", "%00", "%0a",
            ]), 0..10),
        ) {
            let s = sources("http://origin.test/allowed/");
            let raw = format!("http://origin.test/allowed/{}", parts.concat());
            if let Ok((url, _)) = s.check(&raw) {
                for times in 0..=3 {
                    let served = served_path(url.path(), times);
                    proptest::prop_assert!(
                        served.starts_with("/allowed/"),
                        "{raw} sent as {} is served as {served} after {times} decodings",
                        url.path()
                    );
                }
            }
        }
    }

    #[test]
    fn a_folder_prefix_without_its_slash_is_still_a_folder() {
        let s = sources("https://images.example.org/avatars");
        assert!(s.check("https://images.example.org/avatars/a.png").is_ok());
        assert!(s
            .check("https://images.example.org/avatarsX/a.png")
            .is_err());
    }

    #[test]
    fn bad_prefixes_are_refused_saying_why() {
        for (list, why) in [
            ("ftp://x.example/", "only https:// or http://"),
            ("https://u:p@x.example/", "no user name or password"),
            ("https://x.example/?a=1", "no query or fragment"),
            ("cdn.example.com", "relative URL without a base"),
            ("file:///srv/pics/", "only https:// or http://"),
        ] {
            let err = Sources::parse(list).unwrap_err();
            assert!(err.contains(why), "{list}: {err}");
        }
        assert!(sources("").is_empty());
        assert_eq!(
            sources("").check("https://x.example/a.png").unwrap_err(),
            "pictures are off (no --image-sources)"
        );
    }

    #[test]
    fn only_public_addresses_unless_the_prefix_names_the_literal() {
        let refused = [
            "127.0.0.1",
            "127.8.9.10",
            "0.0.0.0",
            "10.1.2.3",
            "172.16.0.1",
            "172.31.255.255",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "100.127.255.255",
            "224.0.0.1",
            "239.255.255.250",
            "255.255.255.255",
            "240.0.0.1",
            "192.0.2.1",
            "198.18.0.1",
            "::1",
            "::",
            "fe80::1",
            "fc00::1",
            "fd12:3456::1",
            "ff02::1",
            "fec0::1",
            "2001:db8::1",
            "::ffff:127.0.0.1",
            "::ffff:169.254.169.254",
            "::ffff:10.0.0.1",
            "::127.0.0.1",
            "2002:7f00:0001::1",  // 6to4 of 127.0.0.1
            "2002:a9fe:a9fe::1",  // 6to4 of 169.254.169.254
            "2002:0a00:0001::",   // 6to4 of 10.0.0.1
            "64:ff9b::7f00:1",    // NAT64 of 127.0.0.1
            "64:ff9b::a9fe:a9fe", // NAT64 of 169.254.169.254
            "64:ff9b:1::1",
            "2001:0:4136:e378:8000:63bf:3fff:fdd2", // Teredo
            "100::1",
        ];
        for ip in refused {
            assert!(!is_public(ip.parse().unwrap()), "{ip} counted as public");
        }
        let public = [
            "93.184.216.34",
            "8.8.8.8",
            "172.32.0.1",
            "100.128.0.1",
            "2606:4700::1111",
            "2a00:1450:4001::200e",
            "::ffff:93.184.216.34",
            "2002:5db8:d822::1", // 6to4 of 93.184.216.34
            "64:ff9b::5db8:d822",
        ];
        for ip in public {
            assert!(is_public(ip.parse().unwrap()), "{ip} counted as not public");
        }

        let s = sources("http://127.0.0.1:8080/, https://[::1]/pics/, https://cdn.example.com/");
        let (_, loopback) = s.check("http://127.0.0.1:8080/a.png").unwrap();
        assert!(may_connect(loopback, "127.0.0.1".parse().unwrap()));
        assert!(may_connect(loopback, "::ffff:127.0.0.1".parse().unwrap()));
        assert!(!may_connect(loopback, "127.0.0.2".parse().unwrap()));
        assert!(!may_connect(loopback, "10.0.0.1".parse().unwrap()));
        let (_, v6) = s.check("https://[::1]/pics/a.png").unwrap();
        assert!(may_connect(v6, "::1".parse().unwrap()));
        // A name is not a literal: its addresses must be public, whatever it resolves to.
        let (_, named) = s.check("https://cdn.example.com/a.png").unwrap();
        assert!(!may_connect(named, "127.0.0.1".parse().unwrap()));
        assert!(may_connect(named, "93.184.216.34".parse().unwrap()));
        assert!(
            s.check("http://127.0.0.1:8081/a.png").is_err(),
            "another port"
        );
    }
}
