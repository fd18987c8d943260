//! How events are written down and read back: the registry the outbox encodes recorded
//! events with and decodes stored ones with.
//!
//! Each context declares the stored shape of its events (in its infrastructure, with serde:
//! `platform_outbox::EventSchema`) and hands the composition root one `EventCodec` per shape
//! and version. Nothing here knows JSON: a payload is text, and a codec is two functions.

use std::any::{Any, TypeId};
use std::collections::HashMap;
use std::error::Error;

use chrono::{DateTime, Utc};
use shared_kernel_domain::{DomainEvent, EventRef};
use uuid::Uuid;

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

/// Writes one type of event in one stored shape.
pub type Encoder = fn(&dyn DomainEvent) -> Result<EncodedEvent, CodecError>;
/// Reads one stored shape back: the payload, and when the event occurred (stored beside it).
pub type Decoder = fn(&str, DateTime<Utc>) -> Result<EventRef, CodecError>;

/// One version of one event type's stored shape.
#[derive(Clone, Copy)]
pub struct EventCodec {
    /// `context.EventName`, as stored: the event's `event_type()`.
    pub event_type: &'static str,
    pub version: u32,
    /// The Rust type of the event it writes and reads.
    pub event: TypeId,
    pub encode: Encoder,
    pub decode: Decoder,
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
        source: Box<dyn Error + Send + Sync>,
    },
    #[error("the stored {event_type} does not make a valid event")]
    Invalid {
        event_type: &'static str,
        #[source]
        source: Box<dyn Error + Send + Sync>,
    },
}

/// Every event codec of every context.
#[derive(Default)]
pub struct EventCodecs {
    /// The latest version of each event type, by the event's Rust type.
    encoders: HashMap<TypeId, (u32, Encoder)>,
    /// Every version, by stored type and version.
    decoders: HashMap<(&'static str, u32), Decoder>,
}

impl EventCodecs {
    /// Registers `codec`. Events are written with the highest version registered for their
    /// type, whatever the order of registration; every registered version is read.
    pub fn register(&mut self, codec: EventCodec) -> &mut Self {
        let latest = self
            .encoders
            .get(&codec.event)
            .is_none_or(|(version, _)| *version < codec.version);
        if latest {
            self.encoders
                .insert(codec.event, (codec.version, codec.encode));
        }
        self.decoders
            .insert((codec.event_type, codec.version), codec.decode);
        self
    }

    pub fn encode(&self, event: &dyn DomainEvent) -> Result<EncodedEvent, CodecError> {
        let (_, encoder) =
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

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;

    #[derive(Debug, PartialEq)]
    struct Renamed(String);

    impl DomainEvent for Renamed {
        fn event_type(&self) -> &'static str {
            "test.Renamed"
        }
        fn occurred_at(&self) -> DateTime<Utc> {
            DateTime::UNIX_EPOCH
        }
    }

    /// Version `V` writes the name with a `v{V}:` prefix and reads it back without it.
    fn codec<const V: u32>() -> EventCodec {
        fn encode<const V: u32>(event: &dyn DomainEvent) -> Result<EncodedEvent, CodecError> {
            let Some(Renamed(name)) = (event as &dyn Any).downcast_ref::<Renamed>() else {
                return Err(CodecError::NoSchema {
                    event_type: event.event_type(),
                });
            };
            Ok(EncodedEvent {
                event_type: "test.Renamed",
                version: V,
                aggregate_id: Uuid::nil(),
                occurred_at: event.occurred_at(),
                payload: format!("v{V}:{name}"),
            })
        }
        fn decode<const V: u32>(payload: &str, _: DateTime<Utc>) -> Result<EventRef, CodecError> {
            let name =
                payload
                    .strip_prefix(&format!("v{V}:"))
                    .ok_or_else(|| CodecError::Payload {
                        event_type: "test.Renamed",
                        source: "wrong prefix".into(),
                    })?;
            Ok(Arc::new(Renamed(name.to_owned())))
        }
        EventCodec {
            event_type: "test.Renamed",
            version: V,
            event: TypeId::of::<Renamed>(),
            encode: encode::<V>,
            decode: decode::<V>,
        }
    }

    fn decoded(codecs: &EventCodecs, version: u32, payload: &str) -> String {
        let event = codecs
            .decode("test.Renamed", version, payload, DateTime::UNIX_EPOCH)
            .unwrap();
        let Renamed(name) = (event.as_ref() as &dyn Any)
            .downcast_ref::<Renamed>()
            .unwrap();
        name.clone()
    }

    #[test]
    fn the_highest_version_writes_whatever_the_order_of_registration_and_every_version_reads() {
        for order in [[codec::<1>(), codec::<2>()], [codec::<2>(), codec::<1>()]] {
            let mut codecs = EventCodecs::default();
            for codec in order {
                codecs.register(codec);
            }

            let written = codecs.encode(&Renamed("Garden".into())).unwrap();

            assert_eq!(
                (written.version, written.payload.as_str()),
                (2, "v2:Garden")
            );
            assert_eq!(decoded(&codecs, 1, "v1:Old"), "Old");
            assert_eq!(decoded(&codecs, 2, "v2:New"), "New");
        }
    }

    #[test]
    fn an_unregistered_type_or_version_is_an_error() {
        let mut codecs = EventCodecs::default();
        codecs.register(codec::<1>());

        assert!(matches!(
            codecs.decode("test.Renamed", 3, "v3:x", DateTime::UNIX_EPOCH),
            Err(CodecError::UnknownVersion { version: 3, .. })
        ));
        assert!(matches!(
            EventCodecs::default().encode(&Renamed("x".into())),
            Err(CodecError::NoSchema {
                event_type: "test.Renamed"
            })
        ));
    }
}
