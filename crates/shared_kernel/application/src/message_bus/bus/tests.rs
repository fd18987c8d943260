use std::sync::Mutex;

use chrono::{DateTime, Utc};

use super::*;

#[derive(Debug)]
struct Double(i64);

#[derive(Debug, thiserror::Error)]
enum DoubleError {
    #[error("negative")]
    Negative,
    #[error(transparent)]
    Bus(#[from] BusError),
}

/// A `BusError` may carry its cause, which cannot be compared; what it says can.
impl PartialEq for DoubleError {
    fn eq(&self, other: &Self) -> bool {
        self.to_string() == other.to_string()
    }
}

impl Command for Double {
    type Output = i64;
    type Error = DoubleError;
}

struct DoubleHandler;

#[async_trait]
impl CommandHandler<Double> for DoubleHandler {
    async fn handle(&self, command: Double) -> Result<i64, DoubleError> {
        if command.0 < 0 {
            return Err(DoubleError::Negative);
        }
        Ok(command.0 * 2)
    }
}

#[derive(Debug)]
struct Pinged(u32);

impl DomainEvent for Pinged {
    fn event_type(&self) -> &'static str {
        "test.Pinged"
    }
    fn occurred_at(&self) -> DateTime<Utc> {
        DateTime::UNIX_EPOCH
    }
}

#[derive(Debug)]
struct Ignored;

impl DomainEvent for Ignored {
    fn event_type(&self) -> &'static str {
        "test.Ignored"
    }
    fn occurred_at(&self) -> DateTime<Utc> {
        DateTime::UNIX_EPOCH
    }
}

/// Records what it saw in a log shared by every handler of a test.
struct Recorder {
    name: &'static str,
    log: Arc<Mutex<Vec<String>>>,
    fails: bool,
}

#[async_trait]
impl EventHandler<Pinged> for Recorder {
    fn name(&self) -> &'static str {
        self.name
    }
    async fn handle(&self, event: &Pinged, _id: EventId) -> Result<(), EventHandlerError> {
        self.log
            .lock()
            .unwrap()
            .push(format!("{}:{}", self.name, event.0));
        if self.fails {
            return Err("boom".into());
        }
        Ok(())
    }
}

fn recorder(name: &'static str, log: &Arc<Mutex<Vec<String>>>, fails: bool) -> Recorder {
    Recorder {
        name,
        log: Arc::clone(log),
        fails,
    }
}

#[tokio::test]
async fn a_command_reaches_its_one_handler_and_returns_its_result() {
    let bus = MessageBus::build(|registry, _| {
        registry.command(DoubleHandler)?;
        Ok(())
    })
    .unwrap();

    assert_eq!(bus.execute(Double(21)).await, Ok(42));
    assert_eq!(bus.execute(Double(-1)).await, Err(DoubleError::Negative));
}

#[tokio::test]
async fn a_command_without_a_handler_is_an_error_not_a_panic() {
    let bus = MessageBus::build(|_, _| Ok(())).unwrap();

    let result = bus.execute(Double(1)).await;

    assert!(matches!(
        result,
        Err(DoubleError::Bus(BusError::NoHandler { command })) if command.ends_with("Double")
    ));
}

/// A decorator that logs its name around each run, and runs the handler on a task of its
/// own, as the SQLite writer's decorator runs it on another thread.
struct Logging {
    name: &'static str,
    log: Arc<Mutex<Vec<String>>>,
}

impl CommandDecorator for Logging {
    fn around(&self, command: &'static str, run: HandlerRun) -> HandlerRun {
        let (name, log) = (self.name, self.log.clone());
        let command = command.rsplit("::").next().unwrap_or(command);
        Box::pin(async move {
            log.lock().unwrap().push(format!("{name} before {command}"));
            let output = tokio::spawn(run).await.map_err(|_| BusError::Stopped)?;
            log.lock().unwrap().push(format!("{name} after {command}"));
            output
        })
    }
}

#[tokio::test]
async fn a_command_runs_inside_every_decorator_first_added_outermost_and_returns_its_result() {
    let log = Arc::new(Mutex::new(Vec::new()));
    let bus = MessageBus::build(|registry, _| {
        registry.decorate_commands(Arc::new(Logging {
            name: "outer",
            log: log.clone(),
        }));
        registry.command(DoubleHandler)?;
        // Added after the handler: decorators wrap every handler whenever it registered.
        registry.decorate_commands(Arc::new(Logging {
            name: "inner",
            log: log.clone(),
        }));
        Ok(())
    })
    .unwrap();

    assert_eq!(bus.execute(Double(21)).await, Ok(42));
    assert_eq!(bus.execute(Double(-1)).await, Err(DoubleError::Negative));
    let expected: Vec<String> = ["outer before", "inner before", "inner after", "outer after"]
        .iter()
        .map(|step| format!("{step} Double"))
        .collect();
    assert_eq!(*log.lock().unwrap(), [expected.clone(), expected].concat());
}

/// A decorator whose place to run handlers is gone.
struct Stopped;

impl CommandDecorator for Stopped {
    fn around(&self, _command: &'static str, _run: HandlerRun) -> HandlerRun {
        Box::pin(async { Err(BusError::Stopped) })
    }
}

#[tokio::test]
async fn a_decorator_that_cannot_run_the_handler_is_the_commands_error() {
    let bus = MessageBus::build(|registry, _| {
        registry.decorate_commands(Arc::new(Stopped));
        registry.command(DoubleHandler)?;
        Ok(())
    })
    .unwrap();

    assert_eq!(
        bus.execute(Double(1)).await,
        Err(DoubleError::Bus(BusError::Stopped))
    );
}

#[test]
fn registering_a_second_handler_for_a_command_fails_the_build() {
    let result = MessageBus::build(|registry, _| {
        registry.command(DoubleHandler)?;
        registry.command(DoubleHandler)?;
        Ok(())
    });

    assert!(matches!(
        result.err(),
        Some(BusError::DuplicateHandler { command }) if command.ends_with("Double")
    ));
}

#[tokio::test]
async fn an_event_reaches_every_handler_in_registration_order() {
    let log = Arc::new(Mutex::new(Vec::new()));
    let bus = MessageBus::build(|registry, _| {
        registry
            .event(recorder("first", &log, false))
            .event(recorder("second", &log, false));
        Ok(())
    })
    .unwrap();

    bus.publish(EventId::new(), &Pinged(1)).await.unwrap();
    bus.publish(EventId::new(), &Pinged(2)).await.unwrap();

    assert_eq!(
        *log.lock().unwrap(),
        vec!["first:1", "second:1", "first:2", "second:2"]
    );
    assert!(bus.has_handlers(&Pinged(3)));
    assert!(!bus.has_one_handler(&Pinged(3)), "two handlers hear pings");
}

#[tokio::test]
async fn an_event_without_handlers_is_fine() {
    let bus = MessageBus::build(|registry, _| {
        registry.event(recorder("pings only", &Arc::default(), false));
        Ok(())
    })
    .unwrap();
    assert!(!bus.has_handlers(&Ignored));
    assert!(!bus.has_one_handler(&Ignored));
    assert!(bus.has_one_handler(&Pinged(1)));
    assert!(bus.publish(EventId::new(), &Ignored).await.is_ok());
}

#[tokio::test]
async fn a_failing_handler_does_not_stop_the_others_and_is_reported() {
    let log = Arc::new(Mutex::new(Vec::new()));
    let bus = MessageBus::build(|registry, _| {
        registry
            .event(recorder("failing", &log, true))
            .event(recorder("healthy", &log, false));
        Ok(())
    })
    .unwrap();

    let result = bus.publish(EventId::new(), &Pinged(7)).await;

    assert_eq!(*log.lock().unwrap(), vec!["failing:7", "healthy:7"]);
    let Err(PublishError::HandlersFailed(failures)) = result else {
        panic!("expected the failure to be reported");
    };
    assert_eq!(failures.len(), 1);
    assert_eq!(failures[0].handler, "failing");
    assert_eq!(failures[0].event_type, "test.Pinged");
    assert_eq!(failures[0].error.to_string(), "boom");
}

/// A handler that runs a command through the bus it is registered on, as the projects
/// context does when a user account is created.
struct DoublesOnPing {
    bus: BusHandle,
    log: Arc<Mutex<Vec<String>>>,
}

#[async_trait]
impl EventHandler<Pinged> for DoublesOnPing {
    fn name(&self) -> &'static str {
        "doubles"
    }
    async fn handle(&self, event: &Pinged, _id: EventId) -> Result<(), EventHandlerError> {
        let doubled = self.bus.execute(Double(i64::from(event.0))).await?;
        self.log.lock().unwrap().push(doubled.to_string());
        Ok(())
    }
}

#[tokio::test]
async fn an_event_handler_can_execute_a_command_through_its_handle() {
    let log = Arc::new(Mutex::new(Vec::new()));
    let bus = MessageBus::build(|registry, handle| {
        registry.command(DoubleHandler)?;
        registry.event(DoublesOnPing {
            bus: handle.clone(),
            log: Arc::clone(&log),
        });
        Ok(())
    })
    .unwrap();

    bus.handle()
        .publish(EventId::new(), &Pinged(4))
        .await
        .unwrap();

    assert_eq!(*log.lock().unwrap(), vec!["8"]);
}

#[tokio::test]
async fn a_handle_outliving_its_bus_reports_that_the_bus_stopped() {
    let bus = MessageBus::build(|_, _| Ok(())).unwrap();
    let handle = bus.handle();
    drop(bus);

    assert_eq!(
        handle.execute(Double(1)).await,
        Err(DoubleError::Bus(BusError::Stopped))
    );
}
