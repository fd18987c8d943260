//! What a task list asks for (`ListTasks` for one project, `ListAllTasks` across the caller's
//! projects): which tasks (`TaskFilter`), in which order (`TaskSort`), and where the previous
//! page ended (`TaskCursor`).

use chrono::{DateTime, Utc};
use projects_domain::{Label, ProjectId, TaskPriority};
use shared_kernel_application::Fingerprint;

use crate::{TaskStatus, TaskView};

/// A search through names and descriptions: 1 to 200 characters, compared regardless of case
/// (on SQLite, of ASCII letters' case only).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskSearch(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("must be 1 to {max} characters long", max = TaskSearch::MAX_CHARS)]
pub struct TaskSearchError;

impl TaskSearch {
    pub const MAX_CHARS: usize = 200;

    pub fn parse(text: &str) -> Result<Self, TaskSearchError> {
        let length = text.chars().count();
        if length == 0 || length > Self::MAX_CHARS {
            return Err(TaskSearchError);
        }
        Ok(Self(text.to_lowercase()))
    }

    /// The text, lower-cased.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Which tasks a list holds: each filter given narrows it; none given, every task.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TaskFilter {
    /// `None` for completed and incomplete alike.
    pub status: Option<TaskStatus>,
    /// Any of these priorities; empty for any priority.
    pub priorities: Vec<TaskPriority>,
    /// Every one of these labels.
    pub labels: Vec<Label>,
    /// Due before this instant (exclusive).
    pub due_before: Option<DateTime<Utc>>,
    /// Due at or after this instant.
    pub due_after: Option<DateTime<Utc>>,
    /// Only overdue tasks (`true`), or only the others (`false`), at the moment of the read.
    pub overdue: Option<bool>,
    pub search: Option<TaskSearch>,
}

/// The orders a task list comes in. Ties are broken by project and then number, so that
/// every order is total and a page boundary falls between two known tasks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TaskSort {
    /// By number (within a project; by project and number across projects).
    Number,
    /// Soonest due first; tasks without a due date last.
    DueAt,
    /// Most urgent first.
    PriorityDescending,
    /// Oldest first.
    CreatedAt,
    /// Most recently changed first.
    UpdatedAtDescending,
}

/// A list's filter and order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskQuery {
    pub filter: TaskFilter,
    pub sort: TaskSort,
}

impl TaskQuery {
    /// A digest of the filter and the order: a cursor carries it, so that a cursor is only
    /// ever used with the query whose pages it walks.
    pub fn digest(&self) -> String {
        let TaskFilter {
            status,
            priorities,
            labels,
            due_before,
            due_after,
            overdue,
            search,
        } = &self.filter;
        let mut priorities: Vec<u32> = priorities.iter().map(|p| u32::from(p.rank())).collect();
        priorities.sort_unstable();
        priorities.dedup();
        let mut labels: Vec<String> = labels.iter().map(Label::to_string).collect();
        labels.sort_unstable();
        labels.dedup();
        let status = status.map(|status| status == TaskStatus::Completed);
        Fingerprint::of("task-query")
            .field(&(self.sort as u32))
            .field(&status)
            .field(&priorities)
            .field(&labels)
            .field(due_before)
            .field(due_after)
            .field(overdue)
            .field(&search.as_ref().map(|search| search.as_str().to_owned()))
            .finish()
            .as_str()
            .to_owned()
    }
}

/// The sort key of the last task of a page, under the query's order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortKey {
    Number,
    DueAt(Option<DateTime<Utc>>),
    Priority(TaskPriority),
    CreatedAt(DateTime<Utc>),
    UpdatedAt(DateTime<Utc>),
}

/// Where a page ended: the next page starts after this task, in the query's order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TaskCursor {
    pub key: SortKey,
    pub project_id: ProjectId,
    pub number: u32,
}

impl TaskCursor {
    /// The cursor after `task` in `sort`'s order.
    pub fn after(task: &TaskView, sort: TaskSort) -> Self {
        let key = match sort {
            TaskSort::Number => SortKey::Number,
            TaskSort::DueAt => SortKey::DueAt(task.due_at),
            TaskSort::PriorityDescending => SortKey::Priority(task.priority),
            TaskSort::CreatedAt => SortKey::CreatedAt(task.created_at),
            TaskSort::UpdatedAtDescending => SortKey::UpdatedAt(task.updated_at),
        };
        Self {
            key,
            project_id: task.project_id,
            number: task.number,
        }
    }

    /// Whether this cursor can have come from a page in `sort`'s order.
    pub fn fits(&self, sort: TaskSort) -> bool {
        matches!(
            (self.key, sort),
            (SortKey::Number, TaskSort::Number)
                | (SortKey::DueAt(_), TaskSort::DueAt)
                | (SortKey::Priority(_), TaskSort::PriorityDescending)
                | (SortKey::CreatedAt(_), TaskSort::CreatedAt)
                | (SortKey::UpdatedAt(_), TaskSort::UpdatedAtDescending)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn query(sort: TaskSort) -> TaskQuery {
        TaskQuery {
            filter: TaskFilter::default(),
            sort,
        }
    }

    #[test]
    fn the_digest_tells_queries_apart_but_not_spellings_of_one() {
        let plain = query(TaskSort::Number);
        assert_ne!(plain.digest(), query(TaskSort::DueAt).digest());
        let mut labelled = plain.clone();
        labelled.filter.labels = vec![Label::parse("home").unwrap(), Label::parse("a").unwrap()];
        assert_ne!(labelled.digest(), plain.digest());
        let mut reordered = labelled.clone();
        reordered.filter.labels.reverse();
        assert_eq!(reordered.digest(), labelled.digest());
        let mut searched = plain.clone();
        searched.filter.search = Some(TaskSearch::parse("Milk").unwrap());
        let mut same_search = plain.clone();
        same_search.filter.search = Some(TaskSearch::parse("milk").unwrap());
        assert_eq!(searched.digest(), same_search.digest());
        assert_ne!(searched.digest(), plain.digest());
        let mut overdue = plain.clone();
        overdue.filter.overdue = Some(false);
        assert_ne!(overdue.digest(), plain.digest());
    }

    #[test]
    fn a_search_is_one_to_two_hundred_characters() {
        assert_eq!(TaskSearch::parse("Oat MILK").unwrap().as_str(), "oat milk");
        assert!(TaskSearch::parse(&"é".repeat(200)).is_ok());
        assert_eq!(TaskSearch::parse(&"é".repeat(201)), Err(TaskSearchError));
        assert_eq!(TaskSearch::parse(""), Err(TaskSearchError));
    }
}
