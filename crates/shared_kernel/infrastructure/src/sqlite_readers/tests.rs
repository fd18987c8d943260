use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Barrier};

use super::*;

fn readers_over_a_new_file(count: usize) -> (tempfile::TempDir, SqliteReaders) {
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("test.db");
    let writer = Connection::open(&path).unwrap();
    writer
        .execute_batch(
            "PRAGMA journal_mode = WAL; CREATE TABLE numbers (n INTEGER); \
             INSERT INTO numbers VALUES (1), (2), (3);",
        )
        .unwrap();
    let readers = SqliteReaders::open(
        &path,
        NonZeroUsize::new(count).unwrap(),
        Duration::from_secs(1),
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

    assert!(written.is_err());
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_readers_run_jobs_side_by_side() {
    // Each job says it started and waits for the other's start: both see the other only if
    // two readers run them at once. One at a time, each would time out.
    let (_folder, readers) = readers_over_a_new_file(2);
    let (first_started, first_seen) = std::sync::mpsc::channel();
    let (second_started, second_seen) = std::sync::mpsc::channel();
    let job = |started: std::sync::mpsc::Sender<()>, other: std::sync::mpsc::Receiver<()>| {
        move |_: &Connection| {
            let _ = started.send(());
            Ok(other.recv_timeout(Duration::from_secs(5)).is_ok())
        }
    };

    let (first, second) = tokio::join!(
        readers.run("first", job(first_started, second_seen)),
        readers.run("second", job(second_started, first_seen)),
    );

    assert_eq!((first.unwrap(), second.unwrap()), (true, true));
}

#[tokio::test]
async fn the_readers_stop_when_the_last_clone_is_dropped() {
    let (_folder, readers) = readers_over_a_new_file(2);
    let stopped = Arc::new(AtomicUsize::new(0));
    // A value each reader's last job leaves on its thread, dropped when the thread ends.
    struct CountsOnDrop(Arc<AtomicUsize>);
    impl Drop for CountsOnDrop {
        fn drop(&mut self) {
            self.0.fetch_add(1, Ordering::SeqCst);
        }
    }
    thread_local! {
        static ON_EXIT: std::cell::RefCell<Option<CountsOnDrop>> = const { std::cell::RefCell::new(None) };
    }
    let both_started = Arc::new(Barrier::new(2));
    let mark = |stopped: Arc<AtomicUsize>, barrier: Arc<Barrier>| {
        move |_: &Connection| {
            ON_EXIT.with(|slot| *slot.borrow_mut() = Some(CountsOnDrop(stopped)));
            barrier.wait();
            Ok(())
        }
    };
    let (first, second) = tokio::join!(
        readers.run("marking", mark(stopped.clone(), both_started.clone())),
        readers.run("marking", mark(stopped.clone(), both_started)),
    );
    first.unwrap();
    second.unwrap();

    drop(readers);

    for _ in 0..200 {
        if stopped.load(Ordering::SeqCst) == 2 {
            return;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("the reader threads did not stop");
}
