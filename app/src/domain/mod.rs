//! Pure domain logic: no I/O, unit-tested.

pub mod article_month;
pub mod back_office;
pub mod calendar;
pub mod center;
pub mod certification;
pub mod declaration;
pub mod demo;
pub mod dossier;
pub mod feedback;
pub mod filing;
pub mod intake;
pub mod intake_checklist;
pub mod lifecycle;
pub mod national_package;
pub mod notifications;
pub mod often_wrong;
pub mod papers;
pub mod portal;
pub mod procedure;
pub mod rate_limit;
pub mod search;
pub mod statistics;
pub mod tracking;
pub mod url;
pub mod working_days;
pub mod working_time;
