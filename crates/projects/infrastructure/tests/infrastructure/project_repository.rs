use platform_database::testing::{Backend, Postgres, Sqlite};
use projects_domain::{
    DueAt, Labels, TaskDescription, TaskDetails, TaskNumber, TaskPatch, TaskPriority,
};
use rstest::rstest;
use shared_kernel_domain::UserId;

use crate::support::{Projects, new_project, now, task_name};

#[rstest]
#[tokio::test]
async fn a_saved_project_loads_back_with_its_counters_and_each_task_on_demand(
    #[values(Sqlite, Postgres)] backend: Backend,
) {
    let projects = Projects::on(backend).await;
    let owner = UserId::new();
    let saved = projects.given_project(owner, "Garden", 3, 1).await;

    let loaded = projects.load(owner, saved.id()).await.unwrap();

    assert_eq!(loaded.name(), saved.name());
    assert_eq!(loaded.owner(), owner);
    assert!(
        loaded.loaded_tasks().is_empty(),
        "a plain get loads no task"
    );
    assert_eq!(loaded.task_count(), 3);
    assert_eq!(loaded.incomplete_task_count(), 2);
    assert_eq!(loaded.last_task_number(), 3);
    assert_eq!(loaded.created_at(), saved.created_at());
    assert_eq!(loaded.version(), 0);
    for task in saved.loaded_tasks() {
        let number = task.number().get();
        assert_eq!(
            projects.load_task(owner, saved.id(), number).await.as_ref(),
            Some(task)
        );
    }
    assert_eq!(projects.load_task(owner, saved.id(), 4).await, None);
}

#[rstest]
#[tokio::test]
async fn another_owners_or_a_deleted_project_does_not_load(
    #[values(Sqlite, Postgres)] backend: Backend,
) {
    let projects = Projects::on(backend).await;
    let owner = UserId::new();
    let project = projects.given_project(owner, "Garden", 0, 0).await;

    assert!(projects.load(UserId::new(), project.id()).await.is_none());

    projects
        .change(owner, project.id(), None, |p| {
            p.archive(now()).unwrap();
            p.delete(now()).unwrap();
        })
        .await;
    assert!(projects.load(owner, project.id()).await.is_none());
}

#[rstest]
#[tokio::test]
async fn an_update_saves_new_and_changed_tasks_and_moves_the_version(
    #[values(Sqlite, Postgres)] backend: Backend,
) {
    let projects = Projects::on(backend).await;
    let owner = UserId::new();
    let project = projects.given_project(owner, "Garden", 3, 0).await;
    let (id, first, second) = (project.id(), TaskNumber::new(1), TaskNumber::new(2));

    projects
        .change(owner, id, Some(first), |p| {
            p.complete_task(first, now()).unwrap();
        })
        .await;
    projects
        .change(owner, id, Some(second), |p| {
            p.rename_task(second, task_name("Weed"), now()).unwrap();
        })
        .await;
    let added = projects
        .change(owner, id, None, |p| {
            p.add_task(task_name("Mow"), TaskDetails::default(), now())
                .unwrap();
        })
        .await;

    assert!(
        projects
            .load_task(owner, id, 1)
            .await
            .unwrap()
            .is_completed()
    );
    let weed = projects.load_task(owner, id, 2).await.unwrap();
    assert_eq!((weed.name().as_str(), weed.is_completed()), ("Weed", false));
    // The task no command touched is as it was saved.
    assert_eq!(
        projects.load_task(owner, id, 3).await.as_ref(),
        project.task(TaskNumber::new(3))
    );
    assert_eq!(
        projects.load_task(owner, id, 4).await.as_ref(),
        added.task(TaskNumber::new(4))
    );
    let loaded = projects.load(owner, id).await.unwrap();
    assert_eq!(loaded.task_count(), 4);
    assert_eq!(loaded.incomplete_task_count(), 3);
    assert_eq!(loaded.last_task_number(), 4);
    assert_eq!(loaded.version(), 3);
}

#[rstest]
#[tokio::test]
async fn an_update_of_a_stale_copy_is_refused(#[values(Sqlite, Postgres)] backend: Backend) {
    let projects = Projects::on(backend).await;
    let owner = UserId::new();
    let project = projects.given_project(owner, "Garden", 0, 0).await;
    // A copy loaded at version 0, then the project moves on to version 1.
    let mut stale = projects.load(owner, project.id()).await.unwrap();
    projects
        .change(owner, project.id(), None, |p| {
            p.add_task(task_name("first"), TaskDetails::default(), now())
                .unwrap();
        })
        .await;

    stale
        .add_task(task_name("lost"), TaskDetails::default(), now())
        .unwrap();
    let unit_of_work = projects.begin().await;
    let result = unit_of_work.projects().update(&mut stale).await;

    assert!(result.is_err(), "a stale version must not overwrite");
    drop(unit_of_work);
    let loaded = projects.load(owner, project.id()).await.unwrap();
    assert_eq!(loaded.task_count(), 1);
    let kept = projects.load_task(owner, project.id(), 1).await.unwrap();
    assert_eq!(kept.name().as_str(), "first");
}

#[rstest]
#[tokio::test]
async fn a_new_project_with_tasks_is_stored_in_one_go(
    #[values(Sqlite, Postgres)] backend: Backend,
) {
    let projects = Projects::on(backend).await;
    let owner = UserId::new();
    let mut project = new_project(owner, "Garden", Some(5));
    project
        .add_task(task_name("a"), TaskDetails::default(), now())
        .unwrap();
    project
        .add_task(task_name("b"), TaskDetails::default(), now())
        .unwrap();
    project.complete_task(TaskNumber::new(1), now()).unwrap();

    let unit_of_work = projects.begin().await;
    unit_of_work.projects().add(&mut project).await.unwrap();
    unit_of_work.commit().await.unwrap();

    let loaded = projects.load(owner, project.id()).await.unwrap();
    assert_eq!(loaded.task_count(), 2);
    assert_eq!(loaded.incomplete_task_count(), 1);
    assert_eq!(loaded.incomplete_task_limit().unwrap().get(), 5);
    for task in project.loaded_tasks() {
        let number = task.number().get();
        assert_eq!(
            projects
                .load_task(owner, project.id(), number)
                .await
                .as_ref(),
            Some(task)
        );
    }
}

#[rstest]
#[tokio::test]
async fn a_task_s_details_are_stored_changed_and_cleared(
    #[values(Sqlite, Postgres)] backend: Backend,
) {
    let projects = Projects::on(backend).await;
    let owner = UserId::new();
    let mut project = new_project(owner, "Kitchen", None);
    let details = TaskDetails {
        description: Some(TaskDescription::parse("Two lines\n\tand a tab").unwrap()),
        due_at: Some(DueAt::new(now() + chrono::TimeDelta::days(3))),
        priority: TaskPriority::High,
        labels: Labels::parse(&["Home", "shop"]).unwrap(),
    };
    project
        .add_task(task_name("Buy milk"), details, now())
        .unwrap();
    projects.save_new(&mut project).await;
    let added = project.task(TaskNumber::new(1)).unwrap().clone();
    assert_eq!(
        projects.load_task(owner, project.id(), 1).await.as_ref(),
        Some(&added)
    );

    let later = now() + chrono::TimeDelta::seconds(1);
    let changed = projects
        .change(owner, project.id(), Some(TaskNumber::new(1)), |p| {
            let patch = TaskPatch {
                description: Some(None),
                due_at: Some(None),
                priority: Some(TaskPriority::Urgent),
                labels: Some(Labels::default()),
                ..TaskPatch::default()
            };
            p.update_task(TaskNumber::new(1), patch, later).unwrap();
        })
        .await;

    let reloaded = projects.load_task(owner, project.id(), 1).await.unwrap();
    assert_eq!(Some(&reloaded), changed.task(TaskNumber::new(1)));
    assert_eq!(reloaded.description(), None);
    assert_eq!(reloaded.due_at(), None);
    assert_eq!(reloaded.priority(), TaskPriority::Urgent);
    assert!(reloaded.labels().is_empty());
    assert_eq!(reloaded.updated_at(), later);
    assert_eq!(reloaded.created_at(), added.created_at());
}
