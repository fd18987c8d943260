//! How a statement built by sea-orm runs on one of the pools' connections: prepared once per
//! connection and kept, its values bound in their binary form (`values`), its rows read by
//! position. The readers and the writers' transactions both run theirs this way.

use deadpool_postgres::ClientWrapper;
use sea_orm::Statement;
use sea_query_postgres::PostgresValues;
use tokio_postgres::Statement as Prepared;

use super::PostgresError;
use super::values::to_postgres;
use crate::DatabaseRow;
use crate::database_row::postgres_column_indexes;

/// How many prepared statements a connection keeps before it forgets them all. The read sides
/// have about 17 shapes of query and the write side about twenty, but the task lists' filters
/// and sorts (and the bulk inserts' row counts) combine into many more texts of SQL, each a
/// statement of its own that the server keeps a plan of for as long as the connection does.
pub(super) const PREPARED_STATEMENTS_PER_CONNECTION: usize = 256;

/// Runs `statement` (built for PostgreSQL) on `client` and reads each row as an `R`.
pub(super) async fn rows<R: DatabaseRow>(
    client: &ClientWrapper,
    statement: Statement,
) -> Result<Vec<R>, PostgresError> {
    let (prepared, values) = prepare(client, statement).await?;
    let columns = postgres_column_indexes::<R>(&prepared)?;
    let rows = client.query(&prepared, &values.as_params()).await?;
    rows.iter()
        .map(|row| R::from_postgres_row(row, &columns))
        .collect::<Result<_, _>>()
        .map_err(PostgresError::Query)
}

/// Runs `statement` (an insert, update or delete) on `client` and returns how many rows it
/// changed.
pub(super) async fn execute(
    client: &ClientWrapper,
    statement: Statement,
) -> Result<u64, PostgresError> {
    let (prepared, values) = prepare(client, statement).await?;
    Ok(client.execute(&prepared, &values.as_params()).await?)
}

/// `statement` prepared on `client` (from its cache if it was prepared there before), and its
/// values: running it then takes one request, which goes out when its future is first polled.
pub(super) async fn prepare(
    client: &ClientWrapper,
    statement: Statement,
) -> Result<(Prepared, PostgresValues), PostgresError> {
    let (values, types) = to_postgres(statement.values)?;
    let prepared = client.prepare_typed_cached(&statement.sql, &types).await?;
    keep_within_bound(client);
    Ok((prepared, values))
}

/// Forgets `client`'s prepared statements once there are more than the bound. Each is closed
/// on the server when the last query using it is done.
fn keep_within_bound(client: &ClientWrapper) {
    if client.statement_cache.size() > PREPARED_STATEMENTS_PER_CONNECTION {
        client.statement_cache.clear();
    }
}
