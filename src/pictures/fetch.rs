//! Fetching a picture: one HTTP/1.1 GET per hop over TCP (and rustls for `https`), to an
//! address that was checked, with the body read as a stream under a byte cap.
//!
//! Each hop — the first URL and every redirect, at most [`MAX_REDIRECTS`] — is checked
//! against the operator's prefixes ([`Sources`]) and its host's addresses against
//! [`may_connect`]: a name is resolved once, every address it gives must pass, and the
//! connection goes to one of those very addresses (no second lookup a rebinding DNS
//! server could answer differently). No proxy from the environment, no cookies, no
//! compression (`Accept-Encoding: identity`; a compressed body is refused), no
//! `Content-Length` trusted: the cap counts the bytes that arrive.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use http_body_util::BodyExt;
use hyper::header;
use tokio::net::TcpStream;
use tokio_rustls::rustls;
use url::Url;

use super::policy::{may_connect, Prefix, Sources};
use super::Failure;

/// The most redirects a fetch follows.
pub const MAX_REDIRECTS: usize = 3;

/// What a fetch got: the body, and how long the origin lets it be kept.
#[derive(Debug)]
pub struct Fetched {
    pub bytes: Vec<u8>,
    /// The origin's `Cache-Control: max-age` (or `None` without one; `no-store` and
    /// `no-cache` are 0).
    pub max_age: Option<Duration>,
}

/// How to fetch: the TLS setup and the limits of one fetch.
#[derive(Clone)]
pub struct Fetcher {
    tls: tokio_rustls::TlsConnector,
    pub connect_timeout: Duration,
    pub max_bytes: usize,
}

impl Fetcher {
    /// A fetcher trusting the Mozilla root certificates (compiled in: the container needs
    /// no CA bundle), with `connect_timeout` per connection and bodies of at most
    /// `max_bytes`.
    pub fn new(connect_timeout: Duration, max_bytes: usize) -> Fetcher {
        let mut roots = rustls::RootCertStore::empty();
        roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let config = rustls::ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .expect("ring supports the default protocol versions")
            .with_root_certificates(roots)
            .with_no_client_auth();
        Fetcher {
            tls: tokio_rustls::TlsConnector::from(Arc::new(config)),
            connect_timeout,
            max_bytes,
        }
    }

    /// Fetches `url` (which `sources` allowed), following redirects under the same rules.
    /// The caller bounds the whole by its own timeout.
    pub async fn fetch(&self, sources: &Sources, url: Url) -> Result<Fetched, Failure> {
        let mut url = url;
        for hop in 0..=MAX_REDIRECTS {
            let prefix = sources.allowing(&url).ok_or(if hop == 0 {
                Failure::NotAllowed
            } else {
                Failure::RedirectNotAllowed
            })?;
            let addresses = self.addresses(prefix, &url).await?;
            match self.get(&url, &addresses).await? {
                Hop::Done(fetched) => return Ok(fetched),
                Hop::Redirect(location) => {
                    url = url.join(&location).map_err(|_| Failure::BadRedirect)?;
                    url.set_fragment(None);
                }
            }
        }
        Err(Failure::TooManyRedirects)
    }

    /// The addresses `url`'s host may be reached at: its IP literal, or every address its
    /// name resolves to — all of them allowed, or the fetch is refused.
    async fn addresses(&self, prefix: &Prefix, url: &Url) -> Result<Vec<SocketAddr>, Failure> {
        let port = url.port_or_known_default().ok_or(Failure::NotAllowed)?;
        let ips: Vec<IpAddr> = match url.host() {
            Some(url::Host::Ipv4(ip)) => vec![IpAddr::V4(ip)],
            Some(url::Host::Ipv6(ip)) => vec![IpAddr::V6(ip)],
            Some(url::Host::Domain(name)) => {
                let resolved = tokio::time::timeout(
                    self.connect_timeout,
                    tokio::net::lookup_host((name, port)),
                )
                .await
                .map_err(|_| Failure::Timeout)?
                .map_err(|_| Failure::Resolve)?;
                resolved.map(|a| a.ip()).collect()
            }
            None => return Err(Failure::NotAllowed),
        };
        if ips.is_empty() {
            return Err(Failure::Resolve);
        }
        if ips.iter().any(|&ip| !may_connect(prefix, ip)) {
            return Err(Failure::RefusedAddress);
        }
        Ok(ips
            .into_iter()
            .map(|ip| SocketAddr::new(ip, port))
            .collect())
    }

    /// One GET of `url` at the first of `addresses` that answers.
    async fn get(&self, url: &Url, addresses: &[SocketAddr]) -> Result<Hop, Failure> {
        let tcp = tokio::time::timeout(self.connect_timeout, connect_any(addresses))
            .await
            .map_err(|_| Failure::Timeout)??;
        let _ = tcp.set_nodelay(true);
        let host = url.host_str().ok_or(Failure::NotAllowed)?;
        if url.scheme() == "https" {
            let name = rustls::pki_types::ServerName::try_from(
                host.trim_start_matches('[')
                    .trim_end_matches(']')
                    .to_string(),
            )
            .map_err(|_| Failure::Tls)?;
            let tls = tokio::time::timeout(self.connect_timeout, self.tls.connect(name, tcp))
                .await
                .map_err(|_| Failure::Timeout)?
                .map_err(|_| Failure::Tls)?;
            self.exchange(url, tls).await
        } else {
            self.exchange(url, tcp).await
        }
    }

    async fn exchange<S>(&self, url: &Url, stream: S) -> Result<Hop, Failure>
    where
        S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send + 'static,
    {
        let io = hyper_util::rt::TokioIo::new(stream);
        let (mut sender, connection) = hyper::client::conn::http1::handshake(io)
            .await
            .map_err(|_| Failure::Protocol)?;
        // The connection is driven beside the request and dropped with it.
        let driver = AbortOnDrop(tokio::spawn(async move {
            let _ = connection.await;
        }));
        let authority = match url.port() {
            Some(port) => format!("{}:{port}", url.host_str().unwrap_or_default()),
            None => url.host_str().unwrap_or_default().to_string(),
        };
        let target = match url.query() {
            Some(q) => format!("{}?{q}", url.path()),
            None => url.path().to_string(),
        };
        let request = hyper::Request::get(target)
            .header(header::HOST, authority)
            .header(
                header::USER_AGENT,
                concat!("ogcard/", env!("CARGO_PKG_VERSION")),
            )
            .header(header::ACCEPT, "image/png,image/jpeg,image/webp,image/gif")
            .header(header::ACCEPT_ENCODING, "identity")
            .body(http_body_util::Empty::<bytes::Bytes>::new())
            .map_err(|_| Failure::NotAllowed)?;
        let response = sender
            .send_request(request)
            .await
            .map_err(|_| Failure::Protocol)?;
        let status = response.status();
        if status.is_redirection() {
            let location = response
                .headers()
                .get(header::LOCATION)
                .and_then(|v| v.to_str().ok())
                .ok_or(Failure::BadRedirect)?;
            return Ok(Hop::Redirect(location.to_string()));
        }
        if !status.is_success() {
            return Err(Failure::Status(status.as_u16()));
        }
        let headers = response.headers();
        if headers
            .get(header::CONTENT_ENCODING)
            .is_some_and(|v| v.as_bytes() != b"identity")
        {
            return Err(Failure::NotAPicture);
        }
        // A declared length over the cap is refused before reading; a body that turns out
        // longer than declared is cut off by the count below all the same.
        let declared = headers
            .get(header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<u64>().ok());
        if declared.is_some_and(|n| n > self.max_bytes as u64) {
            return Err(Failure::TooLarge);
        }
        let max_age = headers
            .get_all(header::CACHE_CONTROL)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find_map(max_age);
        let mut body = response.into_body();
        let mut bytes = Vec::with_capacity(declared.map_or(64 << 10, |n| n as usize));
        while let Some(frame) = body.frame().await {
            let frame = frame.map_err(|_| Failure::Protocol)?;
            if let Some(data) = frame.data_ref() {
                if bytes.len() + data.len() > self.max_bytes {
                    return Err(Failure::TooLarge);
                }
                bytes.extend_from_slice(data);
            }
        }
        drop(driver);
        bytes.shrink_to_fit();
        Ok(Hop::Done(Fetched { bytes, max_age }))
    }
}

enum Hop {
    Done(Fetched),
    Redirect(String),
}

/// Connects to the first of `addresses` that accepts.
async fn connect_any(addresses: &[SocketAddr]) -> Result<TcpStream, Failure> {
    for address in addresses {
        if let Ok(stream) = TcpStream::connect(address).await {
            return Ok(stream);
        }
    }
    Err(Failure::Connect)
}

/// `max-age` of one `Cache-Control` value: `no-store`/`no-cache` are 0.
fn max_age(value: &str) -> Option<Duration> {
    value.split(',').map(str::trim).find_map(|directive| {
        let lower = directive.to_ascii_lowercase();
        if lower == "no-store" || lower == "no-cache" {
            return Some(Duration::ZERO);
        }
        let seconds = lower.strip_prefix("max-age=")?.trim_matches('"');
        seconds.parse::<u64>().ok().map(Duration::from_secs)
    })
}

struct AbortOnDrop(tokio::task::JoinHandle<()>);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn max_age_reads_the_directive_and_treats_no_store_as_zero() {
        assert_eq!(
            max_age("public, max-age=3600"),
            Some(Duration::from_secs(3600))
        );
        assert_eq!(max_age("MAX-AGE=\"60\""), Some(Duration::from_secs(60)));
        assert_eq!(max_age("no-store"), Some(Duration::ZERO));
        assert_eq!(max_age("public"), None);
        assert_eq!(max_age("max-age=lots"), None);
    }
}
