//! Keyed POSTs run to their end even when the client goes away.
//!
//! actix-web drops a handler's future when its client disconnects. For a request with an
//! `Idempotency-Key` that would be the worst moment: on PostgreSQL the command's transaction
//! rolls back while the key stays claimed for its lease, so the client's retry (which is why
//! it sent a key) is refused as still running, and then runs again from the start. Run on a
//! task of its own, the request finishes and records its answer, and the retry gets it.

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::Method;
use actix_web::middleware::Next;
use shared_kernel_entrypoints::Problem;
use shared_kernel_entrypoints::idempotency::IDEMPOTENCY_KEY;
use shared_kernel_infrastructure::RequestId;
use tracing::Instrument;

/// The middleware (`actix_web::middleware::from_fn(keyed_to_completion)`), inside `observe`:
/// the task it starts serves the request under the same id and span.
pub async fn keyed_to_completion<B: MessageBody + 'static>(
    request: ServiceRequest,
    next: Next<B>,
) -> Result<ServiceResponse<B>, actix_web::Error> {
    let keyed = request.method() == Method::POST && request.headers().contains_key(IDEMPOTENCY_KEY);
    if !keyed {
        return next.call(request).await;
    }
    let work = RequestId::scope(RequestId::current(), next.call(request))
        .instrument(tracing::Span::current());
    match actix_web::rt::spawn(work).await {
        Ok(response) => response,
        // The handler panicked: a bug, logged and answered as one; the key's claim lapses at
        // the end of its lease.
        Err(error) => Err(Problem::failure(&error).into()),
    }
}
