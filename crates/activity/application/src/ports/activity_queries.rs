use activity_domain::EntryId;
use async_trait::async_trait;
use projects_contracts::ProjectId;
use shared_kernel_application::{InfrastructureError, Page, PageSize};
use shared_kernel_domain::UserId;

use crate::EntryView;

/// The read side of the activity context: straight from its tables, scoped to the caller.
/// Another user's project, one the context never heard of, and a deleted one read exactly
/// alike: as not there.
#[async_trait]
pub trait ActivityQueries: Send + Sync {
    /// The entries of `project`, newest first, after `after`; `None` when the project is not
    /// the owner's to see.
    async fn project_entries(
        &self,
        owner: UserId,
        project: ProjectId,
        size: PageSize,
        after: Option<EntryId>,
    ) -> Result<Option<Page<EntryView>>, InfrastructureError>;

    /// The entries of every project of `owner` that is not deleted, newest first, after
    /// `after`.
    async fn owner_entries(
        &self,
        owner: UserId,
        size: PageSize,
        after: Option<EntryId>,
    ) -> Result<Page<EntryView>, InfrastructureError>;
}
