//! Purging what the platform's tables no longer need (docs/events.md#retention): delivered
//! events, and the inbox rows of events that can no longer come back, once they are older
//! than the retention (pending and dead events, and the inbox rows of their handlers, stay);
//! and the idempotency keys whose time to live has run out, whatever the retention.

use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{DateTime, TimeDelta, Utc};
use platform_database::WriteConnection;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, LockBehavior, LockType, Query};
use sea_orm::{ColumnTrait, DeleteMany, EntityTrait, QueryFilter};
use shared_kernel_application::InfrastructureError;
use shared_kernel_domain::Clock;

use crate::entities::{inbox_entry, millis, outbox_event, status};
use crate::idempotency::{KeyColumn, KeyEntity};

/// The tables the purge deletes from, in the order a pass takes them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PurgedTable {
    Outbox,
    Inbox,
    IdempotencyKeys,
}

impl PurgedTable {
    pub const ALL: [Self; 3] = [Self::Outbox, Self::Inbox, Self::IdempotencyKeys];

    /// The table's name: the `table` label of the purge's metrics.
    pub fn name(self) -> &'static str {
        match self {
            Self::Outbox => "event_outbox",
            Self::Inbox => "event_inbox",
            Self::IdempotencyKeys => "idempotency_keys",
        }
    }
}

/// How the purge spreads its work.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PurgeSchedule {
    /// The most rows one statement deletes. On SQLite a batch holds the one write lock from
    /// its `BEGIN IMMEDIATE` to its commit, so it is kept to a few milliseconds: each deleted
    /// event also leaves a page of `event_outbox_aggregate_id_sequence_idx`, in no order, and
    /// 500 of them at once no longer fit the writer's page cache (about 2 ms for 200 on a
    /// table of a million events, 17 ms for 500; docs/operations.md#table-retention).
    pub batch_size: u64,
    /// The wait between two batches of a pass, so that a long backlog (the first purge of an
    /// old database) leaves the writer to the requests most of the time.
    pub pause: Duration,
    /// The wait between two passes.
    pub every: Duration,
}

impl Default for PurgeSchedule {
    fn default() -> Self {
        Self {
            batch_size: 200,
            pause: Duration::from_millis(10),
            every: Duration::from_secs(5 * 60),
        }
    }
}

/// What one pass deleted.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct PurgeReport {
    /// Delivered events.
    pub outbox: u64,
    /// Inbox rows.
    pub inbox: u64,
    /// Expired idempotency keys.
    pub idempotency_keys: u64,
}

impl PurgeReport {
    fn add(&mut self, table: PurgedTable, deleted: u64) {
        match table {
            PurgedTable::Outbox => self.outbox += deleted,
            PurgedTable::Inbox => self.inbox += deleted,
            PurgedTable::IdempotencyKeys => self.idempotency_keys += deleted,
        }
    }

    /// Whether the pass deleted anything.
    pub fn deleted_any(&self) -> bool {
        self.outbox > 0 || self.inbox > 0 || self.idempotency_keys > 0
    }
}

/// Deletes delivered events and inbox rows older than the retention, and expired idempotency
/// keys, a batch at a time, each batch a statement (on SQLite a transaction) of its own.
pub struct OutboxPurger {
    transactions: WriteConnection,
    clock: Arc<dyn Clock>,
    /// `None` keeps events and inbox rows for ever; expired keys go all the same.
    retention: Option<Duration>,
    schedule: PurgeSchedule,
}

impl OutboxPurger {
    pub fn new(
        transactions: WriteConnection,
        clock: Arc<dyn Clock>,
        retention: Option<Duration>,
        schedule: PurgeSchedule,
    ) -> Self {
        Self {
            transactions,
            clock,
            retention,
            schedule,
        }
    }

    pub fn schedule(&self) -> PurgeSchedule {
        self.schedule
    }

    /// Events and inbox rows older than this may go: the clock's now, less the retention.
    pub fn cutoff(&self) -> Option<DateTime<Utc>> {
        cutoff(self.clock.now(), self.retention?)
    }

    /// Where `table`'s purge stops at `now`: the retention's cutoff for events and inbox
    /// rows, `now` itself for idempotency keys (their expiry is stored); `None` when nothing
    /// of `table` is old enough.
    fn cutoff_of(&self, table: PurgedTable, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        match table {
            PurgedTable::Outbox | PurgedTable::Inbox => cutoff(now, self.retention?),
            PurgedTable::IdempotencyKeys => Some(now),
        }
    }

    /// One pass: every table, batch after batch until a batch comes back short, or until
    /// `keep_going` says to stop (it is asked after each batch, so a stop waits for one
    /// batch at most). The clock is read once, so a pass ends however fast rows age.
    pub async fn purge(
        &self,
        mut keep_going: impl FnMut() -> bool,
    ) -> Result<PurgeReport, InfrastructureError> {
        let mut report = PurgeReport::default();
        let now = self.clock.now();
        for table in PurgedTable::ALL {
            let Some(cutoff) = self.cutoff_of(table, now) else {
                continue;
            };
            loop {
                let deleted = self.purge_batch(table, cutoff).await?;
                report.add(table, deleted);
                if !keep_going() {
                    return Ok(report);
                }
                if deleted == 0 || deleted < self.schedule.batch_size {
                    break;
                }
                tokio::time::sleep(self.schedule.pause).await;
            }
        }
        Ok(report)
    }

    /// Deletes at most one batch of `table`'s rows older than `cutoff` (for idempotency keys:
    /// expired by then), and says how many it deleted.
    pub async fn purge_batch(
        &self,
        table: PurgedTable,
        cutoff: DateTime<Utc>,
    ) -> Result<u64, InfrastructureError> {
        let limit = self.schedule.batch_size;
        let started = Instant::now();
        let deleted = match table {
            PurgedTable::Outbox => self
                .transactions
                .execute_alone(&delivered_events_before(cutoff, limit))
                .await
                .map_err(InfrastructureError::during(
                    "purging delivered outbox events",
                ))?,
            PurgedTable::Inbox => self
                .transactions
                .execute_alone(&inbox_rows_before(cutoff, limit))
                .await
                .map_err(InfrastructureError::during("purging inbox rows"))?,
            PurgedTable::IdempotencyKeys => self
                .transactions
                .execute_alone(&keys_expired_by(cutoff, limit))
                .await
                .map_err(InfrastructureError::during(
                    "purging expired idempotency keys",
                ))?,
        };
        metrics::histogram!("outbox_purge_batch_seconds", "table" => table.name())
            .record(started.elapsed());
        metrics::counter!("outbox_purged_total", "table" => table.name()).increment(deleted);
        Ok(deleted)
    }
}

/// `now` less `retention`, or `None` when that is before any time a row can have (a
/// retention of centuries): then nothing is old enough.
fn cutoff(now: DateTime<Utc>, retention: Duration) -> Option<DateTime<Utc>> {
    now.checked_sub_signed(TimeDelta::from_std(retention).ok()?)
}

/// At most `limit` delivered events, delivered before `cutoff`. The select is the same on
/// both databases; on PostgreSQL it skips rows another process's purge is deleting
/// (`FOR UPDATE SKIP LOCKED`, which sea-query leaves out for SQLite), so that two purges
/// share the work instead of waiting for each other.
fn delivered_events_before(cutoff: DateTime<Utc>, limit: u64) -> DeleteMany<outbox_event::Entity> {
    use outbox_event::{Column, Entity};
    let batch = Query::select()
        .column(Column::Sequence)
        .from(Entity)
        .and_where(status::delivered(Column::Status))
        .and_where(Expr::col(Column::DeliveredAt).lt(cutoff))
        .limit(limit)
        .lock_with_behavior(LockType::Update, LockBehavior::SkipLocked)
        .to_owned();
    Entity::delete_many().filter(Column::Sequence.in_subquery(batch))
}

/// At most `limit` inbox rows processed before `cutoff` whose event can no longer be
/// delivered again: it is delivered, and was delivered before `cutoff` too, or it is no
/// longer in the outbox at all. An inbox row is what makes a second delivery of its event
/// harmless, so the rows of pending and dead events stay, however old they are.
fn inbox_rows_before(cutoff: DateTime<Utc>, limit: u64) -> DeleteMany<inbox_entry::Entity> {
    use inbox_entry::{Column, Entity};
    let old = Alias::new("old");
    let event = Alias::new("event");
    let delivered_at = (event.clone(), outbox_event::Column::DeliveredAt);
    let event_still_kept = Query::select()
        .expr(Expr::val(1))
        .from_as(outbox_event::Entity, event.clone())
        .and_where(
            Expr::col((event.clone(), outbox_event::Column::EventId))
                .equals((old.clone(), Column::EventId)),
        )
        .and_where(
            status::undelivered((event, outbox_event::Column::Status))
                .or(Expr::col(delivered_at.clone()).is_null())
                .or(Expr::col(delivered_at).gte(cutoff)),
        )
        .to_owned();
    let batch = Query::select()
        .column((old.clone(), Column::Handler))
        .column((old.clone(), Column::EventId))
        .from_as(Entity, old.clone())
        .and_where(Expr::col((old, Column::ProcessedAt)).lt(cutoff))
        .and_where(Expr::exists(event_still_kept).not())
        .limit(limit)
        .lock_with_behavior(LockType::Update, LockBehavior::SkipLocked)
        .to_owned();
    Entity::delete_many().filter(
        Expr::tuple([Expr::col(Column::Handler), Expr::col(Column::EventId)]).in_subquery(batch),
    )
}

/// At most `limit` idempotency keys expired by `cutoff` (as `KeyRecord::seen_by` counts an
/// expiry: at its instant), answered or not: a key still running when its time to live ends
/// has long outlived its lease.
fn keys_expired_by(cutoff: DateTime<Utc>, limit: u64) -> DeleteMany<KeyEntity> {
    let batch = Query::select()
        .column(KeyColumn::Owner)
        .column(KeyColumn::IdempotencyKey)
        .from(KeyEntity)
        .and_where(Expr::col(KeyColumn::ExpiresAt).lte(millis(cutoff)))
        .limit(limit)
        .lock_with_behavior(LockType::Update, LockBehavior::SkipLocked)
        .to_owned();
    KeyEntity::delete_many().filter(
        Expr::tuple([
            Expr::col(KeyColumn::Owner),
            Expr::col(KeyColumn::IdempotencyKey),
        ])
        .in_subquery(batch),
    )
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;
    use sea_orm::{DbBackend, QueryTrait};

    use super::*;

    fn at(hour: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, 1, hour, 0, 0).unwrap()
    }

    #[test]
    fn the_cutoff_is_the_retention_before_now() {
        assert_eq!(cutoff(at(12), Duration::from_secs(3 * 3600)), Some(at(9)));
        assert_eq!(cutoff(at(12), Duration::ZERO), Some(at(12)));
    }

    #[test]
    fn a_retention_longer_than_time_itself_keeps_everything() {
        assert_eq!(cutoff(at(12), Duration::MAX), None);
        assert_eq!(
            cutoff(at(12), Duration::from_secs(400_000 * 365 * 86_400)),
            None
        );
    }

    /// The partial index on the delivered events (`event_outbox_delivered_idx`) serves only a
    /// query whose condition names the status as a literal, as its definition does, and not
    /// as a parameter.
    #[test]
    fn the_outbox_batch_names_the_delivered_status_as_the_index_does() {
        for backend in [DbBackend::Sqlite, DbBackend::Postgres] {
            let sql = delivered_events_before(at(12), 500).build(backend).sql;
            assert!(sql.contains(r#""status" = ('delivered')"#), "{sql}");
        }
    }

    #[test]
    fn only_postgresql_is_asked_to_skip_the_rows_another_purge_holds() {
        let postgres = inbox_rows_before(at(12), 500)
            .build(DbBackend::Postgres)
            .sql;
        let sqlite = inbox_rows_before(at(12), 500).build(DbBackend::Sqlite).sql;
        assert!(postgres.contains("FOR UPDATE SKIP LOCKED"), "{postgres}");
        assert!(!sqlite.contains("FOR UPDATE"), "{sqlite}");
    }
}
