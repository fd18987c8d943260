use std::error::Error;

/// A port's adapter failed for a reason the use case cannot act on (the database is down, a
/// query is wrong, a thread pool is gone). It keeps the whole source chain so that the edge
/// can log it once and answer 500 without showing any of it to the client.
#[derive(Debug, thiserror::Error)]
#[error("{context}")]
pub struct InfrastructureError {
    context: &'static str,
    #[source]
    source: Box<dyn Error + Send + Sync>,
}

impl InfrastructureError {
    /// `context` says what was being done, e.g. "loading a user".
    pub fn new(context: &'static str, source: impl Into<Box<dyn Error + Send + Sync>>) -> Self {
        Self {
            context,
            source: source.into(),
        }
    }

    /// A closure for `map_err`: `.map_err(InfrastructureError::during("saving a user"))`.
    pub fn during<E>(context: &'static str) -> impl FnOnce(E) -> Self
    where
        E: Into<Box<dyn Error + Send + Sync>>,
    {
        move |source| Self::new(context, source)
    }
}
