use std::error::Error;

/// Why a request could not be served just now, through no fault of its own and none of the
/// code's: a client or load balancer should retry shortly (the edge answers 503).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unavailability {
    /// The database did not answer: stopped, unreachable, locked beyond the busy timeout, or
    /// out of disk.
    Database,
    /// A queue in front of a bounded resource (the SQLite writer and readers, the password
    /// hashing threads) was full, or the job could not start within its wait.
    Overloaded,
}

impl Unavailability {
    /// The problem code clients see (`database_unavailable`, `overloaded`).
    pub fn code(self) -> &'static str {
        match self {
            Self::Database => "database_unavailable",
            Self::Overloaded => "overloaded",
        }
    }
}

/// An error that marks a failure as unavailability rather than a bug. The adapter that can
/// tell the two apart (the database platform, a bounded queue) puts one in the error's chain;
/// whatever wraps it on the way out (`InfrastructureError`, a use case's error), the edge
/// finds it with `Unavailable::find` and answers 503 instead of 500.
#[derive(Debug, thiserror::Error)]
#[error("{}", describe(*.reason))]
pub struct Unavailable {
    reason: Unavailability,
    #[source]
    source: Option<Box<dyn Error + Send + Sync>>,
}

fn describe(reason: Unavailability) -> &'static str {
    match reason {
        Unavailability::Database => "the database is unavailable",
        Unavailability::Overloaded => "the service is overloaded",
    }
}

impl Unavailable {
    /// `reason`, caused by `source` (the driver's error, say).
    pub fn because(
        reason: Unavailability,
        source: impl Into<Box<dyn Error + Send + Sync>>,
    ) -> Self {
        Self {
            reason,
            source: Some(source.into()),
        }
    }

    /// `reason`, with nothing beneath it (a full queue is its own cause).
    pub fn new(reason: Unavailability) -> Self {
        Self {
            reason,
            source: None,
        }
    }

    pub fn reason(&self) -> Unavailability {
        self.reason
    }

    /// The reason of the first `Unavailable` in `error`'s chain (`error` included), if any.
    pub fn find(error: &(dyn Error + 'static)) -> Option<Unavailability> {
        let mut next = Some(error);
        while let Some(error) = next {
            if let Some(unavailable) = error.downcast_ref::<Self>() {
                return Some(unavailable.reason);
            }
            next = error.source();
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::InfrastructureError;

    #[test]
    fn is_found_beneath_the_errors_that_wrap_it() {
        let refused = std::io::Error::from(std::io::ErrorKind::ConnectionRefused);
        let error = InfrastructureError::new(
            "saving a task",
            Unavailable::because(Unavailability::Database, refused),
        );

        assert_eq!(Unavailable::find(&error), Some(Unavailability::Database));
        assert_eq!(
            crate::error_chain(&error),
            "saving a task: the database is unavailable: connection refused"
        );
    }

    #[test]
    fn an_error_without_one_is_not_unavailability() {
        let error = InfrastructureError::new("saving a task", std::io::Error::other("a bug"));
        assert_eq!(Unavailable::find(&error), None);
        assert_eq!(
            Unavailable::find(&Unavailable::new(Unavailability::Overloaded)),
            Some(Unavailability::Overloaded)
        );
    }
}
