//! Slow and many connections: a client that never finishes its headers is disconnected, one
//! client cannot hold every connection, and the site keeps answering others meanwhile. The
//! attacker's connections come from 127.0.0.2, the citizen's from 127.0.0.1 (both loopback).

mod common;

use std::net::SocketAddr;
use std::time::Duration;

use common::{Backend, TestApp};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpSocket, TcpStream};

/// A connection from 127.0.0.2 that has sent the start of a request and nothing more.
async fn slow_connection(server: SocketAddr) -> std::io::Result<TcpStream> {
    let socket = TcpSocket::new_v4()?;
    socket.bind("127.0.0.2:0".parse().unwrap())?;
    let mut stream = socket.connect(server).await?;
    stream
        .write_all(b"GET / HTTP/1.1\r\nHost: motcua\r\nX-A: ")
        .await?;
    Ok(stream)
}

/// Whether the server closes `stream` within `within`.
async fn closed_within(stream: &mut TcpStream, within: Duration) -> bool {
    let mut buffer = [0u8; 512];
    match tokio::time::timeout(within, stream.read(&mut buffer)).await {
        Ok(Ok(0) | Err(_)) => true,
        // hyper may say why before it closes (408); then the close follows.
        Ok(Ok(_)) => matches!(
            tokio::time::timeout(within, stream.read(&mut buffer)).await,
            Ok(Ok(0) | Err(_))
        ),
        Err(_) => false,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_that_never_finishes_its_headers_is_disconnected() {
    let app = TestApp::spawn_with(Backend::Sqlite, |config| {
        config.connection_limits.header_timeout = Duration::from_secs(1);
    })
    .await
    .unwrap();
    let mut slow = slow_connection(app.addr).await.unwrap();
    assert!(
        closed_within(&mut slow, Duration::from_secs(10)).await,
        "still open long after the header timeout"
    );
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_client_cannot_hold_every_connection() {
    let app = TestApp::spawn_with(Backend::Sqlite, |config| {
        config.connection_limits.per_client = Some(8);
    })
    .await
    .unwrap();
    let mut held = Vec::new();
    for _ in 0..8 {
        held.push(slow_connection(app.addr).await.unwrap());
    }
    // Give the server time to count the eight before the ninth arrives.
    tokio::time::sleep(Duration::from_millis(200)).await;
    let mut ninth = slow_connection(app.addr).await.unwrap();
    assert!(
        closed_within(&mut ninth, Duration::from_secs(5)).await,
        "a ninth connection from one client is refused"
    );
    let (status, body) = app.get_text("/healthz").await;
    assert_eq!((status, body.as_str()), (200, "ok"), "others still get in");
    // A connection that ends gives its place back.
    drop(held.pop());
    tokio::time::sleep(Duration::from_millis(200)).await;
    let mut again = slow_connection(app.addr).await.unwrap();
    assert!(!closed_within(&mut again, Duration::from_millis(500)).await);
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_site_keeps_answering_while_many_slow_connections_are_open() {
    let app = TestApp::spawn(Backend::Sqlite).await.unwrap();
    let mut slow = Vec::new();
    for _ in 0..1_000 {
        match slow_connection(app.addr).await {
            Ok(stream) => slow.push(stream),
            Err(_) => break,
        }
    }
    let mut answered = 0;
    for _ in 0..50 {
        let (status, _) = app.get_text("/thu-tuc").await;
        answered += usize::from(status == 200);
    }
    eprintln!(
        "{} slow connections attempted: 50 catalogue pages asked for meanwhile, {answered} answered",
        slow.len()
    );
    assert_eq!(answered, 50);
    app.stop().await;
}
