//! Pure domain logic: no I/O, unit-tested.

pub mod application;
pub mod calendar;
pub mod demo;
pub mod dossier;
pub mod lifecycle;
pub mod national_package;
pub mod portal;
pub mod procedure;
pub mod rate_limit;
pub mod search;
pub mod staff;
pub mod stats;
pub mod tracking;
pub mod url;
