use std::num::NonZeroUsize;
use std::path::{Path, PathBuf};
use std::time::Duration;

use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
use sea_orm::{
    ConnectOptions, ConnectionTrait, Database as SeaOrmDatabase, DatabaseBackend,
    DatabaseConnection, DatabaseTransaction, DbErr, SqliteTransactionMode, Statement,
    TransactionOptions, TransactionTrait,
};

use shared_kernel_infrastructure::QueueLimits;

use crate::postgres::{PostgresError, PostgresReaders, PostgresWriters};
use crate::postgres_tls::{PostgresTls, PostgresTlsError};
use crate::postgres_url::{InvalidPostgresUrl, PostgresUrl};
use crate::sqlite::{OpenReadersError, OpenWriterError, SqliteReaderThreads, SqliteWriterThread};
use crate::{ReadConnection, WriteConnection};

/// How to open the connections; the defaults suit the dev server and the tests.
#[derive(Debug, Clone)]
pub struct DatabaseOptions {
    /// PostgreSQL: the pool's size. SQLite: how many reader threads (and the pool's size).
    pub max_connections: u32,
    /// How long to wait for the database before calling it unavailable
    /// (`DATABASE_TIMEOUT_MS`): for a connection from the pool, for a new connection to be
    /// made, and on SQLite for a lock another process holds (the busy timeout).
    pub timeout: Duration,
    /// The bounds of the SQLite writer's and readers' queues (`QUEUE_MAX_JOBS`,
    /// `QUEUE_TIMEOUT_MS`).
    pub queue: QueueLimits,
}

impl Default for DatabaseOptions {
    fn default() -> Self {
        Self {
            max_connections: 16,
            timeout: Duration::from_secs(2),
            queue: QueueLimits::default(),
        }
    }
}

/// The connections of a process, each named for what goes through it:
///
/// - `queries`: the read sides' queries. On a SQLite file, `max_connections` reader threads
///   with a connection each (ADR 0013); on PostgreSQL, a pool of up to `max_connections`
///   tokio-postgres connections of its own, beside sea-orm's; otherwise the pool.
/// - `transactions`: every transaction a running service writes (Units of Work, the outbox
///   relay). On a SQLite file, the writer's thread with the one write connection, which also
///   runs the command handlers (ADR 0014); on PostgreSQL, a second pool of up to
///   `max_connections` tokio-postgres connections; otherwise the pool.
/// - `pool`: sea-orm's pool itself, for what runs while the service does not write:
///   migrations before serving, the seed's bulk inserts, the operator's tools, and tests that
///   look at the data directly.
///
/// On a SQLite file nothing may write through `pool` while a transaction on `transactions`
/// waits for it: the database lets one writer in at a time, and waiting for the writer's turn
/// is first come, first served, while waiting in SQLite's busy handler is sleep and retry (a
/// p99 of a second under load, in docs/benchmarks.md).
#[derive(Debug, Clone)]
pub struct Database {
    pub queries: ReadConnection,
    pub transactions: WriteConnection,
    pub pool: DatabaseConnection,
}

/// Why `Database::connect` (or `connect_pool`) could not open the connections.
#[derive(Debug, thiserror::Error)]
pub enum ConnectError {
    /// The URL's TLS parameters cannot work, or TLS to PostgreSQL failed: said in one line.
    #[error(transparent)]
    Tls(#[from] PostgresTlsError),
    /// A part of a PostgreSQL URL that sqlx would refuse as well.
    #[error(transparent)]
    Url(#[from] InvalidPostgresUrl),
    /// The pool's first connection failed: `reason` is the driver's, said once (sea-orm's
    /// error repeats it as its own source).
    #[error("could not open a database pool: {reason}")]
    Open { reason: String, error: DbErr },
    #[error("could not create the folder {} for the SQLite database", folder.display())]
    SqliteFolder {
        folder: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("could not open a database pool")]
    Pool(#[from] DbErr),
    /// The first connection of the PostgreSQL readers' or writers' pool failed.
    #[error("could not open a database pool")]
    PostgresConnection(#[source] PostgresError),
    #[error("could not set up a PostgreSQL pool")]
    PostgresPool(#[from] deadpool_postgres::BuildError),
    #[error("could not start the SQLite readers")]
    Readers(#[from] OpenReadersError),
    #[error("could not start the SQLite writer")]
    Writer(#[from] OpenWriterError),
    #[error("the task that opens the SQLite connections stopped")]
    OpeningTask(#[from] tokio::task::JoinError),
}

impl Database {
    /// Opens the connections for `url`: `sqlite://path/to/file.db` or `postgres://…`.
    pub async fn connect(url: &str, options: &DatabaseOptions) -> Result<Self, ConnectError> {
        if let Some(postgres) = PostgresUrl::read(url)? {
            postgres.tls.check_root_cert()?;
            // The readers first: they open their first connection at once, where sqlx's pool
            // retries a refused one until the timeout, and what stops start-up is said in the
            // same words either way (`postgres_tls`).
            let queries = PostgresReaders::open(&postgres, options).await?;
            let transactions = PostgresWriters::open(&postgres, options).await?;
            let pool = open_pool(url, Some(&postgres.tls), options).await?;
            return Ok(Self {
                queries: ReadConnection::Postgres(queries),
                transactions: WriteConnection::Postgres(transactions),
                pool,
            });
        }
        let pool = connect_pool(url, options).await?;
        if pool.get_database_backend() != DatabaseBackend::Sqlite {
            return Ok(Self::all_on(pool));
        }
        let Some(file) = main_database_file(&pool).await? else {
            // An in-memory database exists only for the connections that share it, and sqlx
            // gives each connection its own: everything must go through one connection.
            let single = DatabaseOptions {
                max_connections: 1,
                ..options.clone()
            };
            return Ok(Self::all_on(connect_pool(url, &single).await?));
        };
        let count = usize::try_from(options.max_connections)
            .ok()
            .and_then(NonZeroUsize::new)
            .unwrap_or(NonZeroUsize::MIN);
        let (busy_timeout, queue) = (options.timeout, options.queue);
        // Opening files and running pragmas blocks: not on an async worker.
        let (readers, writer) = tokio::task::spawn_blocking(move || {
            Ok::<_, ConnectError>((
                SqliteReaderThreads::open(&file, count, busy_timeout, queue)?,
                SqliteWriterThread::open(&file, busy_timeout, queue)?,
            ))
        })
        .await??;
        Ok(Self {
            queries: ReadConnection::SqliteReaders(readers),
            transactions: WriteConnection::SqliteWriter(writer),
            pool,
        })
    }

    /// Queries and transactions on `pool` itself.
    fn all_on(pool: DatabaseConnection) -> Self {
        Self {
            queries: ReadConnection::Pool(pool.clone()),
            transactions: WriteConnection::Pool(pool.clone()),
            pool,
        }
    }
}

/// Begins a transaction that will write, on a sea-orm pool. On SQLite it is
/// `BEGIN IMMEDIATE`: taking the write lock up front lets concurrent writers queue on the busy
/// timeout instead of failing when a read lock cannot be upgraded. Every writer begins this
/// way; the SQLite writer's thread issues the same `BEGIN IMMEDIATE` itself.
pub async fn begin_write(database: &DatabaseConnection) -> Result<DatabaseTransaction, DbErr> {
    database
        .begin_with_options(TransactionOptions {
            sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
            ..TransactionOptions::default()
        })
        .await
}

/// The file the SQLite connection has open, as SQLite resolved it (after sqlx's decoding of
/// the URL and its `mode` and `vfs` options), or `None` for an in-memory database.
async fn main_database_file(connection: &DatabaseConnection) -> Result<Option<PathBuf>, DbErr> {
    let row = connection
        .query_one_raw(Statement::from_string(
            DatabaseBackend::Sqlite,
            "SELECT file FROM pragma_database_list WHERE name = 'main'",
        ))
        .await?;
    let file = match row {
        Some(row) => row.try_get::<String>("", "file")?,
        None => String::new(),
    };
    Ok((!file.is_empty()).then(|| PathBuf::from(file)))
}

/// How many rows one multi-row `INSERT` of `columns` columns may carry: SQLite binds at most
/// 32,766 parameters per statement (PostgreSQL 65,535), so bulk writers split their rows by
/// this.
pub fn rows_per_insert(columns: usize) -> usize {
    const MAX_BIND_PARAMETERS: usize = 32_766;
    (MAX_BIND_PARAMETERS / columns.max(1)).max(1)
}

/// Room for the largest page a query reads (200 rows and one more) and the final result.
const SQLITE_ROW_BUFFER_SIZE: usize = 256;

/// Opens sea-orm's connection pool to `url`: `sqlite://path/to/file.db` or `postgres://…`.
///
/// SQLite gets what a server needs from it: the file (and its folder) created on first run,
/// write-ahead logging so that readers never wait for the writer, a busy timeout so that
/// writers queue instead of failing, and foreign keys enforced.
///
/// PostgreSQL gets TLS as the URL's `sslmode` and `sslrootcert` ask, read as libpq reads them
/// (`postgres_tls`).
pub async fn connect_pool(
    url: &str,
    options: &DatabaseOptions,
) -> Result<DatabaseConnection, ConnectError> {
    let tls = PostgresUrl::read(url)?.map(|postgres| postgres.tls);
    if let Some(tls) = &tls {
        tls.check_root_cert()?;
    }
    open_pool(url, tls.as_ref(), options).await
}

/// `connect_pool`, with the URL's TLS already read (`None` for SQLite) and its CA file
/// checked.
async fn open_pool(
    url: &str,
    tls: Option<&PostgresTls>,
    options: &DatabaseOptions,
) -> Result<DatabaseConnection, ConnectError> {
    if let Some(folder) = sqlite_file_path(url)
        .and_then(|path| Path::new(path).parent())
        .filter(|folder| !folder.as_os_str().is_empty())
    {
        std::fs::create_dir_all(folder).map_err(|source| ConnectError::SqliteFolder {
            folder: folder.to_path_buf(),
            source,
        })?;
    }
    let busy_timeout = options.timeout;
    let mut connect_options = ConnectOptions::new(url);
    connect_options
        .max_connections(options.max_connections)
        .min_connections(1)
        // While the database does not answer, a request waits this long for a connection
        // (sqlx retries a refused one until then) and is answered 503, instead of hanging.
        .acquire_timeout(options.timeout)
        .connect_timeout(options.timeout)
        .sqlx_logging(false)
        .map_sqlx_sqlite_opts(move |sqlite| {
            sqlite
                .create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .busy_timeout(busy_timeout)
                .foreign_keys(true)
                // Rows travel from the connection's worker thread in a bounded channel; one
                // that holds the largest page (200 rows, plus the one that says more follow)
                // lets the worker finish a query without waiting for the reader.
                .row_buffer_size(SQLITE_ROW_BUFFER_SIZE)
        });
    match tls.cloned() {
        // On PostgreSQL no request's statement runs on this pool (the readers' and the writers'
        // pools serve them): it pings each connection it hands out, as sqlx does by default, so
        // that readiness and the tools never meet one that an outage cut.
        Some(tls) => {
            connect_options.map_sqlx_postgres_opts(move |postgres| tls.apply(postgres));
        }
        // sqlx's ping on every acquire would cost a round trip to SQLite's worker thread per
        // query on an in-memory database, where this pool serves everything; it only pays off
        // after a connection has sat idle long enough to be cut.
        None => {
            connect_options.test_before_acquire_if_idle_for(Duration::from_secs(30));
        }
    }
    SeaOrmDatabase::connect(connect_options)
        .await
        .map_err(|error| open_failure(error, tls))
}

/// Why the pool's first connection failed, in one line: what TLS found, or the driver's words.
fn open_failure(error: DbErr, tls: Option<&PostgresTls>) -> ConnectError {
    if let Some(failure) = tls.and_then(|tls| tls.failure(&error)) {
        return ConnectError::Tls(failure);
    }
    ConnectError::Open {
        reason: match &error {
            DbErr::Conn(driver) => driver.to_string(),
            other => other.to_string(),
        },
        error,
    }
}

/// The file behind a SQLite URL, or `None` for other databases and in-memory SQLite.
fn sqlite_file_path(url: &str) -> Option<&str> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next().unwrap_or_default();
    (!path.is_empty() && path != ":memory:").then_some(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_file_behind_a_sqlite_url() {
        assert_eq!(
            sqlite_file_path("sqlite://data/app.db?mode=rwc"),
            Some("data/app.db")
        );
        assert_eq!(sqlite_file_path("sqlite:app.db"), Some("app.db"));
        assert_eq!(
            sqlite_file_path("sqlite:///tmp/x/app.db"),
            Some("/tmp/x/app.db")
        );
        assert_eq!(sqlite_file_path("sqlite::memory:"), None);
        assert_eq!(sqlite_file_path("postgres://localhost/app"), None);
    }

    #[tokio::test]
    async fn a_first_connection_that_fails_is_said_once() {
        let folder = tempfile::tempdir().unwrap();
        // Read-only, and not there: SQLite cannot open it.
        let url = format!("sqlite://{}/missing.db?mode=ro", folder.path().display());

        let error = connect_pool(&url, &DatabaseOptions::default())
            .await
            .unwrap_err();

        let report = shared_kernel_application::error_chain(&error);
        assert!(matches!(error, ConnectError::Open { .. }), "{report}");
        assert!(
            report.starts_with("could not open a database pool: error returned from database"),
            "{report}"
        );
        // sea-orm's error gives the driver's as its source too: not twice in the report.
        assert_eq!(
            report.matches("unable to open database file").count(),
            1,
            "{report}"
        );
    }

    #[tokio::test]
    async fn the_readers_open_the_file_the_writer_has_open_whatever_the_url_says() {
        let folder = tempfile::tempdir().unwrap();
        // sqlx decodes `%20` and reads `mode`; the readers must not guess either.
        let url = format!("sqlite://{}/my%20app.db?mode=rwc", folder.path().display());
        let database = Database::connect(&url, &DatabaseOptions::default())
            .await
            .unwrap();

        let file = main_database_file(&database.pool).await.unwrap();

        assert_eq!(file, Some(folder.path().join("my app.db")));
        assert!(matches!(database.queries, ReadConnection::SqliteReaders(_)));
        assert!(matches!(
            database.transactions,
            WriteConnection::SqliteWriter(_)
        ));
    }

    #[tokio::test]
    async fn an_in_memory_database_is_queried_through_the_one_connection_that_writes() {
        let database = Database::connect("sqlite::memory:", &DatabaseOptions::default())
            .await
            .unwrap();

        assert_eq!(main_database_file(&database.pool).await.unwrap(), None);
        let ReadConnection::Pool(queries) = &database.queries else {
            panic!("an in-memory database has no file for readers to open");
        };
        assert!(
            matches!(database.transactions, WriteConnection::Pool(_)),
            "nor for a writer's thread to open"
        );
        database
            .pool
            .execute_unprepared("CREATE TABLE seen (x INTEGER); INSERT INTO seen VALUES (1);")
            .await
            .unwrap();
        let row = queries
            .query_one_raw(Statement::from_string(
                DatabaseBackend::Sqlite,
                "SELECT COUNT(*) AS n FROM seen",
            ))
            .await
            .unwrap()
            .unwrap();
        assert_eq!(row.try_get::<i64>("", "n").unwrap(), 1);
    }
}
