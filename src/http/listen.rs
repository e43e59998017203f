//! The listening socket. `--listen` binds what it names; without it the server listens on
//! every address of both families with one socket (`[::]:PORT`, IPv4 arriving as mapped
//! addresses), so IPv6-only clusters and private networks reach it with no flag. A host
//! without IPv6 gets `0.0.0.0:PORT`, and the log says so.

use std::io::{self, ErrorKind};
use std::net::{Ipv4Addr, SocketAddr};

use anyhow::Context;
use socket2::{Domain, Protocol, Socket, Type};

/// Pending connections the kernel holds before `accept` (tokio's own default).
const BACKLOG: i32 = 1024;

/// A listener on `addr`. `default`: `addr` is the unspecified IPv6 address the server
/// chose itself, to be made dual-stack, or IPv4 where IPv6 is missing.
pub fn bind(addr: SocketAddr, default: bool) -> anyhow::Result<tokio::net::TcpListener> {
    let listener = match socket(addr, default) {
        Ok(listener) => listener,
        Err(e) if default && no_ipv6(&e) => {
            let v4 = SocketAddr::from((Ipv4Addr::UNSPECIFIED, addr.port()));
            tracing::warn!(error = %e, listen = %v4, "no IPv6 on this host: listening on IPv4 only");
            socket(v4, false).with_context(|| format!("listening on {v4}"))?
        }
        Err(e) => return Err(e).with_context(|| format!("listening on {addr}")),
    };
    Ok(tokio::net::TcpListener::from_std(listener)?)
}

fn socket(addr: SocketAddr, dual_stack: bool) -> io::Result<std::net::TcpListener> {
    let socket = Socket::new(Domain::for_address(addr), Type::STREAM, Some(Protocol::TCP))?;
    if dual_stack {
        // Whatever `net.ipv6.bindv6only` says: IPv4 too.
        socket.set_only_v6(false)?;
    }
    socket.set_reuse_address(true)?;
    socket.bind(&addr.into())?;
    socket.listen(BACKLOG)?;
    socket.set_nonblocking(true)?;
    Ok(socket.into())
}

/// Whether binding `[::]` failed because the host has no IPv6 (the kernel built or
/// booted without it: `EAFNOSUPPORT`; no IPv6 address: `EADDRNOTAVAIL`) rather than for
/// a reason IPv4 would share (the port taken, a privileged port).
fn no_ipv6(e: &io::Error) -> bool {
    !matches!(
        e.kind(),
        ErrorKind::AddrInUse | ErrorKind::PermissionDenied | ErrorKind::InvalidInput
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_missing_ipv6_falls_back_to_ipv4() {
        // Linux's EAFNOSUPPORT and EADDRNOTAVAIL.
        assert!(no_ipv6(&io::Error::from_raw_os_error(97)));
        assert!(no_ipv6(&io::Error::from(ErrorKind::AddrNotAvailable)));
        assert!(!no_ipv6(&io::Error::from(ErrorKind::AddrInUse)));
        assert!(!no_ipv6(&io::Error::from(ErrorKind::PermissionDenied)));
    }
}
