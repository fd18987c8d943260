//! The accounts adapters against real databases: every test runs on SQLite and PostgreSQL,
//! each on a fresh database of its own.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod login_failures;
mod session_queries;
mod session_repository;
mod support;
mod unit_of_work;
mod user_queries;
mod user_repository;
