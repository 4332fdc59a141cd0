//! The app as one axum router: every route, and the layers every answer passes through (see
//! docs/architecture.md, "Serving").

use crate::config::Config;
use crate::routes::filing::FilingSettings;
use crate::routes::{back_office, filing, papers, site, statistics, tracking};
use crate::signing::{Signers, StoredCopies};
use crate::storage::FileStore;
use app::db::Database;
use app::domain::center::PickedCenter;
use app::paths;
use app::{App, SiteInfo, shell};
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderValue, header, request::Parts};
use axum::routing::{get, post};
use leptos::config::LeptosOptions;
use leptos::prelude::{provide_context, use_context};
use leptos_axum::{
    AxumRouteListing, LeptosRoutes, file_and_error_handler_with_context, generate_route_list,
};
use std::sync::OnceLock;
use tower_http::compression::{CompressionLayer, CompressionLevel};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;

#[derive(Clone, axum::extract::FromRef)]
pub(crate) struct AppState {
    pub(crate) leptos_options: LeptosOptions,
    pub(crate) db: Database,
    pub(crate) site: SiteInfo,
    pub(crate) filing: FilingSettings,
    pub(crate) secure_cookies: bool,
    /// The push services web push subscriptions may name; none when web push is off.
    pub(crate) push_hosts: Option<Vec<String>>,
    /// The centers' signing keys for certified copies.
    pub(crate) signers: Signers,
    /// The verification page's check of a stored copy.
    pub(crate) copy_checks: app::CopyChecks,
}

impl AppState {
    /// What server functions and pages find in their context.
    /// Pages also get their content policy here, since only the page knows its script nonce.
    pub(crate) fn provide_page_context(&self) {
        provide_context(self.db.clone());
        provide_context(self.site.clone());
        provide_context(self.copy_checks.clone());
        // The commune the request is for (`http::center`), which pages name.
        if let Some(picked) =
            use_context::<Parts>().and_then(|parts| parts.extensions.get::<PickedCenter>().cloned())
        {
            provide_context(picked);
        }
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

/// Every route of the app, its files kept in `files` (see `open_files`).
pub fn router(
    config: &Config,
    db: Database,
    files: FileStore,
    signers: Signers,
    leptos_options: LeptosOptions,
) -> Router {
    let copy_checks = app::CopyChecks(std::sync::Arc::new(StoredCopies {
        files: files.clone(),
        signers: signers.clone(),
        db: db.clone(),
    }));
    let state = AppState {
        leptos_options,
        db,
        site: SiteInfo {
            popular_procedures: config.popular_procedures.clone(),
            upload_limits: config.upload_limits,
            draft_days: config.draft_days,
            public_url: config.public_url.clone(),
            lookup_limit: config.lookup_limit,
            trusted_proxies: config.trusted_proxies.clone(),
            notify_channels: config.notifications.channels(),
            push_public_key: config
                .notifications
                .push
                .as_ref()
                .and_then(|push| push.public_key.clone()),
            signing_centers: signers.agencies(),
        },
        filing: FilingSettings {
            files,
            limits: config.upload_limits,
            draft_quota: config.draft_quota,
            draft_lifetime: i64::from(config.draft_days) * 86_400,
            working: config.working.clone(),
        },
        secure_cookies: config.secure_cookies,
        push_hosts: config
            .notifications
            .push
            .as_ref()
            .filter(|push| push.public_key.is_some())
            .map(|push| push.hosts.clone()),
        signers,
        copy_checks,
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
        .route(paths::HEALTH, get(site::health))
        .route(paths::LANGUAGE_ROUTE, get(site::switch_language))
        .route(paths::CENTER_ROUTE, get(site::pick_center))
        .route(paths::CENTER_PATH_ROUTE, get(site::pick_center))
        .route(paths::STAFF_CENTERS, post(back_office::centers::add_center))
        .route(
            paths::CERTIFY,
            post(back_office::certification::certify)
                .layer(DefaultBodyLimit::max(upload_body_limit)),
        )
        .route(
            paths::CERTIFY_ANNUL,
            post(back_office::certification::annul),
        )
        .route(paths::CERTIFIED_COPY, get(tracking::certified_copy))
        .route(
            paths::VERIFICATION_ROUTE,
            post(tracking::verify_upload).layer(DefaultBodyLimit::max(upload_body_limit)),
        )
        .route(paths::FILING_START_ROUTE, post(filing::start))
        .route(paths::RESUME, get(filing::resume))
        .route(paths::DRAFT_APPLICANT_ROUTE, post(filing::save_applicant))
        .route(
            paths::DRAFT_DECLARATION_ROUTE,
            post(filing::save_declaration),
        )
        .route(
            paths::DRAFT_DOCUMENTS_ROUTE,
            post(filing::save_documents).layer(DefaultBodyLimit::max(upload_body_limit)),
        )
        .route(paths::DRAFT_SUBMIT_ROUTE, post(filing::submit))
        .route(paths::SIGN_IN, post(back_office::sign_in::login))
        .route(paths::SIGN_OUT, post(back_office::sign_in::logout))
        .route(
            paths::STAFF_ACTION_ROUTE,
            post(back_office::dossier::dossier_action)
                .layer(DefaultBodyLimit::max(upload_body_limit)),
        )
        .route(
            paths::STAFF_FILE_ROUTE,
            get(back_office::dossier::dossier_file),
        )
        .route(
            paths::INTAKE,
            post(back_office::intake::counter_intake)
                .layer(DefaultBodyLimit::max(upload_body_limit)),
        )
        .route(
            paths::INTAKE_FINDER,
            get(back_office::intake::find_procedure),
        )
        .route(paths::STATISTICS_CSV, get(statistics::csv))
        .route(paths::STATISTICS_JSON, get(statistics::json))
        .route(paths::STATISTICS_XLSX, get(statistics::xlsx))
        .route(paths::USERS, post(back_office::settings::add_user))
        .route(paths::USER_ROUTE, post(back_office::settings::update_user))
        .route(paths::HOLIDAYS, post(back_office::settings::calendar_day))
        .route(paths::CAVEATS, post(back_office::settings::caveat))
        .route(paths::WITHHELD, post(back_office::settings::withheld))
        .route(paths::STAFF_RESEND, post(back_office::messages::resend))
        .route(
            paths::STAFF_TEMPLATE_SAVE,
            post(back_office::messages::save_template),
        )
        .route(paths::STAFF_PAPER_PDF_ROUTE, get(papers::staff_paper_pdf))
        .route(paths::STAFF_SLIP_PDF_ROUTE, get(papers::staff_slip_pdf))
        .route(
            paths::STAFF_CHEAT_SHEET_PDF_ROUTE,
            get(papers::staff_cheat_sheet_pdf),
        )
        .route(
            paths::STAFF_DECLARATION_PDF_ROUTE,
            get(papers::staff_declaration_pdf),
        )
        .route(paths::REGISTER_XLSX, get(papers::register_xlsx))
        .route(paths::REGISTER_PDF, get(papers::register_pdf))
        .route(paths::STAFF_RECEIPT_PDF, get(papers::staff_receipt_pdf))
        .route(paths::RECEIPT_PDF, get(tracking::receipt_pdf))
        .route(paths::CITIZEN_PAPER_PDF, get(tracking::paper_pdf))
        .route(
            paths::CITIZEN_DECLARATION_PDF,
            get(tracking::declaration_pdf),
        )
        .route(paths::WITHDRAW, post(tracking::withdraw))
        .route(paths::NOTIFY_CHOICE, post(tracking::change_notify))
        .route(paths::PUSH_SUBSCRIBE, post(tracking::subscribe_push))
        .route(paths::RATE, post(tracking::rate))
        .route(
            paths::SUPPLEMENT,
            post(tracking::supplement).layer(DefaultBodyLimit::max(upload_body_limit)),
        )
        .leptos_routes_with_context(&state, routes, context.clone(), move || {
            shell(shell_options.clone())
        })
        .fallback(file_and_error_handler_with_context::<AppState, _>(
            context, shell,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.db.clone(),
            crate::http::center::pick_center,
        ))
        .layer(axum::middleware::from_fn(
            crate::http::api_errors::caller_errors_are_400,
        ))
        .layer(axum::middleware::from_fn_with_state(
            config
                .public_url
                .as_deref()
                .is_some_and(|url| url.starts_with("https://")),
            crate::http::privacy::privacy_headers,
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
            // Dynamic HTML is compressed at brotli's fast level 1: level 4 made a status page
            // 1,504 bytes instead of 1,716 but cost a fifth of its lookups per second (its hash
            // tables, half a megabyte zeroed per answer); docs/performance.md.
            CompressionLayer::new()
                .no_deflate()
                .no_zstd()
                .quality(CompressionLevel::Precise(1)),
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
            crate::http::request_owner::keep_owner_per_request,
        ))
        .with_state(state)
}

/// The path as logged: `/ho-so-nhap/ABCD…/giay-to` becomes `/ho-so-nhap/…/giay-to`.
fn loggable_path(path: &str) -> std::borrow::Cow<'_, str> {
    match path
        .strip_prefix(paths::RESUME)
        .and_then(|rest| rest.strip_prefix('/'))
    {
        Some(rest) => {
            let step = rest.split_once('/').map_or("", |(_, step)| step);
            format!("{}/…/{step}", paths::RESUME).into()
        }
        None => path.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::{app_routes, loggable_path};

    #[tokio::test]
    async fn every_page_address_is_a_route_of_the_app() {
        let routes: Vec<String> = app_routes().iter().map(|r| r.path().to_owned()).collect();
        for page in app::paths::PAGES {
            assert!(
                routes.iter().any(|route| route == page),
                "{page} in {routes:?}"
            );
        }
        assert_eq!(routes.len(), app::paths::PAGES.len(), "{routes:?}");
    }

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
