//! motcua: the citizen-facing app of a commune Public Administrative Service Center.
//!
//! Pages are rendered on the server as plain HTML (Leptos islands mode): they work with
//! JavaScript off, and ship WebAssembly only where an island needs it.

pub mod api;
#[cfg(feature = "ssr")]
pub mod client;
#[cfg(feature = "ssr")]
pub mod db;
pub mod domain;
pub mod error;
pub mod i18n;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod password;
pub mod paths;

use leptos::prelude::*;
use leptos_meta::{Link, Meta, MetaTags, provide_meta_context};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{SsrMode, path};

use crate::i18n::Lang;
use crate::pages::back_office::StaffHomePage;
use crate::pages::back_office::centers::StaffCentersPage;
use crate::pages::back_office::certification::CertifyPage;
use crate::pages::back_office::dossier::StaffDossierPage;
use crate::pages::back_office::intake::StaffIntakePage;
use crate::pages::back_office::messages::FailedMessagesPage;
use crate::pages::back_office::queue::StaffQueuePage;
use crate::pages::back_office::settings::StaffSettingsPage;
use crate::pages::back_office::sign_in::StaffLoginPage;
use crate::pages::back_office::templates::TemplatesPage;
use crate::pages::catalogue::CataloguePage;
use crate::pages::catalogue::procedure::ProcedurePage;
use crate::pages::centers::CentersPage;
use crate::pages::certification::{AnnulledCopiesPage, VerificationPage};
use crate::pages::filing::declaration::DeclarationStepPage;
use crate::pages::filing::{
    ApplicantStepPage, ApplyStartPage, DocumentsStepPage, ResumePage, ReviewStepPage,
};
use crate::pages::home::HomePage;
use crate::pages::layout::{Layout, NotFound};
use crate::pages::papers::{
    CitizenDeclarationPage, CitizenPaperPage, RegisterPage, StaffCheatSheetPage,
    StaffDeclarationPage, StaffPaperPage, StaffSlipPage,
};
use crate::pages::statistics::StatisticsPage;
use crate::pages::tracking::receipt::ReceiptRoute;
use crate::pages::tracking::{StatusRoute, SupplementRoute};

/// What the server tells pages about the center running it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SiteInfo {
    /// Codes of the procedures listed first on the home page, in order.
    pub popular_procedures: Vec<String>,
    pub upload_limits: domain::filing::UploadLimits,
    /// Days a draft application is kept after its last save.
    pub draft_days: u32,
    /// The site's public address for links printed on paper (the receipt's QR code).
    pub public_url: Option<String>,
    /// Dossier lookups allowed per client address and window.
    pub lookup_limit: LookupLimit,
    /// The load balancers whose `Forwarded`/`X-Forwarded-For` name the client's address.
    pub trusted_proxies: domain::rate_limit::TrustedProxies,
    /// The ways of telling citizens of news that the center has set up, offered when filing.
    pub notify_channels: Vec<domain::notifications::Channel>,
    /// The server's VAPID public key, when web push is on: the status page offers it with JS.
    pub push_public_key: Option<String>,
    /// The centers (agency codes) with a signing key: their counters certify copies.
    pub signing_centers: Vec<String>,
}

/// Checks a stored certified copy, its fingerprint and signature (the server's `signing`
/// module, which the pages' crate does not link): `None` when the file cannot be read.
#[cfg(feature = "ssr")]
pub trait CopyChecker: Send + Sync {
    fn check<'a>(
        &'a self,
        stored_name: &'a str,
    ) -> std::pin::Pin<
        Box<dyn std::future::Future<Output = Option<domain::certification::CopyCheck>> + Send + 'a>,
    >;
}

/// The server's `CopyChecker`, in the pages' context.
#[cfg(feature = "ssr")]
#[derive(Clone)]
pub struct CopyChecks(pub std::sync::Arc<dyn CopyChecker>);

/// At most `hits` lookups per client address in each window of `window_seconds`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LookupLimit {
    pub hits: i64,
    pub window_seconds: i64,
}

/// The script that loads the islands' WebAssembly bundle on demand.
const ISLAND_LOADER: &str = "/islands.js";

/// The HTML document around every page. It takes the site's options because leptos_axum's file
/// and error handler calls it so; the page needs none of them.
pub fn shell(_options: LeptosOptions) -> impl IntoView {
    let lang = request_lang();
    // Only pages with an island get the loader, which fetches the WebAssembly bundle when a form
    // holding an island is first used (`public/islands.js`); Leptos's own hydration scripts would
    // preload the bundle with every page, even with JavaScript off. Islands hydrate on their
    // own, so the server must be told it is not rendering the page for hydration, or it would
    // serialise every resource into it.
    let islands = request_uri().is_some_and(|uri| pages::page_has_islands(uri.path()));
    if let Some(context) = Owner::current_shared_context() {
        context.set_is_hydrating(false);
    }
    view! {
        <!DOCTYPE html>
        <html lang=lang.code()>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="theme-color" content="#0b5394" />
                {islands.then(|| view! { <script src=ISLAND_LOADER defer nonce=leptos::nonce::use_nonce()></script> })}
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    provide_context(request_lang());
    view! {
        <Link rel="stylesheet" href="/pkg/motcua.css" />
        <Link rel="manifest" href="/manifest.webmanifest" />
        <Link rel="icon" href="/favicon.svg" />
        <Link rel="apple-touch-icon" href="/icon-192.png" />
        <Meta name="color-scheme" content="light" />
        <Router>
            <Layout>
                <Routes fallback=NotFound>
                    <Route path=path!("/") view=HomePage ssr=SsrMode::Async />
                    <Route path=path!("/xa") view=CentersPage ssr=SsrMode::Async />
                    <Route path=path!("/thu-tuc") view=CataloguePage ssr=SsrMode::Async />
                    <Route path=path!("/thu-tuc/:code") view=ProcedurePage ssr=SsrMode::Async />
                    <Route
                        path=path!("/thu-tuc/:code/nop-truc-tuyen")
                        view=ApplyStartPage
                        ssr=SsrMode::Async
                    />
                    <Route path=path!("/tiep-tuc") view=ResumePage ssr=SsrMode::Async />
                    <Route
                        path=path!("/ho-so-nhap/:token/nguoi-nop")
                        view=ApplicantStepPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=path!("/ho-so-nhap/:token/to-khai")
                        view=DeclarationStepPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=path!("/ho-so-nhap/:token/giay-to")
                        view=DocumentsStepPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=path!("/ho-so-nhap/:token/kiem-tra")
                        view=ReviewStepPage
                        ssr=SsrMode::Async
                    />
                    <Route path=path!("/giay-hen") view=ReceiptRoute ssr=SsrMode::Async />
                    <Route path=path!("/tra-cuu") view=StatusRoute ssr=SsrMode::Async />
                    <Route path=path!("/tra-cuu/bo-sung") view=SupplementRoute ssr=SsrMode::Async />
                    <Route path=path!("/thong-ke") view=StatisticsPage ssr=SsrMode::Async />
                    <Route path=path!("/can-bo") view=StaffHomePage ssr=SsrMode::Async />
                    <Route path=path!("/can-bo/dang-nhap") view=StaffLoginPage ssr=SsrMode::Async />
                    <Route path=path!("/can-bo/ho-so") view=StaffQueuePage ssr=SsrMode::Async />
                    <Route path=path!("/can-bo/ho-so/:code") view=StaffDossierPage ssr=SsrMode::Async />
                    <Route path=path!("/can-bo/ho-so/:code/phieu/:event") view=StaffPaperPage ssr=SsrMode::Async />
                    <Route path=path!("/can-bo/ho-so/:code/phieu-kiem-soat") view=StaffSlipPage ssr=SsrMode::Async />
                    <Route path=path!("/can-bo/ho-so/:code/to-khai") view=StaffDeclarationPage ssr=SsrMode::Async />
                    <Route path=path!("/can-bo/so-theo-doi") view=RegisterPage ssr=SsrMode::Async />
                    <Route path=path!("/tra-cuu/phieu") view=CitizenPaperPage ssr=SsrMode::Async />
                    <Route path=path!("/tra-cuu/to-khai") view=CitizenDeclarationPage ssr=SsrMode::Async />
                    <Route path=path!("/can-bo/tiep-nhan") view=StaffIntakePage ssr=SsrMode::Async />
                    <Route path=path!("/can-bo/giay-hen") view=ReceiptRoute ssr=SsrMode::Async />
                    <Route path=path!("/can-bo/quan-tri") view=StaffSettingsPage ssr=SsrMode::Async />
                    <Route path=path!("/can-bo/tin-nhan") view=FailedMessagesPage ssr=SsrMode::Async />
                    <Route path=path!("/can-bo/mau-tin") view=TemplatesPage ssr=SsrMode::Async />
                    <Route path=path!("/can-bo/trung-tam") view=StaffCentersPage ssr=SsrMode::Async />
                    <Route path=path!("/can-bo/chung-thuc") view=CertifyPage ssr=SsrMode::Async />
                    <Route path=path!("/can-bo/so-tay/:code") view=StaffCheatSheetPage ssr=SsrMode::Async />
                    <Route path=path!("/xac-minh/:token") view=VerificationPage ssr=SsrMode::Async />
                    <Route path=path!("/ban-sao-da-huy") view=AnnulledCopiesPage ssr=SsrMode::Async />
                </Routes>
            </Layout>
        </Router>
    }
}

/// The language of this request: the `motcua_lang` cookie, else Vietnamese.
pub fn request_lang() -> Lang {
    #[cfg(feature = "ssr")]
    {
        use_context::<http::request::Parts>()
            .and_then(|parts| {
                parts
                    .headers
                    .get(http::header::COOKIE)
                    .and_then(|value| value.to_str().ok())
                    .map(Lang::from_cookie_header)
            })
            .unwrap_or_default()
    }
    #[cfg(not(feature = "ssr"))]
    {
        use_context::<Lang>().unwrap_or_default()
    }
}

/// The address of the request being rendered; `None` in the browser.
pub fn request_uri() -> Option<http::Uri> {
    #[cfg(feature = "ssr")]
    {
        use_context::<http::request::Parts>().map(|parts| parts.uri)
    }
    #[cfg(not(feature = "ssr"))]
    {
        None
    }
}

/// The texts of the current language, for components.
pub fn use_texts() -> &'static i18n::Texts {
    use_context::<Lang>().unwrap_or_default().texts()
}

#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_islands();
}
