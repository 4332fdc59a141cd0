//! How many messages per second one server's worker delivers by email: a real SMTP server on
//! loopback (`scripts/lib/smtp_sink.py`: aiosmtpd, STARTTLS required, every message written to
//! disk), the demo month's 772 dossiers told of one status change each, then the worker's rounds
//! until the outbox is empty. Prints the rate and checks that the sink holds every message.
//!
//! `cargo run --release -p server --example notify_throughput -- DATABASE_URL`
//! with an empty database; `scripts/bench-notify` runs it on SQLite and PostgreSQL.

use std::time::Instant;

use app::domain::dossier::AgencyCode;
use app::domain::lifecycle::Status;
use server::config::Config;
use server::notify::{EmailSettings, Notifier, NotifySettings, SmtpSecurity};
use sqlx::Row;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let database_url = std::env::args()
        .nth(1)
        .ok_or("usage: notify_throughput DATABASE_URL")?;
    let work = std::env::temp_dir().join(format!("motcua-notify-{}", std::process::id()));
    let sink_folder = work.join("mail");
    let sink = bench::mail::SmtpSink::start(&sink_folder)?;

    let mut config = Config::from_sources(&Default::default(), None)?;
    config.database_url = database_url.clone();
    config.upload_dir = work.join("uploads");
    let db = server::prepare_database(&config).await?;
    let agency = AgencyCode::parse(&config.agency_code).map_err(|e| format!("{e:?}"))?;
    db.seed_article_month(&agency).await?;
    sqlx::query(
        "UPDATE dossiers SET notify_channel = 'email', \
         applicant_email = 'cong-dan-' || sequence || '@example.vn'",
    )
    .execute(db.writer())
    .await?;
    // Every dossier back to "accepted" (bench data), then moved on by the same call staff
    // actions make: each move writes one message.
    sqlx::query("UPDATE dossiers SET status = $1")
        .bind(Status::Accepted.code())
        .execute(db.writer())
        .await?;
    let codes = sqlx::query("SELECT code FROM dossiers ORDER BY code")
        .fetch_all(db.writer())
        .await?;
    let written = Instant::now();
    for row in &codes {
        let code: String = row.try_get("code")?;
        db.change_status(
            &code,
            Status::Processing,
            "can-bo:bench",
            "",
            None,
            db.now(),
        )
        .await?;
    }
    let messages: i64 = sqlx::query("SELECT COUNT(*) AS n FROM notification_messages")
        .fetch_one(db.writer())
        .await?
        .try_get("n")?;
    println!(
        "{messages} messages written with their status changes in {:.1} s",
        written.elapsed().as_secs_f64()
    );

    let settings = NotifySettings {
        email: Some(EmailSettings {
            host: "127.0.0.1".to_owned(),
            port: sink.port(),
            security: SmtpSecurity::StartTls,
            user: None,
            password: None,
            from: "Trung tâm xã <motcua@xa.gov.vn>".to_owned(),
            ca_file: Some(sink.ca().to_owned()),
        }),
        ..Default::default()
    };
    let notifier = Notifier::new(db.clone(), settings, "https://motcua.xa.gov.vn".to_owned())?;
    let started = Instant::now();
    while notifier.deliver_due(db.now()).await? > 0 {}
    let elapsed = started.elapsed().as_secs_f64();
    let sent: i64 =
        sqlx::query("SELECT COUNT(*) AS n FROM notification_messages WHERE state = 'sent'")
            .fetch_one(db.writer())
            .await?
            .try_get("n")?;
    let received = sink.arrivals().len();
    println!(
        "{sent} of {messages} sent in {elapsed:.1} s: {:.0} messages/s ({}); the SMTP server kept {received}",
        sent as f64 / elapsed,
        if database_url.starts_with("sqlite") {
            "SQLite"
        } else {
            "PostgreSQL"
        }
    );
    drop(sink);
    let _ = std::fs::remove_dir_all(&work);
    if sent != messages || received as i64 != messages {
        return Err("not every message arrived".into());
    }
    Ok(())
}
