//! `server` runs the app; its commands (`server --help`, in `server::cli`) import the catalogue,
//! bring the schema up to date and serve the operator.

use app::db::tracking::ApologyOutcome;
use clap::Parser;
use server::cli::{ChangeStatusArgs, Cli, Command, CreateCenterArgs};
use server::config::Config;
use server::import::{Format, describe, import_file_as};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use tracing_subscriber::EnvFilter;

fn main() -> ExitCode {
    // The database's answers wake their tasks from the driver's threads, into the runtime's
    // shared queue, which a busy worker looks at by default only after about 200 µs of other
    // tasks (tokio tunes it between 2 and 127 tasks): a writer holding SQLite's one write
    // connection waited there between its statements while every other writer waited for it.
    // Looked at first, before every task, it gives a statement's answer priority over starting
    // new work. It cannot starve the rest: that queue is drained in the order it was filled,
    // and only other threads fill it (an answer from one of the nine SQLite connections, a file
    // read or written) or a worker whose own queue overflows (over 256 tasks, half of them moved
    // there, to be run in turn). Under the harness's load the slowest step's p99 halved and emails
    // went out in 1.4 s instead of 30 (every 2 or 4 tasks changed neither; docs/performance.md,
    // "Answers first").
    match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .global_queue_interval(1)
        .build()
    {
        Ok(runtime) => runtime.block_on(run()),
        Err(error) => {
            eprintln!("không khởi động được: {error}");
            ExitCode::FAILURE
        }
    }
}

async fn run() -> ExitCode {
    // Read first: `--help` and mistakes in the command answer before anything starts.
    let cli = Cli::parse();
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn")),
        )
        .init();
    let config = match Config::from_env() {
        Ok(config) => config,
        Err(error) => {
            eprintln!("{error}");
            return ExitCode::from(2);
        }
    };
    let outcome = match cli.command {
        None | Some(Command::Serve) => server::serve(config).await.map_err(|e| e.to_string()),
        Some(Command::Migrate) => migrate(&config).await,
        Some(Command::SearchEval { file }) => search_eval(&config, file).await,
        Some(Command::ChangeStatus(args)) => change_status(&config, &args).await,
        Some(Command::Apologise {
            code,
            new_date,
            letter,
        }) => apologise(&config, &code, &new_date, &letter).await,
        Some(Command::SeedDemo { dossiers, seed }) => seed_demo(&config, dossiers, seed).await,
        Some(Command::CreateAdmin {
            username,
            name,
            center,
            province,
        }) => {
            let name = name.unwrap_or_else(|| username.clone());
            let place = match (province, center) {
                (true, _) => Place::Province,
                (false, Some(slug)) => Place::Center(slug),
                (false, None) => Place::DefaultCenter,
            };
            create_admin(&config, &username, &name, place).await
        }
        Some(Command::CreateCenter(args)) => create_center(&config, &args).await,
        Some(Command::ImportProcedures { file, format }) => import(&config, file, format).await,
        Some(Command::Backup { dir }) => backup(&config, &dir).await,
        Some(Command::Restore { dir }) => restore(&config, &dir).await,
        Some(Command::ErrorPage { file }) => std::fs::write(&file, server::busy_response())
            .map_err(|e| format!("{}: {e}", file.display())),
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("{}", message.trim_end());
            ExitCode::FAILURE
        }
    }
}

async fn migrate(config: &Config) -> Result<(), String> {
    let db = app::db::Database::connect(&config.database_url)
        .await
        .map_err(|e| e.to_string())?;
    db.migrate().await.map_err(|e| e.to_string())?;
    println!("Lược đồ cơ sở dữ liệu đã cập nhật.");
    Ok(())
}

async fn backup(config: &Config, dir: &std::path::Path) -> Result<(), String> {
    let report = server::backup::backup(config, dir)
        .await
        .map_err(|e| e.to_string())?;
    let manifest = &report.manifest;
    println!(
        "Đã sao lưu vào {}: {} hồ sơ, {} tệp, {:.1} MB, trong {:.1} giây.",
        dir.display(),
        manifest.dossiers,
        manifest.files.len(),
        report.bytes as f64 / 1e6,
        report.seconds
    );
    if !manifest.closed_draft_files.is_empty() {
        println!(
            "{} tệp của hồ sơ nháp đã bị xóa trong lúc sao lưu: không cần phục hồi.",
            manifest.closed_draft_files.len()
        );
    }
    if manifest.missing_dossier_files.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "Cảnh báo: {} tệp của hồ sơ không còn trong kho tệp (xem missing_dossier_files trong {}): {}",
            manifest.missing_dossier_files.len(),
            dir.join(server::backup::MANIFEST).display(),
            manifest.missing_dossier_files.join(", ")
        ))
    }
}

async fn restore(config: &Config, dir: &std::path::Path) -> Result<(), String> {
    let report = server::backup::restore(config, dir)
        .await
        .map_err(|e| e.to_string())?;
    println!(
        "Đã phục hồi từ {}: {} hồ sơ, {} tệp (đã kiểm tra SHA-256), trong {:.1} giây.",
        dir.display(),
        report.dossiers,
        report.files,
        report.seconds
    );
    if report.closed_draft_files > 0 {
        println!(
            "Bỏ {} dòng tệp của hồ sơ nháp đã đóng trong lúc sao lưu.",
            report.closed_draft_files
        );
    }
    Ok(())
}

/// The database brought up to date, without loading demo procedures into an empty catalogue
/// (an import or an account is about the real one).
async fn database_without_demo(config: &Config) -> Result<app::db::Database, String> {
    let no_demo = Config {
        demo_data: None,
        ..config.clone()
    };
    server::prepare_database(&no_demo)
        .await
        .map_err(|e| e.to_string())
}

async fn import(config: &Config, file: PathBuf, format: Option<Format>) -> Result<(), String> {
    let db = database_without_demo(config).await?;
    let started = std::time::Instant::now();
    let outcome = import_file_as(&db, &file, format)
        .await
        .map_err(|e| e.to_string())?;
    println!("{}", describe(&outcome.report));
    if let Some(coverage) = &outcome.coverage {
        print!("{coverage}");
    }
    println!("Thời gian: {:.2} s", started.elapsed().as_secs_f64());
    Ok(())
}

async fn change_status(config: &Config, args: &ChangeStatusArgs) -> Result<(), String> {
    use app::db::tracking::ChangeOutcome;
    let request = args.request()?;
    let db = app::db::Database::connect(&config.database_url)
        .await
        .map_err(|e| e.to_string())?;
    let outcome = db
        .change_status(
            &request.code,
            request.to,
            "quan-tri:dong-lenh",
            &request.note,
            request.details.as_ref(),
            app::db::unix_now(),
        )
        .await
        .map_err(|e| e.to_string())?;
    match outcome {
        ChangeOutcome::Changed { .. } => {
            println!("{}: trạng thái {}", request.code, request.to.code());
            Ok(())
        }
        ChangeOutcome::Illegal(illegal) => Err(format!(
            "{}: không thể chuyển từ trạng thái {} sang {}",
            request.code, illegal.from, illegal.to
        )),
        ChangeOutcome::Missing => Err(format!("không có hồ sơ {}", request.code)),
    }
}

/// Adds `count` demo dossiers over the past year, in batches, and says how long it took.
async fn seed_demo(config: &Config, count: usize, seed: u64) -> Result<(), String> {
    let agency = app::domain::dossier::AgencyCode::parse(&config.agency_code)
        .map_err(|_| format!("mã cơ quan không đúng: {}", config.agency_code))?;
    let db = server::prepare_database(config)
        .await
        .map_err(|e| e.to_string())?;
    let procedures = db.demo_procedures().await.map_err(|e| e.to_string())?;
    if procedures.is_empty() {
        return Err(
            "chưa có thủ tục nào: hãy nhập thủ tục trước (server import-procedures)".into(),
        );
    }
    let mut sequences = db
        .last_sequences(&agency)
        .await
        .map_err(|e| e.to_string())?;
    let mut rng = app::domain::demo::DemoRng::new(seed);
    let started = std::time::Instant::now();
    let now = app::db::unix_now();
    let (mut written, mut inserted) = (0, 0);
    while written < count {
        let batch = (count - written).min(5000);
        let dossiers = app::domain::demo::demo_dossiers(
            &mut rng,
            &agency,
            &procedures,
            batch,
            now,
            &mut sequences,
        );
        db.insert_demo_dossiers(&agency, &procedures, &dossiers)
            .await
            .map_err(|e| e.to_string())?;
        written += batch;
        inserted += dossiers.len();
        if written % 100_000 == 0 || written == count {
            eprintln!(
                "{written}/{count} hồ sơ · {:.1} s",
                started.elapsed().as_secs_f64()
            );
        }
    }
    match db
        .seed_article_month(&agency)
        .await
        .map_err(|e| e.to_string())?
    {
        Some(0) => {}
        Some(count) => eprintln!("tháng 7/2025 của bài báo: {count} hồ sơ"),
        None => eprintln!("danh mục thiếu thủ tục của tháng 7/2025 (bài báo): bỏ qua"),
    }
    db.analyse_after_bulk_load()
        .await
        .map_err(|e| e.to_string())?;
    // The daily figures of every past day, so the first statistics page does not wait for them.
    let summarising = std::time::Instant::now();
    let yesterday = app::domain::calendar::Date::in_vietnam(now).add_days(-1);
    db.summarise_through(yesterday)
        .await
        .map_err(|e| e.to_string())?;
    eprintln!(
        "số liệu thống kê từng ngày · {:.1} s",
        summarising.elapsed().as_secs_f64()
    );
    println!(
        "Đã thêm {inserted} hồ sơ mẫu trong {:.1} s.",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// Where a new admin account belongs.
enum Place {
    DefaultCenter,
    /// A center by its slug.
    Center(String),
    Province,
}

/// An administrator: a center's (the first one of each center), or the province's. No default
/// password exists, so it comes from standard input.
async fn create_admin(
    config: &Config,
    username: &str,
    display_name: &str,
    place: Place,
) -> Result<(), String> {
    use app::domain::back_office::{Role, StaffMember, check_password, check_username};
    check_username(username).map_err(|_| {
        format!("tên đăng nhập không đúng: {username} (chữ thường, số, . - _; 3–40 ký tự)")
    })?;
    let db = database_without_demo(config).await?;
    let (role, center) = match place {
        Place::Province => (Role::Province, None),
        Place::DefaultCenter => {
            let center = db.default_center().await.map_err(|e| e.to_string())?;
            (Role::Admin, Some(center))
        }
        Place::Center(slug) => {
            let center = db
                .center_by_slug(&slug)
                .await
                .map_err(|e| e.to_string())?
                .ok_or_else(|| format!("không có trung tâm nào có đường dẫn {slug}"))?;
            (Role::Admin, Some(center))
        }
    };
    eprintln!("Mật khẩu cho {username} (ít nhất 10 ký tự), rồi Enter:");
    let mut password = String::new();
    std::io::stdin()
        .read_line(&mut password)
        .map_err(|e| e.to_string())?;
    let password = password.trim_end_matches(['\r', '\n']).to_owned();
    check_password(username, &password)
        .map_err(|_| "mật khẩu cần ít nhất 10 ký tự và khác tên đăng nhập".to_owned())?;
    let hash = tokio::task::spawn_blocking(move || app::password::hash(&password))
        .await
        .map_err(|e| e.to_string())??;
    let member = StaffMember {
        username: username.to_owned(),
        display_name: display_name.to_owned(),
        role,
        center: center.as_ref().map(|center| center.agency.clone()),
    };
    if !db
        .create_staff_user(&member, &hash, app::db::unix_now())
        .await
        .map_err(|e| e.to_string())?
    {
        return Err(format!("tên đăng nhập {username} đã có"));
    }
    match center {
        Some(center) => println!("Đã tạo tài khoản quản trị {username} của {}.", center.name),
        None => println!("Đã tạo tài khoản {username} của tỉnh."),
    }
    Ok(())
}

/// Adds a center, checked as the province's settings page checks it.
async fn create_center(config: &Config, args: &CreateCenterArgs) -> Result<(), String> {
    use app::db::centers::CenterOutcome;
    use app::domain::center::{NewCenter, center_field};
    let fields = [
        (center_field::AGENCY, &args.agency),
        (center_field::NAME, &args.name),
        (center_field::SLUG, &args.slug),
        (center_field::ADDRESS, &args.address),
        (center_field::OFFICE_HOURS, &args.hours),
        (center_field::CAVEATS, &args.caveats),
    ]
    .into_iter()
    .map(|(name, value)| (name.to_owned(), value.clone()))
    .collect();
    let days: Vec<String> = args.days.chars().map(String::from).collect();
    let words = app::i18n::Lang::Vi.texts().filing;
    let center = NewCenter::from_form(&fields, &days).map_err(|feedback| {
        feedback
            .problems
            .iter()
            .map(|(field, problem)| format!("--{}: {}", cli_option(field), words.problem(*problem)))
            .collect::<Vec<_>>()
            .join("\n")
    })?;
    let db = database_without_demo(config).await?;
    match db
        .create_center(&center, app::db::unix_now())
        .await
        .map_err(|e| e.to_string())?
    {
        CenterOutcome::Created => {
            println!(
                "Đã thêm {} ({}), địa chỉ {}.",
                center.name,
                center.agency.as_str(),
                app::paths::center(center.slug.as_str())
            );
            Ok(())
        }
        CenterOutcome::AgencyTaken => Err(words
            .problem(app::domain::feedback::Problem::AgencyTaken)
            .to_owned()),
        CenterOutcome::SlugTaken => Err(words
            .problem(app::domain::feedback::Problem::SlugTaken)
            .to_owned()),
    }
}

/// The command-line option of a field of the center form.
fn cli_option(field: &str) -> &'static str {
    use app::domain::center::center_field;
    match field {
        center_field::AGENCY => "agency",
        center_field::NAME => "name",
        center_field::SLUG => "slug",
        center_field::ADDRESS => "address",
        center_field::OFFICE_HOURS => "hours",
        center_field::RECEIVING_DAYS => "days",
        _ => "caveats",
    }
}

async fn apologise(
    config: &Config,
    code: &str,
    new_date: &str,
    letter: &str,
) -> Result<(), String> {
    let (code, new_date, text) = server::cli::apology(code, new_date, letter)?;
    let db = app::db::Database::connect(&config.database_url)
        .await
        .map_err(|e| e.to_string())?;
    let recorded = db
        .record_apology(
            &code,
            new_date,
            &text,
            "quan-tri:dong-lenh",
            app::db::unix_now(),
        )
        .await
        .map_err(|e| e.to_string())?;
    match recorded {
        ApologyOutcome::Recorded => {
            println!("{code}: ngày hẹn mới {}", new_date.day_month_year());
            Ok(())
        }
        ApologyOutcome::NotOpen => Err(format!(
            "{code}: không có hồ sơ, hoặc hồ sơ đã giải quyết xong"
        )),
        ApologyOutcome::Refused(problem) => Err(format!(
            "{code}: {}",
            app::i18n::Lang::Vi.texts().problem(problem)
        )),
    }
}

async fn search_eval(config: &Config, file: PathBuf) -> Result<(), String> {
    let text = std::fs::read_to_string(&file).map_err(|e| format!("{}: {e}", file.display()))?;
    let cases = server::search_eval::parse_query_file(&text)?;
    let db = app::db::Database::connect(&config.database_url)
        .await
        .map_err(|e| e.to_string())?
        .with_common_procedures(&config.popular_procedures);
    let evaluation = server::search_eval::evaluate(&db, &cases)
        .await
        .map_err(|e| e.to_string())?;
    // A reader that stops early (`| head`) is not an error of the evaluation.
    let _ = write!(std::io::stdout(), "{evaluation}");
    Ok(())
}
