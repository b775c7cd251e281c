//! sectorkit-core: the pure heart of sectorkit.
//!
//! Domain types (codes, periods, roles, suppressed values) and the statistics computed over them.
//! Nothing in this crate does IO, talks to a database, or knows about the web: every function is a
//! plain computation over typed values, tested with the worked examples of `shared/METHODS.md`.

pub mod codes;
pub mod commute;
pub mod day;
pub mod disclosure;
pub mod education;
pub mod engagement;
pub mod funding;
pub mod funding_catalog;
mod fxhash;
pub mod living_wage;
pub mod occupations;
pub mod outcomes;
pub mod partners;
pub mod plan_page;
pub mod planning;
pub mod projection;
pub mod public_plans;
pub mod rank;
pub mod readiness;
pub mod role;
pub mod staffing;
pub mod stats;
pub mod suppression;
pub mod sustain;
pub mod targets;
pub mod us_states;
pub mod value;
pub mod verify;
