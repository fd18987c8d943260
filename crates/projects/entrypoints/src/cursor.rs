//! The cursors of the projects context's lists: a project list's is tagged `p`, a task
//! list's `t` (shared-kernel-entrypoints writes and reads them).

use projects_domain::{ProjectId, TaskNumber};
use shared_kernel_entrypoints::{
    MalformedCursor, number_cursor, parse_number_cursor, parse_uuid_cursor, uuid_cursor,
};

const PROJECTS: &str = "p";
const TASKS: &str = "t";

pub fn project_cursor(after: ProjectId) -> String {
    uuid_cursor(PROJECTS, after.as_uuid())
}

pub fn parse_project_cursor(cursor: &str) -> Result<ProjectId, MalformedCursor> {
    parse_uuid_cursor(PROJECTS, cursor).map(ProjectId::from_uuid)
}

pub fn task_cursor(after: u32) -> String {
    number_cursor(TASKS, after)
}

pub fn parse_task_cursor(cursor: &str) -> Result<TaskNumber, MalformedCursor> {
    parse_number_cursor(TASKS, cursor).map(TaskNumber::new)
}
