//! WAL checkpoints on a thread of their own, off the writer's thread.
//!
//! SQLite copies the write-ahead log back into the database file in a checkpoint. By default
//! the connection whose commit fills the log runs it, and here that is the writer's thread,
//! where every command waits behind it: an fsync and a few hundred page writes (the main
//! source of the write p99, and about a sixth of the writer's time under a write load,
//! docs/benchmarks.md). So the writer's connection checkpoints nothing itself
//! (`wal_autocheckpoint = 0`), and every `COMMITS_PER_CHECKPOINT` commits it asks this
//! thread, which runs a passive checkpoint on a connection of its own: one that never waits
//! for the writer, nor keeps it waiting.

use std::path::Path;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::mpsc::{self, Receiver, SyncSender};
use std::time::Duration;

use rusqlite::Connection;

/// About as often as SQLite's own default (1,000 pages), for the few pages a commit writes.
const COMMITS_PER_CHECKPOINT: u32 = 64;

/// What the writer holds: a count of its commits, and the way to ask for a checkpoint. The
/// thread stops, and closes its connection, when this is dropped.
pub(crate) struct Checkpointer {
    commits: AtomicU32,
    requests: SyncSender<()>,
}

impl Checkpointer {
    /// Opens a connection to the SQLite file at `path` and starts the checkpointing thread.
    pub(crate) fn start(
        path: &Path,
        busy_timeout: Duration,
    ) -> Result<Self, super::OpenWriterError> {
        let connection = super::open_connection(path, busy_timeout, 1)?;
        // Room for one request waiting: more would only ask for the same checkpoint again.
        let (requests, queue) = mpsc::sync_channel(1);
        std::thread::Builder::new()
            .name("sqlite-checkpoint".into())
            .spawn(move || serve(&connection, &queue))?;
        Ok(Self {
            commits: AtomicU32::new(0),
            requests,
        })
    }

    /// Counts a commit, and asks for a checkpoint every `COMMITS_PER_CHECKPOINT` of them.
    pub(crate) fn committed(&self) {
        let commits = self.commits.fetch_add(1, Ordering::Relaxed) + 1;
        if commits % COMMITS_PER_CHECKPOINT == 0 {
            // Full: a checkpoint is asked for already, and it will take these pages too.
            let _ = self.requests.try_send(());
        }
    }
}

fn serve(connection: &Connection, queue: &Receiver<()>) {
    while queue.recv().is_ok() {
        let checkpoint = connection.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()));
        if let Err(error) = checkpoint {
            tracing::warn!(%error, "a WAL checkpoint failed; the next one will take its pages");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_so_many_commits_the_log_is_copied_back_by_the_checkpointing_thread() {
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("test.db");
        let writer = Connection::open(&path).unwrap();
        writer
            .execute_batch(
                "PRAGMA journal_mode = WAL; PRAGMA wal_autocheckpoint = 0; \
                 CREATE TABLE blobs (b BLOB);",
            )
            .unwrap();
        let checkpointer = Checkpointer::start(&path, Duration::from_secs(1)).unwrap();
        let size = || std::fs::metadata(&path).unwrap().len();
        let before = size();

        // A kilobyte a commit: the log holds them all until a checkpoint copies them back.
        for _ in 0..COMMITS_PER_CHECKPOINT - 1 {
            writer
                .execute("INSERT INTO blobs VALUES (zeroblob(1024))", [])
                .unwrap();
            checkpointer.committed();
        }
        std::thread::sleep(Duration::from_millis(100));
        assert_eq!(size(), before, "no checkpoint before it is asked for");
        writer
            .execute("INSERT INTO blobs VALUES (zeroblob(1024))", [])
            .unwrap();
        checkpointer.committed();

        let deadline = std::time::Instant::now() + Duration::from_secs(5);
        while size() < u64::from(COMMITS_PER_CHECKPOINT) * 1024 {
            assert!(
                std::time::Instant::now() < deadline,
                "no checkpoint ran: the database file is {} bytes",
                size()
            );
            std::thread::sleep(Duration::from_millis(10));
        }
    }
}
