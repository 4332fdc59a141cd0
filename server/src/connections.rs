//! Serving connections so that slow or many connections cannot starve everyone else: a client
//! that does not send its request's headers within the header timeout is disconnected, one
//! client (an IPv6 client by its /64) holds at most so many connections at once, and the whole
//! server at most so many, below the process's open-file limit. Over a cap a connection is
//! closed at once instead of waiting in the kernel's queue, so the site keeps answering the
//! others (issue 14: 20,100 half-open connections made it fail with "Too many open files").

use app::domain::rate_limit::rate_limit_key;
use axum::Router;
use axum::extract::ConnectInfo;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tower::ServiceExt;

/// Caps on connections; see the module's notes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ConnectionLimits {
    /// Connections open at once, all clients together.
    pub total: usize,
    /// Connections one client address may hold at once; `None` behind a load balancer, where
    /// every connection comes from it.
    pub per_client: Option<usize>,
    /// Time a client has to send a request's headers.
    pub header_timeout: Duration,
}

impl ConnectionLimits {
    /// Open files the process keeps for its database, uploads and logs beside connections.
    const FILES_KEPT_FOR_OTHER_USES: usize = 256;

    /// `total` lowered to what the process's open-file limit allows, when it can be read.
    pub fn within_open_file_limit(mut self) -> ConnectionLimits {
        if let Some(limit) = open_file_limit() {
            let room = limit
                .saturating_sub(Self::FILES_KEPT_FOR_OTHER_USES)
                .max(16);
            if room < self.total {
                tracing::warn!(
                    configured = self.total,
                    open_file_limit = limit,
                    allowed = room,
                    "fewer connections than configured: the open-file limit is lower"
                );
                self.total = room;
            }
        }
        self
    }
}

/// The soft limit on open files (Linux: `/proc/self/limits`).
fn open_file_limit() -> Option<usize> {
    let limits = std::fs::read_to_string("/proc/self/limits").ok()?;
    limits
        .lines()
        .find(|line| line.starts_with("Max open files"))?
        .split_whitespace()
        .nth(3)?
        .parse()
        .ok()
}

/// Connections held per client, shared by the accept loop and the connections' tasks.
#[derive(Clone, Default)]
struct PerClient(Arc<Mutex<HashMap<String, usize>>>);

/// One client's share of the connections, given back when the connection ends.
struct ClientSlot {
    clients: PerClient,
    key: String,
}

impl PerClient {
    fn take(&self, address: IpAddr, cap: usize) -> Option<ClientSlot> {
        let key = rate_limit_key(address);
        let mut held = self
            .0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let count = held.entry(key.clone()).or_insert(0);
        if *count >= cap {
            return None;
        }
        *count += 1;
        Some(ClientSlot {
            clients: self.clone(),
            key,
        })
    }
}

impl Drop for ClientSlot {
    fn drop(&mut self) {
        let mut held = self
            .clients
            .0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some(count) = held.get_mut(&self.key) {
            *count -= 1;
            if *count == 0 {
                held.remove(&self.key);
            }
        }
    }
}

/// What a connection holds while it is open.
struct Admission {
    _total: OwnedSemaphorePermit,
    _client: Option<ClientSlot>,
}

/// Serves `app` on `listener` until `shutdown` completes, then lets requests in flight finish
/// (for at most 30 s). Each request carries its peer's `ConnectInfo<SocketAddr>`.
pub async fn serve(
    listener: TcpListener,
    app: Router,
    limits: ConnectionLimits,
    shutdown: impl Future<Output = ()>,
) {
    let total = Arc::new(Semaphore::new(limits.total));
    let clients = PerClient::default();
    let graceful = GracefulShutdown::new();
    let mut builder = hyper::server::conn::http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_timeout);
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(error) => {
                    // Out of file descriptors or the like: wait a moment rather than spin.
                    tracing::warn!(%error, "accepting a connection failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let Some(admission) = admit(&total, &clients, limits, peer) else {
            drop(stream);
            continue;
        };
        // Leptos writes a page in several chunks; without TCP_NODELAY each response waits on
        // delayed ACKs (≈40 ms), see ../shared/TOOLCHAIN.md.
        let _ = stream.set_nodelay(true);
        let service = TowerToHyperService::new(app.clone().map_request(
            move |mut request: hyper::Request<Incoming>| {
                request.extensions_mut().insert(ConnectInfo(peer));
                request
            },
        ));
        let connection = graceful.watch(builder.serve_connection(TokioIo::new(stream), service));
        tokio::spawn(async move {
            let _ = connection.await;
            drop(admission);
        });
    }
    drop(listener);
    if tokio::time::timeout(Duration::from_secs(30), graceful.shutdown())
        .await
        .is_err()
    {
        tracing::warn!("requests still running 30 s after the stop signal were cut");
    }
}

/// A place for a new connection from `peer`, or `None` when a cap is reached.
fn admit(
    total: &Arc<Semaphore>,
    clients: &PerClient,
    limits: ConnectionLimits,
    peer: SocketAddr,
) -> Option<Admission> {
    let Ok(permit) = total.clone().try_acquire_owned() else {
        tracing::warn!("connection refused: the server holds its maximum of connections");
        return None;
    };
    let client = match limits.per_client {
        Some(cap) => match clients.take(peer.ip(), cap) {
            Some(slot) => Some(slot),
            None => {
                tracing::debug!("connection refused: one client holds its maximum");
                return None;
            }
        },
        None => None,
    };
    Some(Admission {
        _total: permit,
        _client: client,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_client_gets_its_slots_back_when_connections_end() {
        let clients = PerClient::default();
        let address: IpAddr = "2001:db8:1:2::1".parse().unwrap();
        let neighbour: IpAddr = "2001:db8:1:2::99".parse().unwrap();
        let first = clients.take(address, 2).unwrap();
        let _second = clients.take(neighbour, 2).expect("same /64, second slot");
        assert!(clients.take(address, 2).is_none(), "the /64 holds its two");
        assert!(clients.take("203.0.113.1".parse().unwrap(), 2).is_some());
        drop(first);
        assert!(clients.take(address, 2).is_some());
    }

    #[test]
    fn the_open_file_limit_is_read() {
        if std::path::Path::new("/proc/self/limits").exists() {
            assert!(open_file_limit().is_some_and(|limit| limit >= 16));
        }
    }
}
