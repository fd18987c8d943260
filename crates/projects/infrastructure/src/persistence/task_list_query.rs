//! A task list's `WHERE` and `ORDER BY`: `TaskFilter` as conditions, `TaskSort` as an order
//! that ends on the tie-breaker (project, number), and a `TaskCursor` as the keyset condition
//! "after this task in that order".

use chrono::{DateTime, Utc};
use projects_application::{SortKey, TaskCursor, TaskFilter, TaskSort, TaskStatus};
use sea_orm::sea_query::{Condition, Expr, ExprTrait, Func, LikeExpr, SimpleExpr};
use sea_orm::{ColumnTrait, Order, QueryFilter, QueryOrder, Select};

use super::entities::task;
use super::mapper::priority_rank;

/// `query` narrowed to the tasks `filter` keeps, `now` deciding which are overdue.
pub fn filtered(
    mut query: Select<task::Entity>,
    filter: &TaskFilter,
    now: DateTime<Utc>,
) -> Select<task::Entity> {
    query = match filter.status {
        None => query,
        Some(TaskStatus::Completed) => query.filter(task::Column::CompletedAt.is_not_null()),
        Some(TaskStatus::Incomplete) => query.filter(task::Column::CompletedAt.is_null()),
    };
    if !filter.priorities.is_empty() {
        let ranks = filter.priorities.iter().map(|p| priority_rank(*p));
        query = query.filter(task::Column::Priority.is_in(ranks));
    }
    for label in &filter.labels {
        let pattern = format!("%,{},%", escaped(label.as_str()));
        query = query.filter(column(task::Column::Labels).like(like(pattern)));
    }
    if let Some(before) = filter.due_before {
        query = query.filter(task::Column::DueAt.lt(before));
    }
    if let Some(after) = filter.due_after {
        query = query.filter(task::Column::DueAt.gte(after));
    }
    if let Some(overdue) = filter.overdue {
        // `IS NOT NULL` spelled out: without it, a task with no due date would make the
        // condition NULL rather than false, and its negation would drop that task too.
        let is_overdue = Condition::all()
            .add(task::Column::CompletedAt.is_null())
            .add(task::Column::DueAt.is_not_null())
            .add(task::Column::DueAt.lt(now));
        query = query.filter(if overdue {
            is_overdue
        } else {
            is_overdue.not()
        });
    }
    if let Some(search) = &filter.search {
        let pattern = format!("%{}%", escaped(search.as_str()));
        let matches = |field| Expr::expr(Func::lower(column(field))).like(like(pattern.clone()));
        query = query.filter(
            Condition::any()
                .add(matches(task::Column::Name))
                .add(matches(task::Column::Description)),
        );
    }
    query
}

/// `query` in `sort`'s order, ties broken by project and number.
pub fn ordered(query: Select<task::Entity>, sort: TaskSort) -> Select<task::Entity> {
    let query = match sort {
        TaskSort::Number => query,
        // Those without a due date last: `due_at IS NULL` first, as the index of the open
        // tasks by due date has it (SQLite would put nulls first; `NULLS LAST` could not use
        // that index).
        TaskSort::DueAt => query
            .order_by(task::Column::DueAt.is_null(), Order::Asc)
            .order_by_asc(task::Column::DueAt),
        TaskSort::PriorityDescending => query.order_by_desc(task::Column::Priority),
        TaskSort::CreatedAt => query.order_by_asc(task::Column::CreatedAt),
        TaskSort::UpdatedAtDescending => query.order_by_desc(task::Column::UpdatedAt),
    };
    query
        .order_by_asc(task::Column::ProjectId)
        .order_by_asc(task::Column::Number)
}

/// The tasks after `cursor` in the order of its sort key.
pub fn after(cursor: &TaskCursor) -> Condition {
    let tie = Condition::any()
        .add(task::Column::ProjectId.gt(cursor.project_id.as_uuid()))
        .add(
            Condition::all()
                .add(task::Column::ProjectId.eq(cursor.project_id.as_uuid()))
                .add(task::Column::Number.gt(i64::from(cursor.number))),
        );
    // "Beyond the key, or at the key and beyond the tie-breaker."
    let beyond = |past: SimpleExpr, at: SimpleExpr| {
        Condition::any()
            .add(past)
            .add(Condition::all().add(at).add(tie.clone()))
    };
    match cursor.key {
        SortKey::Number => tie,
        SortKey::DueAt(None) => Condition::all()
            .add(task::Column::DueAt.is_null())
            .add(tie.clone()),
        SortKey::DueAt(Some(due)) => {
            Condition::any()
                .add(task::Column::DueAt.is_null())
                .add(beyond(
                    task::Column::DueAt.gt(due),
                    task::Column::DueAt.eq(due),
                ))
        }
        SortKey::Priority(priority) => {
            let rank = priority_rank(priority);
            beyond(
                task::Column::Priority.lt(rank),
                task::Column::Priority.eq(rank),
            )
        }
        SortKey::CreatedAt(at) => beyond(
            task::Column::CreatedAt.gt(at),
            task::Column::CreatedAt.eq(at),
        ),
        SortKey::UpdatedAt(at) => beyond(
            task::Column::UpdatedAt.lt(at),
            task::Column::UpdatedAt.eq(at),
        ),
    }
}

fn column(column: task::Column) -> Expr {
    Expr::col((task::Entity, column))
}

/// `LIKE` with `\` as its escape character, the same on both databases.
fn like(pattern: String) -> LikeExpr {
    LikeExpr::new(pattern).escape('\\')
}

/// `text` matched literally inside a `LIKE` pattern: its `%`, `_` and `\` escaped.
fn escaped(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            escaped.push('\\');
        }
        escaped.push(c);
    }
    escaped
}

#[cfg(test)]
mod tests {
    use super::escaped;

    #[test]
    fn like_wildcards_are_matched_literally() {
        assert_eq!(escaped("50%_off\\"), "50\\%\\_off\\\\");
        assert_eq!(escaped("home"), "home");
    }
}
