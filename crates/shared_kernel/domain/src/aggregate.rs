use std::any::Any;
use std::fmt::Debug;
use std::sync::Arc;

use chrono::{DateTime, Utc};

/// Something that happened in the domain, recorded by an aggregate and published on the
/// message bus after the transaction that changed the aggregate has committed.
///
/// `Any` lets the bus route an event to the handlers registered for its concrete type.
pub trait DomainEvent: Any + Debug + Send + Sync {
    /// A stable name for logs and, later, for stored events: `context.EventName`.
    fn event_type(&self) -> &'static str;
    fn occurred_at(&self) -> DateTime<Utc>;
}

/// A recorded event, shared between the bus and every handler that receives it.
pub type EventRef = Arc<dyn DomainEvent>;

/// The events an aggregate has recorded since it was loaded or created.
#[derive(Debug, Default, Clone)]
pub struct DomainEvents(Vec<EventRef>);

impl DomainEvents {
    pub fn record(&mut self, event: impl DomainEvent) {
        self.0.push(Arc::new(event));
    }

    /// Hands the recorded events over (to a Unit of Work) and forgets them, so that saving an
    /// aggregate twice never publishes an event twice.
    pub fn take(&mut self) -> Vec<EventRef> {
        std::mem::take(&mut self.0)
    }

    pub fn iter(&self) -> impl Iterator<Item = &EventRef> {
        self.0.iter()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// The consistency boundary of a bounded context: the only kind of object repositories load
/// and save. It guards its own invariants and records what happened as domain events.
pub trait AggregateRoot {
    fn events(&self) -> &DomainEvents;
    fn events_mut(&mut self) -> &mut DomainEvents;

    fn take_events(&mut self) -> Vec<EventRef> {
        self.events_mut().take()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, PartialEq)]
    struct Happened(u32);

    impl DomainEvent for Happened {
        fn event_type(&self) -> &'static str {
            "test.Happened"
        }
        fn occurred_at(&self) -> DateTime<Utc> {
            DateTime::UNIX_EPOCH
        }
    }

    #[test]
    fn take_returns_events_in_recording_order_and_forgets_them() {
        let mut events = DomainEvents::default();
        events.record(Happened(1));
        events.record(Happened(2));

        let taken = events.take();

        let numbers: Vec<u32> = taken
            .iter()
            .filter_map(|e| (e.as_ref() as &dyn Any).downcast_ref::<Happened>())
            .map(|h| h.0)
            .collect();
        assert_eq!(numbers, vec![1, 2]);
        assert!(events.is_empty());
        assert!(events.take().is_empty());
    }
}
