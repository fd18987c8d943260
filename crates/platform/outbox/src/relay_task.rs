use std::sync::Arc;
use std::time::Duration;

use shared_kernel_application::error_chain;
use tokio::sync::{Notify, oneshot};
use tokio::task::JoinHandle;

use crate::delivery::{DeliveryReport, OutboxRelay};

/// The relay, running in the background until it is stopped.
pub struct RelayTask {
    stop: oneshot::Sender<()>,
    task: JoinHandle<()>,
}

impl RelayTask {
    /// Starts relaying: a batch whenever `wake` is notified or `poll_interval` has passed,
    /// and batch after batch while there is a backlog.
    pub fn spawn(relay: OutboxRelay, poll_interval: Duration, wake: Arc<Notify>) -> Self {
        let (stop, mut stopped) = oneshot::channel();
        let relay = Arc::new(relay);
        let task = tokio::spawn(async move {
            loop {
                let backlog = relay_batch(&relay).await;
                // Asked to stop (or nobody left to ask): not another batch.
                if !matches!(stopped.try_recv(), Err(oneshot::error::TryRecvError::Empty)) {
                    break;
                }
                if backlog {
                    continue;
                }
                tokio::select! {
                    _ = &mut stopped => break,
                    () = wake.notified() => {}
                    () = tokio::time::sleep(poll_interval) => {}
                }
            }
        });
        Self { stop, task }
    }

    /// Stops after the batch in hand, so that no claimed event is left half-settled.
    pub async fn stop(self) {
        let _ = self.stop.send(());
        if let Err(error) = self.task.await {
            tracing::error!(error = %error, "the outbox relay stopped abnormally");
        }
    }
}

/// Relays one batch; `true` when the batch was full and more may be waiting.
///
/// The batch runs as a task of its own so that a handler that panics costs its batch (whose
/// claims run out and are retried), not the relay.
async fn relay_batch(relay: &Arc<OutboxRelay>) -> bool {
    let batch = {
        let relay = Arc::clone(relay);
        tokio::spawn(async move { relay.relay_once().await })
    };
    match batch.await {
        Ok(Ok(report)) => {
            log_delivery(&report);
            report.handled() >= relay.batch_size
        }
        Ok(Err(error)) => {
            tracing::error!(error = error_chain(&error), "the outbox relay failed");
            false
        }
        Err(panic) => {
            tracing::error!(error = %panic, "an event handler panicked; its batch will be retried");
            false
        }
    }
}

/// Logs what a delivery run did: failures that will be retried as warnings, events parked
/// as dead as errors, with their last error.
pub fn log_delivery(report: &DeliveryReport) {
    for failure in &report.retrying {
        tracing::warn!(
            event_id = %failure.event_id,
            event_type = failure.event_type,
            attempts = failure.attempts,
            error = failure.error,
            "an event handler failed; the event will be retried"
        );
    }
    for failure in &report.parked {
        tracing::error!(
            event_id = %failure.event_id,
            event_type = failure.event_type,
            attempts = failure.attempts,
            error = failure.error,
            "an event failed every attempt and is parked as dead; `api outbox retry` re-queues it"
        );
    }
    for error in &report.unsettled {
        tracing::error!(
            error = error_chain(error),
            "the outcome of an event delivery could not be recorded; it will be delivered again"
        );
    }
    if report.delivered > 0 {
        tracing::debug!(delivered = report.delivered, "events delivered");
    }
}
