//! The cursors of the projects context's lists: a project list's is tagged `p` and carries
//! the last project's id; a task list's is tagged `t` (one project's tasks) or `a` (all the
//! caller's tasks) and carries the query it pages through and the last task's place in it.
//!
//! A task cursor reads `{tag}{sort}{digest}.{key}.{project}.{number}`: the sort's letter,
//! the first 12 hex digits of `TaskQuery::digest`, the last task's sort key (empty for the
//! number order, `n` for "no due date", a priority's rank, or microseconds since 1970), its
//! project's id in hex, and its number. A cursor used with another sort or other filters
//! does not match its digest and is refused.

use chrono::{DateTime, Utc};
use projects_application::{SortKey, TaskCursor, TaskQuery, TaskSort};
use projects_domain::{ProjectId, TaskPriority};
use shared_kernel_entrypoints::{
    MalformedCursor, parse_number_cursor, parse_uuid_cursor, uuid_cursor,
};

const PROJECTS: &str = "p";
/// The tag of one project's task list.
pub const PROJECT_TASKS: char = 't';
/// The tag of the list of all the caller's tasks.
pub const ALL_TASKS: char = 'a';
const DIGEST_LEN: usize = 12;

pub fn project_cursor(after: ProjectId) -> String {
    uuid_cursor(PROJECTS, after.as_uuid())
}

pub fn parse_project_cursor(cursor: &str) -> Result<ProjectId, MalformedCursor> {
    parse_uuid_cursor(PROJECTS, cursor).map(ProjectId::from_uuid)
}

fn sort_letter(sort: TaskSort) -> char {
    match sort {
        TaskSort::Number => 'n',
        TaskSort::DueAt => 'd',
        TaskSort::PriorityDescending => 'p',
        TaskSort::CreatedAt => 'c',
        TaskSort::UpdatedAtDescending => 'u',
    }
}

/// The cursor after `after` in the list tagged `tag` that `query` pages through.
pub fn task_cursor(tag: char, query: &TaskQuery, after: &TaskCursor) -> String {
    let digest = query.digest();
    let digest = digest.get(..DIGEST_LEN).unwrap_or(&digest);
    let key = match after.key {
        SortKey::Number => String::new(),
        SortKey::DueAt(None) => "n".to_owned(),
        SortKey::DueAt(Some(at)) | SortKey::CreatedAt(at) | SortKey::UpdatedAt(at) => {
            at.timestamp_micros().to_string()
        }
        SortKey::Priority(priority) => priority.rank().to_string(),
    };
    format!(
        "{tag}{}{digest}.{key}.{}.{}",
        sort_letter(query.sort),
        after.project_id.as_uuid().simple(),
        after.number
    )
}

/// The place `cursor` holds in the list tagged `tag` that `query` pages through; refused when
/// the list, the sort or the filters are not the ones it was handed out for.
pub fn parse_task_cursor(
    tag: char,
    query: &TaskQuery,
    cursor: &str,
) -> Result<TaskCursor, MalformedCursor> {
    let rest = cursor.strip_prefix(tag).ok_or(MalformedCursor)?;
    let rest = rest
        .strip_prefix(sort_letter(query.sort))
        .ok_or(MalformedCursor)?;
    let digest = query.digest();
    let rest = rest
        .strip_prefix(digest.get(..DIGEST_LEN).unwrap_or(&digest))
        .and_then(|rest| rest.strip_prefix('.'))
        .ok_or(MalformedCursor)?;
    let mut parts = rest.split('.');
    let (Some(key), Some(project), Some(number), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(MalformedCursor);
    };
    let instant = || {
        key.parse::<i64>()
            .ok()
            .and_then(DateTime::<Utc>::from_timestamp_micros)
            .ok_or(MalformedCursor)
    };
    let key = match query.sort {
        TaskSort::Number if key.is_empty() => SortKey::Number,
        TaskSort::Number => return Err(MalformedCursor),
        TaskSort::DueAt if key == "n" => SortKey::DueAt(None),
        TaskSort::DueAt => SortKey::DueAt(Some(instant()?)),
        TaskSort::PriorityDescending => SortKey::Priority(
            key.parse::<u8>()
                .ok()
                .and_then(TaskPriority::from_rank)
                .ok_or(MalformedCursor)?,
        ),
        TaskSort::CreatedAt => SortKey::CreatedAt(instant()?),
        TaskSort::UpdatedAtDescending => SortKey::UpdatedAt(instant()?),
    };
    // Untagged: each part is a bare id or number, read as the list cursors read theirs.
    let project_id = parse_uuid_cursor("", project)?;
    let number = parse_number_cursor("", number)?;
    Ok(TaskCursor {
        key,
        project_id: ProjectId::from_uuid(project_id),
        number,
    })
}

#[cfg(test)]
mod tests {
    use projects_application::TaskFilter;

    use super::*;

    fn query(sort: TaskSort) -> TaskQuery {
        TaskQuery {
            filter: TaskFilter::default(),
            sort,
        }
    }

    fn place(key: SortKey) -> TaskCursor {
        TaskCursor {
            key,
            project_id: ProjectId::from_uuid(uuid::Uuid::from_u128(7)),
            number: 42,
        }
    }

    #[test]
    fn every_sort_s_cursor_reads_back() {
        let at = DateTime::from_timestamp_micros(1_766_570_400_123_456).unwrap();
        let before_1970 = DateTime::from_timestamp_micros(-5).unwrap();
        for (sort, key) in [
            (TaskSort::Number, SortKey::Number),
            (TaskSort::DueAt, SortKey::DueAt(None)),
            (TaskSort::DueAt, SortKey::DueAt(Some(before_1970))),
            (
                TaskSort::PriorityDescending,
                SortKey::Priority(TaskPriority::Urgent),
            ),
            (TaskSort::CreatedAt, SortKey::CreatedAt(at)),
            (TaskSort::UpdatedAtDescending, SortKey::UpdatedAt(at)),
        ] {
            let query = query(sort);
            let cursor = task_cursor(ALL_TASKS, &query, &place(key));
            assert_eq!(
                parse_task_cursor(ALL_TASKS, &query, &cursor),
                Ok(place(key)),
                "{cursor}"
            );
        }
    }

    #[test]
    fn a_cursor_is_refused_by_another_list_sort_or_filter() {
        let by_number = query(TaskSort::Number);
        let cursor = task_cursor(PROJECT_TASKS, &by_number, &place(SortKey::Number));
        assert_eq!(
            parse_task_cursor(ALL_TASKS, &by_number, &cursor),
            Err(MalformedCursor)
        );
        assert_eq!(
            parse_task_cursor(PROJECT_TASKS, &query(TaskSort::CreatedAt), &cursor),
            Err(MalformedCursor)
        );
        let mut filtered = by_number.clone();
        filtered.filter.overdue = Some(true);
        assert_eq!(
            parse_task_cursor(PROJECT_TASKS, &filtered, &cursor),
            Err(MalformedCursor)
        );
        for garbage in ["t", "t5", "tn0123456789ab..x.1", &format!("{cursor}.1")] {
            assert_eq!(
                parse_task_cursor(PROJECT_TASKS, &by_number, garbage),
                Err(MalformedCursor),
                "{garbage}"
            );
        }
    }
}
