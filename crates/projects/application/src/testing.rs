//! In-memory fakes of the projects ports: the use cases run against them exactly as they do
//! against the database.

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use projects_domain::{Project, ProjectId, TaskNumber};
use shared_kernel_application::Inbox;
use shared_kernel_application::idempotency::IdempotentAnswers;
use shared_kernel_application::testing::{
    InMemoryIdempotencyKeys, InMemoryInbox, StagedAnswers, StagedInbox,
};
use shared_kernel_application::{InfrastructureError, UnitOfWork, UnitOfWorkFactory};
use shared_kernel_domain::{AggregateRoot, EventRef, FixedClock, UserId};

use crate::commands::ProjectCommands;
use crate::ports::{ProjectRepository, ProjectsUnitOfWork};

/// The committed state, and what was published after each commit.
#[derive(Default)]
pub struct FakeProjectStore {
    projects: Mutex<HashMap<ProjectId, Project>>,
    inbox: InMemoryInbox,
    /// The idempotency keys, whose answers the Units of Work record.
    pub answers: InMemoryIdempotencyKeys,
    published: Mutex<Vec<EventRef>>,
    commits: AtomicUsize,
    /// Every project a Unit of Work saved (`update`), committed or not.
    updates: AtomicUsize,
}

impl FakeProjectStore {
    pub fn get(&self, id: ProjectId) -> Option<Project> {
        self.projects.lock().unwrap().get(&id).cloned()
    }

    pub fn owned_by(&self, owner: UserId) -> Vec<Project> {
        self.projects
            .lock()
            .unwrap()
            .values()
            .filter(|p| p.owner() == owner)
            .cloned()
            .collect()
    }

    pub fn commits(&self) -> usize {
        self.commits.load(Ordering::SeqCst)
    }

    pub fn updates(&self) -> usize {
        self.updates.load(Ordering::SeqCst)
    }

    pub fn published(&self) -> Vec<&'static str> {
        self.published
            .lock()
            .unwrap()
            .iter()
            .map(|e| e.event_type())
            .collect()
    }
}

/// Stages changes on a copy of the store; only `commit` makes them visible.
pub struct FakeUnitOfWork {
    store: Arc<FakeProjectStore>,
    staged: Mutex<HashMap<ProjectId, Project>>,
    inbox: StagedInbox,
    answers: StagedAnswers,
    events: Mutex<Vec<EventRef>>,
}

impl FakeUnitOfWork {
    /// A copy of the staged project holding only task `number`, as the database repository
    /// loads it, so that a use case that forgets to load its task fails here too.
    fn load(&self, owner: UserId, id: ProjectId, task: Option<TaskNumber>) -> Option<Project> {
        let staged = self.staged.lock().unwrap();
        let whole = staged
            .get(&id)
            .filter(|p| p.owner() == owner && p.deleted_at().is_none())?;
        let mut snapshot = whole.snapshot();
        snapshot.loaded_tasks.retain(|t| Some(t.number()) == task);
        Some(Project::restore(snapshot))
    }
}

#[async_trait]
impl ProjectRepository for FakeUnitOfWork {
    async fn get(
        &self,
        owner: UserId,
        id: ProjectId,
    ) -> Result<Option<Project>, InfrastructureError> {
        Ok(self.load(owner, id, None))
    }

    async fn get_with_task(
        &self,
        owner: UserId,
        id: ProjectId,
        number: TaskNumber,
    ) -> Result<Option<Project>, InfrastructureError> {
        Ok(self.load(owner, id, Some(number)))
    }

    async fn add(&self, project: &mut Project) -> Result<(), InfrastructureError> {
        self.events.lock().unwrap().extend(project.take_events());
        self.staged
            .lock()
            .unwrap()
            .insert(project.id(), project.clone());
        Ok(())
    }

    /// Keeps the staged project's other tasks: the saved copy holds only the ones it loaded
    /// or added.
    async fn update(&self, project: &mut Project) -> Result<(), InfrastructureError> {
        self.store.updates.fetch_add(1, Ordering::SeqCst);
        self.events.lock().unwrap().extend(project.take_events());
        let mut staged = self.staged.lock().unwrap();
        let mut snapshot = project.snapshot();
        if let Some(before) = staged.get(&project.id()) {
            let saved: Vec<TaskNumber> = snapshot.loaded_tasks.iter().map(|t| t.number()).collect();
            snapshot.loaded_tasks.extend(
                before
                    .loaded_tasks()
                    .iter()
                    .filter(|t| !saved.contains(&t.number()))
                    .cloned(),
            );
        }
        staged.insert(project.id(), Project::restore(snapshot));
        Ok(())
    }
}

#[async_trait]
impl UnitOfWork for FakeUnitOfWork {
    async fn commit(self: Box<Self>) -> Result<(), InfrastructureError> {
        *self.store.projects.lock().unwrap() = self.staged.into_inner().unwrap();
        self.inbox.commit();
        self.answers.commit();
        self.store.commits.fetch_add(1, Ordering::SeqCst);
        let events = self.events.into_inner().unwrap();
        self.store.published.lock().unwrap().extend(events);
        Ok(())
    }
}

impl ProjectsUnitOfWork for FakeUnitOfWork {
    fn projects(&self) -> &dyn ProjectRepository {
        self
    }

    fn inbox(&self) -> &dyn Inbox {
        &self.inbox
    }

    fn idempotent_answers(&self) -> &dyn IdempotentAnswers {
        &self.answers
    }
}

pub struct FakeUnitOfWorkFactory(pub Arc<FakeProjectStore>);

#[async_trait]
impl UnitOfWorkFactory<dyn ProjectsUnitOfWork> for FakeUnitOfWorkFactory {
    async fn begin(&self) -> Result<Box<dyn ProjectsUnitOfWork>, InfrastructureError> {
        let staged = self.0.projects.lock().unwrap().clone();
        Ok(Box::new(FakeUnitOfWork {
            store: Arc::clone(&self.0),
            staged: Mutex::new(staged),
            inbox: self.0.inbox.begin(),
            answers: self.0.answers.begin(),
            events: Mutex::default(),
        }))
    }
}

pub struct Fakes {
    pub projects: Arc<FakeProjectStore>,
    pub clock: Arc<FixedClock>,
}

impl Fakes {
    pub fn new() -> Self {
        Self {
            projects: Arc::default(),
            clock: Arc::new(FixedClock::at(
                DateTime::parse_from_rfc3339("2026-01-02T03:04:05Z")
                    .unwrap()
                    .with_timezone(&Utc),
            )),
        }
    }

    pub fn commands(&self) -> ProjectCommands {
        ProjectCommands {
            unit_of_work: Arc::new(FakeUnitOfWorkFactory(self.projects.clone())),
            clock: self.clock.clone(),
        }
    }

    pub fn ports(&self) -> crate::ProjectsPorts {
        crate::ProjectsPorts {
            unit_of_work: Arc::new(FakeUnitOfWorkFactory(self.projects.clone())),
            clock: self.clock.clone(),
        }
    }
}
