/// The bus itself could not do what was asked: a wiring mistake, never a business outcome.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BusError {
    #[error("no handler is registered for the command {command}")]
    NoHandler { command: &'static str },
    #[error("a second handler was registered for the command {command}")]
    DuplicateHandler { command: &'static str },
    #[error("the message bus has shut down")]
    Stopped,
    #[error("the command {command} returned a result of another type")]
    MismatchedOutput { command: &'static str },
}
