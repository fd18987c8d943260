use std::error::Error;
use std::fmt::Write;

/// An error and every cause beneath it on one line (`outer: cause: root cause`), for logs.
pub fn error_chain(error: &(dyn Error + 'static)) -> String {
    let mut report = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        let _ = write!(report, ": {cause}");
        source = cause.source();
    }
    report
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug)]
    struct Layer(&'static str, Option<Box<Layer>>);

    impl std::fmt::Display for Layer {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str(self.0)
        }
    }

    impl Error for Layer {
        fn source(&self) -> Option<&(dyn Error + 'static)> {
            self.1.as_deref().map(|e| e as &(dyn Error + 'static))
        }
    }

    #[test]
    fn joins_every_cause() {
        let error = Layer(
            "saving a user",
            Some(Box::new(Layer(
                "query failed",
                Some(Box::new(Layer("disk full", None))),
            ))),
        );
        assert_eq!(
            error_chain(&error),
            "saving a user: query failed: disk full"
        );
    }
}
