use async_trait::async_trait;

use crate::InfrastructureError;

/// One business transaction: everything a use case loads and saves through the repositories
/// of a Unit of Work happens in one database transaction.
///
/// `commit` makes the changes durable and, only after that, publishes the domain events the
/// saved aggregates recorded. Dropping a Unit of Work without committing (an early return, an
/// error, a panic) rolls the transaction back and publishes nothing.
///
/// Each context extends this trait with accessors for its own repositories, e.g.
/// `fn users(&mut self) -> &mut dyn UserRepository`.
#[async_trait]
pub trait UnitOfWork: Send {
    async fn commit(self: Box<Self>) -> Result<(), InfrastructureError>;
}

/// Opens Units of Work of one context's kind `U` (usually `dyn SomeContextUnitOfWork`).
#[async_trait]
pub trait UnitOfWorkFactory<U: ?Sized + Send>: Send + Sync {
    async fn begin(&self) -> Result<Box<U>, InfrastructureError>;
}
