use std::fmt;

/// How urgent a task is. Ordered from `None` (the default) to `Urgent`, so that "most urgent
/// first" is a descending sort.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TaskPriority {
    #[default]
    None,
    Low,
    Medium,
    High,
    Urgent,
}

impl TaskPriority {
    /// Every priority, least urgent first.
    pub const ALL: [TaskPriority; 5] = [
        TaskPriority::None,
        TaskPriority::Low,
        TaskPriority::Medium,
        TaskPriority::High,
        TaskPriority::Urgent,
    ];

    /// Its name in the published language (and on the wire): `none`, `low`, `medium`,
    /// `high`, `urgent`.
    pub fn as_str(&self) -> &'static str {
        match self {
            TaskPriority::None => "none",
            TaskPriority::Low => "low",
            TaskPriority::Medium => "medium",
            TaskPriority::High => "high",
            TaskPriority::Urgent => "urgent",
        }
    }

    /// The priority named `name` (exactly as `as_str` writes it).
    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|priority| priority.as_str() == name)
    }

    /// 0 for `None` up to 4 for `Urgent`: how a store may keep it and sort by it.
    pub fn rank(&self) -> u8 {
        *self as u8
    }

    /// The priority of rank `rank`, if there is one.
    pub fn from_rank(rank: u8) -> Option<Self> {
        Self::ALL.get(usize::from(rank)).copied()
    }
}

impl fmt::Display for TaskPriority {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::TaskPriority;

    #[test]
    fn names_and_ranks_read_back() {
        for priority in TaskPriority::ALL {
            assert_eq!(TaskPriority::parse(priority.as_str()), Some(priority));
            assert_eq!(TaskPriority::from_rank(priority.rank()), Some(priority));
        }
        assert_eq!(TaskPriority::parse("URGENT"), None);
        assert_eq!(TaskPriority::from_rank(5), None);
    }

    #[test]
    fn urgent_is_the_most_urgent_and_none_the_default() {
        assert!(TaskPriority::Urgent > TaskPriority::High);
        assert!(TaskPriority::Low > TaskPriority::None);
        assert_eq!(TaskPriority::default(), TaskPriority::None);
    }
}
