//! What the projects context shows: flat views, and pages of them.

use chrono::{DateTime, Utc};
use projects_domain::{Project, ProjectId, Task};

/// A project as clients see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProjectView {
    pub id: ProjectId,
    pub name: String,
    pub max_incomplete_tasks: Option<u32>,
    pub task_count: u32,
    pub incomplete_task_count: u32,
    pub archived_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

/// A task as clients see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskView {
    pub number: u32,
    pub name: String,
    pub completed_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

impl From<&Project> for ProjectView {
    fn from(project: &Project) -> Self {
        Self {
            id: project.id(),
            name: project.name().to_string(),
            max_incomplete_tasks: project.incomplete_task_limit().map(|l| l.get()),
            task_count: project.task_count(),
            incomplete_task_count: project.incomplete_task_count(),
            archived_at: project.archived_at(),
            created_at: project.created_at(),
        }
    }
}

impl From<&Task> for TaskView {
    fn from(task: &Task) -> Self {
        Self {
            number: task.number().get(),
            name: task.name().to_string(),
            completed_at: task.completed_at(),
            created_at: task.created_at(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProjectStatus {
    Active,
    Archived,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TaskStatus {
    Completed,
    Incomplete,
}

/// How many items a page holds: 50 unless asked, never more than 200.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageSize(u32);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("must be between 1 and {max}", max = PageSize::MAX)]
pub struct PageSizeError;

impl PageSize {
    pub const DEFAULT: PageSize = PageSize(50);
    pub const MAX: u32 = 200;

    pub fn new(size: i64) -> Result<Self, PageSizeError> {
        u32::try_from(size)
            .ok()
            .filter(|size| (1..=Self::MAX).contains(size))
            .map(Self)
            .ok_or(PageSizeError)
    }

    pub fn get(&self) -> u32 {
        self.0
    }
}

/// One page of a list, in order, and whether another page follows. Lists are keyset
/// paginated (after the last item of the previous page), so walking every page sees every
/// item exactly once even while items are being added.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub has_more: bool,
}

impl<T> Page<T> {
    /// The item the next page starts after, when there is a next page.
    pub fn continues_after(&self) -> Option<&T> {
        self.items.last().filter(|_| self.has_more)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_page_with_more_to_come_says_where_to_continue() {
        let more = Page {
            items: vec![1, 2],
            has_more: true,
        };
        let last = Page {
            items: vec![3],
            has_more: false,
        };
        let empty: Page<u32> = Page {
            items: vec![],
            has_more: false,
        };
        assert_eq!(more.continues_after(), Some(&2));
        assert_eq!(last.continues_after(), None);
        assert_eq!(empty.continues_after(), None);
    }

    #[test]
    fn a_page_holds_one_to_two_hundred_items() {
        assert_eq!(PageSize::DEFAULT.get(), 50);
        assert_eq!(PageSize::new(1).unwrap().get(), 1);
        assert_eq!(PageSize::new(200).unwrap().get(), 200);
        assert_eq!(PageSize::new(0), Err(PageSizeError));
        assert_eq!(PageSize::new(201), Err(PageSizeError));
        assert_eq!(PageSize::new(-5), Err(PageSizeError));
    }
}
