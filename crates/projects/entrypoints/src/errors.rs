//! The projects commands' errors, mapped once to problem details with stable codes.

use actix_web::http::StatusCode;
use projects_application::commands::ProjectCommandError;
use projects_domain::ProjectError;
use shared_kernel_entrypoints::Problem;

pub fn project_not_found() -> Problem {
    Problem::new(
        StatusCode::NOT_FOUND,
        "project_not_found",
        "there is no such project",
    )
}

pub fn task_not_found() -> Problem {
    Problem::new(
        StatusCode::NOT_FOUND,
        "task_not_found",
        "there is no such task",
    )
}

pub trait IntoProblem {
    fn into_problem(self) -> Problem;
}

impl IntoProblem for ProjectCommandError {
    fn into_problem(self) -> Problem {
        match self {
            Self::InvalidInput(invalid) => invalid.into(),
            Self::ProjectNotFound => project_not_found(),
            Self::TaskNotFound(_) => task_not_found(),
            Self::PreconditionFailed(failed) => failed.into(),
            Self::Rule(rule) => {
                let code = match &rule {
                    ProjectError::Archived => "project_archived",
                    ProjectError::NotArchived => "project_not_archived",
                    ProjectError::HasIncompleteTasks { .. } => "project_has_incomplete_tasks",
                    ProjectError::TooManyIncompleteTasks { .. } => "too_many_incomplete_tasks",
                    ProjectError::MaximumBelowIncompleteCount { .. } => {
                        "max_incomplete_tasks_below_incomplete_count"
                    }
                    // Mapped to not-found variants by the application; kept total here.
                    ProjectError::Deleted => return project_not_found(),
                    ProjectError::TaskNotFound(_) => return task_not_found(),
                };
                Problem::conflict(code, rule.to_string())
            }
            Self::Infrastructure(_) | Self::Bus(_) => Problem::failure(&self),
        }
    }
}
