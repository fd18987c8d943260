use accounts_application::ports::PasswordHasher;
use accounts_domain::{Password, PasswordHash};
use async_trait::async_trait;
use shared_kernel_application::InfrastructureError;
use shared_kernel_infrastructure::QueueLimits;
use tokio::sync::OnceCell;

use super::hashing_threads::HashingThreads;

/// bcrypt, run on threads of its own (`HashingThreads`): one hash takes about a quarter of a
/// second at cost 12, and doing that on an async worker would stall every request that worker
/// serves.
pub struct BcryptPasswordHasher {
    cost: u32,
    threads: HashingThreads,
    /// A real hash at the same cost, computed on first need, to verify unknown users against.
    dummy_hash: OnceCell<String>,
}

impl BcryptPasswordHasher {
    /// `cost` is bcrypt's work factor (4 to 31); 12 is the production default. It hashes on
    /// one thread per core, whose queue `queue` bounds.
    pub fn new(cost: u32, queue: QueueLimits) -> Self {
        Self {
            cost,
            threads: HashingThreads::per_core(queue),
            dummy_hash: OnceCell::new(),
        }
    }

    /// A hash with a salt the caller chooses, so that the same inputs always give the same
    /// hash: for seeded data that must come out identical for the same seed. Never for a
    /// real user's password, whose salt must be random.
    pub async fn hash_with_salt(
        &self,
        password: &Password,
        salt: [u8; 16],
    ) -> Result<PasswordHash, InfrastructureError> {
        let plain = password.expose().to_owned();
        let cost = self.cost;
        self.on_hashing_thread(move || {
            bcrypt::hash_with_salt(plain, cost, salt).map(|parts| parts.to_string())
        })
        .await
        .map(PasswordHash::new)
    }

    async fn on_hashing_thread<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> Result<T, bcrypt::BcryptError> + Send + 'static,
    ) -> Result<T, InfrastructureError> {
        self.threads
            .run(work)
            .await?
            .map_err(InfrastructureError::during(
                "hashing or verifying a password",
            ))
    }

    async fn dummy_hash(&self) -> Result<&str, InfrastructureError> {
        let cost = self.cost;
        self.dummy_hash
            .get_or_try_init(|| {
                self.on_hashing_thread(move || bcrypt::hash("not a password", cost))
            })
            .await
            .map(String::as_str)
    }
}

#[async_trait]
impl PasswordHasher for BcryptPasswordHasher {
    async fn hash(&self, password: &Password) -> Result<PasswordHash, InfrastructureError> {
        let plain = password.expose().to_owned();
        let cost = self.cost;
        self.on_hashing_thread(move || bcrypt::hash(plain, cost))
            .await
            .map(PasswordHash::new)
    }

    async fn verify(
        &self,
        candidate: &str,
        hash: &PasswordHash,
    ) -> Result<bool, InfrastructureError> {
        let candidate = candidate.to_owned();
        let hash = hash.as_str().to_owned();
        self.on_hashing_thread(move || bcrypt::verify(candidate, &hash))
            .await
    }

    async fn verify_against_dummy(&self, candidate: &str) -> Result<(), InfrastructureError> {
        let hash = self.dummy_hash().await?.to_owned();
        let candidate = candidate.to_owned();
        self.on_hashing_thread(move || bcrypt::verify(candidate, &hash))
            .await
            .map(|_| ())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Cost 4 is bcrypt's minimum: fast enough for tests, same algorithm.
    fn hasher() -> BcryptPasswordHasher {
        BcryptPasswordHasher::new(4, QueueLimits::default())
    }

    #[tokio::test]
    async fn a_hash_verifies_its_password_and_nothing_else() {
        let password = Password::new("correct horse").unwrap();

        let hash = hasher().hash(&password).await.unwrap();

        assert!(hash.as_str().starts_with("$2b$04$"));
        assert!(hasher().verify("correct horse", &hash).await.unwrap());
        assert!(!hasher().verify("correct horsE", &hash).await.unwrap());
    }

    #[tokio::test]
    async fn the_same_password_hashes_differently_each_time() {
        let password = Password::new("correct horse").unwrap();
        let hasher = hasher();
        assert_ne!(
            hasher.hash(&password).await.unwrap(),
            hasher.hash(&password).await.unwrap()
        );
    }

    #[tokio::test]
    async fn a_chosen_salt_gives_the_same_hash_every_time_and_it_verifies() {
        let password = Password::new("correct horse").unwrap();
        let hasher = hasher();

        let first = hasher.hash_with_salt(&password, [7; 16]).await.unwrap();

        assert_eq!(
            first,
            hasher.hash_with_salt(&password, [7; 16]).await.unwrap()
        );
        assert_ne!(
            first,
            hasher.hash_with_salt(&password, [8; 16]).await.unwrap()
        );
        assert!(hasher.verify("correct horse", &first).await.unwrap());
    }

    #[tokio::test]
    async fn the_dummy_verification_uses_a_hash_of_the_configured_cost() {
        let hasher = hasher();
        hasher.verify_against_dummy("anything").await.unwrap();
        assert!(hasher.dummy_hash().await.unwrap().starts_with("$2b$04$"));
    }

    #[tokio::test]
    async fn a_corrupt_stored_hash_is_an_infrastructure_error_not_a_panic() {
        let result = hasher()
            .verify("correct horse", &PasswordHash::new("not a bcrypt hash"))
            .await;
        assert!(result.is_err());
    }
}
