//! Answering a keyed POST: run once, the first answer given again.

use std::future::Future;
use std::sync::Arc;

use actix_web::HttpResponse;
use actix_web::ResponseError;
use actix_web::http::StatusCode;
use shared_kernel_application::error_chain;
use shared_kernel_application::idempotency::{
    Failure, IdempotencyError, IdempotentRequests, KeyedAnswer, KeyedRequest, RenderAnswer, Reply,
    StoredAnswer,
};

use super::stored_response::{response, stored};
use crate::Problem;

/// Answers a POST: without a key, `execute(None)` answered by `answer`, as any route would;
/// with one, through `requests`, so that the request runs once and every repetition gets its
/// first answer again. `execute` hands the command the `KeyedAnswer` its Unit of Work records.
///
/// How the key settles follows the answer: a success is recorded by the command itself, a 4xx
/// problem is kept and replayed (the same request would be refused again), a 5xx or a 429
/// frees the key (a retry must be able to get past it).
pub async fn respond_idempotently<O, Fut>(
    requests: &IdempotentRequests,
    keyed: Option<KeyedRequest>,
    answer: impl Fn(&O) -> HttpResponse + Send + Sync + 'static,
    execute: impl FnOnce(Option<KeyedAnswer<O>>) -> Fut,
) -> Result<HttpResponse, Problem>
where
    O: 'static,
    Fut: Future<Output = Result<O, Problem>>,
{
    let Some(request) = keyed else {
        return execute(None).await.map(|output| answer(&output));
    };
    let render: Arc<RenderAnswer<O>> = Arc::new(move |output: &O| stored(answer(output)));
    let replied = requests
        .run(&request, render, |keyed| async move {
            execute(Some(keyed)).await.map_err(failure)
        })
        .await
        .map_err(problem)?;
    if let Some(error) = &replied.unsettled {
        tracing::warn!(
            error = error_chain(error),
            "an idempotency key could not be settled; its claim lapses at the end of its lease"
        );
    }
    match replied.reply {
        Reply::Fresh(answer) => replay(&answer, false),
        Reply::Replayed(answer) => replay(&answer, true),
        Reply::Transient(problem) => Err(problem),
    }
}

/// The answer kept for `keyed`, if it was answered before; `None` when it has yet to run.
/// For a route that must not spend anything on a replay (registration's rate limit): it asks
/// before, and then `respond_idempotently`.
pub async fn replay_if_answered(
    requests: &IdempotentRequests,
    keyed: Option<&KeyedRequest>,
) -> Result<Option<HttpResponse>, Problem> {
    let Some(request) = keyed else {
        return Ok(None);
    };
    match requests.replay(request).await.map_err(problem)? {
        Some(answer) => replay(&answer, true).map(Some),
        None => Ok(None),
    }
}

fn replay(answer: &StoredAnswer, replayed: bool) -> Result<HttpResponse, Problem> {
    response(answer, replayed).map_err(|error| Problem::failure(&error))
}

/// How a refused or failed keyed request settles its key.
fn failure(problem: Problem) -> Failure<Problem> {
    let status = problem.status_code();
    let kept = status.is_client_error() && status != StatusCode::TOO_MANY_REQUESTS;
    if !kept {
        return Failure::Transient(problem);
    }
    match stored(problem.error_response()) {
        Ok(answer) => Failure::Refused(answer),
        Err(_) => Failure::Transient(problem),
    }
}

fn problem(error: IdempotencyError) -> Problem {
    match error {
        IdempotencyError::InProgress => Problem::conflict(
            "idempotency_request_in_progress",
            "a request with this Idempotency-Key is still running; retry once it has answered",
        ),
        IdempotencyError::KeyReused => Problem::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "idempotency_key_reused",
            "this Idempotency-Key was sent with another request (another method, path or \
             body); use a new key for a new request",
        ),
        IdempotencyError::Infrastructure(error) => Problem::failure(&error),
    }
}
