//! The activity context's adapters against real databases: the repositories through its Unit
//! of Work, and the read side. Every test runs on SQLite and PostgreSQL, each on a fresh
//! database of its own.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod activity_queries;
mod support;
mod unit_of_work;
