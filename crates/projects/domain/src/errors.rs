use crate::TaskNumber;

/// Every rule a project can refuse to break, each its own error so that callers (and
/// clients) can tell them apart.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProjectError {
    #[error("the project is archived")]
    Archived,
    #[error("the project is not archived")]
    NotArchived,
    #[error("the project has been deleted")]
    Deleted,
    #[error("the project has {incomplete} incomplete task(s); complete them before archiving")]
    HasIncompleteTasks { incomplete: u32 },
    #[error("the project allows at most {max} incomplete task(s)")]
    TooManyIncompleteTasks { max: u32 },
    #[error(
        "the project has {incomplete} incomplete task(s), more than the requested maximum of {requested}"
    )]
    MaximumBelowIncompleteCount { requested: u32, incomplete: u32 },
    #[error("the project has no task {0}")]
    TaskNotFound(TaskNumber),
}
