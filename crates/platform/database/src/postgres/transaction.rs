//! A transaction on one of the writers' connections.

use std::future::Future;
use std::pin::pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::{Context, Waker};

use deadpool_postgres::Object;
use futures_util::future::try_join_all;
use sea_orm::Statement;

use super::{PostgresError, statements};
use crate::DatabaseRow;

/// A transaction on a connection of the writers' pool, which it holds until it commits or is
/// dropped; dropped uncommitted, it rolls back.
///
/// Its `BEGIN` goes out with its first statement, in the same write to the server
/// (tokio-postgres pipelines requests whose futures are polled together), and `commit_after`
/// sends its last statements with its `COMMIT`: a round trip less at each end. A transaction
/// that runs no statement never begins.
pub struct PostgresTransaction {
    /// Boxed: a pooled connection's handle is some 200 bytes, and `WriteTransaction`'s other
    /// variants a few dozen.
    client: Box<Object>,
    /// Whether `BEGIN` was sent, so that a transaction is open on the connection.
    began: AtomicBool,
}

impl PostgresTransaction {
    pub(super) fn on(client: Object) -> Self {
        Self {
            client: Box::new(client),
            began: AtomicBool::new(false),
        }
    }

    /// Runs `statement` (built for PostgreSQL) and reads each row as an `R`.
    pub(crate) async fn rows<R: DatabaseRow>(
        &self,
        statement: Statement,
    ) -> Result<Vec<R>, PostgresError> {
        self.in_transaction(statements::rows(&self.client, statement))
            .await
    }

    /// Runs `statement` (an insert, update or delete) and returns how many rows it changed.
    pub(crate) async fn execute(&self, statement: Statement) -> Result<u64, PostgresError> {
        self.in_transaction(statements::execute(&self.client, statement))
            .await
    }

    /// Runs `last` (inserts, updates or deletes, in order), then commits, all in one write to
    /// the server: each statement is prepared first (from the connection's cache, as a rule),
    /// so that none can go out after the `COMMIT`. If one fails, PostgreSQL skips the rest of
    /// the transaction and its `COMMIT` rolls back; that statement's error is the answer.
    /// Returns how many rows each statement changed.
    pub(crate) async fn commit_after(
        self,
        last: Vec<Statement>,
    ) -> Result<Vec<u64>, PostgresError> {
        if last.is_empty() {
            self.commit().await?;
            return Ok(Vec::new());
        }
        let client = &self.client;
        let mut prepared = Vec::with_capacity(last.len());
        for statement in last {
            prepared.push(statements::prepare(client, statement).await?);
        }
        let run = try_join_all(prepared.iter().map(|(statement, values)| async move {
            Ok::<_, PostgresError>(client.execute(statement, &values.as_params()).await?)
        }));
        let commit = async { Ok::<_, PostgresError>(client.batch_execute("COMMIT").await?) };
        // Polled in this order (after `BEGIN`, if it is still to go), so sent in this order;
        // the server answers in order.
        let (changed, ()) = self
            .in_transaction(async { tokio::try_join!(run, commit) })
            .await?;
        self.began.store(false, Ordering::Release);
        Ok(changed)
    }

    pub(crate) async fn commit(self) -> Result<(), PostgresError> {
        if self.began.load(Ordering::Acquire) {
            self.client.batch_execute("COMMIT").await?;
            // Committed (or, after a failed statement, rolled back by the server's `COMMIT`):
            // nothing is left for `drop` to roll back.
            self.began.store(false, Ordering::Release);
        }
        Ok(())
    }

    /// `statement`, with `BEGIN` sent ahead of it if this is the transaction's first.
    async fn in_transaction<T>(
        &self,
        statement: impl Future<Output = Result<T, PostgresError>>,
    ) -> Result<T, PostgresError> {
        if self.began.swap(true, Ordering::AcqRel) {
            return statement.await;
        }
        // `BEGIN` is polled first, so it is sent first; the server answers in order.
        let begin = async { Ok::<_, PostgresError>(self.client.batch_execute("BEGIN").await?) };
        let ((), value) = tokio::try_join!(begin, statement)?;
        Ok(value)
    }
}

impl Drop for PostgresTransaction {
    /// Rolls back a transaction that began and did not commit, before its connection goes
    /// back to the pool: `ROLLBACK` is sent at once, ahead of whatever the connection's next
    /// holder sends, and its answer is not waited for (as tokio-postgres's own transactions
    /// do). A connection that has closed has nothing to roll back.
    fn drop(&mut self) {
        if !self.began.load(Ordering::Acquire) {
            return;
        }
        // tokio-postgres sends a request the first time its future is polled; once is enough.
        let rollback = pin!(self.client.batch_execute("ROLLBACK"));
        let _ = rollback.poll(&mut Context::from_waker(Waker::noop()));
    }
}
