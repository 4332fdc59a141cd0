//! The handlers, one module per feature, mirroring `app::pages`.

pub mod back_office;
pub mod filing;
pub mod papers;
pub mod site;
pub mod statistics;
pub mod tracking;
