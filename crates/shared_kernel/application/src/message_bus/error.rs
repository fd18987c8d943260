/// The bus itself could not do what was asked: a wiring mistake, or a command refused before
/// its handler ran because what it needs is unavailable; never a business outcome.
#[derive(Debug, thiserror::Error)]
pub enum BusError {
    #[error("no handler is registered for the command {command}")]
    NoHandler { command: &'static str },
    #[error("a second handler was registered for the command {command}")]
    DuplicateHandler { command: &'static str },
    #[error("the message bus has shut down")]
    Stopped,
    #[error("the command {command} returned a result of another type")]
    MismatchedOutput { command: &'static str },
    /// A decorator refused to run the handler: the SQLite writer's queue is full, say.
    #[error("the command was not run")]
    Refused(#[source] crate::Unavailable),
}
