use std::any::{Any, TypeId, type_name};
use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::marker::PhantomData;
use std::sync::{Arc, Weak};

use async_trait::async_trait;
use shared_kernel_domain::DomainEvent;

use super::{
    BusError, Command, CommandDecorator, CommandHandler, EventHandler, EventHandlerError,
    EventPublisher, HandlerFailure, HandlerRun, PublishError,
};
use crate::EventId;

/// Routes commands to their one handler and events to all of theirs.
///
/// Built once at start-up from every context's registrations, then read-only.
pub struct MessageBus {
    /// Keyed by the command's type; each value is an `Arc<dyn CommandHandler<C>>`.
    commands: HashMap<TypeId, Box<dyn Any + Send + Sync>>,
    /// Keyed by the event's type.
    events: HashMap<TypeId, Vec<Arc<dyn ErasedEventHandler>>>,
    /// Around every command handler's run, the first one outermost.
    decorators: Vec<Arc<dyn CommandDecorator>>,
}

/// What a context's `register` function fills in.
#[derive(Default)]
pub struct HandlerRegistry {
    commands: HashMap<TypeId, Box<dyn Any + Send + Sync>>,
    events: HashMap<TypeId, Vec<Arc<dyn ErasedEventHandler>>>,
    decorators: Vec<Arc<dyn CommandDecorator>>,
}

impl HandlerRegistry {
    /// Registers the one handler of `C`. A second handler for the same command is a wiring
    /// mistake that must stop start-up.
    pub fn command<C: Command>(
        &mut self,
        handler: impl CommandHandler<C>,
    ) -> Result<&mut Self, BusError> {
        match self.commands.entry(TypeId::of::<C>()) {
            Entry::Occupied(_) => Err(BusError::DuplicateHandler {
                command: type_name::<C>(),
            }),
            Entry::Vacant(slot) => {
                let handler: Arc<dyn CommandHandler<C>> = Arc::new(handler);
                slot.insert(Box::new(handler));
                Ok(self)
            }
        }
    }

    /// Adds a handler of `E`, run after the ones registered before it.
    pub fn event<E: DomainEvent>(&mut self, handler: impl EventHandler<E>) -> &mut Self {
        let handler: Arc<dyn ErasedEventHandler> = Arc::new(TypedEventHandler {
            handler,
            event: PhantomData::<fn(&E)>,
        });
        self.events
            .entry(TypeId::of::<E>())
            .or_default()
            .push(handler);
        self
    }

    /// Wraps every command handler's run, whenever it was registered, in `decorator`; a
    /// decorator added earlier runs outside the ones added after it. For the composition
    /// root: a context registers its handlers and leaves this alone.
    pub fn decorate_commands(&mut self, decorator: Arc<dyn CommandDecorator>) -> &mut Self {
        self.decorators.push(decorator);
        self
    }
}

impl MessageBus {
    /// Builds the bus from the registrations `register` makes.
    ///
    /// `register` also receives a `BusHandle` for the handlers and Units of Work that need to
    /// reach the bus themselves (to publish events, or to run a command from an event
    /// handler). The handle is weak because the bus owns those handlers: a strong reference
    /// would be a cycle that keeps the bus, and the database pools behind it, alive forever.
    pub fn build(
        register: impl FnOnce(&mut HandlerRegistry, &BusHandle) -> Result<(), BusError>,
    ) -> Result<Arc<Self>, BusError> {
        let mut outcome = Ok(());
        let bus = Arc::new_cyclic(|weak| {
            let mut registry = HandlerRegistry::default();
            outcome = register(&mut registry, &BusHandle(weak.clone()));
            MessageBus {
                commands: registry.commands,
                events: registry.events,
                decorators: registry.decorators,
            }
        });
        outcome.map(|()| bus)
    }

    pub fn handle(self: &Arc<Self>) -> BusHandle {
        BusHandle(Arc::downgrade(self))
    }

    /// Runs `command` through its one handler, inside the decorators.
    pub async fn execute<C: Command>(&self, command: C) -> Result<C::Output, C::Error> {
        let handler = self
            .commands
            .get(&TypeId::of::<C>())
            .and_then(|handler| handler.downcast_ref::<Arc<dyn CommandHandler<C>>>())
            .ok_or(BusError::NoHandler {
                command: type_name::<C>(),
            })?
            .clone();
        let mut run: HandlerRun = Box::pin(async move {
            let output: Box<dyn Any + Send> = Box::new(handler.handle(command).await);
            Ok(output)
        });
        for decorator in self.decorators.iter().rev() {
            run = decorator.around(type_name::<C>(), run);
        }
        let output = run.await?;
        match output.downcast::<Result<C::Output, C::Error>>() {
            Ok(result) => *result,
            Err(_) => Err(BusError::MismatchedOutput {
                command: type_name::<C>(),
            }
            .into()),
        }
    }

    /// Whether any handler is registered for `event`'s type.
    pub fn has_handlers(&self, event: &dyn DomainEvent) -> bool {
        self.events.contains_key(&(event as &dyn Any).type_id())
    }

    /// Whether exactly one handler is registered for `event`'s type.
    pub fn has_one_handler(&self, event: &dyn DomainEvent) -> bool {
        self.events
            .get(&(event as &dyn Any).type_id())
            .is_some_and(|handlers| handlers.len() == 1)
    }

    /// The names of `event`'s handlers, in registration order.
    pub fn handler_names(&self, event: &dyn DomainEvent) -> Vec<&'static str> {
        self.events
            .get(&(event as &dyn Any).type_id())
            .map(|handlers| handlers.iter().map(|handler| handler.name()).collect())
            .unwrap_or_default()
    }

    /// Delivers `event` to every handler of its type, in registration order. Every handler
    /// runs even when an earlier one fails; the failures are returned together.
    pub async fn publish(&self, id: EventId, event: &dyn DomainEvent) -> Result<(), PublishError> {
        let Some(handlers) = self.events.get(&(event as &dyn Any).type_id()) else {
            return Ok(());
        };
        let mut failures = Vec::new();
        for handler in handlers {
            if let Err(error) = handler.handle(event, id).await {
                failures.push(HandlerFailure {
                    handler: handler.name(),
                    event_type: event.event_type(),
                    error,
                });
            }
        }
        if failures.is_empty() {
            Ok(())
        } else {
            Err(PublishError::HandlersFailed(failures))
        }
    }
}

#[async_trait]
impl EventPublisher for MessageBus {
    fn has_handlers(&self, event: &dyn DomainEvent) -> bool {
        MessageBus::has_handlers(self, event)
    }

    fn has_one_handler(&self, event: &dyn DomainEvent) -> bool {
        MessageBus::has_one_handler(self, event)
    }

    fn handler_names(&self, event: &dyn DomainEvent) -> Vec<&'static str> {
        MessageBus::handler_names(self, event)
    }

    async fn publish(&self, id: EventId, event: &dyn DomainEvent) -> Result<(), PublishError> {
        MessageBus::publish(self, id, event).await
    }
}

/// A weak reference to the bus for the objects the bus itself owns (see `MessageBus::build`).
#[derive(Clone)]
pub struct BusHandle(Weak<MessageBus>);

impl BusHandle {
    fn bus(&self) -> Result<Arc<MessageBus>, BusError> {
        self.0.upgrade().ok_or(BusError::Stopped)
    }

    pub async fn execute<C: Command>(&self, command: C) -> Result<C::Output, C::Error> {
        self.bus()?.execute(command).await
    }
}

#[async_trait]
impl EventPublisher for BusHandle {
    /// Once the bus has stopped nobody can say, so the event is assumed handled: it stays
    /// pending for the relay of whichever process runs next, instead of being written off.
    fn has_handlers(&self, event: &dyn DomainEvent) -> bool {
        match self.bus() {
            Ok(bus) => bus.has_handlers(event),
            Err(_) => true,
        }
    }

    fn has_one_handler(&self, event: &dyn DomainEvent) -> bool {
        self.bus().is_ok_and(|bus| bus.has_one_handler(event))
    }

    fn handler_names(&self, event: &dyn DomainEvent) -> Vec<&'static str> {
        self.bus()
            .map(|bus| bus.handler_names(event))
            .unwrap_or_default()
    }

    async fn publish(&self, id: EventId, event: &dyn DomainEvent) -> Result<(), PublishError> {
        self.bus()?.publish(id, event).await
    }
}

/// An `EventHandler<E>` behind a type-erased face, so that handlers of different event types
/// can live in one map.
#[async_trait]
trait ErasedEventHandler: Send + Sync {
    fn name(&self) -> &'static str;
    async fn handle(&self, event: &dyn DomainEvent, id: EventId) -> Result<(), EventHandlerError>;
}

struct TypedEventHandler<E, H> {
    handler: H,
    event: PhantomData<fn(&E)>,
}

#[async_trait]
impl<E: DomainEvent, H: EventHandler<E>> ErasedEventHandler for TypedEventHandler<E, H> {
    fn name(&self) -> &'static str {
        self.handler.name()
    }

    async fn handle(&self, event: &dyn DomainEvent, id: EventId) -> Result<(), EventHandlerError> {
        let event = (event as &dyn Any)
            .downcast_ref::<E>()
            .ok_or("the bus routed an event to a handler of another event type")?;
        self.handler.handle(event, id).await
    }
}

#[cfg(test)]
mod tests;
