shared_kernel_domain::uuid_id! {
    /// Identifies a session: one login, and every access and refresh token it leads to. A
    /// UUIDv7; access tokens carry it as their `sid` claim.
    pub struct SessionId;
}
