//! The stored shape of an event, spelled out with serde: what each context's infrastructure
//! writes for the events it records.

use std::any::{Any, TypeId};
use std::error::Error;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use serde::Serialize;
use serde::de::DeserializeOwned;
use shared_kernel_application::{CodecError, EncodedEvent, EventCodec};
use shared_kernel_domain::{DomainEvent, EventRef};
use uuid::Uuid;

/// The stored shape of one version of one event type: a serde struct (the payload) and how
/// it maps to and from the event.
///
/// Events derive nothing from serde: the JSON stored in the outbox is a contract of its own
/// (other processes, and one day a broker, read it), so each context's infrastructure spells
/// it out, next to its other mappers. Changing a payload means a new schema with a higher
/// `VERSION`; the old one stays registered so that rows written before the change can still
/// be read (docs/events.md).
pub trait EventSchema: Serialize + DeserializeOwned + Send + Sync + 'static {
    type Event: DomainEvent;
    /// `context.EventName`: the event's `event_type()`.
    const EVENT_TYPE: &'static str;
    const VERSION: u32;

    /// The aggregate the event is about: one aggregate's events are handled in order.
    fn aggregate_id(event: &Self::Event) -> Uuid;
    fn from_event(event: &Self::Event) -> Self;
    /// Rebuilds the event; `occurred_at` is stored beside the payload, not in it.
    fn into_event(
        self,
        occurred_at: DateTime<Utc>,
    ) -> Result<Self::Event, Box<dyn Error + Send + Sync>>;

    /// This schema as the outbox's codecs hold it: `codecs.register(MySchemaV1::codec())`.
    fn codec() -> EventCodec
    where
        Self: Sized,
    {
        EventCodec {
            event_type: Self::EVENT_TYPE,
            version: Self::VERSION,
            event: TypeId::of::<Self::Event>(),
            encode: encode::<Self>,
            decode: decode::<Self>,
        }
    }
}

fn encode<S: EventSchema>(event: &dyn DomainEvent) -> Result<EncodedEvent, CodecError> {
    let event = (event as &dyn Any)
        .downcast_ref::<S::Event>()
        .ok_or(CodecError::NoSchema {
            event_type: event.event_type(),
        })?;
    let payload =
        serde_json::to_string(&S::from_event(event)).map_err(|source| CodecError::Payload {
            event_type: S::EVENT_TYPE,
            source: source.into(),
        })?;
    Ok(EncodedEvent {
        event_type: S::EVENT_TYPE,
        version: S::VERSION,
        aggregate_id: S::aggregate_id(event),
        occurred_at: event.occurred_at(),
        payload,
    })
}

fn decode<S: EventSchema>(
    payload: &str,
    occurred_at: DateTime<Utc>,
) -> Result<EventRef, CodecError> {
    let schema: S = serde_json::from_str(payload).map_err(|source| CodecError::Payload {
        event_type: S::EVENT_TYPE,
        source: source.into(),
    })?;
    let event = schema
        .into_event(occurred_at)
        .map_err(|source| CodecError::Invalid {
            event_type: S::EVENT_TYPE,
            source,
        })?;
    Ok(Arc::new(event))
}
