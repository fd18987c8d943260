//! The routes' statements on a SQLite file through rusqlite: reads on a few threads of
//! their own (one per core, each with a connection and its statements cached, taking jobs
//! from one queue: the fastest of the ways ADR 0013 measured), writes on one connection, one
//! transaction at a time (SQLite lets one writer in), with the service's settings (WAL,
//! `synchronous=NORMAL`).

use std::path::PathBuf;
use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{DateTime, SecondsFormat, Utc};
use rusqlite::{Connection, OpenFlags, OptionalExtension, params};
use uuid::Uuid;

use crate::error::ReferenceError;
use crate::store::{
    ACTIVITY_HANDLER, Added, CLAIM_LEASE_MS, NewTask, TASK_ADDED, TASK_ADDED_VERSION,
    TaskAddedEvent, now,
};
use crate::task_json::{TASK_COLUMNS, TaskRow};

const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// A read for a reader thread: it runs on the thread's connection and answers on its own.
type ReadJob = Box<dyn FnOnce(&Connection) + Send>;

pub struct SqliteStore {
    readers: Mutex<Sender<ReadJob>>,
    writer: Arc<Mutex<Connection>>,
}

/// Takes reads from the queue until every sender is gone.
fn read_loop(connection: Connection, queue: Arc<Mutex<Receiver<ReadJob>>>) {
    loop {
        let job = match queue.lock() {
            Ok(queue) => queue.recv(),
            Err(_) => return,
        };
        match job {
            Ok(job) => job(&connection),
            Err(_) => return,
        }
    }
}

fn open(path: &PathBuf) -> rusqlite::Result<Connection> {
    let connection = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    connection.busy_timeout(BUSY_TIMEOUT)?;
    connection.set_prepared_statement_cache_capacity(32);
    Ok(connection)
}

/// sqlx's storage of a date, which the service reads and writes: RFC 3339 text.
fn stored(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::AutoSi, false)
}

fn read_date(text: &str) -> rusqlite::Result<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text)
        .map(|at| at.with_timezone(&Utc))
        .map_err(|error| rusqlite::Error::ToSqlConversionFailure(Box::new(error)))
}

fn read_optional_date(text: Option<String>) -> rusqlite::Result<Option<DateTime<Utc>>> {
    text.as_deref().map(read_date).transpose()
}

fn task_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<TaskRow> {
    Ok(TaskRow {
        project_id: row.get(0)?,
        number: row.get(1)?,
        name: row.get(2)?,
        description: row.get(3)?,
        due_at: read_optional_date(row.get(4)?)?,
        priority: row.get(5)?,
        labels: row.get(6)?,
        completed_at: read_optional_date(row.get(7)?)?,
        created_at: read_date(&row.get::<_, String>(8)?)?,
        updated_at: read_optional_date(row.get(9)?)?,
    })
}

impl SqliteStore {
    pub async fn open(url: &str) -> Result<Self, ReferenceError> {
        let path = url
            .trim_start_matches("sqlite://")
            .trim_start_matches("sqlite:");
        let path = PathBuf::from(path.split('?').next().unwrap_or(path));
        let writer = {
            let path = path.clone();
            tokio::task::spawn_blocking(move || {
                let connection = open(&path)?;
                connection.pragma_update(None, "synchronous", "NORMAL")?;
                connection.pragma_update(None, "foreign_keys", true)?;
                Ok::<_, rusqlite::Error>(connection)
            })
            .await??
        };
        let (sender, queue) = channel::<ReadJob>();
        let queue = Arc::new(Mutex::new(queue));
        let cores = std::thread::available_parallelism().map_or(2, usize::from);
        for _ in 0..cores {
            let connection = open(&path)?;
            connection.pragma_update(None, "query_only", true)?;
            let queue = queue.clone();
            std::thread::spawn(move || read_loop(connection, queue));
        }
        Ok(Self {
            readers: Mutex::new(sender),
            writer: Arc::new(Mutex::new(writer)),
        })
    }

    async fn read<T: Send + 'static>(
        &self,
        job: impl FnOnce(&Connection) -> rusqlite::Result<T> + Send + 'static,
    ) -> Result<T, ReferenceError> {
        let (answer, answered) = tokio::sync::oneshot::channel();
        let job: ReadJob = Box::new(move |connection| {
            let _ = answer.send(job(connection));
        });
        let sent = match self.readers.lock() {
            Ok(readers) => readers.send(job).is_ok(),
            Err(_) => false,
        };
        if !sent {
            return Err(ReferenceError::Setup(
                "the SQLite readers have stopped".into(),
            ));
        }
        match answered.await {
            Ok(result) => Ok(result?),
            Err(_) => Err(ReferenceError::Setup("a SQLite reader stopped".into())),
        }
    }

    async fn write<T: Send + 'static>(
        &self,
        job: impl FnOnce(&mut Connection) -> rusqlite::Result<T> + Send + 'static,
    ) -> Result<T, ReferenceError> {
        let writer = self.writer.clone();
        let result = tokio::task::spawn_blocking(move || {
            let mut connection = writer
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner());
            job(&mut connection)
        })
        .await?;
        Ok(result?)
    }

    pub async fn session_is_active(
        &self,
        user: Uuid,
        session: Uuid,
        now: DateTime<Utc>,
    ) -> Result<bool, ReferenceError> {
        self.read(move |connection| {
            connection
                .prepare_cached(
                    "SELECT id FROM accounts_sessions WHERE id = ?1 AND user_id = ?2 \
                     AND ended_at IS NULL AND expires_at > ?3",
                )?
                .exists(params![session, user, stored(now)])
        })
        .await
    }

    pub async fn task_page(
        &self,
        owner: Uuid,
        project: Uuid,
        limit: usize,
    ) -> Result<Option<Vec<TaskRow>>, ReferenceError> {
        self.read(move |connection| {
            // The limit is written into the SQL, as the service's readers do: SQLite plans a
            // bound limit again on every run.
            let sql = format!(
                "SELECT {TASK_COLUMNS} FROM projects_tasks WHERE project_id = ?1 \
                 AND project_id IN (SELECT id FROM projects_projects WHERE id = ?1 \
                 AND owner_id = ?2 AND deleted_at IS NULL) \
                 ORDER BY project_id, number LIMIT {}",
                limit + 1
            );
            let rows = connection
                .prepare_cached(&sql)?
                .query_map(params![project, owner], task_row)?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            if !rows.is_empty() {
                return Ok(Some(rows));
            }
            let exists = connection
                .prepare_cached(
                    "SELECT 1 FROM projects_projects WHERE id = ?1 AND owner_id = ?2 \
                     AND deleted_at IS NULL",
                )?
                .exists(params![project, owner])?;
            Ok(exists.then_some(rows))
        })
        .await
    }

    pub async fn add_task(&self, task: NewTask) -> Result<Added, ReferenceError> {
        let (added, event) = self
            .write(move |connection| add_in_transaction(connection, task))
            .await?;
        if let Some(event) = event {
            self.write(move |connection| record_activity(connection, &event))
                .await?;
        }
        Ok(added)
    }
}

/// The task's transaction: the project's row (SQLite's write lock, taken by `BEGIN
/// IMMEDIATE`, is the lock), its counters, the task and the outbox row.
fn add_in_transaction(
    connection: &mut Connection,
    task: NewTask,
) -> rusqlite::Result<(Added, Option<TaskAddedEvent>)> {
    let transaction =
        connection.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    let project = transaction
        .prepare_cached(
            "SELECT last_task_number, task_count, incomplete_task_count, max_incomplete_tasks, \
             archived_at IS NOT NULL FROM projects_projects \
             WHERE id = ?1 AND owner_id = ?2 AND deleted_at IS NULL",
        )?
        .query_row(params![task.project, task.owner], |row| {
            Ok((
                row.get::<_, i32>(0)?,
                row.get::<_, i32>(1)?,
                row.get::<_, i32>(2)?,
                row.get::<_, Option<i32>>(3)?,
                row.get::<_, bool>(4)?,
            ))
        })
        .optional()?;
    let Some((last, count, incomplete, max, archived)) = project else {
        return Ok((Added::NoSuchProject, None));
    };
    if archived || max.is_some_and(|max| incomplete >= max) {
        return Ok((Added::Refused, None));
    }
    let number = last + 1;
    transaction
        .prepare_cached(
            "UPDATE projects_projects SET last_task_number = ?1, task_count = ?2, \
             incomplete_task_count = ?3, version = version + 1 WHERE id = ?4",
        )?
        .execute(params![number, count + 1, incomplete + 1, task.project])?;
    let created = stored(task.now);
    transaction
        .prepare_cached(
            "INSERT INTO projects_tasks (project_id, number, owner_id, name, description, \
             due_at, priority, labels, completed_at, created_at, updated_at) \
             VALUES (?1, ?2, ?3, ?4, NULL, NULL, 0, '', NULL, ?5, ?5)",
        )?
        .execute(params![
            task.project,
            number,
            task.owner,
            task.name,
            created
        ])?;
    let event = TaskAddedEvent::new(task.project, number, &task.name, task.now);
    let recorded_at = now();
    transaction
        .prepare_cached(
            "INSERT INTO event_outbox (event_id, event_type, event_version, aggregate_id, \
             occurred_at, payload, recorded_at, status, attempts, available_at, claimed_by, \
             last_error, delivered_at, request_id) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'pending', 0, ?8, ?9, NULL, NULL, ?10)",
        )?
        .execute(params![
            event.event_id,
            TASK_ADDED,
            TASK_ADDED_VERSION,
            task.project,
            created,
            event.payload(),
            stored(recorded_at),
            recorded_at.timestamp_millis() + CLAIM_LEASE_MS,
            event.claim,
            task.request_id.to_string(),
        ])?;
    transaction.commit()?;
    let row = TaskRow::added(task.project, number, task.name, task.now);
    Ok((Added::Task(row), Some(event)))
}

/// The activity context's handler of the event, and its delivery settled, in one transaction.
fn record_activity(connection: &mut Connection, event: &TaskAddedEvent) -> rusqlite::Result<()> {
    let transaction =
        connection.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    let now = stored(now());
    transaction
        .prepare_cached(
            "INSERT INTO event_inbox (handler, event_id, processed_at) VALUES (?1, ?2, ?3) \
             ON CONFLICT (handler, event_id) DO NOTHING",
        )?
        .execute(params![ACTIVITY_HANDLER, event.event_id, now])?;
    let owner: Option<Uuid> = transaction
        .prepare_cached("SELECT owner_id FROM activity_projects WHERE project_id = ?1")?
        .query_row(params![event.project], |row| row.get(0))
        .optional()?;
    transaction
        .prepare_cached(
            "INSERT INTO activity_tasks (project_id, number, name) VALUES (?1, ?2, ?3)",
        )?
        .execute(params![event.project, event.number, event.name])?;
    if let Some(owner) = owner {
        transaction
            .prepare_cached(
                "INSERT INTO activity_entries (project_id, id, owner_id, event_type, \
                 task_number, summary, occurred_at) VALUES (?1, ?2, ?3, 'task_added', ?4, ?5, ?6)",
            )?
            .execute(params![
                event.project,
                event.event_id,
                owner,
                event.number,
                event.summary(),
                stored(event.occurred_at),
            ])?;
    }
    transaction
        .prepare_cached(
            "UPDATE event_outbox SET claimed_by = NULL, status = 'delivered', delivered_at = ?1 \
             WHERE event_id = ?2 AND claimed_by = ?3 AND status = 'pending'",
        )?
        .execute(params![now, event.event_id, event.claim])?;
    transaction.commit()
}
