//! The stored shape of the projects context's events (docs/events.md lists them all): the
//! project's id, plus what each event adds, in camelCase JSON. The events themselves are the
//! context's published language (`projects-contracts`); how they are stored is this crate's.

use std::error::Error;

use chrono::{DateTime, Utc};
use platform_outbox::EventSchema;
use projects_domain::{
    ProjectArchived, ProjectCreated, ProjectDeleted, ProjectId, ProjectUnarchived, ProjectUpdated,
    TaskAdded, TaskChange, TaskCompleted, TaskNumber, TaskPriority, TaskRenamed, TaskReopened,
    TaskUpdated,
};
use serde::{Deserialize, Serialize};
use shared_kernel_application::EventCodecs;
use shared_kernel_domain::UserId;
use uuid::Uuid;

/// Registers the schemas of the projects context's events: every version, so that a row
/// written by an older build still reads; each event is written with its latest.
pub fn register_event_schemas(codecs: &mut EventCodecs) {
    codecs
        .register(ProjectCreatedV1::codec())
        .register(ProjectCreatedV2::codec())
        .register(ProjectUpdatedV1::codec())
        .register(ProjectArchivedV1::codec())
        .register(ProjectUnarchivedV1::codec())
        .register(ProjectDeletedV1::codec())
        .register(TaskAddedV1::codec())
        .register(TaskAddedV2::codec())
        .register(TaskRenamedV1::codec())
        .register(TaskCompletedV1::codec())
        .register(TaskReopenedV1::codec())
        .register(TaskUpdatedV1::codec());
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

impl StoredField for String {
    type Stored = String;
    fn to_stored(&self) -> String {
        self.clone()
    }
    fn from_stored(stored: String) -> Self {
        stored
    }
}

/// A maximum of incomplete tasks: a number, or `null` for none.
impl StoredField for Option<u32> {
    type Stored = Option<u32>;
    fn to_stored(&self) -> Option<u32> {
        *self
    }
    fn from_stored(stored: Option<u32>) -> Self {
        stored
    }
}

/// A name that events stored before it was part of them lack (`ProjectCreated`, `TaskAdded`):
/// from version 2 on it is always stored.
impl StoredField for Option<String> {
    type Stored = String;
    fn to_stored(&self) -> String {
        // The aggregate always names what it records; only a version-1 event read back has
        // no name, and nothing writes such an event again.
        self.clone().unwrap_or_default()
    }
    fn from_stored(stored: String) -> Self {
        Some(stored)
    }
}

/// A task's changes, each as `{"field": …, "value": …}`: `description` (text or null),
/// `dueAt` (RFC 3339 or null), `priority` (`none` … `urgent`), `labels` (a list).
impl StoredField for Vec<TaskChange> {
    type Stored = Vec<StoredTaskChange>;
    fn to_stored(&self) -> Vec<StoredTaskChange> {
        self.iter()
            .map(|change| match change {
                TaskChange::Description(text) => StoredTaskChange::Description(text.clone()),
                TaskChange::DueAt(at) => StoredTaskChange::DueAt(*at),
                TaskChange::Priority(priority) => StoredTaskChange::Priority(match priority {
                    TaskPriority::None => StoredPriority::None,
                    TaskPriority::Low => StoredPriority::Low,
                    TaskPriority::Medium => StoredPriority::Medium,
                    TaskPriority::High => StoredPriority::High,
                    TaskPriority::Urgent => StoredPriority::Urgent,
                }),
                TaskChange::Labels(labels) => StoredTaskChange::Labels(labels.clone()),
            })
            .collect()
    }
    fn from_stored(stored: Vec<StoredTaskChange>) -> Self {
        stored
            .into_iter()
            .map(|change| match change {
                StoredTaskChange::Description(text) => TaskChange::Description(text),
                StoredTaskChange::DueAt(at) => TaskChange::DueAt(at),
                StoredTaskChange::Priority(priority) => TaskChange::Priority(match priority {
                    StoredPriority::None => TaskPriority::None,
                    StoredPriority::Low => TaskPriority::Low,
                    StoredPriority::Medium => TaskPriority::Medium,
                    StoredPriority::High => TaskPriority::High,
                    StoredPriority::Urgent => TaskPriority::Urgent,
                }),
                StoredTaskChange::Labels(labels) => TaskChange::Labels(labels),
            })
            .collect()
    }
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(tag = "field", content = "value", rename_all = "camelCase")]
enum StoredTaskChange {
    Description(Option<String>),
    DueAt(Option<DateTime<Utc>>),
    Priority(StoredPriority),
    Labels(Vec<String>),
}

/// Spelled out rather than `TaskPriority::as_str`, so that a stored event fails to read
/// (instead of reading as another priority) if the names ever change.
#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
enum StoredPriority {
    None,
    Low,
    Medium,
    High,
    Urgent,
}

/// The schema of one version of a projects event: the project's id and the `stored` fields,
/// in camelCase JSON. Fields of the event that this version does not store (`absent`) read
/// back as `None`: a version that came before them never had them.
macro_rules! project_event_schema {
    (
        $schema:ident => $event:ident, version $version:literal
        { $($field:ident : $type:ty),* $(,)? }
        $(absent { $($absent:ident),* $(,)? })?
    ) => {
        #[doc = concat!("`projects.", stringify!($event), "`, version ", stringify!($version), ".")]
        #[derive(Debug, Serialize, Deserialize)]
        #[serde(rename_all = "camelCase", deny_unknown_fields)]
        struct $schema {
            project_id: Uuid,
            $($field: <$type as StoredField>::Stored,)*
        }

        impl EventSchema for $schema {
            type Event = $event;
            const EVENT_TYPE: &'static str = concat!("projects.", stringify!($event));
            const VERSION: u32 = $version;

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
                    $($($absent: None,)*)?
                    occurred_at,
                })
            }
        }
    };
}

project_event_schema!(ProjectCreatedV1 => ProjectCreated, version 1 { owner: UserId }
    absent { name, max_incomplete_tasks });
project_event_schema!(ProjectCreatedV2 => ProjectCreated, version 2 {
    owner: UserId,
    name: Option<String>,
    max_incomplete_tasks: Option<u32>,
});
project_event_schema!(ProjectUpdatedV1 => ProjectUpdated, version 1 {
    name: String,
    max_incomplete_tasks: Option<u32>,
});
project_event_schema!(ProjectArchivedV1 => ProjectArchived, version 1 {});
project_event_schema!(ProjectUnarchivedV1 => ProjectUnarchived, version 1 {});
project_event_schema!(ProjectDeletedV1 => ProjectDeleted, version 1 {});
project_event_schema!(TaskAddedV1 => TaskAdded, version 1 { number: TaskNumber } absent { name });
project_event_schema!(TaskAddedV2 => TaskAdded, version 2 {
    number: TaskNumber,
    name: Option<String>,
});
project_event_schema!(TaskRenamedV1 => TaskRenamed, version 1 { number: TaskNumber, name: String });
project_event_schema!(TaskCompletedV1 => TaskCompleted, version 1 { number: TaskNumber });
project_event_schema!(TaskReopenedV1 => TaskReopened, version 1 { number: TaskNumber });
project_event_schema!(TaskUpdatedV1 => TaskUpdated, version 1 {
    number: TaskNumber,
    changes: Vec<TaskChange>,
});

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

    /// Writes `event`, checks the stored type, version and payload, reads it back and
    /// compares.
    fn round_trip<E: DomainEvent + PartialEq + Clone>(event: E, version: u32, payload: &str) {
        let codecs = codecs();
        let encoded = codecs.encode(&event).unwrap();
        assert_eq!(encoded.event_type, event.event_type());
        assert_eq!(
            (encoded.version, encoded.payload.as_str()),
            (version, payload)
        );
        assert_eq!(
            read::<E>(&encoded.payload, version, event.event_type()),
            event
        );
    }

    fn read<E: DomainEvent + Clone>(payload: &str, version: u32, event_type: &str) -> E {
        let decoded = codecs()
            .decode(event_type, version, payload, DateTime::UNIX_EPOCH)
            .unwrap();
        (decoded.as_ref() as &dyn Any)
            .downcast_ref::<E>()
            .unwrap()
            .clone()
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
                name: Some("Garden".into()),
                max_incomplete_tasks: Some(5),
                occurred_at: at,
            },
            2,
            &format!(
                r#"{{"projectId":"{p}","owner":"{}","name":"Garden","maxIncompleteTasks":5}}"#,
                owner.as_uuid()
            ),
        );
        round_trip(
            ProjectUpdated {
                project_id,
                name: "Allotment".into(),
                max_incomplete_tasks: None,
                occurred_at: at,
            },
            1,
            &format!(r#"{{"projectId":"{p}","name":"Allotment","maxIncompleteTasks":null}}"#),
        );
        round_trip(
            TaskUpdated {
                project_id,
                number,
                changes: vec![
                    TaskChange::Description(None),
                    TaskChange::DueAt(Some(DateTime::UNIX_EPOCH)),
                    TaskChange::Priority(TaskPriority::Urgent),
                    TaskChange::Labels(vec!["home".into()]),
                ],
                occurred_at: at,
            },
            1,
            &format!(
                r#"{{"projectId":"{p}","number":7,"changes":[{{"field":"description","value":null}},{{"field":"dueAt","value":"1970-01-01T00:00:00Z"}},{{"field":"priority","value":"urgent"}},{{"field":"labels","value":["home"]}}]}}"#
            ),
        );
        let just_the_project = format!(r#"{{"projectId":"{p}"}}"#);
        round_trip(
            ProjectArchived {
                project_id,
                occurred_at: at,
            },
            1,
            &just_the_project,
        );
        round_trip(
            ProjectUnarchived {
                project_id,
                occurred_at: at,
            },
            1,
            &just_the_project,
        );
        round_trip(
            ProjectDeleted {
                project_id,
                occurred_at: at,
            },
            1,
            &just_the_project,
        );
        round_trip(
            TaskAdded {
                project_id,
                number,
                name: Some("Buy milk".into()),
                occurred_at: at,
            },
            2,
            &format!(r#"{{"projectId":"{p}","number":7,"name":"Buy milk"}}"#),
        );
        round_trip(
            TaskRenamed {
                project_id,
                number,
                name: "Buy oat milk".into(),
                occurred_at: at,
            },
            1,
            &format!(r#"{{"projectId":"{p}","number":7,"name":"Buy oat milk"}}"#),
        );
        let with_number = format!(r#"{{"projectId":"{p}","number":7}}"#);
        round_trip(
            TaskCompleted {
                project_id,
                number,
                occurred_at: at,
            },
            1,
            &with_number,
        );
        round_trip(
            TaskReopened {
                project_id,
                number,
                occurred_at: at,
            },
            1,
            &with_number,
        );
    }

    /// What builds before names were part of the events wrote (version 1) still reads: the
    /// names, which were never stored, read as unknown.
    #[test]
    fn the_first_versions_of_project_created_and_task_added_still_read() {
        let project_id = ProjectId::new();
        let owner = UserId::new();

        let created: ProjectCreated = read(
            &format!(
                r#"{{"projectId":"{}","owner":"{}"}}"#,
                project_id.as_uuid(),
                owner.as_uuid()
            ),
            1,
            "projects.ProjectCreated",
        );
        let added: TaskAdded = read(
            &format!(r#"{{"projectId":"{}","number":3}}"#, project_id.as_uuid()),
            1,
            "projects.TaskAdded",
        );

        assert_eq!(
            created,
            ProjectCreated {
                project_id,
                owner,
                name: None,
                max_incomplete_tasks: None,
                occurred_at: DateTime::UNIX_EPOCH,
            }
        );
        assert_eq!(
            added,
            TaskAdded {
                project_id,
                number: TaskNumber::new(3),
                name: None,
                occurred_at: DateTime::UNIX_EPOCH,
            }
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
