shared_kernel_domain::uuid_id! {
    /// Identifies a project. A UUIDv7: ids sort by creation time, which is the order lists use.
    pub struct ProjectId;
}
