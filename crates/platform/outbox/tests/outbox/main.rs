//! The outbox against real databases: the outbox writer, store, relay, admin and retention
//! purge, the inbox, and the idempotency keys. Every test runs on SQLite and PostgreSQL (but
//! for the ones about PostgreSQL's locking), each on a fresh database of its own.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod idempotency_keys;
mod inbox;
mod outbox_admin;
mod outbox_store;
mod outbox_writer;
mod relay;
mod retention;
mod support;
