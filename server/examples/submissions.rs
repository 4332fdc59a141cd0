//! How many online applications per second the server turns into dossiers: the real router on
//! a loopback port, `COUNT` drafts prepared (applicant saved, no files), then all of them
//! submitted by `CONCURRENCY` clients at once. Prints throughput and latency, and checks that
//! every submission got its own code.
//!
//! `cargo run --release -p server --example submissions -- DATABASE_URL [COUNT] [CONCURRENCY]`
//! with an empty database (a new SQLite file, or a PostgreSQL database just created);
//! `scripts/bench-submissions` runs it on both.

use std::sync::Arc;
use std::time::{Duration, Instant};

use server::config::Config;
use tokio::sync::Semaphore;
use tokio::task::JoinSet;

/// A procedure whose documents are all optional, so applications go without files.
const PROCEDURE: &str = "2.000635";

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let database_url = args
        .first()
        .ok_or("usage: submissions DATABASE_URL [COUNT] [CONCURRENCY]")?;
    let count: usize = args.get(1).map_or(Ok(1000), |n| n.parse())?;
    let concurrency: usize = args.get(2).map_or(Ok(32), |n| n.parse())?;

    let work = std::env::temp_dir().join(format!("motcua-bench-{}", std::process::id()));
    std::fs::create_dir_all(&work)?;
    let catalogue = work.join("procedures.json");
    std::fs::write(&catalogue, optional_documents_only()?)?;
    let mut config = Config::from_sources(&Default::default(), None)?;
    config.bind = "127.0.0.1:0".parse()?;
    config.database_url = database_url.clone();
    config.demo_data = Some(catalogue);
    config.upload_dir = work.join("uploads");
    let db = server::prepare_database(&config).await?;
    let listener = tokio::net::TcpListener::bind(config.bind).await?;
    let addr = listener.local_addr()?;
    let files = server::open_files(&config).await?;
    let router = server::router(
        &config,
        db.clone(),
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
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .pool_max_idle_per_host(concurrency)
        .build()?;
    let base = format!("http://{addr}");

    let prepared = Instant::now();
    let tokens = run_all(count, concurrency, {
        let (client, base) = (client.clone(), base.clone());
        move |n| prepare(client.clone(), base.clone(), n)
    })
    .await?;
    println!(
        "{count} drafts prepared in {:.1} s ({})",
        prepared.elapsed().as_secs_f64(),
        if database_url.starts_with("sqlite") {
            "SQLite"
        } else {
            "PostgreSQL"
        }
    );

    let tokens = Arc::new(tokens);
    let started = Instant::now();
    let mut latencies = run_all(count, concurrency, {
        let (client, base, tokens) = (client.clone(), base.clone(), tokens.clone());
        move |n| submit(client.clone(), base.clone(), tokens[n].clone())
    })
    .await?;
    let elapsed = started.elapsed();
    latencies.sort();
    let percentile =
        |p: f64| latencies[((latencies.len() - 1) as f64 * p) as usize].as_secs_f64() * 1000.0;
    println!(
        "{count} submissions, {concurrency} at a time: {:.2} s, {:.0} submissions/s, latency p50 {:.1} ms, p99 {:.1} ms",
        elapsed.as_secs_f64(),
        count as f64 / elapsed.as_secs_f64(),
        percentile(0.5),
        percentile(0.99)
    );
    let distinct: i64 = sqlx::query_scalar("SELECT COUNT(DISTINCT code) FROM dossiers")
        .fetch_one(db.writer())
        .await?;
    println!("distinct dossier codes: {distinct} of {count}");
    std::fs::remove_dir_all(&work)?;
    if distinct as usize != count {
        return Err("some submissions did not get their own code".into());
    }
    Ok(())
}

/// The demo catalogue's one-case procedure with every document made optional.
fn optional_documents_only() -> Result<String, Box<dyn std::error::Error>> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../data/demo-procedures.json");
    let records: Vec<serde_json::Value> = serde_json::from_str(&std::fs::read_to_string(path)?)?;
    let mut record = records
        .into_iter()
        .find(|r| r["MaTTHC"] == PROCEDURE)
        .ok_or("the demo procedure is missing")?;
    for case in record["THANHPHANHOSO"].as_array_mut().into_iter().flatten() {
        for document in case["GIAYTO"].as_array_mut().into_iter().flatten() {
            document["BATBUOC"] = serde_json::Value::Bool(false);
        }
    }
    Ok(serde_json::to_string(&[record])?)
}

/// Runs `job(0..count)` with at most `concurrency` at a time; results in job order.
async fn run_all<T, F, Fut>(count: usize, concurrency: usize, job: F) -> Result<Vec<T>, String>
where
    T: Send + 'static,
    F: Fn(usize) -> Fut,
    Fut: std::future::Future<Output = Result<T, String>> + Send + 'static,
{
    let permits = Arc::new(Semaphore::new(concurrency));
    let mut set = JoinSet::new();
    for n in 0..count {
        let permit = permits
            .clone()
            .acquire_owned()
            .await
            .map_err(|e| e.to_string())?;
        let future = job(n);
        set.spawn(async move {
            let result = future.await;
            drop(permit);
            (n, result)
        });
    }
    let mut results: Vec<Option<T>> = (0..count).map(|_| None).collect();
    while let Some(joined) = set.join_next().await {
        let (n, result) = joined.map_err(|e| e.to_string())?;
        results[n] = Some(result?);
    }
    Ok(results.into_iter().flatten().collect())
}

async fn prepare(client: reqwest::Client, base: String, n: usize) -> Result<String, String> {
    let started = client
        .post(format!("{base}/thu-tuc/{PROCEDURE}/nop-truc-tuyen"))
        .send()
        .await
        .map_err(|e| e.to_string())?;
    let location = started
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .ok_or(format!("no draft: {}", started.status()))?
        .to_owned();
    let token = location
        .trim_start_matches("/ho-so-nhap/")
        .trim_end_matches("/nguoi-nop")
        .to_owned();
    let name = format!("Người thử {n}");
    let saved = client
        .post(format!("{base}/ho-so-nhap/{token}/nguoi-nop"))
        .form(&[
            ("ho-ten", name.as_str()),
            ("dien-thoai", "0912345678"),
            ("cccd", "001303004567"),
            ("dia-chi", "Thôn Đông, xã Tân Lập"),
        ])
        .send()
        .await
        .map_err(|e| e.to_string())?;
    if saved.status() != 303 {
        return Err(format!("applicant not saved: {}", saved.status()));
    }
    Ok(token)
}

async fn submit(client: reqwest::Client, base: String, token: String) -> Result<Duration, String> {
    let started = Instant::now();
    let response = client
        .post(format!("{base}/ho-so-nhap/{token}/nop"))
        .form(&[("cam-doan", "1")])
        .send()
        .await
        .map_err(|e| e.to_string())?;
    let location = response
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    if response.status() != 303 || !location.starts_with("/giay-hen") {
        return Err(format!(
            "submission refused: {} {location}",
            response.status()
        ));
    }
    Ok(started.elapsed())
}
