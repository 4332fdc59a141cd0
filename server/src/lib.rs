//! The motcua server: configuration, start-up (database, migrations, demo data), HTTP routes.

mod api_errors;
mod back_office;
pub mod config;
pub mod connections;
pub mod filing;
pub mod import;
mod password_checks;
mod privacy;
mod request_owner;
pub mod search_eval;
mod staff;
mod statistics;
pub mod status_cli;
mod tracking;

use std::net::SocketAddr;
use std::sync::OnceLock;

use app::db::Database;
use app::domain::url::local_return_path;
use app::i18n::Lang;
use app::{App, SiteInfo, shell};
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use leptos::config::LeptosOptions;
use leptos::prelude::{provide_context, use_context};
use leptos_axum::{
    AxumRouteListing, LeptosRoutes, file_and_error_handler_with_context, generate_route_list,
};
use serde::Deserialize;
use tower_http::compression::{CompressionLayer, CompressionLevel};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;

use app::domain::dossier::AgencyCode;

use crate::config::Config;
use crate::filing::FilingSettings;

#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error(transparent)]
    Database(#[from] app::db::DbError),
    #[error("không mở được cổng {addr}: {source}")]
    Bind {
        addr: SocketAddr,
        source: std::io::Error,
    },
    #[error("không nạp được dữ liệu mẫu: {0}")]
    DemoData(#[from] import::ImportError),
    #[error("lỗi máy chủ: {0}")]
    Serve(std::io::Error),
}

/// Opens the database, brings its schema up to date, and fills an empty catalogue with the
/// demo procedures when configured to.
pub async fn prepare_database(config: &Config) -> Result<Database, StartError> {
    let db = Database::connect(&config.database_url).await?;
    db.migrate().await?;
    seed_holidays(&db).await?;
    if let Some(demo) = &config.demo_data
        && db.procedure_count().await? == 0
    {
        let report = import::import_file(&db, demo).await?;
        tracing::info!(
            inserted = report.inserted.len(),
            file = %demo.display(),
            "catalogue was empty: demo procedures loaded"
        );
    }
    Ok(db)
}

/// The Leptos settings cargo-leptos passes in the environment; without it (tests, a bare
/// `cargo run`) the defaults point at `target/site`.
pub fn leptos_options(bind: SocketAddr) -> LeptosOptions {
    let mut options = leptos::config::get_configuration(None)
        .map(|conf| conf.leptos_options)
        .unwrap_or_else(|_| LeptosOptions::builder().output_name("motcua").build());
    options.site_addr = bind;
    options
}

#[derive(Clone, axum::extract::FromRef)]
pub(crate) struct AppState {
    leptos_options: LeptosOptions,
    db: Database,
    site: SiteInfo,
    filing: FilingSettings,
    secure_cookies: bool,
}

impl AppState {
    /// What server functions and pages find in their context.
    /// Pages also get their content policy here, since only the page knows its script nonce.
    fn provide_page_context(&self) {
        provide_context(self.db.clone());
        provide_context(self.site.clone());
        if let (Some(nonce), Some(response)) = (
            leptos::nonce::use_nonce(),
            use_context::<leptos_axum::ResponseOptions>(),
        ) && let Ok(policy) = HeaderValue::from_str(&page_policy(&nonce))
        {
            response.insert_header(header::CONTENT_SECURITY_POLICY, policy);
        }
    }
}

/// What no response may be used for: framing (clickjacking), a `<base>` that redirects relative
/// links, forms posting elsewhere, plugins from elsewhere (staff preview PDFs in `<object>`).
const FRAMING_AND_FORMS: &str =
    "object-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

/// A rendered page's content policy: its inline scripts run only with this response's nonce
/// (so injected markup cannot run script), everything else comes from this site, and the
/// islands' WebAssembly may be compiled.
fn page_policy(nonce: &str) -> String {
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
         style-src 'self'; img-src 'self' data: blob:; media-src 'self' blob:; {FRAMING_AND_FORMS}"
    )
}

/// The policy of every other response (files, data, redirects, error answers): no script at all.
fn default_policy() -> HeaderValue {
    HeaderValue::from_str(&format!(
        "default-src 'self'; script-src 'none'; {FRAMING_AND_FORMS}"
    ))
    .expect("the policy is ASCII")
}

/// The app's pages, listed once per process. Listing them renders the app with resource loading
/// switched off for the whole process (leptos_server's `SuppressResourceLoad` is a global flag),
/// and a page whose data was first asked for in that window would never be answered
/// (leptos-rs/leptos#4773). A server lists them before it serves, but the tests run many
/// servers in one process, and a second listing stalled a page of the first.
fn app_routes() -> Vec<AxumRouteListing> {
    static ROUTES: OnceLock<Vec<AxumRouteListing>> = OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(App)).clone()
}

/// Every route of the app.
pub fn router(config: &Config, db: Database, leptos_options: LeptosOptions) -> Router {
    let agency =
        AgencyCode::parse(&config.agency_code).expect("the configuration checked the agency code");
    let state = AppState {
        leptos_options,
        db,
        site: SiteInfo {
            center_name: config.center_name.clone(),
            popular_procedures: config.popular_procedures.clone(),
            upload_limits: config.upload_limits,
            draft_days: config.draft_days,
            public_url: config.public_url.clone(),
            lookup_limit: config.lookup_limit,
            trust_forwarded_for: config.trust_forwarded_for,
        },
        filing: FilingSettings {
            agency,
            upload_dir: config.upload_dir.clone(),
            limits: config.upload_limits,
            draft_quota: config.draft_quota,
            draft_lifetime: i64::from(config.draft_days) * 86_400,
        },
        secure_cookies: config.secure_cookies,
    };
    let context = {
        let state = state.clone();
        move || state.provide_page_context()
    };
    // The whole multipart body of the documents step may carry a dossier's worth of files,
    // plus room for the form's own fields; beyond that the request is refused while read.
    let upload_body_limit = usize::try_from(config.upload_limits.per_dossier)
        .unwrap_or(usize::MAX)
        .saturating_add(64 * 1024);
    let routes = app_routes();
    let shell_options = state.leptos_options.clone();
    Router::new()
        .route("/healthz", get(health))
        .route("/ngon-ngu/{lang}", get(switch_language))
        .route("/thu-tuc/{code}/nop-truc-tuyen", post(filing::start))
        .route("/ho-so-nhap", get(filing::resume))
        .route(
            "/ho-so-nhap/{token}/nguoi-nop",
            post(filing::save_applicant),
        )
        .route(
            "/ho-so-nhap/{token}/giay-to",
            post(filing::save_documents).layer(DefaultBodyLimit::max(upload_body_limit)),
        )
        .route("/ho-so-nhap/{token}/nop", post(filing::submit))
        .route("/can-bo/dang-nhap", post(staff::login))
        .route("/can-bo/dang-xuat", post(staff::logout))
        .route(
            "/can-bo/ho-so/{code}/{action}",
            post(back_office::dossier_action).layer(DefaultBodyLimit::max(upload_body_limit)),
        )
        .route(
            "/can-bo/ho-so/{code}/tep/{name}",
            get(back_office::dossier_file),
        )
        .route("/can-bo/tiep-nhan", post(back_office::counter_intake))
        .route("/thong-ke.csv", get(statistics::csv))
        .route("/thong-ke.json", get(statistics::json))
        .route("/can-bo/quan-tri/can-bo", post(back_office::add_user))
        .route(
            "/can-bo/quan-tri/can-bo/{username}",
            post(back_office::update_user),
        )
        .route("/can-bo/quan-tri/ngay-nghi", post(back_office::holiday))
        .route("/can-bo/quan-tri/luu-y", post(back_office::caveat))
        .route("/tra-cuu/rut", post(tracking::withdraw))
        .route("/tra-cuu/danh-gia", post(tracking::rate))
        .route(
            "/tra-cuu/bo-sung",
            post(tracking::supplement).layer(DefaultBodyLimit::max(upload_body_limit)),
        )
        .leptos_routes_with_context(&state, routes, context.clone(), move || {
            shell(shell_options.clone())
        })
        .fallback(file_and_error_handler_with_context::<AppState, _>(
            context, shell,
        ))
        .layer(axum::middleware::from_fn(api_errors::caller_errors_are_400))
        .layer(axum::middleware::from_fn_with_state(
            config
                .public_url
                .as_deref()
                .is_some_and(|url| url.starts_with("https://")),
            privacy::privacy_headers,
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::REFERRER_POLICY,
            HeaderValue::from_static("same-origin"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_FRAME_OPTIONS,
            HeaderValue::from_static("DENY"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CONTENT_SECURITY_POLICY,
            default_policy(),
        ))
        .layer(
            // Dynamic HTML is compressed at a middle level: the best brotli levels cost more
            // server time than they save on a page of a few kilobytes.
            CompressionLayer::new()
                .no_deflate()
                .no_zstd()
                .quality(CompressionLevel::Precise(4)),
        )
        .layer(
            // Only method and path are logged: query strings may carry personal data, and a
            // draft's resume code (which opens it) is left out of the path.
            TraceLayer::new_for_http().make_span_with(|request: &axum::http::Request<_>| {
                let path = loggable_path(request.uri().path());
                tracing::info_span!("request", method = %request.method(), %path)
            }),
        )
        .layer(axum::middleware::from_fn(
            // Outermost, so that nothing of a request runs without it: see request_owner.rs.
            request_owner::keep_owner_per_request,
        ))
        .with_state(state)
}

/// The path as logged: `/ho-so-nhap/ABCD…/giay-to` becomes `/ho-so-nhap/…/giay-to`.
fn loggable_path(path: &str) -> std::borrow::Cow<'_, str> {
    match path.strip_prefix("/ho-so-nhap/") {
        Some(rest) => {
            let step = rest.split_once('/').map_or("", |(_, step)| step);
            format!("/ho-so-nhap/…/{step}").into()
        }
        None => path.into(),
    }
}

async fn health(State(db): State<Database>) -> Response {
    match sqlx::query("SELECT 1").execute(db.pool()).await {
        Ok(_) => (StatusCode::OK, "ok").into_response(),
        Err(error) => {
            tracing::error!(%error, "health check: database unreachable");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable").into_response()
        }
    }
}

#[derive(Deserialize)]
struct SwitchLanguage {
    tiep: Option<String>,
}

/// Remembers the chosen language in a cookie and goes back to the page the citizen was on.
async fn switch_language(
    State(state): State<AppState>,
    Path(lang): Path<String>,
    Query(query): Query<SwitchLanguage>,
) -> Response {
    let Some(lang) = Lang::from_code(&lang) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let target = local_return_path(query.tiep.as_deref().unwrap_or("/"));
    let cookie = format!(
        "{}={}; Path=/; Max-Age=31536000; SameSite=Lax; HttpOnly{}",
        Lang::COOKIE,
        lang.code(),
        if state.secure_cookies { "; Secure" } else { "" }
    );
    let mut response = Redirect::to(target).into_response();
    if let Ok(value) = HeaderValue::from_str(&cookie) {
        response.headers_mut().insert(header::SET_COOKIE, value);
    }
    response
}

/// Serves until the process is stopped (Ctrl-C or SIGTERM), finishing requests in flight.
pub async fn serve(config: Config) -> Result<(), StartError> {
    let db = prepare_database(&config).await?;
    let listener = tokio::net::TcpListener::bind(config.bind)
        .await
        .map_err(|source| StartError::Bind {
            addr: config.bind,
            source,
        })?;
    let addr = listener.local_addr().map_err(StartError::Serve)?;
    tokio::spawn(clean_up_periodically(db.clone(), config.upload_dir.clone()));
    let app = router(&config, db, leptos_options(addr));
    let limits = config.connection_limits.within_open_file_limit();
    tracing::info!(%addr, max_connections = limits.total, "motcua is listening");
    connections::serve(listener, app, limits, shutdown_signal()).await;
    Ok(())
}

/// The calendar appointment dates are counted on: this year's and next year's holidays.
async fn seed_holidays(db: &Database) -> Result<(), app::db::DbError> {
    let this_year = app::domain::calendar::Date::in_vietnam(app::db::unix_now()).year;
    db.seed_holidays(&[this_year, this_year + 1]).await
}

/// Expired drafts, stray upload files and old rate-limit counts go away at start-up and then
/// every hour; a server running across New Year gets the holidays of the year after.
async fn clean_up_periodically(db: Database, upload_dir: std::path::PathBuf) {
    let mut every_hour = tokio::time::interval(std::time::Duration::from_secs(3600));
    loop {
        every_hour.tick().await;
        match filing::clean_up(&db, &upload_dir).await {
            Ok(0) => {}
            Ok(removed) => tracing::info!(removed, "expired drafts and stray uploads deleted"),
            Err(error) => tracing::error!(%error, "cleaning up drafts failed"),
        }
        if let Err(error) = seed_holidays(&db).await {
            tracing::error!(%error, "seeding holidays failed");
        }
        // The longest window is a day, and a sliding window reads the one before it.
        let two_days_ago = filing::now() - 2 * 86_400;
        if let Err(error) = db.purge_rate_limits(two_days_ago).await {
            tracing::error!(%error, "purging old rate-limit counts failed");
        }
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        if let Ok(mut signal) =
            tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            signal.recv().await;
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
}

#[cfg(test)]
mod tests {
    use super::loggable_path;

    #[test]
    fn resume_codes_stay_out_of_the_log() {
        assert_eq!(
            loggable_path("/ho-so-nhap/ABCDEFGHJKMNPQRS/giay-to"),
            "/ho-so-nhap/…/giay-to"
        );
        assert_eq!(
            loggable_path("/ho-so-nhap/ABCDEFGHJKMNPQRS"),
            "/ho-so-nhap/…/"
        );
        assert_eq!(loggable_path("/thu-tuc/1.001193"), "/thu-tuc/1.001193");
    }
}
