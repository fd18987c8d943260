//! What happens to projects, recorded by the aggregate. Nothing outside the context listens
//! yet; the events are the context's history and the hook for future reactions.

use chrono::{DateTime, Utc};
use shared_kernel_domain::{DomainEvent, UserId};

use crate::{ProjectId, TaskNumber};

macro_rules! project_event {
    ($(#[$doc:meta])* $name:ident { $($field:ident : $type:ty),* $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq)]
        pub struct $name {
            pub project_id: ProjectId,
            $(pub $field: $type,)*
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
    ProjectCreated { owner: UserId }
);
project_event!(ProjectArchived {});
project_event!(ProjectUnarchived {});
project_event!(ProjectDeleted {});
project_event!(TaskAdded { number: TaskNumber });
project_event!(TaskCompleted { number: TaskNumber });
project_event!(TaskReopened { number: TaskNumber });
