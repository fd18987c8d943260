//! The project every new user starts with.

use chrono::{DateTime, Utc};
use projects_domain::{Project, ProjectId, ProjectName, TaskDetails, TaskName};
use shared_kernel_application::InfrastructureError;
use shared_kernel_domain::UserId;

pub const STARTER_PROJECT_NAME: &str = "My first project";
/// The starter tasks, in order; the first is done the moment the user signs up.
pub const STARTER_TASKS: [&str; 3] = [
    "Sign up!",
    "Watch the tutorial",
    "Start using our awesome app",
];

/// Builds `owner`'s starter project, `id`, through the aggregate, so that it obeys every
/// rule a project the user makes would.
pub fn starter_project(
    id: ProjectId,
    owner: UserId,
    registered_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<Project, InfrastructureError> {
    build(id, owner, registered_at, now)
        // The content is fixed: a rule it breaks is a bug here, not anyone's input.
        .map_err(InfrastructureError::during("building the starter project"))
}

fn build(
    id: ProjectId,
    owner: UserId,
    registered_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<Project, Box<dyn std::error::Error + Send + Sync>> {
    let name = ProjectName::parse(STARTER_PROJECT_NAME)?;
    let mut project = Project::create(id, owner, name, None, now);
    let [sign_up, rest @ ..] = STARTER_TASKS;
    // Signing up happened when the user registered, so that is when it was added and done.
    let sign_up = project
        .add_task(
            TaskName::parse(sign_up)?,
            TaskDetails::default(),
            registered_at,
        )?
        .number();
    project.complete_task(sign_up, registered_at)?;
    for task in rest {
        project.add_task(TaskName::parse(task)?, TaskDetails::default(), now)?;
    }
    Ok(project)
}
