//! In-memory fakes of the activity ports: the handler runs against them exactly as it does
//! against the database.

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use activity_domain::{Entry, TrackedProject, TrackedTask};
use async_trait::async_trait;
use projects_contracts::{ProjectId, TaskNumber};
use shared_kernel_application::testing::{InMemoryInbox, StagedInbox};
use shared_kernel_application::{Inbox, InfrastructureError, UnitOfWork, UnitOfWorkFactory};

use crate::ports::{
    ActivityUnitOfWork, ActivityUnitOfWorkFactory, EntryRepository, TrackedProjectRepository,
};
use crate::{ActivityPorts, RecordActivity};

/// What the tables would hold: each project's record, each task's name, the entries.
#[derive(Debug, Default, Clone)]
pub struct Tables {
    pub projects: HashMap<ProjectId, TrackedProject>,
    pub tasks: HashMap<(ProjectId, TaskNumber), Option<String>>,
    pub entries: Vec<Entry>,
}

/// The committed tables.
#[derive(Default)]
pub struct FakeActivityStore {
    committed: Mutex<Tables>,
    inbox: InMemoryInbox,
    commits: AtomicUsize,
}

impl FakeActivityStore {
    pub fn tables(&self) -> Tables {
        self.committed.lock().unwrap().clone()
    }

    pub fn commits(&self) -> usize {
        self.commits.load(Ordering::SeqCst)
    }
}

/// Stages changes on a copy of the tables; only `commit` makes them visible.
pub struct FakeUnitOfWork {
    store: Arc<FakeActivityStore>,
    staged: Mutex<Tables>,
    inbox: StagedInbox,
}

#[async_trait]
impl TrackedProjectRepository for FakeUnitOfWork {
    /// The record with only the task asked for, as the database repository loads it.
    async fn get(
        &self,
        id: ProjectId,
        task: Option<TaskNumber>,
    ) -> Result<Option<TrackedProject>, InfrastructureError> {
        let staged = self.staged.lock().unwrap();
        Ok(staged.projects.get(&id).map(|project| {
            let task = task.and_then(|number| {
                let name = staged.tasks.get(&(id, number))?;
                Some(TrackedTask {
                    number,
                    name: name.clone(),
                })
            });
            TrackedProject::restore(
                project.id(),
                project.owner(),
                project.name().map(str::to_owned),
                project.max_incomplete_tasks(),
                project.deleted_at(),
                task,
            )
        }))
    }

    async fn add(&self, project: &TrackedProject) -> Result<(), InfrastructureError> {
        self.update(project).await
    }

    async fn update(&self, project: &TrackedProject) -> Result<(), InfrastructureError> {
        let mut staged = self.staged.lock().unwrap();
        if let Some(task) = project.task() {
            staged
                .tasks
                .insert((project.id(), task.number), task.name.clone());
        }
        staged.projects.insert(project.id(), project.clone());
        Ok(())
    }
}

#[async_trait]
impl EntryRepository for FakeUnitOfWork {
    async fn add(&self, entry: &Entry) -> Result<(), InfrastructureError> {
        self.staged.lock().unwrap().entries.push(entry.clone());
        Ok(())
    }
}

#[async_trait]
impl UnitOfWork for FakeUnitOfWork {
    async fn commit(self: Box<Self>) -> Result<(), InfrastructureError> {
        *self.store.committed.lock().unwrap() = self.staged.into_inner().unwrap();
        self.inbox.commit();
        self.store.commits.fetch_add(1, Ordering::SeqCst);
        Ok(())
    }
}

impl ActivityUnitOfWork for FakeUnitOfWork {
    fn projects(&self) -> &dyn TrackedProjectRepository {
        self
    }

    fn entries(&self) -> &dyn EntryRepository {
        self
    }

    fn inbox(&self) -> &dyn Inbox {
        &self.inbox
    }
}

pub struct FakeUnitOfWorkFactory(pub Arc<FakeActivityStore>);

#[async_trait]
impl UnitOfWorkFactory<dyn ActivityUnitOfWork> for FakeUnitOfWorkFactory {
    async fn begin(&self) -> Result<Box<dyn ActivityUnitOfWork>, InfrastructureError> {
        let staged = self.0.committed.lock().unwrap().clone();
        Ok(Box::new(FakeUnitOfWork {
            store: Arc::clone(&self.0),
            staged: Mutex::new(staged),
            inbox: self.0.inbox.begin(),
        }))
    }
}

pub struct Fakes {
    pub store: Arc<FakeActivityStore>,
}

impl Fakes {
    pub fn new() -> Self {
        Self {
            store: Arc::default(),
        }
    }

    pub fn ports(&self) -> ActivityPorts {
        let unit_of_work: Arc<ActivityUnitOfWorkFactory> =
            Arc::new(FakeUnitOfWorkFactory(self.store.clone()));
        ActivityPorts { unit_of_work }
    }

    pub fn handler(&self) -> RecordActivity {
        RecordActivity {
            unit_of_work: self.ports().unit_of_work,
        }
    }
}
