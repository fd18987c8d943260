//! The two databases behind the routes, and what the routes ask of them.

use chrono::{DateTime, SubsecRound, Utc};
use uuid::Uuid;

use crate::error::ReferenceError;
use crate::postgres::PostgresStore;
use crate::sqlite::SqliteStore;
use crate::task_json::TaskRow;

pub enum Store {
    Sqlite(SqliteStore),
    Postgres(PostgresStore),
}

/// A task to add, as the route has read it.
pub struct NewTask {
    pub owner: Uuid,
    pub project: Uuid,
    pub name: String,
    pub request_id: Uuid,
    pub now: DateTime<Utc>,
}

pub enum Added {
    Task(TaskRow),
    /// Not the caller's project, or none at all (404).
    NoSuchProject,
    /// Archived, or at its maximum of incomplete tasks (409).
    Refused,
}

/// What the activity context's handler is told of the new task; its writes come after the
/// task's transaction has committed, as the service's outbox delivers them.
pub struct TaskAddedEvent {
    pub event_id: Uuid,
    pub claim: Uuid,
    pub project: Uuid,
    pub number: i32,
    pub name: String,
    pub occurred_at: DateTime<Utc>,
}

/// The event's stored type, version and payload, as the projects context writes them.
pub const TASK_ADDED: &str = "projects.TaskAdded";
pub const TASK_ADDED_VERSION: i32 = 2;
/// The activity context's handler, as the inbox names it.
pub const ACTIVITY_HANDLER: &str = "activity.RecordActivity";
/// How long a claim on an event delivered right after its commit lasts (the outbox's lease).
pub const CLAIM_LEASE_MS: i64 = 30_000;

/// Now, to the microsecond, as the service keeps every time it stores.
pub fn now() -> DateTime<Utc> {
    Utc::now().trunc_subsecs(6)
}

impl TaskAddedEvent {
    /// The event of task `number` added to `project`, with its claim for delivery right after
    /// the commit.
    pub fn new(project: Uuid, number: i32, name: &str, occurred_at: DateTime<Utc>) -> Self {
        Self {
            event_id: Uuid::now_v7(),
            claim: Uuid::now_v7(),
            project,
            number,
            name: name.to_owned(),
            occurred_at,
        }
    }

    pub fn payload(&self) -> String {
        serde_json::json!({"projectId": self.project, "number": self.number, "name": self.name})
            .to_string()
    }

    pub fn summary(&self) -> String {
        format!("Task {} “{}” was added", self.number, self.name)
    }
}

impl Store {
    pub async fn open(url: &str, max_connections: usize) -> Result<Self, ReferenceError> {
        match url.split_once(':').map(|(scheme, _)| scheme) {
            Some("sqlite") => Ok(Self::Sqlite(SqliteStore::open(url).await?)),
            Some("postgres" | "postgresql") => Ok(Self::Postgres(
                PostgresStore::open(url, max_connections).await?,
            )),
            _ => Err(ReferenceError::Setup(format!(
                "DATABASE_URL must be sqlite:// or postgres://, not {url:?}"
            ))),
        }
    }

    pub fn kind(&self) -> &'static str {
        match self {
            Self::Sqlite(_) => "SQLite through rusqlite",
            Self::Postgres(_) => "PostgreSQL through tokio-postgres",
        }
    }

    pub async fn session_is_active(
        &self,
        user: Uuid,
        session: Uuid,
        now: DateTime<Utc>,
    ) -> Result<bool, ReferenceError> {
        match self {
            Self::Sqlite(store) => store.session_is_active(user, session, now).await,
            Self::Postgres(store) => store.session_is_active(user, session, now).await,
        }
    }

    /// `limit + 1` tasks of `project` in number order, or `None` when it is not `owner`'s.
    pub async fn task_page(
        &self,
        owner: Uuid,
        project: Uuid,
        limit: usize,
    ) -> Result<Option<Vec<TaskRow>>, ReferenceError> {
        match self {
            Self::Sqlite(store) => store.task_page(owner, project, limit).await,
            Self::Postgres(store) => store.task_page(owner, project, limit).await,
        }
    }

    pub async fn add_task(&self, task: NewTask) -> Result<Added, ReferenceError> {
        match self {
            Self::Sqlite(store) => store.add_task(task).await,
            Self::Postgres(store) => store.add_task(task).await,
        }
    }
}
