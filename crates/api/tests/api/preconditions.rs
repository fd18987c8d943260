//! Conditional writes (RFC 9110 §13.1.1): every write on a project or a task whose `If-Match`
//! does not hold the current `ETag` is a 412 that changes nothing; with the current one, or
//! without the header, it goes ahead. The check runs in the command's Unit of Work, so two
//! writers racing with one tag get one success and one 412.

use futures_util::future::join_all;
use platform_database::testing::{Backend, Postgres, Sqlite};
use reqwest::{Method, Response, StatusCode};
use rstest::rstest;
use serde_json::{Value, json};

use crate::etags::{etag_of, given_project, given_task, request, tagged};
use crate::helpers::{TestApp, assert_problem, spawn_app};

/// One write on the resource at `target` (the project or a task): how to send it.
struct Write {
    method: Method,
    /// The path, from the resource's.
    suffix: &'static str,
    body: Option<Value>,
    /// 200, or 204 for a delete.
    success: StatusCode,
}

impl Write {
    fn new(method: Method, suffix: &'static str, body: Option<Value>) -> Self {
        let success = if method == Method::DELETE {
            StatusCode::NO_CONTENT
        } else {
            StatusCode::OK
        };
        Self {
            method,
            suffix,
            body,
            success,
        }
    }

    async fn send(&self, app: &TestApp, token: &str, target: &str, if_match: &str) -> Response {
        let path = format!("{target}{}", self.suffix);
        let mut request =
            request(app, token, self.method.clone(), &path).header("if-match", if_match);
        if let Some(body) = &self.body {
            request = request.json(body);
        }
        request.send().await.unwrap()
    }
}

async fn assert_precondition_failed(response: Response) {
    assert_problem(
        response,
        StatusCode::PRECONDITION_FAILED,
        "precondition_failed",
    )
    .await;
}

/// Every write route, each in a state where it would succeed: with a tag the resource had
/// before, a 412 that leaves the project and its task exactly as they were (their tags too);
/// with the current tag, a success whose `ETag` is the one a read then shows.
#[rstest]
#[tokio::test]
async fn every_write_with_a_stale_if_match_is_412_and_with_the_current_one_goes_ahead(
    #[values(Sqlite, Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let (token, project) = given_project(&app).await;
    let (project_stale, _) = tagged(&app, &token, &project).await;
    let task = given_task(&app, &token, &project, "Water").await;
    let (task_stale, _) = tagged(&app, &token, &task).await;
    let rename_task = request(&app, &token, Method::PUT, &task)
        .json(&json!({"name": "Water the plants"}))
        .send()
        .await
        .unwrap();
    assert_eq!(rename_task.status(), StatusCode::OK);

    // In this order, each write finds the state it needs: the task is completed before the
    // project is archived, and the project is archived before it is deleted.
    let steps = [
        (
            &project,
            &project_stale,
            Write::new(Method::PUT, "", Some(json!({"name": "Yard"}))),
        ),
        (
            &task,
            &task_stale,
            Write::new(Method::PUT, "", Some(json!({"name": "Water well"}))),
        ),
        (
            &task,
            &task_stale,
            Write::new(Method::PUT, "/complete", None),
        ),
        (
            &task,
            &task_stale,
            Write::new(Method::PUT, "/incomplete", None),
        ),
        (
            &task,
            &task_stale,
            Write::new(Method::PUT, "/complete", None),
        ),
        (
            &project,
            &project_stale,
            Write::new(Method::PUT, "/archive", None),
        ),
        (
            &project,
            &project_stale,
            Write::new(Method::PUT, "/unarchive", None),
        ),
        (
            &project,
            &project_stale,
            Write::new(Method::PUT, "/archive", None),
        ),
        (
            &project,
            &project_stale,
            Write::new(Method::DELETE, "", None),
        ),
    ];
    for (target, stale, write) in &steps {
        let step = format!("{} {target}{}", write.method, write.suffix);
        let before = (
            tagged(&app, &token, &project).await,
            tagged(&app, &token, &task).await,
        );

        let refused = write.send(&app, &token, target, stale).await;

        assert_precondition_failed(refused).await;
        let after = (
            tagged(&app, &token, &project).await,
            tagged(&app, &token, &task).await,
        );
        assert_eq!(after, before, "{step} changed something");

        let current = tagged(&app, &token, target).await.0;
        let accepted = write.send(&app, &token, target, &current).await;
        assert_eq!(accepted.status(), write.success, "{step}");
        if write.success == StatusCode::OK {
            let new_tag = etag_of(&accepted);
            assert_ne!(new_tag, current, "{step}");
            assert_eq!(tagged(&app, &token, target).await.0, new_tag, "{step}");
        }
    }
    let gone = request(&app, &token, Method::GET, &project)
        .send()
        .await
        .unwrap();
    assert_eq!(gone.status(), StatusCode::NOT_FOUND);
}

#[rstest]
#[tokio::test]
async fn a_rename_with_a_stale_if_match_is_412_and_keeps_the_name(
    #[values(Sqlite, Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let (token, project) = given_project(&app).await;
    let (read, _) = tagged(&app, &token, &project).await;
    let rename = Write::new(Method::PUT, "", Some(json!({"name": "Yard"})));
    assert_eq!(
        rename.send(&app, &token, &project, &read).await.status(),
        StatusCode::OK
    );

    let stale = Write::new(Method::PUT, "", Some(json!({"name": "Orchard"})))
        .send(&app, &token, &project, &read)
        .await;

    let problem = assert_problem(
        stale,
        StatusCode::PRECONDITION_FAILED,
        "precondition_failed",
    )
    .await;
    assert_eq!(problem["title"], "Precondition Failed");
    assert_eq!(tagged(&app, &token, &project).await.1["name"], "Yard");
}

/// `*` asks only that the resource exist; a list passes when any of its tags is current; a
/// weak tag never passes, since `If-Match` compares strongly.
#[rstest]
#[tokio::test]
async fn a_star_and_a_list_holding_the_tag_go_ahead_and_a_weak_tag_does_not(
    #[values(Sqlite, Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let (token, project) = given_project(&app).await;
    let task = given_task(&app, &token, &project, "Water").await;
    let rename = |name: &str| Write::new(Method::PUT, "", Some(json!({"name": name})));

    let star = rename("Water well").send(&app, &token, &task, "*").await;
    assert_eq!(star.status(), StatusCode::OK);
    let current = etag_of(&star);
    let listed = rename("Water the beds")
        .send(
            &app,
            &token,
            &task,
            &format!("\"0123\", {current}, W/\"4567\""),
        )
        .await;
    assert_eq!(listed.status(), StatusCode::OK);
    let current = etag_of(&listed);

    let weak = rename("Water twice")
        .send(&app, &token, &task, &format!("W/{current}"))
        .await;

    assert_precondition_failed(weak).await;
    assert_eq!(
        tagged(&app, &token, &task).await.1["name"],
        "Water the beds"
    );
}

/// A task is written against its own tag: another task's, or the project's, is stale for it.
#[rstest]
#[tokio::test]
async fn a_task_write_is_checked_against_that_tasks_tag(
    #[values(Sqlite, Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let (token, project) = given_project(&app).await;
    let first = given_task(&app, &token, &project, "Water").await;
    let second = given_task(&app, &token, &project, "Weed").await;
    let (first_tag, _) = tagged(&app, &token, &first).await;
    let (project_tag, _) = tagged(&app, &token, &project).await;
    let complete = Write::new(Method::PUT, "/complete", None);

    assert_precondition_failed(complete.send(&app, &token, &second, &first_tag).await).await;
    assert_precondition_failed(complete.send(&app, &token, &second, &project_tag).await).await;
    assert!(tagged(&app, &token, &second).await.1["completedAt"].is_null());

    // The first task's tag is still good after the second task and the project changed.
    let (second_tag, _) = tagged(&app, &token, &second).await;
    assert_eq!(
        complete
            .send(&app, &token, &second, &second_tag)
            .await
            .status(),
        StatusCode::OK
    );
    assert_eq!(
        complete
            .send(&app, &token, &first, &first_tag)
            .await
            .status(),
        StatusCode::OK
    );
}

/// Of two clients that read one tag and write at the same moment, exactly one goes ahead: the
/// other finds the tag changed, inside its own Unit of Work, and changes nothing. The last
/// rounds send ten at once, so that a check made outside the Unit of Work would let two
/// through.
#[rstest]
#[tokio::test]
async fn writers_racing_with_one_tag_get_one_success_and_the_rest_412(
    #[values(Sqlite, Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let (token, project) = given_project(&app).await;
    let task = given_task(&app, &token, &project, "Water").await;

    for (round, writers) in [2, 2, 2, 2, 10].into_iter().enumerate() {
        for target in [&project, &task] {
            let (read, _) = tagged(&app, &token, target).await;
            let names: Vec<String> = (0..writers)
                .map(|i| format!("Writer {i} of round {round}"))
                .collect();

            let answers = join_all(names.iter().map(|name| {
                Write::new(Method::PUT, "", Some(json!({"name": name})))
                    .send_owned(&app, &token, target, &read)
            }))
            .await;

            let statuses: Vec<StatusCode> = answers.iter().map(Response::status).collect();
            let winners: Vec<usize> = (0..writers)
                .filter(|&i| statuses[i] == StatusCode::OK)
                .collect();
            assert_eq!(winners.len(), 1, "round {round} on {target}: {statuses:?}");
            for (i, answer) in answers.into_iter().enumerate() {
                if i != winners[0] {
                    assert_precondition_failed(answer).await;
                }
            }
            let shown = tagged(&app, &token, target).await.1;
            assert_eq!(shown["name"], names[winners[0]].as_str());
        }
    }
}

impl Write {
    /// `send`, as a future that owns what it needs, so that two can run at once.
    fn send_owned(
        self,
        app: &TestApp,
        token: &str,
        target: &str,
        if_match: &str,
    ) -> impl Future<Output = Response> {
        let path = format!("{target}{}", self.suffix);
        let mut request = request(app, token, self.method, &path).header("if-match", if_match);
        if let Some(body) = self.body {
            request = request.json(&body);
        }
        async move { request.send().await.unwrap() }
    }
}

/// A delete whose tag is stale leaves the project where it was, readable as before.
#[rstest]
#[tokio::test]
async fn a_delete_with_a_stale_if_match_is_412_and_the_project_stays(
    #[values(Sqlite, Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let (token, project) = given_project(&app).await;
    let (before_archiving, _) = tagged(&app, &token, &project).await;
    let archive = Write::new(Method::PUT, "/archive", None);
    assert_eq!(
        archive.send(&app, &token, &project, "*").await.status(),
        StatusCode::OK
    );
    let delete = Write::new(Method::DELETE, "", None);

    assert_precondition_failed(delete.send(&app, &token, &project, &before_archiving).await).await;

    let (archived, body) = tagged(&app, &token, &project).await;
    assert!(body["archivedAt"].is_string());
    let page: Value = app.read(&token, "/api/projects?status=archived").await;
    assert_eq!(page["projects"].as_array().unwrap().len(), 1);
    assert_eq!(
        delete
            .send(&app, &token, &project, &archived)
            .await
            .status(),
        StatusCode::NO_CONTENT
    );
}

/// A missing resource is a 404 whatever the tag: a precondition is only about one that exists.
#[rstest]
#[tokio::test]
async fn an_unknown_project_or_task_is_404_before_any_precondition(
    #[values(Sqlite, Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let (token, project) = given_project(&app).await;
    let unknown_project = "/api/projects/0193a4f2-7c1e-7d33-9a52-5b8e2f1c0d4e";
    let rename = Write::new(Method::PUT, "", Some(json!({"name": "Nothing"})));

    let project_answer = rename.send(&app, &token, unknown_project, "\"0123\"").await;
    let task_answer = rename
        .send(&app, &token, &format!("{project}/tasks/9"), "\"0123\"")
        .await;

    assert_problem(project_answer, StatusCode::NOT_FOUND, "project_not_found").await;
    assert_problem(task_answer, StatusCode::NOT_FOUND, "task_not_found").await;
}

#[rstest]
#[tokio::test]
async fn a_malformed_if_match_is_a_422_naming_it_and_changes_nothing(
    #[values(Sqlite, Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let (token, project) = given_project(&app).await;
    let task = given_task(&app, &token, &project, "Water").await;
    let rename = Write::new(Method::PUT, "", Some(json!({"name": "Renamed"})));

    for target in [&project, &task] {
        for malformed in ["abc", "\"unterminated", "*, \"a\"", "\"a\" \"b\""] {
            let response = rename.send(&app, &token, target, malformed).await;
            let problem = assert_problem(
                response,
                StatusCode::UNPROCESSABLE_ENTITY,
                "validation_failed",
            )
            .await;
            assert_eq!(problem["errors"][0]["field"], "If-Match", "{malformed}");
        }
    }
    assert_eq!(tagged(&app, &token, &project).await.1["name"], "Garden");
    assert_eq!(tagged(&app, &token, &task).await.1["name"], "Water");
}
