use super::EntityTag;

/// What a write asks of its resource's current state before it goes ahead: the `If-Match` of
/// RFC 9110 §13.1.1, as the edge read it.
///
/// A command carries it, and its handler checks it after loading the resource in its Unit of
/// Work, where the resource is locked, and before changing it: so of two writers that send the
/// same tag, the second sees the first's change and is refused, instead of overwriting it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Precondition {
    /// No `If-Match`: the write goes ahead whatever the state, as it always did.
    #[default]
    Unconditional,
    /// `If-Match: *`: the resource exists. A handler checks preconditions only once it has
    /// loaded its resource, so this always holds there; a missing one is a not-found.
    Exists,
    /// Only while the resource's current tag is one of these. The comparison is strong: the
    /// edge leaves out weak tags (`W/"…"`), which never match strongly, so that a list of
    /// weak tags only is an empty list, met by no state.
    OneOf(Vec<EntityTag>),
}

/// The resource's current tag is none of those the write asked for: it changed since the
/// client read it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the resource has changed: its current entity tag is none of those the request names")]
pub struct PreconditionFailed;

impl Precondition {
    /// Ok when the resource may be written. `current` computes the resource's tag, or fails
    /// (say, the resource does not exist, which a caller answers before any precondition); it
    /// is only called when a tag is asked for, so an unconditional write costs nothing more.
    pub fn check<E: From<PreconditionFailed>>(
        &self,
        current: impl FnOnce() -> Result<EntityTag, E>,
    ) -> Result<(), E> {
        match self {
            Self::Unconditional | Self::Exists => Ok(()),
            Self::OneOf(tags) => {
                let current = current()?;
                if tags.contains(&current) {
                    Ok(())
                } else {
                    Err(PreconditionFailed.into())
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, PartialEq)]
    enum Failure {
        Changed,
        Missing,
    }

    impl From<PreconditionFailed> for Failure {
        fn from(_: PreconditionFailed) -> Self {
            Self::Changed
        }
    }

    fn current() -> Result<EntityTag, Failure> {
        Ok(EntityTag::new("b"))
    }

    fn one_of(tags: &[&str]) -> Precondition {
        Precondition::OneOf(tags.iter().map(|tag| EntityTag::new(*tag)).collect())
    }

    #[test]
    fn a_list_holding_the_current_tag_is_met() {
        assert_eq!(one_of(&["b"]).check(current), Ok(()));
        assert_eq!(one_of(&["a", "b", "c"]).check(current), Ok(()));
    }

    #[test]
    fn a_list_without_it_fails_and_so_does_an_empty_one() {
        assert_eq!(one_of(&["a"]).check(current), Err(Failure::Changed));
        assert_eq!(one_of(&["B"]).check(current), Err(Failure::Changed));
        assert_eq!(one_of(&[]).check(current), Err(Failure::Changed));
    }

    #[test]
    fn no_condition_and_any_state_never_compute_the_tag() {
        let never = || -> Result<EntityTag, Failure> { panic!("the tag was computed") };

        assert_eq!(Precondition::Unconditional.check(never), Ok(()));
        assert_eq!(Precondition::Exists.check(never), Ok(()));
    }

    #[test]
    fn a_failure_to_compute_the_tag_comes_before_the_comparison() {
        let missing = || Err(Failure::Missing);

        assert_eq!(one_of(&["a"]).check(missing), Err(Failure::Missing));
    }
}
