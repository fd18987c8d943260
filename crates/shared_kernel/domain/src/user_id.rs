use std::str::FromStr;

use uuid::Uuid;

crate::uuid_id! {
    /// Identifies a user in every bounded context. A UUIDv7, so that ids sort by creation time
    /// and index well.
    pub struct UserId;
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("is not a valid user id")]
pub struct UserIdError;

impl FromStr for UserId {
    type Err = UserIdError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Uuid::parse_str(s).map(Self).map_err(|_| UserIdError)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_ids_are_version_7_and_unique() {
        let a = UserId::new();
        let b = UserId::new();
        assert_eq!(a.as_uuid().get_version_num(), 7);
        assert_ne!(a, b);
    }

    #[test]
    fn round_trips_through_its_string_form() {
        let id = UserId::new();
        assert_eq!(id.to_string().parse::<UserId>(), Ok(id));
        assert_eq!("not-a-uuid".parse::<UserId>(), Err(UserIdError));
    }
}
