use std::any::{Any, TypeId};
use std::collections::HashMap;
use std::error::Error;

use chrono::{DateTime, Utc};
use serde::Serialize;
use serde::de::DeserializeOwned;
use shared_kernel_domain::{DomainEvent, EventRef};
use uuid::Uuid;

/// The stored shape of one version of one event type: a serde struct (the payload) and how
/// it maps to and from the domain event.
///
/// Domain events derive nothing from serde: the JSON stored in the outbox is a contract of
/// its own (other processes, and one day a broker, read it), so each context's
/// infrastructure spells it out here, next to its other mappers. Changing a payload means a
/// new schema with a higher `VERSION`; the old one stays registered so that rows written
/// before the change can still be read.
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
}

/// An event ready to be written to the outbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EncodedEvent {
    pub event_type: &'static str,
    pub version: u32,
    pub aggregate_id: Uuid,
    pub occurred_at: DateTime<Utc>,
    /// The payload, as JSON text.
    pub payload: String,
}

#[derive(Debug, thiserror::Error)]
pub enum CodecError {
    #[error("no event schema is registered for {event_type}")]
    NoSchema { event_type: &'static str },
    #[error("no event schema is registered for {event_type} version {version}")]
    UnknownVersion { event_type: String, version: u32 },
    #[error("the payload of {event_type} is not valid JSON for its schema")]
    Payload {
        event_type: &'static str,
        #[source]
        source: serde_json::Error,
    },
    #[error("the stored {event_type} does not make a valid event")]
    Invalid {
        event_type: &'static str,
        #[source]
        source: Box<dyn Error + Send + Sync>,
    },
}

type Encoder = fn(&dyn DomainEvent) -> Result<EncodedEvent, CodecError>;
type Decoder = fn(&str, DateTime<Utc>) -> Result<EventRef, CodecError>;

/// Every event schema of every context: how the outbox writes an event and reads it back.
#[derive(Default)]
pub struct EventCodecs {
    /// The latest schema of each event type, by the event's Rust type.
    encoders: HashMap<TypeId, Encoder>,
    /// Every schema, by stored type and version.
    decoders: HashMap<(&'static str, u32), Decoder>,
}

impl EventCodecs {
    /// Registers `S`. Registering a later version of the same event makes it the one written.
    pub fn register<S: EventSchema>(&mut self) -> &mut Self {
        let replace = self
            .decoders
            .keys()
            .filter(|(event_type, _)| *event_type == S::EVENT_TYPE)
            .all(|(_, version)| *version < S::VERSION);
        if replace {
            self.encoders
                .insert(TypeId::of::<S::Event>(), encode::<S> as Encoder);
        }
        self.decoders
            .insert((S::EVENT_TYPE, S::VERSION), decode::<S> as Decoder);
        self
    }

    pub fn encode(&self, event: &dyn DomainEvent) -> Result<EncodedEvent, CodecError> {
        let encoder =
            self.encoders
                .get(&(event as &dyn Any).type_id())
                .ok_or(CodecError::NoSchema {
                    event_type: event.event_type(),
                })?;
        encoder(event)
    }

    pub fn decode(
        &self,
        event_type: &str,
        version: u32,
        payload: &str,
        occurred_at: DateTime<Utc>,
    ) -> Result<EventRef, CodecError> {
        let decoder = self
            .decoders
            .iter()
            .find(|((t, v), _)| *t == event_type && *v == version)
            .map(|(_, decoder)| decoder)
            .ok_or_else(|| CodecError::UnknownVersion {
                event_type: event_type.to_string(),
                version,
            })?;
        decoder(payload, occurred_at)
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
            source,
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
        source,
    })?;
    let event = schema
        .into_event(occurred_at)
        .map_err(|source| CodecError::Invalid {
            event_type: S::EVENT_TYPE,
            source,
        })?;
    Ok(std::sync::Arc::new(event))
}
