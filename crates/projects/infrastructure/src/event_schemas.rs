//! The stored shape of the projects context's events (docs/events.md lists them all): the
//! project's id, plus what each event adds, in camelCase JSON.

use std::error::Error;

use chrono::{DateTime, Utc};
use platform_outbox::EventSchema;
use projects_domain::{
    ProjectArchived, ProjectCreated, ProjectDeleted, ProjectId, ProjectUnarchived, TaskAdded,
    TaskCompleted, TaskNumber, TaskReopened,
};
use serde::{Deserialize, Serialize};
use shared_kernel_application::EventCodecs;
use shared_kernel_domain::UserId;
use uuid::Uuid;

/// Registers the schemas of the projects context's events.
pub fn register_event_schemas(codecs: &mut EventCodecs) {
    codecs
        .register(ProjectCreatedV1::codec())
        .register(ProjectArchivedV1::codec())
        .register(ProjectUnarchivedV1::codec())
        .register(ProjectDeletedV1::codec())
        .register(TaskAddedV1::codec())
        .register(TaskCompletedV1::codec())
        .register(TaskReopenedV1::codec());
}

/// How a field of an event is stored.
trait StoredField: Sized {
    type Stored: Serialize + for<'de> Deserialize<'de> + std::fmt::Debug;
    fn to_stored(&self) -> Self::Stored;
    fn from_stored(stored: Self::Stored) -> Self;
}

impl StoredField for UserId {
    type Stored = Uuid;
    fn to_stored(&self) -> Uuid {
        self.as_uuid()
    }
    fn from_stored(stored: Uuid) -> Self {
        UserId::from_uuid(stored)
    }
}

impl StoredField for TaskNumber {
    type Stored = u32;
    fn to_stored(&self) -> u32 {
        self.get()
    }
    fn from_stored(stored: u32) -> Self {
        TaskNumber::new(stored)
    }
}

macro_rules! project_event_schema {
    ($schema:ident => $event:ident { $($field:ident : $type:ty),* $(,)? }) => {
        #[doc = concat!("`projects.", stringify!($event), "`, version 1.")]
        #[derive(Debug, Serialize, Deserialize)]
        #[serde(rename_all = "camelCase", deny_unknown_fields)]
        struct $schema {
            project_id: Uuid,
            $($field: <$type as StoredField>::Stored,)*
        }

        impl EventSchema for $schema {
            type Event = $event;
            const EVENT_TYPE: &'static str = concat!("projects.", stringify!($event));
            const VERSION: u32 = 1;

            fn aggregate_id(event: &$event) -> Uuid {
                event.project_id.as_uuid()
            }

            fn from_event(event: &$event) -> Self {
                Self {
                    project_id: event.project_id.as_uuid(),
                    $($field: event.$field.to_stored(),)*
                }
            }

            fn into_event(
                self,
                occurred_at: DateTime<Utc>,
            ) -> Result<$event, Box<dyn Error + Send + Sync>> {
                Ok($event {
                    project_id: ProjectId::from_uuid(self.project_id),
                    $($field: <$type as StoredField>::from_stored(self.$field),)*
                    occurred_at,
                })
            }
        }
    };
}

project_event_schema!(ProjectCreatedV1 => ProjectCreated { owner: UserId });
project_event_schema!(ProjectArchivedV1 => ProjectArchived {});
project_event_schema!(ProjectUnarchivedV1 => ProjectUnarchived {});
project_event_schema!(ProjectDeletedV1 => ProjectDeleted {});
project_event_schema!(TaskAddedV1 => TaskAdded { number: TaskNumber });
project_event_schema!(TaskCompletedV1 => TaskCompleted { number: TaskNumber });
project_event_schema!(TaskReopenedV1 => TaskReopened { number: TaskNumber });

#[cfg(test)]
mod tests {
    use std::any::Any;

    use shared_kernel_domain::DomainEvent;

    use super::*;

    fn codecs() -> EventCodecs {
        let mut codecs = EventCodecs::default();
        register_event_schemas(&mut codecs);
        codecs
    }

    /// Writes `event`, checks the stored type and payload, reads it back and compares.
    fn round_trip<E: DomainEvent + PartialEq>(event: E, payload: &str) {
        let codecs = codecs();
        let encoded = codecs.encode(&event).unwrap();
        assert_eq!(encoded.event_type, event.event_type());
        assert_eq!(encoded.payload, payload);
        let decoded = codecs
            .decode(
                encoded.event_type,
                encoded.version,
                &encoded.payload,
                event.occurred_at(),
            )
            .unwrap();
        let decoded = (decoded.as_ref() as &dyn Any).downcast_ref::<E>().unwrap();
        assert!(decoded == &event, "{decoded:?} != {event:?}");
    }

    #[test]
    fn every_projects_event_reads_back_as_it_was_written() {
        let project_id = ProjectId::new();
        let p = project_id.as_uuid();
        let owner = UserId::new();
        let at = DateTime::UNIX_EPOCH;
        let number = TaskNumber::new(7);

        round_trip(
            ProjectCreated {
                project_id,
                owner,
                occurred_at: at,
            },
            &format!(r#"{{"projectId":"{p}","owner":"{}"}}"#, owner.as_uuid()),
        );
        let just_the_project = format!(r#"{{"projectId":"{p}"}}"#);
        round_trip(
            ProjectArchived {
                project_id,
                occurred_at: at,
            },
            &just_the_project,
        );
        round_trip(
            ProjectUnarchived {
                project_id,
                occurred_at: at,
            },
            &just_the_project,
        );
        round_trip(
            ProjectDeleted {
                project_id,
                occurred_at: at,
            },
            &just_the_project,
        );
        let with_number = format!(r#"{{"projectId":"{p}","number":7}}"#);
        round_trip(
            TaskAdded {
                project_id,
                number,
                occurred_at: at,
            },
            &with_number,
        );
        round_trip(
            TaskCompleted {
                project_id,
                number,
                occurred_at: at,
            },
            &with_number,
        );
        round_trip(
            TaskReopened {
                project_id,
                number,
                occurred_at: at,
            },
            &with_number,
        );
    }

    #[test]
    fn an_unexpected_field_is_refused_rather_than_dropped() {
        let error = codecs()
            .decode(
                "projects.TaskAdded",
                1,
                r#"{"projectId":"0192f0c1-0000-7000-8000-000000000000","number":1,"extra":true}"#,
                DateTime::UNIX_EPOCH,
            )
            .unwrap_err();
        assert!(error.to_string().contains("projects.TaskAdded"));
    }
}
