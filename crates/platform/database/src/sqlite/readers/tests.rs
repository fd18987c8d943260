use super::*;

fn readers_over_a_new_file(count: usize) -> (tempfile::TempDir, SqliteReaderThreads) {
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("test.db");
    let writer = Connection::open(&path).unwrap();
    writer
        .execute_batch(
            "PRAGMA journal_mode = WAL; CREATE TABLE numbers (n INTEGER); \
             INSERT INTO numbers VALUES (1), (2), (3);",
        )
        .unwrap();
    let readers = SqliteReaderThreads::open(
        &path,
        NonZeroUsize::new(count).unwrap(),
        Duration::from_secs(1),
        QueueLimits::default(),
    )
    .unwrap();
    (folder, readers)
}

fn sum(connection: &Connection) -> Result<i64, rusqlite::Error> {
    connection.query_row("SELECT SUM(n) FROM numbers", [], |row| row.get(0))
}

#[tokio::test]
async fn a_job_reads_the_database_on_a_reader() {
    let (_folder, readers) = readers_over_a_new_file(1);

    assert_eq!(readers.run("summing", sum).await.unwrap(), 6);
}

#[tokio::test]
async fn a_reader_cannot_write() {
    let (_folder, readers) = readers_over_a_new_file(1);

    let written = readers
        .run("writing", |connection| {
            connection.execute("INSERT INTO numbers VALUES (4)", [])
        })
        .await;

    let error = written.unwrap_err();
    // A read side that writes is a bug (a 500), not a read-only file (a 503).
    assert_eq!(
        shared_kernel_application::Unavailable::find(&error),
        None,
        "{error:?}"
    );
    assert_eq!(readers.run("summing", sum).await.unwrap(), 6);
}

#[tokio::test]
async fn a_job_that_panics_is_an_error_and_its_reader_goes_on() {
    let (_folder, readers) = readers_over_a_new_file(1);

    let panicked = readers
        .run("panicking", |_| -> Result<(), rusqlite::Error> {
            panic!("a bug in a job")
        })
        .await;

    let error = panicked.unwrap_err();
    assert_eq!(error.to_string(), "panicking");
    assert_eq!(readers.run("summing", sum).await.unwrap(), 6);
}
