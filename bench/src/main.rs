//! `load`: the full harness run, printed as Markdown. See `scripts/load` and docs/harness.md.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use bench::check::integrity;
use bench::mail::SmtpSink;
use bench::record::table;
use bench::s3::S3Server;
use bench::scenario::{
    BackupMoment, BalancedOptions, CrashOptions, Cut, LoadOptions, READERS, backup_drill, balanced,
    balanced_load, crash, load, reconnect, slow_connections,
};
use bench::server::{Backend, Server, Site};

const USAGE: &str = "usage: load --server PATH [--citizens N] [--seconds S] [--postgres URL]
            [--pg-restart COMMAND] [--filers N] [--kill-after N] [--slow-connections N]";

struct Options {
    server: PathBuf,
    citizens: usize,
    seconds: u64,
    postgres: Option<String>,
    pg_restart: Option<String>,
    filers: usize,
    kill_after: usize,
    slow_connections: usize,
}

fn options() -> Result<Options, String> {
    let mut options = Options {
        server: PathBuf::from("target/release/server"),
        citizens: 200,
        seconds: 60,
        postgres: None,
        pg_restart: None,
        filers: 32,
        kill_after: 100,
        slow_connections: 20_000,
    };
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.iter().any(|a| a == "--help" || a == "-h") {
        return Err(String::new());
    }
    for pair in args.chunks(2) {
        let [name, value] = pair else {
            return Err(format!("{} needs a value", pair[0]));
        };
        let number = || {
            value
                .parse()
                .map_err(|_| format!("{name}: not a number: {value}"))
        };
        match name.as_str() {
            "--server" => options.server = PathBuf::from(value),
            "--citizens" => options.citizens = number()?,
            "--seconds" => options.seconds = number()? as u64,
            "--postgres" => options.postgres = Some(value.clone()),
            "--pg-restart" => options.pg_restart = Some(value.clone()),
            "--filers" => options.filers = number()?,
            "--kill-after" => options.kill_after = number()?,
            "--slow-connections" => options.slow_connections = number()?,
            other => return Err(format!("unknown option {other}")),
        }
    }
    Ok(options)
}

#[tokio::main]
async fn main() -> ExitCode {
    let options = match options() {
        Ok(options) => options,
        Err(error) => {
            if !error.is_empty() {
                eprintln!("{error}");
            }
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    let mut backends = vec![Backend::Sqlite];
    if let Some(url) = &options.postgres {
        backends.push(Backend::Postgres(url.clone()));
    }
    let mut whole = true;
    for backend in &backends {
        match run(&options, backend).await {
            Ok(ok) => whole &= ok,
            Err(error) => {
                println!("\n**{}: the run stopped: {error}**", backend.name());
                whole = false;
            }
        }
    }
    if whole {
        println!("\nAll checks held.");
        ExitCode::SUCCESS
    } else {
        println!("\nSome checks failed (see above).");
        ExitCode::FAILURE
    }
}

/// The three runs on one back end; `Ok(false)` when a check failed.
async fn run(options: &Options, backend: &Backend) -> Result<bool, String> {
    let mut whole = true;
    let name = backend.name();

    let site = Site::new(backend, "load").await?;
    // Filers ask to be told by email: the server's worker sends each "received" message to a
    // real SMTP server on loopback while the load runs.
    let sink = SmtpSink::start(&site.folder.join("mail"))?;
    let mut environment = sink.environment();
    environment.push(("MOTCUA_PUBLIC_URL", "http://127.0.0.1".to_owned()));
    let environment: Vec<(&str, &str)> = environment
        .iter()
        .map(|(name, value)| (*name, value.as_str()))
        .collect();
    let mut server = Server::start_with(&options.server, &site, 1, &environment).await?;
    println!(
        "\n## {name}: load, {} citizens for {} s (server ready in {:.1} s)\n",
        options.citizens,
        options.seconds,
        server.started_in.as_secs_f64()
    );
    let report = load(
        &server.base_url,
        &LoadOptions {
            citizens: options.citizens,
            duration: Duration::from_secs(options.seconds),
            file_one_in: 4,
            request_timeout: Duration::from_secs(30),
            ask_email: true,
            keep_alive: true,
        },
    )
    .await;
    let delays = mail_delays(&sink, &report.receipts).await;
    server.stop();
    let panics = server.panics();
    let checked = integrity(&site, &report.receipts).await?;
    let answered: usize = report.figures.iter().map(|f| f.ok).sum();
    print!("{}", table(&report.figures, report.seconds));
    println!(
        "\n{} visits, {answered} answers in {:.1} s ({:.0} answers/s), {} failed; panics in the server log: {panics}",
        report.visits,
        report.seconds,
        answered as f64 / report.seconds,
        report.failed,
    );
    println!(
        "Email on filing (worker to a real SMTP server, STARTTLS): {} of {} receipts' messages \
         arrived; delay from the receipt to the SMTP server's copy p50 {:.0} ms, p99 {:.0} ms, \
         max {:.0} ms",
        delays.len(),
        report.receipts.len(),
        percentile(&delays, 0.50),
        percentile(&delays, 0.99),
        delays.last().copied().unwrap_or_default(),
    );
    println!(
        "Database after the run: {} receipts given, {} dossiers present, {} whole with their files; \
         repeated codes {}, recorded files missing {}, files nobody recorded {}",
        checked.acknowledged,
        checked.present,
        checked.intact,
        checked.repeated_codes,
        checked.rows_without_file,
        checked.files_without_row
    );
    for problem in &checked.problems {
        println!("- {problem}");
    }
    whole &= checked.is_whole() && panics == 0 && report.failed == 0 && !report.receipts.is_empty();
    site.remove().await;

    let site = Site::new(backend, "slow").await?;
    // The attack comes from twenty addresses other than the citizens': the cap per client
    // applies to them as it would in production.
    let server = Server::start_with(
        &options.server,
        &site,
        1,
        &[("MOTCUA_MAX_CONNECTIONS_PER_CLIENT", "64")],
    )
    .await?;
    let slow = slow_connections(
        &server.base_url,
        options.slow_connections,
        Duration::from_secs(30),
    )
    .await;
    drop(server);
    site.remove().await;
    let slow = slow?;
    println!(
        "\n## {name}: {} slow connections (headers never finished) from 20 addresses for 30 s\n\n\
         Connected at first: {}; open at once at most: {}; a citizen's catalogue requests \
         meanwhile: {} sent, {} answered, slowest {:.2} s",
        slow.attempted,
        slow.connected,
        slow.most_open,
        slow.requests,
        slow.answered,
        slow.slowest.as_secs_f64()
    );
    whole &= slow.requests > 0 && slow.answered == slow.requests;

    let site = Site::new(backend, "crash").await?;
    let crashed = crash(
        &options.server,
        &site,
        &CrashOptions {
            filers: options.filers,
            kill_after: options.kill_after,
        },
    )
    .await?;
    let kept = &crashed.integrity;
    println!(
        "\n## {name}: kill -9 during a burst of {} citizens filing\n\n\
         Acknowledged before the kill: {}; present after the restart: {}; whole with their files: {}; \
         found by their citizens (code + key): {}; recorded files missing: {}; stray uploads \
         (cleaned up once an hour old): {}; restarted and healthy in {:.2} s; panics: {}",
        options.filers,
        crashed.acknowledged,
        kept.present,
        kept.intact,
        crashed.found_by_citizens,
        kept.rows_without_file,
        kept.files_without_row,
        crashed.restarted_in.as_secs_f64(),
        crashed.panics
    );
    whole &= kept.present == crashed.acknowledged
        && kept.intact == crashed.acknowledged
        && crashed.found_by_citizens == crashed.acknowledged
        && kept.rows_without_file == 0
        && crashed.panics == 0;
    site.remove().await;

    let site = Site::new(backend, "drill").await?;
    let restored = Site::new(backend, "drill_to").await?;
    let drill = backup_drill(
        &options.server,
        &site,
        &restored,
        LoadOptions {
            citizens: options.citizens,
            duration: Duration::from_secs(options.seconds),
            file_one_in: 4,
            request_timeout: Duration::from_secs(30),
            ask_email: false,
            keep_alive: true,
        },
        BackupMoment {
            not_before: Duration::from_secs(options.seconds / 2),
            receipts_before: 1,
        },
    )
    .await;
    site.remove().await;
    restored.remove().await;
    let drill = drill?;
    let kept = &drill.integrity;
    println!(
        "\n## {name}: backup during the load of {} citizens, restored elsewhere\n\n\
         `server backup` took {:.2} s while the load ran; `server restore` {:.2} s. Receipts given \
         before the backup started: {}; present in the restored copy: {}; whole with their files \
         (byte for byte): {}; recorded files missing: {}; files nobody recorded: {}; failed \
         requests during the run: {}; panics: {}\n\n```\n{}```",
        options.citizens,
        drill.backup_seconds,
        drill.restore_seconds,
        drill.acknowledged_before,
        kept.present,
        kept.intact,
        kept.rows_without_file,
        kept.files_without_row,
        drill.load.failed,
        drill.panics,
        drill.output
    );
    whole &= kept.present == drill.acknowledged_before
        && kept.intact == drill.acknowledged_before
        && kept.rows_without_file == 0
        && kept.files_without_row == 0
        && drill.acknowledged_before > 0
        && drill.panics == 0;

    if let Backend::Postgres(_) = backend {
        let site = Site::new(backend, "reconnect").await?;
        let server = Server::start(&options.server, &site, 1).await?;
        let cut = match &options.pg_restart {
            Some(command) => Cut::Restart(command.clone()),
            None => Cut::TerminateConnections,
        };
        let outcome = reconnect(&server, &site, &cut).await;
        drop(server);
        site.remove().await;
        let report = outcome?;
        let how = match cut {
            Cut::Restart(command) => format!("PostgreSQL restarted (`{command}`)"),
            Cut::TerminateConnections => "every connection of its database ended".to_owned(),
        };
        println!(
            "\n## {name}: {how} under the load of {READERS} readers\n\n\
             {} requests: {} answered, {} the app's error page (5xx), {} without a proper answer; \
             {} not answered normally after the return; slowest {:.2} s; healthy again {}; \
             panics: {}",
            report.requests,
            report.ok,
            report.error_pages,
            report.bad_failures,
            report.failed_after_return,
            report.slowest.as_secs_f64(),
            report
                .back_in
                .map_or("never (60 s)".to_owned(), |d| format!(
                    "{:.2} s after the cut",
                    d.as_secs_f64()
                )),
            report.panics
        );
        whole &= report.bad_failures == 0
            && report.failed_after_return == 0
            && report.panics == 0
            && report.back_in.is_some_and(|d| d < Duration::from_secs(15));
    }
    if let Backend::Postgres(_) = backend {
        whole &= behind_a_balancer(options, backend).await?;
    }
    Ok(whole)
}

/// PostgreSQL, the S3 server and HAProxy: the load's throughput through one app server and
/// through two, then two with one killed halfway.
async fn behind_a_balancer(options: &Options, backend: &Backend) -> Result<bool, String> {
    let mut whole = true;
    let load_options = LoadOptions {
        citizens: options.citizens,
        duration: Duration::from_secs(options.seconds),
        file_one_in: 4,
        request_timeout: Duration::from_secs(30),
        ask_email: false,
        keep_alive: true,
    };
    for count in [1, 2] {
        let site = Site::new(backend, &format!("balanced_{count}")).await?;
        let s3 = S3Server::start(&site.folder.join("s3"))?;
        let outcome = balanced_load(&options.server, &site, &s3, count, &load_options).await;
        drop(s3);
        site.remove().await;
        let (report, checked) = outcome?;
        let answered: usize = report.figures.iter().map(|f| f.ok).sum();
        println!(
            "\n## PostgreSQL: {count} app server(s) behind HAProxy, files on the S3 server, {} \
             citizens for {} s\n",
            options.citizens, options.seconds
        );
        print!("{}", table(&report.figures, report.seconds));
        println!(
            "\n{answered} answers in {:.1} s: **{:.0} answers/s**; {} failed; receipts {}, whole \
             with their files {}",
            report.seconds,
            answered as f64 / report.seconds,
            report.failed,
            checked.acknowledged,
            checked.intact
        );
        whole &= checked.is_whole() && report.failed == 0;
    }

    let site = Site::new(backend, "balanced_kill").await?;
    let s3 = S3Server::start(&site.folder.join("s3"))?;
    let outcome = balanced(
        &options.server,
        &site,
        &s3,
        &BalancedOptions {
            load: load_options,
            kill_after: Duration::from_secs(options.seconds / 2),
            lookup_limit: 30,
        },
    )
    .await;
    drop(s3);
    site.remove().await;
    let report = outcome?;
    let kept = &report.integrity;
    println!(
        "\n## PostgreSQL: two app servers behind HAProxy, one killed (SIGKILL) after {} s\n",
        options.seconds / 2
    );
    print!("{}", table(&report.load.figures, report.load.seconds));
    println!(
        "\nReceipts (with the draft begun on the killed server and finished on the other): {}; \
         present: {}; whole with their files: {}; recorded files missing: {}; stray files: {}. \
         Failed answers: {} the app's error page, {} worse. Probes through the balancer every \
         20 ms for 5 s after the kill: {} of {} failed{}. Draft continued: {:?}; staff session \
         held: {:?}; lookup limit counted over both servers: {:?}; panics: {}",
        kept.acknowledged,
        kept.present,
        kept.intact,
        kept.rows_without_file,
        kept.files_without_row,
        report.error_pages,
        report.worse_than_error_page,
        report.probes_failed,
        report.probes_after_kill,
        report
            .last_failure_after_kill
            .map_or(String::new(), |at| format!(
                ", the last {:.0} ms after the kill",
                at.as_secs_f64() * 1000.0
            )),
        report.draft_continued,
        report.session_held,
        report.rate_limit_held,
        report.panics
    );
    whole &= kept.present == kept.acknowledged
        && kept.intact == kept.acknowledged
        && kept.rows_without_file == 0
        && report.worse_than_error_page == 0
        && report.draft_continued.is_ok()
        && report.session_held.is_ok()
        && report.rate_limit_held.is_ok()
        && report.panics == 0;
    Ok(whole)
}

/// For each receipt whose citizen asked for email, the time from the receipt to the SMTP
/// server's copy of the first message, in milliseconds, sorted; waits (at most a minute) for
/// the worker to finish.
async fn mail_delays(sink: &SmtpSink, receipts: &[bench::citizen::Receipt]) -> Vec<f64> {
    let asked = receipts.iter().filter(|r| !r.email.is_empty()).count();
    let waited = std::time::Instant::now();
    let mut arrivals = sink.arrivals();
    while arrivals.len() < asked && waited.elapsed() < Duration::from_secs(60) {
        tokio::time::sleep(Duration::from_millis(200)).await;
        arrivals = sink.arrivals();
    }
    let arrived: std::collections::HashMap<String, std::time::SystemTime> =
        arrivals.into_iter().collect();
    let mut delays: Vec<f64> = receipts
        .iter()
        .filter_map(|receipt| {
            let at = arrived.get(&receipt.email)?;
            // A message may land before the citizen has read the receipt's answer.
            let delay = match at.duration_since(receipt.acknowledged_at) {
                Ok(after) => after.as_secs_f64(),
                Err(before) => -before.duration().as_secs_f64(),
            };
            Some(delay * 1000.0)
        })
        .collect();
    delays.sort_by(f64::total_cmp);
    delays
}

fn percentile(sorted: &[f64], fraction: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = ((sorted.len() as f64 * fraction).ceil() as usize).clamp(1, sorted.len());
    sorted[rank - 1]
}
