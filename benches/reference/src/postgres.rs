//! The routes' statements on PostgreSQL through tokio-postgres: a pool of clients
//! (deadpool-postgres), each statement prepared once per connection and cached.

use chrono::Utc;
use deadpool_postgres::{GenericClient, Manager, ManagerConfig, Pool, RecyclingMethod};
use tokio_postgres::NoTls;
use uuid::Uuid;

use crate::error::ReferenceError;
use crate::store::{
    ACTIVITY_HANDLER, Added, CLAIM_LEASE_MS, NewTask, TASK_ADDED, TASK_ADDED_VERSION,
    TaskAddedEvent, now,
};
use crate::task_json::{TASK_COLUMNS, TaskRow};

pub struct PostgresStore {
    pool: Pool,
    page_sql: String,
}

fn task_row(row: &tokio_postgres::Row) -> Result<TaskRow, tokio_postgres::Error> {
    Ok(TaskRow {
        project_id: row.try_get(0)?,
        number: row.try_get(1)?,
        name: row.try_get(2)?,
        description: row.try_get(3)?,
        due_at: row.try_get(4)?,
        priority: row.try_get(5)?,
        labels: row.try_get(6)?,
        completed_at: row.try_get(7)?,
        created_at: row.try_get(8)?,
        updated_at: row.try_get(9)?,
    })
}

impl PostgresStore {
    pub async fn open(url: &str, max_connections: usize) -> Result<Self, ReferenceError> {
        let config: tokio_postgres::Config = url
            .parse()
            .map_err(|error| ReferenceError::Setup(format!("DATABASE_URL: {error}")))?;
        let manager = Manager::from_config(
            config,
            NoTls,
            ManagerConfig {
                recycling_method: RecyclingMethod::Fast,
            },
        );
        let pool = Pool::builder(manager)
            .max_size(max_connections.max(1))
            .build()
            .map_err(|error| ReferenceError::Setup(format!("the pool: {error}")))?;
        // One connection now, so that a wrong URL fails at start-up.
        drop(pool.get().await?);
        Ok(Self {
            pool,
            page_sql: format!(
                "SELECT {TASK_COLUMNS} FROM projects_tasks WHERE project_id = $1 \
                 AND project_id IN (SELECT id FROM projects_projects WHERE id = $1 \
                 AND owner_id = $2 AND deleted_at IS NULL) \
                 ORDER BY project_id, number LIMIT $3"
            ),
        })
    }

    pub async fn session_is_active(
        &self,
        user: Uuid,
        session: Uuid,
        now: chrono::DateTime<Utc>,
    ) -> Result<bool, ReferenceError> {
        let client = self.pool.get().await?;
        let statement = client
            .prepare_cached(
                "SELECT id FROM accounts_sessions WHERE id = $1 AND user_id = $2 \
                 AND ended_at IS NULL AND expires_at > $3",
            )
            .await?;
        Ok(client
            .query_opt(&statement, &[&session, &user, &now])
            .await?
            .is_some())
    }

    pub async fn task_page(
        &self,
        owner: Uuid,
        project: Uuid,
        limit: usize,
    ) -> Result<Option<Vec<TaskRow>>, ReferenceError> {
        let client = self.pool.get().await?;
        let statement = client.prepare_cached(&self.page_sql).await?;
        let fetch = i64::try_from(limit + 1).unwrap_or(i64::MAX);
        let rows = client
            .query(&statement, &[&project, &owner, &fetch])
            .await?
            .iter()
            .map(task_row)
            .collect::<Result<Vec<_>, _>>()?;
        if !rows.is_empty() {
            return Ok(Some(rows));
        }
        let statement = client
            .prepare_cached(
                "SELECT 1 FROM projects_projects WHERE id = $1 AND owner_id = $2 \
                 AND deleted_at IS NULL",
            )
            .await?;
        let exists = client
            .query_opt(&statement, &[&project, &owner])
            .await?
            .is_some();
        Ok(exists.then_some(rows))
    }

    pub async fn add_task(&self, task: NewTask) -> Result<Added, ReferenceError> {
        let mut client = self.pool.get().await?;
        let (added, event) = add_in_transaction(&mut client, task).await?;
        if let Some(event) = event {
            record_activity(&mut client, &event).await?;
        }
        Ok(added)
    }
}

/// The task's transaction: the project's row locked, its counters, the task and the outbox
/// row.
async fn add_in_transaction(
    client: &mut deadpool_postgres::Client,
    task: NewTask,
) -> Result<(Added, Option<TaskAddedEvent>), ReferenceError> {
    let transaction = client.transaction().await?;
    let statement = transaction
        .prepare_cached(
            "SELECT last_task_number, task_count, incomplete_task_count, max_incomplete_tasks, \
             archived_at IS NOT NULL FROM projects_projects \
             WHERE id = $1 AND owner_id = $2 AND deleted_at IS NULL FOR UPDATE",
        )
        .await?;
    let Some(project) = transaction
        .query_opt(&statement, &[&task.project, &task.owner])
        .await?
    else {
        return Ok((Added::NoSuchProject, None));
    };
    let (last, count, incomplete): (i32, i32, i32) = (
        project.try_get(0)?,
        project.try_get(1)?,
        project.try_get(2)?,
    );
    let (max, archived): (Option<i32>, bool) = (project.try_get(3)?, project.try_get(4)?);
    if archived || max.is_some_and(|max| incomplete >= max) {
        return Ok((Added::Refused, None));
    }
    let number = last + 1;
    let statement = transaction
        .prepare_cached(
            "UPDATE projects_projects SET last_task_number = $1, task_count = $2, \
             incomplete_task_count = $3, version = version + 1 WHERE id = $4",
        )
        .await?;
    transaction
        .execute(
            &statement,
            &[&number, &(count + 1), &(incomplete + 1), &task.project],
        )
        .await?;
    let statement = transaction
        .prepare_cached(
            "INSERT INTO projects_tasks (project_id, number, owner_id, name, description, \
             due_at, priority, labels, completed_at, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, NULL, NULL, 0, '', NULL, $5, $5)",
        )
        .await?;
    transaction
        .execute(
            &statement,
            &[&task.project, &number, &task.owner, &task.name, &task.now],
        )
        .await?;
    let event = TaskAddedEvent::new(task.project, number, &task.name, task.now);
    let recorded_at = now();
    let statement = transaction
        .prepare_cached(
            "INSERT INTO event_outbox (event_id, event_type, event_version, aggregate_id, \
             occurred_at, payload, recorded_at, status, attempts, available_at, claimed_by, \
             last_error, delivered_at, request_id) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, 'pending', 0, $8, $9, NULL, NULL, $10)",
        )
        .await?;
    transaction
        .execute(
            &statement,
            &[
                &event.event_id,
                &TASK_ADDED,
                &TASK_ADDED_VERSION,
                &task.project,
                &task.now,
                &event.payload(),
                &recorded_at,
                &(recorded_at.timestamp_millis() + CLAIM_LEASE_MS),
                &event.claim,
                &task.request_id.to_string(),
            ],
        )
        .await?;
    transaction.commit().await?;
    let row = TaskRow::added(task.project, number, task.name, task.now);
    Ok((Added::Task(row), Some(event)))
}

/// The activity context's handler of the event, and its delivery settled, in one transaction.
async fn record_activity(
    client: &mut deadpool_postgres::Client,
    event: &TaskAddedEvent,
) -> Result<(), ReferenceError> {
    let transaction = client.transaction().await?;
    let now = now();
    let statement = transaction
        .prepare_cached(
            "INSERT INTO event_inbox (handler, event_id, processed_at) VALUES ($1, $2, $3) \
             ON CONFLICT (handler, event_id) DO NOTHING",
        )
        .await?;
    transaction
        .execute(&statement, &[&ACTIVITY_HANDLER, &event.event_id, &now])
        .await?;
    let statement = transaction
        .prepare_cached("SELECT owner_id FROM activity_projects WHERE project_id = $1")
        .await?;
    let owner = transaction.query_opt(&statement, &[&event.project]).await?;
    let statement = transaction
        .prepare_cached("INSERT INTO activity_tasks (project_id, number, name) VALUES ($1, $2, $3)")
        .await?;
    transaction
        .execute(&statement, &[&event.project, &event.number, &event.name])
        .await?;
    if let Some(owner) = owner {
        let owner: Uuid = owner.try_get(0)?;
        let statement = transaction
            .prepare_cached(
                "INSERT INTO activity_entries (project_id, id, owner_id, event_type, \
                 task_number, summary, occurred_at) \
                 VALUES ($1, $2, $3, 'task_added', $4, $5, $6)",
            )
            .await?;
        transaction
            .execute(
                &statement,
                &[
                    &event.project,
                    &event.event_id,
                    &owner,
                    &event.number,
                    &event.summary(),
                    &event.occurred_at,
                ],
            )
            .await?;
    }
    let statement = transaction
        .prepare_cached(
            "UPDATE event_outbox SET claimed_by = NULL, status = 'delivered', delivered_at = $1 \
             WHERE event_id = $2 AND claimed_by = $3 AND status = 'pending'",
        )
        .await?;
    transaction
        .execute(&statement, &[&now, &event.event_id, &event.claim])
        .await?;
    transaction.commit().await?;
    Ok(())
}
