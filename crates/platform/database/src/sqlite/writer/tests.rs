use std::time::Duration;

use sea_orm::{DatabaseBackend, Statement};
use tempfile::TempDir;

use super::*;
use crate::write_connection::WriteError;

/// A SQLite file in WAL mode with a table `names (name TEXT UNIQUE)`, and its writer.
struct Fixture {
    folder: TempDir,
    writer: SqliteWriterThread,
}

impl Fixture {
    fn new() -> Self {
        let folder = tempfile::tempdir().unwrap();
        let setup = Connection::open(folder.path().join("test.db")).unwrap();
        setup
            .execute_batch(
                "PRAGMA journal_mode = WAL; CREATE TABLE names (name TEXT NOT NULL UNIQUE);",
            )
            .unwrap();
        let writer = SqliteWriterThread::open(
            &folder.path().join("test.db"),
            Duration::from_secs(5),
            QueueLimits::default(),
        )
        .unwrap();
        Self { folder, writer }
    }

    /// The names committed so far, as another connection sees them.
    fn committed(&self) -> Vec<String> {
        let connection = Connection::open(self.folder.path().join("test.db")).unwrap();
        let mut select = connection
            .prepare("SELECT name FROM names ORDER BY name")
            .unwrap();
        select
            .query_map([], |row| row.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    }
}

fn insert(name: &str) -> SqliteStatement {
    SqliteStatement::new(Statement::from_sql_and_values(
        DatabaseBackend::Sqlite,
        "INSERT INTO names (name) VALUES (?)",
        [name.into()],
    ))
    .unwrap()
}

#[tokio::test]
async fn a_committed_transaction_is_there_for_every_connection() {
    let fixture = Fixture::new();

    let transaction = fixture.writer.begin().await.unwrap();
    assert_eq!(transaction.execute(insert("ada")).await.unwrap(), 1);
    assert_eq!(fixture.committed(), Vec::<String>::new());
    transaction.commit().await.unwrap();

    assert_eq!(fixture.committed(), vec!["ada"]);
}

#[tokio::test]
async fn a_transaction_dropped_off_the_writers_thread_rolls_back_and_passes_the_turn_on() {
    let fixture = Fixture::new();

    let transaction = fixture.writer.begin().await.unwrap();
    transaction.execute(insert("ada")).await.unwrap();
    drop(transaction);
    let next = tokio::time::timeout(Duration::from_secs(5), fixture.writer.begin())
        .await
        .expect("the turn passed on")
        .unwrap();
    next.execute(insert("grace")).await.unwrap();
    next.commit().await.unwrap();

    assert_eq!(fixture.committed(), vec!["grace"]);
}

#[tokio::test]
async fn a_transaction_dropped_on_the_writers_thread_rolls_back_there() {
    let fixture = Fixture::new();
    let writer = fixture.writer.clone();

    fixture
        .writer
        .run(async move {
            let transaction = writer.begin().await.unwrap();
            transaction.execute(insert("ada")).await.unwrap();
        })
        .await
        .unwrap();
    let writer = fixture.writer.clone();
    fixture
        .writer
        .run(async move {
            let transaction = writer.begin().await.unwrap();
            transaction.execute(insert("grace")).await.unwrap();
            transaction.commit().await.unwrap();
        })
        .await
        .unwrap();

    assert_eq!(fixture.committed(), vec!["grace"]);
}

#[tokio::test]
async fn one_transaction_at_a_time_the_next_begins_when_the_first_ends() {
    let fixture = Fixture::new();
    let first = fixture.writer.begin().await.unwrap();

    let writer = fixture.writer.clone();
    let mut second = tokio::spawn(async move {
        let second = writer.begin().await.unwrap();
        second.execute(insert("grace")).await.unwrap();
        second.commit().await.unwrap();
    });
    let waited = tokio::time::timeout(Duration::from_millis(200), &mut second).await;
    assert!(waited.is_err(), "the second began inside the first");
    first.execute(insert("ada")).await.unwrap();
    first.commit().await.unwrap();
    tokio::time::timeout(Duration::from_secs(5), second)
        .await
        .expect("the second began once the first ended")
        .unwrap();

    assert_eq!(fixture.committed(), vec!["ada", "grace"]);
}

#[tokio::test]
async fn tasks_run_on_the_writers_thread_and_a_panic_is_their_callers_error() {
    let fixture = Fixture::new();

    let thread = fixture
        .writer
        .run(async { std::thread::current().name().map(str::to_owned) })
        .await
        .unwrap();
    assert_eq!(thread.as_deref(), Some("sqlite-writer"));

    let writer = fixture.writer.clone();
    let panicked = fixture
        .writer
        .run(async move {
            let transaction = writer.begin().await.unwrap();
            transaction.execute(insert("ada")).await.unwrap();
            panic!("a handler's bug");
        })
        .await;
    assert!(matches!(panicked, Err(WriteError::WriterStopped)));

    // The panic rolled its transaction back and passed the turn on; the writer goes on.
    let transaction = tokio::time::timeout(Duration::from_secs(5), fixture.writer.begin())
        .await
        .expect("the turn passed on")
        .unwrap();
    transaction.execute(insert("grace")).await.unwrap();
    transaction.commit().await.unwrap();
    assert_eq!(fixture.committed(), vec!["grace"]);
}

#[tokio::test]
async fn a_unique_index_that_refuses_a_write_says_so() {
    let fixture = Fixture::new();
    let transaction = fixture.writer.begin().await.unwrap();
    transaction.execute(insert("ada")).await.unwrap();

    let error = transaction.execute(insert("ada")).await.unwrap_err();

    assert!(error.is_unique_violation(), "{error:?}");
    assert!(
        !WriteError::WriterStopped.is_unique_violation(),
        "only a refused write is a violation"
    );
}
