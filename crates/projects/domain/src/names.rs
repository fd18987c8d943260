use std::fmt;

/// Why a name was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NameError {
    #[error("must not be blank")]
    Blank,
    #[error("must be at most {max} characters long")]
    TooLong { max: usize },
    /// Invisible, and some databases cannot even store them (PostgreSQL refuses NUL).
    #[error("must not contain control characters")]
    ControlCharacter,
}

/// Both kinds of name follow one rule: trimmed, 1 to 100 characters, no control characters.
fn validated(input: &str) -> Result<String, NameError> {
    const MAX: usize = 100;
    let name = input.trim();
    if name.is_empty() {
        return Err(NameError::Blank);
    }
    if name.chars().count() > MAX {
        return Err(NameError::TooLong { max: MAX });
    }
    if name.chars().any(char::is_control) {
        return Err(NameError::ControlCharacter);
    }
    Ok(name.to_owned())
}

/// The name of a project.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProjectName(String);

impl ProjectName {
    pub fn parse(input: &str) -> Result<Self, NameError> {
        validated(input).map(Self)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for ProjectName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The name of a task.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskName(String);

impl TaskName {
    pub fn parse(input: &str) -> Result<Self, NameError> {
        validated(input).map(Self)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for TaskName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_trimmed() {
        assert_eq!(ProjectName::parse("  Garden ").unwrap().as_str(), "Garden");
        assert_eq!(TaskName::parse("\tWater\n").unwrap().as_str(), "Water");
    }

    #[test]
    fn blank_names_are_refused() {
        assert_eq!(ProjectName::parse("   "), Err(NameError::Blank));
        assert_eq!(TaskName::parse(""), Err(NameError::Blank));
    }

    #[test]
    fn control_characters_are_refused() {
        for bad in ["Gar\u{0}den", "line\nbreak", "tab\tbed", "bell\u{7}"] {
            assert_eq!(
                ProjectName::parse(bad),
                Err(NameError::ControlCharacter),
                "{bad:?}"
            );
            assert_eq!(
                TaskName::parse(bad),
                Err(NameError::ControlCharacter),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn names_are_one_to_a_hundred_characters() {
        assert!(ProjectName::parse(&"é".repeat(100)).is_ok());
        assert_eq!(
            ProjectName::parse(&"é".repeat(101)),
            Err(NameError::TooLong { max: 100 })
        );
        assert!(TaskName::parse("x").is_ok());
        assert_eq!(
            TaskName::parse(&"x".repeat(101)),
            Err(NameError::TooLong { max: 100 })
        );
    }
}
