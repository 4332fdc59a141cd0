//! Serves the real app with one submitted dossier, next to a bare axum "hello" handler, for
//! `scripts/bench-status` to load both from another process (`wrk`): the ratio of the two is
//! the figure, as both run on the same machine in the same run.
//!
//! `cargo run --release -p server --example status_server -- DATABASE_URL`; prints
//! `STATUS=http://…/tra-cuu?ma=…&khoa=…` and `HELLO=http://…/`, then serves until killed.

use server::config::Config;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let database_url = std::env::args()
        .nth(1)
        .ok_or("usage: status_server DATABASE_URL")?;
    let work = std::env::temp_dir().join(format!("motcua-status-{}", std::process::id()));
    let mut config = Config::from_sources(&Default::default(), None)?;
    config.bind = "127.0.0.1:0".parse()?;
    config.database_url = database_url;
    config.demo_data =
        Some(concat!(env!("CARGO_MANIFEST_DIR"), "/../data/demo-procedures.json").into());
    config.upload_dir = work.join("uploads");
    // The load comes from one address: let it through, as many citizens would be.
    config.lookup_limit.hits = i64::MAX / 2;
    let db = server::prepare_database(&config).await?;
    let listener = tokio::net::TcpListener::bind(config.bind).await?;
    let addr = listener.local_addr()?;
    let files = server::open_files(&config).await?;
    let router = server::router(
        &config,
        db,
        files,
        server::signing::Signers::default(),
        server::leptos_options(addr),
    );
    // Served as the server binary serves it.
    tokio::spawn(server::connections::serve(
        listener,
        router,
        config.connection_limits,
        std::future::pending(),
    ));

    let hello = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let hello_addr = hello.local_addr()?;
    let bare = axum::Router::new().route("/", axum::routing::get(|| async { "hello" }));
    tokio::spawn(async move { axum::serve(hello, bare).await });

    let status = submit_one(&format!("http://{addr}")).await?;
    println!("STATUS=http://{addr}{status}");
    println!("HELLO=http://{hello_addr}/");
    tokio::signal::ctrl_c().await?;
    let _ = std::fs::remove_dir_all(work);
    Ok(())
}

/// Files one application through the public forms, as the load harness's citizens do; returns
/// its status page's path. A filing that stops on the way fails here, so the lookup form is never
/// measured in the status page's place.
async fn submit_one(base: &str) -> Result<String, Box<dyn std::error::Error>> {
    let client = bench::citizen::client(std::time::Duration::from_secs(30));
    let recorder = bench::record::Recorder::default();
    let citizen = bench::citizen::Citizen {
        client: &client,
        base_url: base,
        recorder: &recorder,
    };
    let receipt = citizen
        .file("Nguyễn Thị Lan", 1)
        .await
        .map_err(|failure| format!("filing failed: {failure:?}"))?;
    Ok(format!("/tra-cuu?ma={}&khoa={}", receipt.code, receipt.key))
}
