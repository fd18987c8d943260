//! Which database errors mean "the database is unavailable" (a 503 the client may retry)
//! rather than "the code is wrong" (a 500): only the driver's errors can tell, so the platform
//! marks them (`Unavailable`) where they first appear, for the edge to find.

use deadpool_postgres::PoolError;
use sea_orm::sqlx::postgres::PgDatabaseError;
use sea_orm::{DbErr, RuntimeErr, sqlx};
use shared_kernel_application::{InfrastructureError, Unavailability, Unavailable};

use crate::postgres::PostgresError;

/// `error` as the source of an `InfrastructureError` for `during`: wrapped in `Unavailable`
/// when it says the database could not be reached.
pub(crate) fn database_error(during: &'static str, error: DbErr) -> InfrastructureError {
    match is_unavailable(&error) {
        true => InfrastructureError::new(
            during,
            Unavailable::because(Unavailability::Database, error),
        ),
        false => InfrastructureError::new(during, error),
    }
}

/// Whether sea-orm's `error` says the database did not answer.
pub(crate) fn is_unavailable(error: &DbErr) -> bool {
    match error {
        // The pool found no connection in time: the server refuses connections, or does not
        // answer, or every connection is taken for longer than DATABASE_TIMEOUT_MS.
        DbErr::ConnectionAcquire(_) => true,
        // Opening a connection failed (refused, cut during the TLS or start-up handshake, a
        // server that is starting or stopping): only a bad URL is a mistake of ours, and that
        // stops start-up long before a request sees it.
        DbErr::Conn(RuntimeErr::SqlxError(error)) => {
            !matches!(**error, sqlx::Error::Configuration(_))
        }
        DbErr::Exec(RuntimeErr::SqlxError(error)) | DbErr::Query(RuntimeErr::SqlxError(error)) => {
            is_unavailable_sqlx(error)
        }
        _ => false,
    }
}

fn is_unavailable_sqlx(error: &sqlx::Error) -> bool {
    match error {
        sqlx::Error::Io(_)
        | sqlx::Error::Tls(_)
        | sqlx::Error::PoolTimedOut
        | sqlx::Error::PoolClosed
        | sqlx::Error::WorkerCrashed => true,
        sqlx::Error::Database(error) => match error.try_downcast_ref::<PgDatabaseError>() {
            Some(error) => is_unavailable_postgres(error.code()),
            None => error
                .code()
                .and_then(|code| code.parse::<i32>().ok())
                .is_some_and(is_unavailable_sqlite),
        },
        _ => false,
    }
}

/// A failed read on PostgreSQL's readers as the source of an `InfrastructureError` for
/// `during`, marked as sqlx's errors are by `database_error`.
pub(crate) fn postgres_error(during: &'static str, error: PostgresError) -> InfrastructureError {
    match is_unavailable_postgres_error(&error) {
        true => InfrastructureError::new(
            during,
            Unavailable::because(Unavailability::Database, error),
        ),
        false => InfrastructureError::new(during, error),
    }
}

/// Whether a statement on the readers' or writers' pools failed because the server did not
/// answer: the same cases as sqlx's in `is_unavailable`.
pub(crate) fn is_unavailable_postgres_error(error: &PostgresError) -> bool {
    match error {
        // No connection in time (every one taken, or a new one too slow), or the pool closed.
        PostgresError::Pool(PoolError::Timeout(_) | PoolError::Closed) => true,
        PostgresError::Pool(_) => false,
        // Opening a connection failed (refused, cut, TLS or login refused by a server that is
        // starting or stopping): a bad URL stops start-up, where the first one is opened.
        PostgresError::Connect(_) => true,
        PostgresError::Query(error) => {
            // The connection closed (the server went away), or its socket failed.
            error.is_closed()
                || std::error::Error::source(error)
                    .is_some_and(|cause| cause.is::<std::io::Error>())
                || error
                    .code()
                    .is_some_and(|code| is_unavailable_postgres(code.code()))
        }
        PostgresError::MissingColumn(_) | PostgresError::Unsupported(_) => false,
    }
}

/// PostgreSQL's SQLSTATE codes for a server that cannot serve: connection exceptions (class
/// 08), a server shutting down or starting (57P01–57P03), out of resources (class 53: disk,
/// memory, connections), an I/O error (58030), and a read-only standby (25006, after a
/// fail-over).
fn is_unavailable_postgres(code: &str) -> bool {
    code.starts_with("08")
        || code.starts_with("53")
        || matches!(code, "57P01" | "57P02" | "57P03" | "58030" | "25006")
}

/// SQLite's result codes (primary, or extended: the primary is the low byte) for a file that
/// cannot be used just now: locked beyond the busy timeout, a full disk, a read-only file, an
/// I/O error, a file that cannot be opened.
pub(crate) fn is_unavailable_sqlite(code: i32) -> bool {
    use rusqlite::ffi;
    matches!(
        code & 0xff,
        ffi::SQLITE_BUSY
            | ffi::SQLITE_LOCKED
            | ffi::SQLITE_FULL
            | ffi::SQLITE_READONLY
            | ffi::SQLITE_IOERR
            | ffi::SQLITE_CANTOPEN
    )
}

/// Whether rusqlite's `error` says the file cannot be used just now.
pub(crate) fn is_unavailable_rusqlite(error: &rusqlite::Error) -> bool {
    matches!(error, rusqlite::Error::SqliteFailure(error, _) if is_unavailable_sqlite(error.extended_code))
}

/// rusqlite's `error` on a reader as the source of an `InfrastructureError` for `during`,
/// marked like `database_error`; but a reader's connection is read-only on purpose
/// (`query_only`), so a read-only error there is a bug, not the file's state.
pub(crate) fn sqlite_read_error(
    during: &'static str,
    error: rusqlite::Error,
) -> InfrastructureError {
    let read_only = matches!(&error, rusqlite::Error::SqliteFailure(error, _)
        if error.code == rusqlite::ErrorCode::ReadOnly);
    match is_unavailable_rusqlite(&error) && !read_only {
        true => InfrastructureError::new(
            during,
            Unavailable::because(Unavailability::Database, error),
        ),
        false => InfrastructureError::new(during, error),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sea_orm::ConnAcquireErr;

    #[test]
    fn a_pool_that_finds_no_connection_is_unavailability() {
        let error = database_error(
            "loading a task",
            DbErr::ConnectionAcquire(ConnAcquireErr::Timeout),
        );
        assert_eq!(Unavailable::find(&error), Some(Unavailability::Database));
    }

    #[test]
    fn a_refused_connection_is_unavailability_and_a_bad_query_is_not() {
        let refused = sqlx::Error::Io(std::io::ErrorKind::ConnectionRefused.into());
        let refused = DbErr::Conn(RuntimeErr::SqlxError(std::sync::Arc::new(refused)));
        assert!(is_unavailable(&refused));
        let bad = DbErr::Query(RuntimeErr::Internal("syntax error".into()));
        assert!(!is_unavailable(&bad));
        assert_eq!(
            Unavailable::find(&database_error("loading a task", bad)),
            None
        );
    }

    #[test]
    fn postgres_codes_of_a_server_that_cannot_serve() {
        for code in ["08006", "57P01", "57P03", "53300", "53100", "25006"] {
            assert!(is_unavailable_postgres(code), "{code}");
        }
        for code in ["23505", "42P01", "40001", "22P02"] {
            assert!(!is_unavailable_postgres(code), "{code}");
        }
    }

    #[test]
    fn sqlite_codes_of_a_file_that_cannot_be_used() {
        use rusqlite::ffi;
        for code in [
            ffi::SQLITE_BUSY,
            ffi::SQLITE_BUSY_SNAPSHOT,
            ffi::SQLITE_FULL,
            ffi::SQLITE_READONLY,
            ffi::SQLITE_IOERR_WRITE,
        ] {
            assert!(is_unavailable_sqlite(code), "{code}");
        }
        for code in [ffi::SQLITE_CONSTRAINT_UNIQUE, ffi::SQLITE_ERROR] {
            assert!(!is_unavailable_sqlite(code), "{code}");
        }
    }
}
