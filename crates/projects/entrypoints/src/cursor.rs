//! Page cursors. Clients treat them as opaque strings; inside, a cursor is the key of the
//! last item of the previous page, tagged with what it pages through so that a task cursor
//! cannot be replayed on the project list.

use projects_domain::{ProjectId, TaskNumber};
use uuid::Uuid;

const PROJECTS: &str = "p";
const TASKS: &str = "t";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MalformedCursor;

impl std::fmt::Display for MalformedCursor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("is not a cursor this list handed out")
    }
}

pub fn project_cursor(after: ProjectId) -> String {
    format!("{PROJECTS}{}", after.as_uuid().simple())
}

pub fn parse_project_cursor(cursor: &str) -> Result<ProjectId, MalformedCursor> {
    cursor
        .strip_prefix(PROJECTS)
        .filter(|hex| hex.len() == 32)
        .and_then(|hex| Uuid::try_parse(hex).ok())
        .map(ProjectId::from_uuid)
        .ok_or(MalformedCursor)
}

pub fn task_cursor(after: u32) -> String {
    format!("{TASKS}{after}")
}

pub fn parse_task_cursor(cursor: &str) -> Result<TaskNumber, MalformedCursor> {
    cursor
        .strip_prefix(TASKS)
        .filter(|digits| digits.bytes().all(|b| b.is_ascii_digit()))
        .and_then(|digits| digits.parse().ok())
        .map(TaskNumber::new)
        .ok_or(MalformedCursor)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip() {
        let id = ProjectId::new();
        assert_eq!(parse_project_cursor(&project_cursor(id)), Ok(id));
        assert_eq!(parse_task_cursor(&task_cursor(42)), Ok(TaskNumber::new(42)));
    }

    #[test]
    fn a_cursor_of_another_list_or_garbage_is_refused() {
        let id = ProjectId::new();
        assert_eq!(parse_task_cursor(&project_cursor(id)), Err(MalformedCursor));
        assert_eq!(parse_project_cursor(&task_cursor(3)), Err(MalformedCursor));
        for garbage in ["", "p", "pxyz", "t", "t-1", "t+1", "t99999999999", "hello"] {
            assert_eq!(
                parse_project_cursor(garbage),
                Err(MalformedCursor),
                "{garbage}"
            );
            assert_eq!(
                parse_task_cursor(garbage),
                Err(MalformedCursor),
                "{garbage}"
            );
        }
    }
}
