//! Black-box tests of the whole service: each test starts the real application on a random
//! port with a fresh database of its own (SQLite or PostgreSQL) and talks to it over HTTP.
//!
//! Every file of this folder is a module of the suite (automod): a context's tests are one
//! new file here, with nothing to list.
#![allow(clippy::unwrap_used, clippy::expect_used)]

automod::dir!("tests/api");
