//! The motcua server: configuration, start-up and HTTP routes. Wiring only: the handlers are in
//! `routes` (one module per feature, as `app::pages`), what they share in `http`.

/// The allocator of every binary that links the server (the server, its examples, its tests):
/// mimalloc, for the many small allocations of rendering pages (docs/performance.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

pub mod backup;
pub mod cli;
pub mod config;
pub mod connections;
mod http;
pub mod import;
pub mod notify;
mod password_checks;
pub mod pdf;
mod router;
pub mod routes;
pub mod search_eval;
pub mod signing;
mod startup;
pub mod storage;

pub use http::error::busy_response;
pub(crate) use router::AppState;
pub use router::router;
pub use startup::{StartError, leptos_options, open_files, open_signers, prepare_database, serve};
