//! The demo data: one user with a few projects that show every rule at work, made through
//! the application's commands on the bus exactly as HTTP requests would make them.

use accounts_application::commands::{RegisterUser, RegisterUserError};
use chrono::{TimeDelta, Utc};
use projects_application::commands::{AddTask, ArchiveProject, CompleteTask, CreateProject};
use projects_domain::{TaskNumber, TaskPriority};
use shared_kernel_application::{MessageBus, Precondition};
use shared_kernel_domain::UserId;

pub const DEMO_EMAIL: &str = "test@email.com";
pub const DEMO_PASSWORD: &str = "password";

/// A demo project beside the starter project the user gets on registering.
struct DemoProject {
    name: &'static str,
    max_incomplete_tasks: Option<i64>,
    tasks: &'static [DemoTask],
    archived: bool,
}

/// A demo task: its name, whether it is done, and the details that show what a task can
/// carry (a due date `due_in_days` from the seed, negative for one already overdue).
struct DemoTask {
    name: &'static str,
    done: bool,
    description: Option<&'static str>,
    due_in_days: Option<i64>,
    priority: TaskPriority,
    labels: &'static [&'static str],
}

/// A task with a name only.
const fn plain(name: &'static str, done: bool) -> DemoTask {
    DemoTask {
        name,
        done,
        description: None,
        due_in_days: None,
        priority: TaskPriority::None,
        labels: &[],
    }
}

const DEMO_PROJECTS: [DemoProject; 4] = [
    DemoProject {
        name: "Software Engineering",
        max_incomplete_tasks: None,
        tasks: &[plain("Learn Rust", true)],
        archived: false,
    },
    DemoProject {
        name: "Learn Domain Driven Design",
        max_incomplete_tasks: None,
        tasks: &[
            DemoTask {
                description: Some("Ports and adapters, then the dependency rule."),
                due_in_days: Some(7),
                priority: TaskPriority::Medium,
                labels: &["study"],
                ..plain("Learn Clean Architecture", false)
            },
            plain("Learn Event Sourcing", false),
            plain("Learn CQRS", false),
            DemoTask {
                due_in_days: Some(-3),
                priority: TaskPriority::High,
                labels: &["study", "reading"],
                ..plain("Read Domain Driven Design book", false)
            },
        ],
        archived: false,
    },
    DemoProject {
        name: "Household",
        max_incomplete_tasks: Some(5),
        tasks: &[
            DemoTask {
                description: Some("Milk, eggs, bread.\nOat milk if there is no milk."),
                due_in_days: Some(1),
                priority: TaskPriority::Urgent,
                labels: &["home", "errand"],
                ..plain("Do the shopping", false)
            },
            DemoTask {
                labels: &["home"],
                ..plain("Clean the house", false)
            },
        ],
        archived: false,
    },
    DemoProject {
        name: "Old chores",
        max_incomplete_tasks: None,
        tasks: &[plain("Fix the bike", true), plain("Paint the fence", true)],
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
    for demo_task in demo.tasks {
        let task = bus
            .execute(AddTask {
                owner,
                project_id: project.id,
                name: demo_task.name.into(),
                description: demo_task.description.map(Into::into),
                due_at: demo_task
                    .due_in_days
                    .map(|days| Utc::now() + TimeDelta::days(days)),
                priority: Some(demo_task.priority),
                labels: demo_task
                    .labels
                    .iter()
                    .map(|label| (*label).into())
                    .collect(),
                keyed_answer: None,
            })
            .await?;
        if demo_task.done {
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
