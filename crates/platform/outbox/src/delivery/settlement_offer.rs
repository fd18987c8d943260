//! Settling an event in its one handler's own transaction.
//!
//! Delivered on its own, an event costs a transaction for its handler and then another to
//! mark it delivered. When exactly one handler reacts to it, `EventDelivery` offers that
//! handler's Unit of Work the settlement: the first transaction scope to commit while the
//! handler runs writes "delivered" in its own transaction, and the delivery then has nothing
//! left to write (one commit fewer per command the activity context hears, docs/benchmarks.md).
//! A handler whose scope never commits (an event its inbox has seen, or one it ignores), or
//! whose commit fails, leaves the settlement to the delivery, as before.
//!
//! The offer travels as a task-local value, so it reaches only the Unit of Work the handler
//! opens on the delivery's own task; work handed to another task settles nothing.

use std::cell::RefCell;
use std::future::Future;

use uuid::Uuid;

use shared_kernel_application::EventId;

tokio::task_local! {
    static OFFER: RefCell<Offer>;
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Offer {
    /// Nothing to take: the event has several handlers, or none of its delivery is running.
    None,
    Open {
        event: EventId,
        claim: Uuid,
    },
    /// A scope took it and is committing.
    Taken,
    /// The scope that took it committed: the event is settled as delivered.
    Settled,
}

/// The settlement a transaction scope took: it marks `event` delivered (if `claim` still
/// holds it) in its transaction, and calls `settled` once that transaction has committed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SettlementOffer {
    pub event: EventId,
    pub claim: Uuid,
}

impl SettlementOffer {
    /// Takes the offer open on this task, if any: only one scope gets it.
    pub fn take() -> Option<Self> {
        OFFER
            .try_with(|offer| {
                let mut offer = offer.borrow_mut();
                match *offer {
                    Offer::Open { event, claim } => {
                        *offer = Offer::Taken;
                        Some(Self { event, claim })
                    }
                    _ => None,
                }
            })
            .ok()
            .flatten()
    }

    /// The transaction that settled the event has committed.
    pub fn settled(self) {
        let _ = OFFER.try_with(|offer| *offer.borrow_mut() = Offer::Settled);
    }
}

/// Runs `handling`, the delivery of one event, with the settlement offered to its handler's
/// Unit of Work when `sole_handler`; returns its output and whether the handler settled it.
///
/// The offer is always scoped, closed when not offered, so that the handlers of an event
/// delivered while another's offer is open (events a handler's Unit of Work recorded) do not
/// take the outer event's settlement.
pub(super) async fn offering<T>(
    event: EventId,
    claim: Uuid,
    sole_handler: bool,
    handling: impl Future<Output = T>,
) -> (T, bool) {
    let offer = if sole_handler {
        Offer::Open { event, claim }
    } else {
        Offer::None
    };
    OFFER
        .scope(RefCell::new(offer), async move {
            let output = handling.await;
            let settled = OFFER.with(|offer| *offer.borrow() == Offer::Settled);
            (output, settled)
        })
        .await
}
