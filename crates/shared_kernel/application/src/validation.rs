use std::fmt::Display;

/// One input field that broke a rule, with a message a client can show next to the field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldViolation {
    pub field: &'static str,
    pub message: String,
}

/// A command's input broke one or more domain rules. Use cases collect every violation before
/// they answer, so that a client learns about all of its mistakes at once.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the input is not valid: {}", summary(.violations))]
pub struct InvalidInput {
    pub violations: Vec<FieldViolation>,
}

fn summary(violations: &[FieldViolation]) -> String {
    violations
        .iter()
        .map(|v| format!("{} {}", v.field, v.message))
        .collect::<Vec<_>>()
        .join("; ")
}

impl InvalidInput {
    pub fn field(field: &'static str, error: impl Display) -> Self {
        Self {
            violations: vec![FieldViolation {
                field,
                message: error.to_string(),
            }],
        }
    }

    /// Validates two fields at once: both values, or every violation among them.
    pub fn check2<A, B, EA: Display, EB: Display>(
        a: (&'static str, Result<A, EA>),
        b: (&'static str, Result<B, EB>),
    ) -> Result<(A, B), Self> {
        match (a.1, b.1) {
            (Ok(a), Ok(b)) => Ok((a, b)),
            (a_result, b_result) => {
                let violations = [
                    a_result.err().map(|e| (a.0, e.to_string())),
                    b_result.err().map(|e| (b.0, e.to_string())),
                ]
                .into_iter()
                .flatten()
                .map(|(field, message)| FieldViolation { field, message })
                .collect();
                Err(Self { violations })
            }
        }
    }

    /// Both values, or every violation of either: for inputs validated in groups.
    pub fn both<A, B>(a: Result<A, Self>, b: Result<B, Self>) -> Result<(A, B), Self> {
        match (a, b) {
            (Ok(a), Ok(b)) => Ok((a, b)),
            (a, b) => {
                let violations = [a.err(), b.err()]
                    .into_iter()
                    .flatten()
                    .flat_map(|invalid| invalid.violations)
                    .collect();
                Err(Self { violations })
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_gathers_the_violations_of_each_group() {
        let one = InvalidInput::field("a", "is wrong");
        let two = InvalidInput::check2::<(), (), _, _>(("b", Err("is bad")), ("c", Err("is odd")))
            .unwrap_err();
        let both = InvalidInput::both::<(), ()>(Err(one), Err(two)).unwrap_err();
        let fields: Vec<&str> = both.violations.iter().map(|v| v.field).collect();
        assert_eq!(fields, ["a", "b", "c"]);
        assert_eq!(InvalidInput::both::<_, u8>(Ok(1), Ok(2)), Ok((1, 2)));
    }

    fn positive(n: i32) -> Result<i32, &'static str> {
        if n > 0 {
            Ok(n)
        } else {
            Err("must be positive")
        }
    }

    #[test]
    fn check2_returns_both_values_when_valid() {
        assert_eq!(
            InvalidInput::check2(("a", positive(1)), ("b", positive(2))),
            Ok((1, 2))
        );
    }

    #[test]
    fn check2_reports_every_violation() {
        let error = InvalidInput::check2(("a", positive(0)), ("b", positive(-1))).unwrap_err();
        let fields: Vec<_> = error.violations.iter().map(|v| v.field).collect();
        assert_eq!(fields, vec!["a", "b"]);
        assert_eq!(error.violations[0].message, "must be positive");
    }

    #[test]
    fn check2_reports_only_the_broken_field() {
        let error = InvalidInput::check2(("a", positive(1)), ("b", positive(-1))).unwrap_err();
        assert_eq!(
            error.violations,
            vec![FieldViolation {
                field: "b",
                message: "must be positive".into()
            }]
        );
    }
}
