//! The harness that proves motcua holds: simulated citizens on the real server binary, on
//! SQLite and PostgreSQL; a kill -9 during a submission burst; the database's connections cut
//! under load. `load` (src/main.rs) runs it all and prints figures; `server/tests/crash.rs`
//! runs the quick versions as tests.

pub mod balancer;
pub mod check;
pub mod citizen;
pub mod mail;
pub mod record;
pub mod s3;
pub mod scenario;
pub mod server;
