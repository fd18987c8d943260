//! The demo data: one user with a few projects that show every rule at work, made through
//! the application's commands on the bus exactly as HTTP requests would make them.

use accounts_application::commands::{RegisterUser, RegisterUserError};
use projects_application::commands::{AddTask, ArchiveProject, CompleteTask, CreateProject};
use projects_domain::TaskNumber;
use shared_kernel_application::{MessageBus, Precondition};
use shared_kernel_domain::UserId;

pub const DEMO_EMAIL: &str = "test@email.com";
pub const DEMO_PASSWORD: &str = "password";

/// A demo project beside the starter project the user gets on registering.
struct DemoProject {
    name: &'static str,
    max_incomplete_tasks: Option<i64>,
    /// Each task, and whether it is done.
    tasks: &'static [(&'static str, bool)],
    archived: bool,
}

const DEMO_PROJECTS: [DemoProject; 4] = [
    DemoProject {
        name: "Software Engineering",
        max_incomplete_tasks: None,
        tasks: &[("Learn Rust", true)],
        archived: false,
    },
    DemoProject {
        name: "Learn Domain Driven Design",
        max_incomplete_tasks: None,
        tasks: &[
            ("Learn Clean Architecture", false),
            ("Learn Event Sourcing", false),
            ("Learn CQRS", false),
            ("Read Domain Driven Design book", false),
        ],
        archived: false,
    },
    DemoProject {
        name: "Household",
        max_incomplete_tasks: Some(5),
        tasks: &[("Do the shopping", false), ("Clean the house", false)],
        archived: false,
    },
    DemoProject {
        name: "Old chores",
        max_incomplete_tasks: None,
        tasks: &[("Fix the bike", true), ("Paint the fence", true)],
        archived: true,
    },
];

pub enum DemoOutcome {
    Created(UserId),
    /// The demo user was there already; nothing was changed.
    AlreadyThere,
}

type AnyError = Box<dyn std::error::Error + Send + Sync>;

/// Registers the demo user (its starter project follows from `UserAccountCreated`, as for
/// any user) and adds the demo projects.
pub async fn seed_demo(bus: &MessageBus) -> Result<DemoOutcome, AnyError> {
    let user = match bus
        .execute(RegisterUser {
            email: DEMO_EMAIL.into(),
            password: DEMO_PASSWORD.into(),
            keyed_answer: None,
        })
        .await
    {
        Ok(user) => user,
        Err(RegisterUserError::EmailTaken) => return Ok(DemoOutcome::AlreadyThere),
        Err(error) => return Err(error.into()),
    };
    for project in &DEMO_PROJECTS {
        add_project(bus, user.id, project).await?;
    }
    Ok(DemoOutcome::Created(user.id))
}

async fn add_project(bus: &MessageBus, owner: UserId, demo: &DemoProject) -> Result<(), AnyError> {
    let project = bus
        .execute(CreateProject {
            owner,
            name: demo.name.into(),
            max_incomplete_tasks: demo.max_incomplete_tasks,
            keyed_answer: None,
        })
        .await?;
    for (name, done) in demo.tasks {
        let task = bus
            .execute(AddTask {
                owner,
                project_id: project.id,
                name: (*name).into(),
                keyed_answer: None,
            })
            .await?;
        if *done {
            bus.execute(CompleteTask {
                owner,
                project_id: project.id,
                number: TaskNumber::new(task.number),
                precondition: Precondition::Unconditional,
            })
            .await?;
        }
    }
    if demo.archived {
        bus.execute(ArchiveProject {
            owner,
            project_id: project.id,
            precondition: Precondition::Unconditional,
        })
        .await?;
    }
    Ok(())
}
