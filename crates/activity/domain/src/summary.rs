//! The English sentence of each entry, written with the names known when it happened.
//!
//! A name is quoted with typographic quotes: `Task 3 “Buy milk” was completed`. A name the
//! context never learned (an event stored before names were part of the events) is left out:
//! `Task 3 was completed`.

use projects_contracts::{TaskChange, TaskNumber, TaskPriority};

/// `Project “Garden”`, or `A project` when its name is not known.
pub(crate) fn project(name: Option<&str>) -> String {
    match name {
        Some(name) => format!("Project “{name}”"),
        None => "A project".to_owned(),
    }
}

/// `Task 3 “Buy milk”`, or `Task 3` when its name is not known.
pub(crate) fn task(number: TaskNumber, name: Option<&str>) -> String {
    match name {
        Some(name) => format!("Task {number} “{name}”"),
        None => format!("Task {number}"),
    }
}

/// A task's changes in one sentence: `Task 3 “Buy milk” was given a due date of 2026-12-24
/// and was given the priority urgent`.
pub(crate) fn task_updated(task: &str, changes: &[TaskChange]) -> String {
    let parts: Vec<String> = changes.iter().map(task_change).collect();
    let described = match parts.as_slice() {
        [] => "was updated".to_owned(),
        [one] => one.clone(),
        [first @ .., last] => format!("{} and {last}", first.join(", ")),
    };
    format!("{task} {described}")
}

/// One change of a task, after its name: `was given a due date of 2026-12-24`.
fn task_change(change: &TaskChange) -> String {
    match change {
        TaskChange::Description(Some(_)) => "was given a new description".to_owned(),
        TaskChange::Description(None) => "lost its description".to_owned(),
        TaskChange::DueAt(Some(due)) => {
            format!("was given a due date of {}", due.format("%Y-%m-%d"))
        }
        TaskChange::DueAt(None) => "no longer has a due date".to_owned(),
        TaskChange::Priority(TaskPriority::None) => "no longer has a priority".to_owned(),
        TaskChange::Priority(priority) => format!("was given the priority {priority}"),
        TaskChange::Labels(labels) if labels.is_empty() => "lost its labels".to_owned(),
        TaskChange::Labels(labels) => format!("was labelled {}", labels.join(", ")),
    }
}

/// What a maximum of incomplete tasks says, after a verb: `now allows at most 5 incomplete
/// tasks`, `no longer limits its incomplete tasks`.
fn maximum(max_incomplete_tasks: Option<u32>) -> String {
    match max_incomplete_tasks {
        Some(1) => "now allows at most 1 incomplete task".to_owned(),
        Some(max) => format!("now allows at most {max} incomplete tasks"),
        None => "no longer limits its incomplete tasks".to_owned(),
    }
}

/// A project's update, from what it was called and allowed before to what it is now.
pub(crate) fn project_updated(
    before: (Option<&str>, Option<u32>),
    after: (&str, Option<u32>),
) -> String {
    let (old_name, old_max) = before;
    let (new_name, new_max) = after;
    let renamed = old_name != Some(new_name);
    let limited = old_max != new_max;
    match (renamed, limited) {
        (true, false) => format!("{} was renamed to “{new_name}”", project(old_name)),
        (true, true) => format!(
            "{} was renamed to “{new_name}” and {}",
            project(old_name),
            maximum(new_max)
        ),
        (false, true) => format!("{} {}", project(Some(new_name)), maximum(new_max)),
        (false, false) => format!("{} was updated", project(Some(new_name))),
    }
}

#[cfg(test)]
mod task_updated_tests {
    use chrono::{DateTime, Utc};

    use super::*;

    #[test]
    fn each_change_is_told_and_joined_into_one_sentence() {
        let due: DateTime<Utc> = "2026-12-24T18:00:00Z".parse().unwrap();
        let task = task(TaskNumber::new(3), Some("Buy milk"));
        assert_eq!(
            task_updated(&task, &[TaskChange::DueAt(Some(due))]),
            "Task 3 “Buy milk” was given a due date of 2026-12-24"
        );
        assert_eq!(
            task_updated(
                &task,
                &[
                    TaskChange::Description(None),
                    TaskChange::Priority(TaskPriority::Urgent),
                    TaskChange::Labels(vec!["home".into(), "shop".into()]),
                ]
            ),
            "Task 3 “Buy milk” lost its description, was given the priority urgent and was \
             labelled home, shop"
        );
        assert_eq!(
            task_updated(
                &task,
                &[
                    TaskChange::DueAt(None),
                    TaskChange::Priority(TaskPriority::None),
                    TaskChange::Labels(vec![]),
                ]
            ),
            "Task 3 “Buy milk” no longer has a due date, no longer has a priority and lost its \
             labels"
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_quoted_and_an_unknown_one_is_left_out() {
        assert_eq!(project(Some("Garden")), "Project “Garden”");
        assert_eq!(project(None), "A project");
        assert_eq!(
            task(TaskNumber::new(3), Some("Buy milk")),
            "Task 3 “Buy milk”"
        );
        assert_eq!(task(TaskNumber::new(3), None), "Task 3");
    }

    #[test]
    fn an_update_says_what_changed() {
        assert_eq!(
            project_updated((Some("Garden"), None), ("Allotment", None)),
            "Project “Garden” was renamed to “Allotment”"
        );
        assert_eq!(
            project_updated((Some("Garden"), None), ("Garden", Some(5))),
            "Project “Garden” now allows at most 5 incomplete tasks"
        );
        assert_eq!(
            project_updated((Some("Garden"), Some(5)), ("Garden", Some(1))),
            "Project “Garden” now allows at most 1 incomplete task"
        );
        assert_eq!(
            project_updated((Some("Garden"), Some(5)), ("Garden", None)),
            "Project “Garden” no longer limits its incomplete tasks"
        );
        assert_eq!(
            project_updated((Some("Garden"), Some(5)), ("Allotment", Some(2))),
            "Project “Garden” was renamed to “Allotment” and now allows at most 2 incomplete tasks"
        );
        assert_eq!(
            project_updated((None, None), ("Allotment", None)),
            "A project was renamed to “Allotment”"
        );
    }
}
