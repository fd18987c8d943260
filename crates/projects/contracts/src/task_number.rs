use std::fmt;

/// A task's number within its project: 1, 2, 3… in the order tasks were added, never reused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TaskNumber(u32);

impl TaskNumber {
    pub fn new(number: u32) -> Self {
        Self(number)
    }

    pub fn get(&self) -> u32 {
        self.0
    }
}

impl fmt::Display for TaskNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}
