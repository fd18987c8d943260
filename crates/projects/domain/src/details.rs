//! What a task carries besides its name: a description, a due date, a priority and labels,
//! each a value that checks its own rules.

use std::fmt;

use chrono::{DateTime, DurationRound, TimeDelta, Utc};

use projects_contracts::TaskPriority;

/// Why a description was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DescriptionError {
    #[error("must be at most {max} characters long")]
    TooLong { max: usize },
    /// A description may run over lines and be indented, nothing else invisible.
    #[error("must not contain control characters other than newline and tab")]
    ControlCharacter,
}

/// A task's description: free text, kept as it was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskDescription(String);

impl TaskDescription {
    pub const MAX_CHARS: usize = 10_000;

    pub fn parse(input: &str) -> Result<Self, DescriptionError> {
        if input.chars().count() > Self::MAX_CHARS {
            return Err(DescriptionError::TooLong {
                max: Self::MAX_CHARS,
            });
        }
        let allowed = |c: char| !c.is_control() || c == '\n' || c == '\t';
        if !input.chars().all(allowed) {
            return Err(DescriptionError::ControlCharacter);
        }
        Ok(Self(input.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for TaskDescription {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// When a task is due: an instant in UTC, to the microsecond (what both databases keep, so
/// that the task a write answers reads back the same).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DueAt(DateTime<Utc>);

impl DueAt {
    pub fn new(at: DateTime<Utc>) -> Self {
        let microsecond = TimeDelta::microseconds(1);
        // Only fails for instants no RFC 3339 text can name.
        Self(at.duration_trunc(microsecond).unwrap_or(at))
    }

    pub fn get(&self) -> DateTime<Utc> {
        self.0
    }
}

/// Why a label, or a set of labels, was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LabelError {
    #[error("a label must be 1 to {max} characters long")]
    Length { max: usize },
    #[error("a label may hold only letters, digits, '-' and '_'")]
    Character,
    #[error("at most {max} labels")]
    TooMany { max: usize },
}

/// A label: 1 to 32 ASCII letters, digits, `-` and `_`, kept lower-case.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Label(String);

impl Label {
    pub const MAX_CHARS: usize = 32;

    /// `input` as a label, lower-cased: `Home` and `home` are one label.
    pub fn parse(input: &str) -> Result<Self, LabelError> {
        if input.is_empty() || input.len() > Self::MAX_CHARS {
            return Err(LabelError::Length {
                max: Self::MAX_CHARS,
            });
        }
        let allowed = |b: u8| b.is_ascii_alphanumeric() || b == b'-' || b == b'_';
        if !input.bytes().all(allowed) {
            return Err(LabelError::Character);
        }
        Ok(Self(input.to_ascii_lowercase()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Label {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A task's labels: at most ten, no two alike (regardless of case), in alphabetical order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Labels(Vec<Label>);

impl Labels {
    pub const MAX: usize = 10;

    /// The labels `inputs` name, each parsed as a `Label`: at most ten of them. A label
    /// given twice (in any case) is kept once: a set of labels has no order and no
    /// repetition, and `["home", "Home"]` means the one label `home`.
    pub fn parse<S: AsRef<str>>(inputs: &[S]) -> Result<Self, LabelError> {
        if inputs.len() > Self::MAX {
            return Err(LabelError::TooMany { max: Self::MAX });
        }
        let mut labels = inputs
            .iter()
            .map(|input| Label::parse(input.as_ref()))
            .collect::<Result<Vec<_>, _>>()?;
        labels.sort();
        labels.dedup();
        Ok(Self(labels))
    }

    pub fn iter(&self) -> impl Iterator<Item = &Label> {
        self.0.iter()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The labels as text, sorted.
    pub fn to_strings(&self) -> Vec<String> {
        self.0.iter().map(Label::to_string).collect()
    }
}

/// Everything a task holds besides its name and completion, as it is added with them (all
/// optional: a task may have none of them).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TaskDetails {
    pub description: Option<TaskDescription>,
    pub due_at: Option<DueAt>,
    pub priority: TaskPriority,
    pub labels: Labels,
}

/// A partial update of a task (a JSON merge patch, once parsed): `None` leaves a field as it
/// is; `Some(None)` clears an optional one.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TaskPatch {
    pub name: Option<crate::TaskName>,
    pub description: Option<Option<TaskDescription>>,
    pub due_at: Option<Option<DueAt>>,
    pub priority: Option<TaskPriority>,
    pub labels: Option<Labels>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_description_is_kept_as_written_up_to_ten_thousand_characters() {
        let written = "  Two lines,\n\tindented.  ";
        assert_eq!(TaskDescription::parse(written).unwrap().as_str(), written);
        assert!(TaskDescription::parse("").is_ok());
        assert!(TaskDescription::parse(&"é".repeat(10_000)).is_ok());
        assert_eq!(
            TaskDescription::parse(&"é".repeat(10_001)),
            Err(DescriptionError::TooLong { max: 10_000 })
        );
    }

    #[test]
    fn a_description_refuses_control_characters_but_newline_and_tab() {
        for bad in [
            "nul\u{0}",
            "carriage\rreturn",
            "bell\u{7}",
            "del\u{7f}",
            "\u{85}",
        ] {
            assert_eq!(
                TaskDescription::parse(bad),
                Err(DescriptionError::ControlCharacter),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn a_due_date_keeps_microseconds_and_no_more() {
        let at = DateTime::parse_from_rfc3339("2026-12-24T18:30:00.123456789+01:00")
            .unwrap()
            .with_timezone(&Utc);
        assert_eq!(
            DueAt::new(at).get().to_rfc3339(),
            "2026-12-24T17:30:00.123456+00:00"
        );
    }

    #[test]
    fn labels_are_lower_cased_sorted_and_checked() {
        let labels = Labels::parse(&["Work", "home", "q4-2026", "a_b"]).unwrap();
        assert_eq!(labels.to_strings(), ["a_b", "home", "q4-2026", "work"]);
        assert_eq!(Label::parse(&"x".repeat(32)).unwrap().as_str().len(), 32);
        assert_eq!(
            Label::parse(&"x".repeat(33)),
            Err(LabelError::Length { max: 32 })
        );
        assert_eq!(Label::parse(""), Err(LabelError::Length { max: 32 }));
        for bad in ["two words", "café", "a,b", "a.b", "#tag"] {
            assert_eq!(Label::parse(bad), Err(LabelError::Character), "{bad:?}");
        }
    }

    #[test]
    fn labels_are_at_most_ten_entries_and_a_repeated_one_is_kept_once() {
        let ten: Vec<String> = (0..10).map(|n| format!("l{n}")).collect();
        assert!(Labels::parse(&ten).is_ok());
        let eleven: Vec<String> = (0..11).map(|n| format!("l{n}")).collect();
        assert_eq!(Labels::parse(&eleven), Err(LabelError::TooMany { max: 10 }));
        // Ten entries at most, as the request's schema says, even when some repeat.
        let mut ten_and_a_repeat = ten.clone();
        ten_and_a_repeat.push("L3".into());
        assert_eq!(
            Labels::parse(&ten_and_a_repeat),
            Err(LabelError::TooMany { max: 10 })
        );
        assert_eq!(
            Labels::parse(&["Home", "home", "HOME"])
                .unwrap()
                .to_strings(),
            ["home"]
        );
        assert!(Labels::parse::<&str>(&[]).unwrap().is_empty());
    }
}
