//! Black-box tests of the whole service: each test starts the real application on a random
//! port with a fresh database of its own (SQLite or PostgreSQL) and talks to it over HTTP.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod architecture;
mod authentication;
mod concurrency;
mod helpers;
mod log_in;
mod openapi;
mod outbox;
mod ownership;
mod pagination;
mod projects;
mod routing;
mod seed;
mod tasks;
mod users;
