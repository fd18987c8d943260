//! What happens to projects and their tasks, as the `Project` aggregate records it and as
//! other contexts hear it. Each event carries the project's id and what the change made of
//! the project, never how the projects context stores it (its infrastructure keeps the
//! stored shape, docs/events.md).

use chrono::{DateTime, Utc};
use shared_kernel_domain::{DomainEvent, UserId};

use crate::{ProjectId, TaskNumber, TaskPriority};

macro_rules! project_event {
    ($(#[$doc:meta])* $name:ident { $($(#[$field_doc:meta])* $field:ident : $type:ty),* $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq)]
        pub struct $name {
            pub project_id: ProjectId,
            $($(#[$field_doc])* pub $field: $type,)*
            pub occurred_at: DateTime<Utc>,
        }

        impl DomainEvent for $name {
            fn event_type(&self) -> &'static str {
                concat!("projects.", stringify!($name))
            }

            fn occurred_at(&self) -> DateTime<Utc> {
                self.occurred_at
            }
        }
    };
}

project_event!(
    /// A project was created for its owner.
    ProjectCreated {
        owner: UserId,
        /// `None` only in events stored before the name was part of them (version 1).
        name: Option<String>,
        /// The most incomplete tasks it may have; `None` for no maximum.
        max_incomplete_tasks: Option<u32>,
    }
);
project_event!(
    /// A project was renamed, or its maximum of incomplete tasks set or lifted: its name and
    /// maximum from now on.
    ProjectUpdated {
        name: String,
        max_incomplete_tasks: Option<u32>,
    }
);
project_event!(
    /// A project whose tasks were all completed was archived: it changes no more.
    ProjectArchived {}
);
project_event!(
    /// An archived project is active again.
    ProjectUnarchived {}
);
project_event!(
    /// An archived project was deleted: it is gone from every read and every command.
    ProjectDeleted {}
);
project_event!(
    /// A task was added, incomplete, with the project's next number.
    TaskAdded {
        number: TaskNumber,
        /// `None` only in events stored before the name was part of them (version 1).
        name: Option<String>,
    }
);
project_event!(
    /// A task was renamed: its name from now on.
    TaskRenamed {
        number: TaskNumber,
        name: String,
    }
);
project_event!(
    /// A task was completed.
    TaskCompleted { number: TaskNumber }
);
project_event!(
    /// A completed task was marked incomplete again.
    TaskReopened { number: TaskNumber }
);
project_event!(
    /// A task's details changed (anything but its name, which `TaskRenamed` tells, and its
    /// completion): each change gives the field's value from now on.
    TaskUpdated {
        number: TaskNumber,
        /// In the order description, due date, priority, labels; each field at most once.
        changes: Vec<TaskChange>,
    }
);

/// One field of a task, as a change left it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TaskChange {
    /// The description; `None` when it was cleared.
    Description(Option<String>),
    /// When the task is due; `None` when the due date was cleared.
    DueAt(Option<DateTime<Utc>>),
    Priority(TaskPriority),
    /// Lower-case and sorted; empty when every label was taken off.
    Labels(Vec<String>),
}
