use shared_kernel_application::error_chain;
use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::retention::{OutboxPurger, PurgeReport};

/// The retention purge, running in the background until it is stopped.
pub struct PurgeTask {
    stop: watch::Sender<bool>,
    task: JoinHandle<()>,
}

impl PurgeTask {
    /// Starts purging: a pass at once, then one every `schedule().every`.
    ///
    /// The first pass runs at start-up so that a server restarted more often than the
    /// interval still purges, and so that an operator sees the effect of a new retention
    /// without waiting.
    pub fn spawn(purger: OutboxPurger) -> Self {
        let (stop, mut stopped) = watch::channel(false);
        let every = purger.schedule().every;
        let task = tokio::spawn(async move {
            loop {
                let asked_to_stop = || *stopped.borrow();
                match purger.purge(|| !asked_to_stop()).await {
                    Ok(report) => log_purge(&report),
                    Err(error) => tracing::warn!(
                        error = error_chain(&error),
                        "the outbox purge failed; it will try again at its next run"
                    ),
                }
                if asked_to_stop() {
                    break;
                }
                tokio::select! {
                    // Asked to stop, or nobody is left to ask.
                    _ = stopped.changed() => break,
                    () = tokio::time::sleep(every) => {}
                }
            }
        });
        Self { stop, task }
    }

    /// Stops after the batch in hand: its statement is short, and cutting it off would only
    /// roll it back.
    pub async fn stop(self) {
        let _ = self.stop.send(true);
        if let Err(error) = self.task.await {
            tracing::error!(error = %error, "the outbox purge stopped abnormally");
        }
    }
}

fn log_purge(report: &PurgeReport) {
    if report.deleted_any() {
        tracing::info!(
            outbox = report.outbox,
            inbox = report.inbox,
            idempotency_keys = report.idempotency_keys,
            "purged delivered events and inbox rows older than the retention, and expired \
             idempotency keys"
        );
    }
}
