//! The projects adapters against real databases: every test runs on SQLite and PostgreSQL,
//! each on a fresh database of its own.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod project_queries;
mod project_repository;
mod support;
mod task_details_migration;
mod task_lists;
