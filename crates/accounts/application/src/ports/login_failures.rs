use std::net::IpAddr;

use accounts_domain::FailureRecord;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use shared_kernel_application::InfrastructureError;

/// The failed logins on record, per account and client address, kept where every instance
/// sees them and a restart does not forget them (the database).
///
/// `account` is what the client typed as its email, canonical when it is an address: an
/// unknown email is counted exactly like a known one, so the counts reveal nothing.
#[async_trait]
pub trait LoginFailures: Send + Sync {
    /// What is on record for `account` from `address` (and from anywhere, this hour).
    async fn record_of(
        &self,
        account: &str,
        address: IpAddr,
    ) -> Result<FailureRecord, InfrastructureError>;

    /// One more failure at `now`; the account's hour starts over once it has run out.
    async fn add_failure(
        &self,
        account: &str,
        address: IpAddr,
        now: DateTime<Utc>,
    ) -> Result<(), InfrastructureError>;

    /// A success from `address`: its failures in a row start over (the account's hour does
    /// not).
    async fn clear_consecutive(
        &self,
        account: &str,
        address: IpAddr,
    ) -> Result<(), InfrastructureError>;
}

/// The key failures of a login with `email` are counted under: the canonical address, or what
/// was typed (trimmed, lower-cased, at most 254 characters) when it is not one.
pub fn account_key(email: &str) -> String {
    match shared_kernel_domain::EmailAddress::parse(email) {
        Ok(address) => address.canonical().to_owned(),
        Err(_) => email.trim().to_lowercase().chars().take(254).collect(),
    }
}
