shared_kernel_domain::uuid_id! {
    /// The identity of one stored event: the outbox row's key, the inbox's key, and what a
    /// handler passes on as an idempotency key to services outside the database.
    ///
    /// A UUIDv7, so that ids sort roughly by the time the event was recorded.
    pub struct EventId;
}
