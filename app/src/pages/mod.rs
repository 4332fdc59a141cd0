//! Citizen pages, rendered on the server.

pub mod catalogue;
pub mod home;
pub mod layout;
pub mod procedure;
