//! Request handlers: parse the request, call the store, render a template. No SQL, no statistics,
//! no authorization decisions beyond what a form needs (the policy layer decided who gets here).

pub mod account;
pub mod alignment;
pub mod commute;
pub mod convening;
pub mod data;
pub mod downloads;
pub mod funding;
pub mod health;
pub mod invite;
pub mod occupations;
pub mod outcomes;
pub mod partners;
pub mod partners_import;
pub mod partnerships;
pub mod plan;
pub mod plan_page;
pub mod plan_records;
pub mod readiness;
pub mod records;
pub mod region;
pub mod reports;
pub mod statics;
pub mod sustain;
pub mod tokens;
pub mod uploads;
