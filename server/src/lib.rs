//! The motcua server: configuration, start-up (database, migrations, demo data), HTTP routes.

pub mod config;
pub mod import;
pub mod search_eval;

use std::net::SocketAddr;

use app::db::Database;
use app::domain::url::local_return_path;
use app::i18n::Lang;
use app::{App, SiteInfo, shell};
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::serve::ListenerExt;
use leptos::config::LeptosOptions;
use leptos::prelude::provide_context;
use leptos_axum::{LeptosRoutes, file_and_error_handler_with_context, generate_route_list};
use serde::Deserialize;
use tower_http::compression::{CompressionLayer, CompressionLevel};
use tower_http::trace::TraceLayer;

use crate::config::Config;

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
struct AppState {
    leptos_options: LeptosOptions,
    db: Database,
    site: SiteInfo,
}

/// Every route of the app.
pub fn router(config: &Config, db: Database, leptos_options: LeptosOptions) -> Router {
    let state = AppState {
        leptos_options,
        db,
        site: SiteInfo {
            center_name: config.center_name.clone(),
            popular_procedures: config.popular_procedures.clone(),
        },
    };
    let context = {
        let state = state.clone();
        move || {
            provide_context(state.db.clone());
            provide_context(state.site.clone());
        }
    };
    let routes = generate_route_list(App);
    let shell_options = state.leptos_options.clone();
    Router::new()
        .route("/healthz", get(health))
        .route("/ngon-ngu/{lang}", get(switch_language))
        .leptos_routes_with_context(&state, routes, context.clone(), move || {
            shell(shell_options.clone())
        })
        .fallback(file_and_error_handler_with_context::<AppState, _>(context, shell))
        .layer(
            // Dynamic HTML is compressed at a middle level: the best brotli levels cost more
            // server time than they save on a page of a few kilobytes.
            CompressionLayer::new()
                .no_deflate()
                .no_zstd()
                .quality(CompressionLevel::Precise(4)),
        )
        .layer(
            // Only method and path are logged: query strings may carry personal data.
            TraceLayer::new_for_http().make_span_with(|request: &axum::http::Request<_>| {
                tracing::info_span!("request", method = %request.method(), path = %request.uri().path())
            }),
        )
        .with_state(state)
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
    Path(lang): Path<String>,
    Query(query): Query<SwitchLanguage>,
) -> Response {
    let Some(lang) = Lang::from_code(&lang) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let target = local_return_path(query.tiep.as_deref().unwrap_or("/"));
    let cookie = format!(
        "{}={}; Path=/; Max-Age=31536000; SameSite=Lax; HttpOnly",
        Lang::COOKIE,
        lang.code()
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
    let app = router(&config, db, leptos_options(addr));
    tracing::info!(%addr, "motcua is listening");
    // Leptos writes a page in several chunks; without TCP_NODELAY each response waits on
    // delayed ACKs (≈40 ms), see ../shared/TOOLCHAIN.md.
    let listener = listener.tap_io(|tcp| {
        let _ = tcp.set_nodelay(true);
    });
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown_signal())
        .await
        .map_err(StartError::Serve)
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
