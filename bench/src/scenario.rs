//! The runs: a load of citizens, a kill -9 during a submission burst, and the database's
//! connections cut under load.

use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::balancer::Balancer;
use crate::check::{Integrity, integrity, integrity_in};
use crate::citizen::{Citizen, ONLINE_PROCEDURE, QUERIES, Receipt, client, client_keeping};
use crate::record::{APP_PAGE, Recorder, StepFigures};
use crate::s3::S3Server;
use crate::server::{Server, Site};

/// A small random generator per citizen, so a run's mix is repeatable.
struct Dice(u64);

impl Dice {
    fn roll(&mut self, sides: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % sides.max(1) as u64) as usize
    }
}

#[derive(Debug, Clone)]
pub struct LoadOptions {
    pub citizens: usize,
    pub duration: Duration,
    /// One visit in this many files an application (the others search, read and look up).
    pub file_one_in: usize,
    /// Each request is given up after this long (counted as "no answer").
    pub request_timeout: Duration,
    /// Whether filers ask to be told by email (the server must have email set up).
    pub ask_email: bool,
    /// Whether each citizen keeps its connections open between requests (as browsers do).
    pub keep_alive: bool,
}

#[derive(Debug)]
pub struct LoadReport {
    pub figures: Vec<StepFigures>,
    pub seconds: f64,
    pub visits: usize,
    pub receipts: Vec<Receipt>,
    pub failed: usize,
}

/// Each citizen visits again as soon as its last visit ends (no think time): search, open a
/// procedure, sometimes file an application with its receipt, and look up its dossier's status.
/// New visits stop at the deadline; visits under way finish (each request has a timeout).
pub async fn load(base_url: &str, options: &LoadOptions) -> LoadReport {
    load_counting(base_url, options, Arc::default()).await
}

/// [`load`], counting in `acknowledged` each receipt as it is given, for a drill that waits for
/// some before it acts.
async fn load_counting(
    base_url: &str,
    options: &LoadOptions,
    acknowledged: Arc<AtomicUsize>,
) -> LoadReport {
    let recorder = Arc::new(Recorder::default());
    let receipts = Arc::new(Mutex::new(Vec::new()));
    let visits = Arc::new(AtomicUsize::new(0));
    let http = client_keeping(options.request_timeout, options.keep_alive);
    let began = Instant::now();
    let deadline = began + options.duration;
    let mut tasks = tokio::task::JoinSet::new();
    for id in 0..options.citizens {
        let (recorder, receipts, visits, acknowledged, http) = (
            recorder.clone(),
            receipts.clone(),
            visits.clone(),
            acknowledged.clone(),
            http.clone(),
        );
        let base_url = base_url.to_owned();
        let file_one_in = options.file_one_in;
        let options_email = options.ask_email;
        tasks.spawn(async move {
            let citizen = Citizen {
                client: &http,
                base_url: &base_url,
                recorder: &recorder,
            };
            let mut dice = Dice(0x9E37_79B9_7F4A_7C15 ^ (id as u64 + 1));
            let mut mine: Vec<Receipt> = Vec::new();
            let mut filings = 0;
            while Instant::now() < deadline {
                visits.fetch_add(1, Ordering::Relaxed);
                let codes = citizen
                    .search(QUERIES[dice.roll(QUERIES.len())])
                    .await
                    .unwrap_or_default();
                let code = codes
                    .get(dice.roll(codes.len()))
                    .map_or(ONLINE_PROCEDURE, String::as_str);
                let _ = citizen.open_procedure(code).await;
                if dice.roll(file_one_in) == 0 {
                    let name = format!("Công Dân Số {id}");
                    filings += 1;
                    let email = if options_email {
                        format!("cong-dan-{id}-{filings}@example.vn")
                    } else {
                        String::new()
                    };
                    if let Ok(receipt) = citizen
                        .file_asking_email(&name, dice.roll(1 << 30) as u64, &email)
                        .await
                    {
                        acknowledged.fetch_add(1, Ordering::Relaxed);
                        let _ = citizen.open_receipt(&receipt).await;
                        mine.push(receipt);
                    }
                }
                if let Some(receipt) = mine.get(dice.roll(mine.len())) {
                    let _ = citizen.look_up(receipt).await;
                }
            }
            receipts
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .extend(mine);
        });
    }
    while tasks.join_next().await.is_some() {}
    let seconds = began.elapsed().as_secs_f64();
    let receipts = std::mem::take(&mut *receipts.lock().unwrap_or_else(|e| e.into_inner()));
    LoadReport {
        figures: recorder.figures(),
        seconds,
        visits: visits.load(Ordering::Relaxed),
        receipts,
        failed: recorder.failed(),
    }
}

#[derive(Debug, Clone)]
pub struct CrashOptions {
    /// Citizens filing at once.
    pub filers: usize,
    /// The server is killed once this many receipts were given.
    pub kill_after: usize,
}

#[derive(Debug)]
pub struct CrashReport {
    pub acknowledged: usize,
    /// After the restart: what the database and upload folder hold of the acknowledged.
    pub integrity: Integrity,
    /// Acknowledged dossiers whose status page opens with their code and key after the restart.
    pub found_by_citizens: usize,
    pub restarted_in: Duration,
    pub panics: usize,
}

/// Kills the server with SIGKILL while citizens are filing, starts it again on the same
/// database and folder, and checks that every acknowledged dossier is there, whole.
pub async fn crash(
    binary: &Path,
    site: &Site,
    options: &CrashOptions,
) -> Result<CrashReport, String> {
    let mut server = Server::start(binary, site, 1).await?;
    let recorder = Arc::new(Recorder::default());
    let receipts = Arc::new(Mutex::new(Vec::<Receipt>::new()));
    let stop = Arc::new(AtomicBool::new(false));
    let http = client(Duration::from_secs(30));
    let mut tasks = tokio::task::JoinSet::new();
    for id in 0..options.filers {
        let (recorder, receipts, stop, http) = (
            recorder.clone(),
            receipts.clone(),
            stop.clone(),
            http.clone(),
        );
        let base_url = server.base_url.clone();
        tasks.spawn(async move {
            let citizen = Citizen {
                client: &http,
                base_url: &base_url,
                recorder: &recorder,
            };
            let mut seed = id as u64 * 1_000;
            while !stop.load(Ordering::Relaxed) {
                seed += 1;
                if let Ok(receipt) = citizen.file(&format!("Người Nộp {id}"), seed).await {
                    receipts
                        .lock()
                        .unwrap_or_else(|e| e.into_inner())
                        .push(receipt);
                }
            }
        });
    }
    let began = Instant::now();
    while receipts.lock().unwrap_or_else(|e| e.into_inner()).len() < options.kill_after {
        if began.elapsed() > Duration::from_secs(120) {
            stop.store(true, Ordering::Relaxed);
            return Err(format!(
                "only {} receipts in two minutes before the kill",
                receipts.lock().unwrap_or_else(|e| e.into_inner()).len()
            ));
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    server.kill();
    stop.store(true, Ordering::Relaxed);
    while tasks.join_next().await.is_some() {}
    let panics_before = server.panics();
    let acknowledged = std::mem::take(&mut *receipts.lock().unwrap_or_else(|e| e.into_inner()));

    let server = Server::start(binary, site, 2).await?;
    let report = integrity(site, &acknowledged).await?;
    let lookups = Recorder::default();
    let citizen = Citizen {
        client: &http,
        base_url: &server.base_url,
        recorder: &lookups,
    };
    let mut found_by_citizens = 0;
    for receipt in &acknowledged {
        if citizen
            .look_up(receipt)
            .await
            .is_ok_and(|page| page.contains(&receipt.code))
        {
            found_by_citizens += 1;
        }
    }
    Ok(CrashReport {
        acknowledged: acknowledged.len(),
        integrity: report,
        found_by_citizens,
        restarted_in: server.started_in,
        panics: panics_before + server.panics(),
    })
}

/// How the database goes away under load.
#[derive(Debug, Clone)]
pub enum Cut {
    /// Every connection of the site's database is ended by PostgreSQL (as in a restart, for
    /// the app, without touching other databases).
    TerminateConnections,
    /// A shell command that restarts PostgreSQL itself.
    Restart(String),
}

#[derive(Debug, Default)]
pub struct ReconnectReport {
    pub requests: usize,
    pub ok: usize,
    /// 5xx answers that are the app's own page in Vietnamese.
    pub error_pages: usize,
    /// Other failures: no answer within the timeout, or a bare error.
    pub bad_failures: usize,
    /// Requests sent after `/healthz` answered again that did not get a normal answer.
    pub failed_after_return: usize,
    pub slowest: Duration,
    /// From the cut to the first healthy answer of `/healthz` (which queries the database).
    pub back_in: Option<Duration>,
    pub panics: usize,
}

/// Citizens reading at once while the database goes away.
pub const READERS: usize = 16;

/// Citizens search and read procedures while the database's connections are cut; reports how
/// the requests in flight ended, how soon the app answered again, and whether every answer
/// after that was normal.
pub async fn reconnect(server: &Server, site: &Site, cut: &Cut) -> Result<ReconnectReport, String> {
    let http = client(Duration::from_secs(30));
    let stop = Arc::new(AtomicBool::new(false));
    let report = Arc::new(Mutex::new(ReconnectReport::default()));
    let returned_at: Arc<Mutex<Option<Instant>>> = Arc::new(Mutex::new(None));
    let mut tasks = tokio::task::JoinSet::new();
    for id in 0..READERS {
        let (http, stop, report, returned_at) = (
            http.clone(),
            stop.clone(),
            report.clone(),
            returned_at.clone(),
        );
        let base_url = server.base_url.clone();
        tasks.spawn(async move {
            let mut dice = Dice(id as u64 + 7);
            while !stop.load(Ordering::Relaxed) {
                let request = if dice.roll(2) == 0 {
                    http.get(format!("{base_url}/thu-tuc"))
                        .query(&[("q", QUERIES[dice.roll(QUERIES.len())])])
                } else {
                    http.get(format!("{base_url}/thu-tuc/{ONLINE_PROCEDURE}"))
                };
                let began = Instant::now();
                let answer = request.send().await;
                let outcome = match answer {
                    Ok(response) => {
                        let status = response.status();
                        let body = response.text().await.unwrap_or_default();
                        Some((status, body))
                    }
                    Err(_) => None,
                };
                let elapsed = began.elapsed();
                let after_return = returned_at
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .is_some_and(|at| began > at);
                let mut report = report.lock().unwrap_or_else(|e| e.into_inner());
                report.requests += 1;
                report.slowest = report.slowest.max(elapsed);
                let normal = outcome
                    .as_ref()
                    .is_some_and(|(status, _)| status.is_success());
                if after_return && !normal {
                    report.failed_after_return += 1;
                }
                match outcome {
                    Some((status, _)) if status.is_success() => report.ok += 1,
                    Some((status, body))
                        if status.is_server_error() && body.contains("<html lang=\"vi\"") =>
                    {
                        report.error_pages += 1
                    }
                    _ => report.bad_failures += 1,
                }
            }
        });
    }
    tokio::time::sleep(Duration::from_secs(2)).await;
    let cut_at = Instant::now();
    match cut {
        Cut::TerminateConnections => {
            let (admin_url, name) = site
                .postgres_database()
                .ok_or("cutting connections needs PostgreSQL")?;
            sqlx::any::install_default_drivers();
            let mut admin = <sqlx::AnyConnection as sqlx::Connection>::connect(admin_url)
                .await
                .map_err(|e| e.to_string())?;
            let ended: i64 = sqlx::query(
                "SELECT COALESCE(SUM(CASE WHEN pg_terminate_backend(pid) THEN 1 ELSE 0 END), 0) \
                 AS n FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()",
            )
            .bind(name)
            .fetch_one(&mut admin)
            .await
            .and_then(|row| sqlx::Row::try_get(&row, "n"))
            .map_err(|e| e.to_string())?;
            if ended == 0 {
                stop.store(true, Ordering::Relaxed);
                return Err("no connection of the app's database was ended".to_owned());
            }
        }
        Cut::Restart(command) => {
            let command = command.clone();
            let status = tokio::task::spawn_blocking(move || {
                std::process::Command::new("sh")
                    .arg("-c")
                    .arg(&command)
                    .status()
            })
            .await
            .map_err(|e| e.to_string())?
            .map_err(|e| e.to_string())?;
            if !status.success() {
                stop.store(true, Ordering::Relaxed);
                return Err(format!("the restart command failed: {status}"));
            }
        }
    }
    let health = client(Duration::from_secs(5));
    let mut back_in = None;
    while cut_at.elapsed() < Duration::from_secs(60) {
        if health
            .get(server.url("/healthz"))
            .send()
            .await
            .is_ok_and(|r| r.status().is_success())
        {
            back_in = Some(cut_at.elapsed());
            *returned_at.lock().unwrap_or_else(|e| e.into_inner()) = Some(Instant::now());
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    // Keep the load on a little longer, to see that answers after the return are normal.
    tokio::time::sleep(Duration::from_secs(2)).await;
    stop.store(true, Ordering::Relaxed);
    while tasks.join_next().await.is_some() {}
    let mut report = std::mem::take(&mut *report.lock().unwrap_or_else(|e| e.into_inner()));
    report.back_in = back_in;
    report.panics = server.panics();
    Ok(report)
}

/// What became of a slow-connection attack and of the citizen served meanwhile.
pub struct SlowConnectionsReport {
    /// Connections the attacker tried, and how many the server took at first.
    pub attempted: usize,
    pub connected: usize,
    /// The most of the attacker's connections open at one moment, as far as it could tell.
    pub most_open: usize,
    /// The citizen's requests during the attack.
    pub requests: usize,
    pub answered: usize,
    pub slowest: Duration,
}

/// `connections` connections that send the start of a request's headers and then one byte
/// a second, never finishing (slowloris), from 127.0.0.2 to 127.0.0.21 (loopback); meanwhile
/// a citizen on 127.0.0.1 reads the catalogue, one request after another, for `duration`.
pub async fn slow_connections(
    base_url: &str,
    connections: usize,
    duration: Duration,
) -> Result<SlowConnectionsReport, String> {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let server: std::net::SocketAddr = base_url
        .trim_start_matches("http://")
        .parse()
        .map_err(|e| format!("{base_url}: {e}"))?;
    let deadline = Instant::now() + duration;
    let connected = Arc::new(AtomicUsize::new(0));
    let open = Arc::new(AtomicUsize::new(0));
    let most_open = Arc::new(AtomicUsize::new(0));
    let mut attackers = Vec::with_capacity(connections);
    for n in 0..connections {
        let (connected, open, most_open) = (connected.clone(), open.clone(), most_open.clone());
        attackers.push(tokio::spawn(async move {
            let source = std::net::Ipv4Addr::new(127, 0, 0, 2 + (n % 20) as u8);
            let Ok(socket) = tokio::net::TcpSocket::new_v4() else {
                return;
            };
            if socket.bind((source, 0).into()).is_err() {
                return;
            }
            let Ok(Ok(mut stream)) =
                tokio::time::timeout(Duration::from_secs(5), socket.connect(server)).await
            else {
                return;
            };
            connected.fetch_add(1, Ordering::Relaxed);
            let now_open = open.fetch_add(1, Ordering::Relaxed) + 1;
            most_open.fetch_max(now_open, Ordering::Relaxed);
            let mut header = b"GET / HTTP/1.1\r\nHost: motcua\r\nX-Slow: ".to_vec();
            let mut buffer = [0u8; 256];
            while Instant::now() < deadline {
                if stream.write_all(&header).await.is_err() {
                    break;
                }
                header = b"a".to_vec();
                // Closed by the server: a read ends at once with 0 or an error.
                match tokio::time::timeout(Duration::from_secs(1), stream.read(&mut buffer)).await {
                    Err(_) => {}
                    Ok(Ok(n)) if n > 0 => {}
                    Ok(_) => break,
                }
            }
            open.fetch_sub(1, Ordering::Relaxed);
        }));
    }
    let citizen = client(Duration::from_secs(30));
    let (mut requests, mut answered, mut slowest) = (0, 0, Duration::ZERO);
    while Instant::now() < deadline {
        let started = Instant::now();
        let ok = matches!(
            citizen.get(format!("{base_url}/thu-tuc")).send().await,
            Ok(response) if response.status() == 200
        );
        requests += 1;
        answered += usize::from(ok);
        slowest = slowest.max(started.elapsed());
    }
    for attacker in attackers {
        attacker.abort();
    }
    Ok(SlowConnectionsReport {
        attempted: connections,
        connected: connected.load(Ordering::Relaxed),
        most_open: most_open.load(Ordering::Relaxed),
        requests,
        answered,
        slowest,
    })
}

#[derive(Debug)]
pub struct BackupDrillReport {
    pub load: LoadReport,
    /// Receipts given before the backup started: each must be in the restored copy.
    pub acknowledged_before: usize,
    /// What the restored database and upload folder hold of those.
    pub integrity: Integrity,
    pub backup_seconds: f64,
    pub restore_seconds: f64,
    /// What `server backup` and `server restore` printed.
    pub output: String,
    pub panics: usize,
}

/// When the drill's backup starts: once both are true. Waiting for receipts, not only for a
/// time, is what makes the drill prove something on a slow machine, where the first receipts
/// can come after any fixed time.
#[derive(Debug, Clone, Copy)]
pub struct BackupMoment {
    pub not_before: Duration,
    pub receipts_before: usize,
}

/// Takes a backup with `server backup` while citizens use the server, restores it with
/// `server restore` into `restored` (another, empty site), and checks that every dossier
/// acknowledged before the backup started is there, whole, its files byte for byte.
pub async fn backup_drill(
    binary: &Path,
    site: &Site,
    restored: &Site,
    load_options: LoadOptions,
    moment: BackupMoment,
) -> Result<BackupDrillReport, String> {
    let mut server = Server::start(binary, site, 1).await?;
    let base_url = server.base_url.clone();
    let acknowledged = Arc::new(AtomicUsize::new(0));
    let counted = acknowledged.clone();
    let running =
        tokio::spawn(async move { load_counting(&base_url, &load_options, counted).await });
    tokio::time::sleep(moment.not_before).await;
    while acknowledged.load(Ordering::Relaxed) < moment.receipts_before {
        if running.is_finished() {
            server.stop();
            return Err(format!(
                "the load ended after {} receipts, before the {} the backup waits for",
                acknowledged.load(Ordering::Relaxed),
                moment.receipts_before
            ));
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let folder = site.folder.join("backup");
    let backup_started = std::time::SystemTime::now();
    let began = Instant::now();
    let mut backup = site.command(binary);
    backup.arg("backup").arg(&folder);
    let mut output = run(backup).await?;
    let backup_seconds = began.elapsed().as_secs_f64();
    let report = running.await.map_err(|e| e.to_string())?;
    server.stop();
    let began = Instant::now();
    let mut restore = restored.command(binary);
    restore.arg("restore").arg(&folder);
    output.push_str(&run(restore).await?);
    let restore_seconds = began.elapsed().as_secs_f64();
    let before: Vec<Receipt> = report
        .receipts
        .iter()
        .filter(|receipt| receipt.acknowledged_at < backup_started)
        .cloned()
        .collect();
    let checked = integrity(restored, &before).await?;
    Ok(BackupDrillReport {
        acknowledged_before: before.len(),
        integrity: checked,
        backup_seconds,
        restore_seconds,
        output,
        panics: server.panics(),
        load: report,
    })
}

/// Runs an operator's command to its end: its output, or why it failed.
async fn run(command: std::process::Command) -> Result<String, String> {
    let described: Vec<String> = command
        .get_args()
        .map(|arg| arg.to_string_lossy().into_owned())
        .collect();
    let output = tokio::process::Command::from(command)
        .output()
        .await
        .map_err(|e| e.to_string())?;
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    if output.status.success() {
        Ok(text)
    } else {
        Err(format!(
            "server {} failed ({}): {text}",
            described.join(" "),
            output.status
        ))
    }
}

/// What the two-server run needs besides the load.
#[derive(Debug, Clone)]
pub struct BalancedOptions {
    pub load: LoadOptions,
    /// One app server is killed (SIGKILL) this long after the load began.
    pub kill_after: Duration,
    /// The servers' lookup limit (failed lookups per client address): a client failing this
    /// many times, half on each server, is refused the next time. Citizens with their right key
    /// are never counted.
    pub lookup_limit: usize,
}

#[derive(Debug)]
pub struct BalancedReport {
    pub load: LoadReport,
    /// What the database and the object store hold of every receipt, the continued draft's too.
    pub integrity: Integrity,
    /// Answers other than the app's own: no answer, or a page that is not the app's.
    pub worse_than_error_page: usize,
    /// The app's own error page (from an app server, or HAProxy's copy of it).
    pub error_pages: usize,
    /// Probes through the balancer every 20 ms for 5 s after the kill: how many failed, and how
    /// long after the kill the last failure was.
    pub probes_after_kill: usize,
    pub probes_failed: usize,
    pub last_failure_after_kill: Option<Duration>,
    /// A draft begun on the killed server (a file uploaded there) finished through the balancer.
    pub draft_continued: Result<(), String>,
    /// A staff member signed in on the killed server is still signed in through the balancer.
    pub session_held: Result<(), String>,
    /// Lookups of one client address split over both servers are counted together.
    pub rate_limit_held: Result<(), String>,
    pub panics: usize,
}

/// Where the run's files go in the object store.
pub const STORE_PREFIX: &str = "motcua";

/// Two app servers on one PostgreSQL database and one object store, behind HAProxy; citizens
/// use the balancer while one server is killed with SIGKILL. Before the load, on the server
/// that will die: a staff member signs in, a citizen begins a draft with one file, and a client
/// spends its lookup limit over both servers; after the kill, through the balancer: the staff
/// member is still signed in, the draft is finished, and every receipt is checked.
pub async fn balanced(
    binary: &Path,
    site: &Site,
    s3: &S3Server,
    options: &BalancedOptions,
) -> Result<BalancedReport, String> {
    let Cluster {
        mut servers,
        balancer,
    } = cluster(binary, site, s3, 2, options.lookup_limit).await?;
    let http = client(Duration::from_secs(30));
    let setup = Recorder::default();
    let on_first = Citizen {
        client: &http,
        base_url: &servers[0].base_url,
        recorder: &setup,
    };
    let session = staff_session(binary, site, &http, &servers[0]).await?;
    let draft = on_first
        .begin("Người Nộp Dở Dang", "")
        .await
        .map_err(|e| format!("a draft on the first server: {e}"))?;
    let (first_input, other_inputs) = draft
        .inputs
        .split_first()
        .ok_or("the documents step shows no file input")?;
    let mut sent = on_first
        .send_files(&draft.path, std::slice::from_ref(first_input), 7, "tai-len")
        .await
        .map_err(|e| format!("a file on the first server: {e}"))?;
    let sample = on_first
        .file("Người Tra Cứu", 11)
        .await
        .map_err(|e| format!("a dossier to look up: {e}"))?;
    let rate_limit_held =
        lookups_counted_together(&http, &servers, &sample, options.lookup_limit).await;

    let base_url = balancer.base_url.clone();
    // A connection per request: requests a kept connection loses as its server dies would be
    // sent again by a browser, not by this client (see `client_keeping`).
    let load_options = LoadOptions {
        keep_alive: false,
        ..options.load.clone()
    };
    let running = tokio::spawn(async move { load(&base_url, &load_options).await });
    tokio::time::sleep(options.kill_after).await;
    servers[0].kill();
    let probes = probe(&http, &balancer.base_url, Duration::from_secs(5)).await;
    let report = running.await.map_err(|e| e.to_string())?;

    let via_balancer = Citizen {
        client: &http,
        base_url: &balancer.base_url,
        recorder: &setup,
    };
    let mut receipts = report.receipts.clone();
    let draft_continued = match via_balancer
        .send_files(&draft.path, other_inputs, 8, "tiep-tuc")
        .await
    {
        Ok(rest) => {
            sent.extend(rest);
            match via_balancer.submit(&draft.path, sent, "").await {
                Ok(receipt) => {
                    receipts.push(receipt);
                    Ok(())
                }
                Err(error) => Err(format!("submitting on the other server: {error}")),
            }
        }
        Err(error) => Err(format!(
            "the rest of the files on the other server: {error}"
        )),
    };
    receipts.push(sample);
    let session_held = still_signed_in(&http, &balancer.base_url, &session).await;
    servers[1].stop();
    let checked = integrity_in(site, &s3.object_path(STORE_PREFIX), &receipts).await?;
    let (error_pages, worse_than_error_page) = report.figures.iter().fold((0, 0), |sums, f| {
        f.failures.iter().fold(sums, |(pages, worse), (kind, n)| {
            if kind.ends_with(APP_PAGE) {
                (pages + n, worse)
            } else {
                (pages, worse + n)
            }
        })
    });
    Ok(BalancedReport {
        integrity: checked,
        worse_than_error_page,
        error_pages,
        probes_after_kill: probes.len(),
        probes_failed: probes.iter().filter(|(_, ok)| !ok).count(),
        last_failure_after_kill: probes.iter().filter(|(_, ok)| !ok).map(|(at, _)| *at).max(),
        draft_continued,
        session_held,
        rate_limit_held,
        panics: servers.iter().map(Server::panics).sum(),
        load: report,
    })
}

/// An administrator made with `server create-admin`, signed in on `server`: the session
/// cookie (`name=value`).
async fn staff_session(
    binary: &Path,
    site: &Site,
    http: &reqwest::Client,
    server: &Server,
) -> Result<String, String> {
    const PASSWORD: &str = "một câu mật khẩu đủ dài cho thử";
    let mut command = site.command(binary);
    command
        .args(["create-admin", "quan.tri", "Quản trị thử"])
        .stdin(std::process::Stdio::piped());
    // Its prompt and answer are of no interest to the report.
    let mut child = tokio::process::Command::from(command)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .map_err(|e| e.to_string())?;
    if let Some(mut stdin) = child.stdin.take() {
        use tokio::io::AsyncWriteExt;
        stdin
            .write_all(format!("{PASSWORD}\n").as_bytes())
            .await
            .map_err(|e| e.to_string())?;
    }
    let made = child.wait().await.map_err(|e| e.to_string())?;
    if !made.success() {
        return Err(format!("create-admin failed ({made})"));
    }
    let answer = http
        .post(server.url("/can-bo/dang-nhap"))
        .form(&[("ten", "quan.tri"), ("mat-khau", PASSWORD)])
        .send()
        .await
        .map_err(|e| e.to_string())?;
    answer
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|value| value.to_str().ok())
        .find(|cookie| cookie.starts_with("motcua_can_bo="))
        .and_then(|cookie| cookie.split(';').next())
        .map(str::to_owned)
        .ok_or_else(|| format!("signing in answered {} without a session", answer.status()))
}

async fn still_signed_in(
    http: &reqwest::Client,
    base_url: &str,
    cookie: &str,
) -> Result<(), String> {
    let answer = http
        .get(format!("{base_url}/can-bo"))
        .header("cookie", cookie)
        .send()
        .await
        .map_err(|e| e.to_string())?;
    let status = answer.status();
    let page = answer.text().await.unwrap_or_default();
    if status == reqwest::StatusCode::OK && page.contains("Quản trị thử") {
        Ok(())
    } else {
        Err(format!(
            "the staff home page answered {status} without the member"
        ))
    }
}

/// A client (192.0.2.77, as the balancer says) looks up a dossier with a wrong key `limit`
/// times, alternately on each server: each is answered, and the next is refused on both.
async fn lookups_counted_together(
    http: &reqwest::Client,
    servers: &[Server],
    sample: &Receipt,
    limit: usize,
) -> Result<(), String> {
    let wrong_key = wrong(&sample.key);
    let look = |server: &Server| {
        http.get(server.url("/tra-cuu"))
            .query(&[("ma", sample.code.as_str()), ("khoa", wrong_key.as_str())])
            .header("x-forwarded-for", "192.0.2.77")
            .send()
    };
    for attempt in 0..limit {
        let status = look(&servers[attempt % servers.len()])
            .await
            .map_err(|e| e.to_string())?
            .status();
        if status == reqwest::StatusCode::TOO_MANY_REQUESTS {
            return Err(format!("refused after {attempt} of {limit} wrong lookups"));
        }
    }
    for server in servers {
        let status = look(server).await.map_err(|e| e.to_string())?.status();
        if status != reqwest::StatusCode::TOO_MANY_REQUESTS {
            return Err(format!(
                "lookup {} on {} answered {status}, not 429",
                limit + 1,
                server.base_url
            ));
        }
    }
    Ok(())
}

/// The key with its last character changed to another of the same alphabet.
fn wrong(key: &str) -> String {
    let mut chars: Vec<char> = key.chars().collect();
    if let Some(last) = chars.last_mut() {
        *last = if *last == 'A' { 'B' } else { 'A' };
    }
    chars.into_iter().collect()
}

/// The catalogue through the balancer every 20 ms for `span`: when each answer came (after
/// the start) and whether it was a normal one.
async fn probe(http: &reqwest::Client, base_url: &str, span: Duration) -> Vec<(Duration, bool)> {
    let began = Instant::now();
    let mut outcomes = Vec::new();
    while began.elapsed() < span {
        let ok = http
            .get(format!("{base_url}/thu-tuc"))
            .send()
            .await
            .is_ok_and(|answer| answer.status().is_success());
        outcomes.push((began.elapsed(), ok));
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    outcomes
}

/// App servers on one database and object store, behind HAProxy.
struct Cluster {
    servers: Vec<Server>,
    balancer: Balancer,
}

async fn cluster(
    binary: &Path,
    site: &Site,
    s3: &S3Server,
    count: usize,
    lookup_limit: usize,
) -> Result<Cluster, String> {
    let mut environment = s3.environment(STORE_PREFIX);
    environment.push(("MOTCUA_TRUSTED_PROXIES", "127.0.0.1".to_owned()));
    environment.push(("MOTCUA_LOOKUP_LIMIT", lookup_limit.to_string()));
    let mut servers = Vec::new();
    // One after the other: the first brings the schema up and loads the catalogue.
    for run in 1..=count {
        let mut own = environment.clone();
        // Each server receives files on a disk of its own, as on separate machines.
        own.push((
            "MOTCUA_UPLOAD_DIR",
            site.folder
                .join(format!("staging-{run}"))
                .display()
                .to_string(),
        ));
        let pairs: Vec<(&str, &str)> = own.iter().map(|(k, v)| (*k, v.as_str())).collect();
        servers.push(Server::start_with(binary, site, run, &pairs).await?);
    }
    let error_page = site.folder.join("motcua-503.http");
    let mut command = site.command(binary);
    command.arg("error-page").arg(&error_page);
    run(command).await?;
    let addresses: Vec<String> = servers
        .iter()
        .map(|server| server.base_url.trim_start_matches("http://").to_owned())
        .collect();
    let balancer = Balancer::start(&site.folder, &addresses, &error_page)?;
    Ok(Cluster { servers, balancer })
}

/// The load through the balancer in front of `count` app servers (for the throughput of one
/// against two), with the files on the object store.
pub async fn balanced_load(
    binary: &Path,
    site: &Site,
    s3: &S3Server,
    count: usize,
    options: &LoadOptions,
) -> Result<(LoadReport, Integrity), String> {
    let Cluster {
        mut servers,
        balancer,
    } = cluster(binary, site, s3, count, 30).await?;
    let report = load(&balancer.base_url, options).await;
    for server in &mut servers {
        server.stop();
    }
    drop(balancer);
    let checked = integrity_in(site, &s3.object_path(STORE_PREFIX), &report.receipts).await?;
    Ok((report, checked))
}
