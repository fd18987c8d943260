//! Loading one row by a unique key.

use sea_orm::{ConnectionTrait, DbErr, EntityTrait, Select};

/// The row `query` finds by a unique key (at most one), if any.
///
/// Not `Select::one`, which adds a bound `LIMIT ?`: SQLite's planner reads a bound limit, so
/// it prepares such a statement again every time it runs, which cost a parse and a plan on
/// every write's load (docs/benchmarks.md).
pub async fn find_unique<E, C>(query: Select<E>, connection: &C) -> Result<Option<E::Model>, DbErr>
where
    E: EntityTrait,
    C: ConnectionTrait,
{
    Ok(query.all(connection).await?.into_iter().next())
}
