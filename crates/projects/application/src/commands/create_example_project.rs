use async_trait::async_trait;
use chrono::{DateTime, Utc};
use projects_domain::{Project, ProjectId, ProjectName, TaskName};
use shared_kernel_application::{Command, CommandHandler, InfrastructureError};
use shared_kernel_domain::UserId;

use super::{ProjectCommandError, ProjectCommands};
use crate::ProjectView;

pub const EXAMPLE_PROJECT_NAME: &str = "My first project";
/// The starter tasks, in order; the first is done the moment the user signs up.
pub const EXAMPLE_TASKS: [&str; 3] = [
    "Sign up!",
    "Watch the tutorial",
    "Start using our awesome app",
];

/// Gives a new user a project to start from.
#[derive(Debug)]
pub struct CreateExampleProject {
    pub owner: UserId,
    /// When the user registered: when "Sign up!" was done.
    pub registered_at: DateTime<Utc>,
}

impl Command for CreateExampleProject {
    type Output = ProjectView;
    type Error = ProjectCommandError;
}

#[async_trait]
impl CommandHandler<CreateExampleProject> for ProjectCommands {
    async fn handle(
        &self,
        command: CreateExampleProject,
    ) -> Result<ProjectView, ProjectCommandError> {
        let project = example_project(command.owner, command.registered_at, self.clock.now())
            // The example is fixed: a rule it breaks is a bug here, not the caller's.
            .map_err(InfrastructureError::during("building the example project"))?;
        let project = self.add_project(project).await?;
        Ok(ProjectView::from(&project))
    }
}

fn example_project(
    owner: UserId,
    registered_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<Project, Box<dyn std::error::Error + Send + Sync>> {
    let name = ProjectName::parse(EXAMPLE_PROJECT_NAME)?;
    let mut project = Project::create(ProjectId::new(), owner, name, None, now);
    let [sign_up, rest @ ..] = EXAMPLE_TASKS;
    // Signing up happened when the user registered, so that is when it was added and done.
    let sign_up = project
        .add_task(TaskName::parse(sign_up)?, registered_at)?
        .number();
    project.complete_task(sign_up, registered_at)?;
    for task in rest {
        project.add_task(TaskName::parse(task)?, now)?;
    }
    Ok(project)
}
