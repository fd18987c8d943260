/// The answer a keyed request got, kept to be given again: plain data, which the edge
/// produced from its response and turns back into one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredAnswer {
    /// The HTTP status.
    pub status: u16,
    /// The headers that belong to the answer (its content type, `Location`, `ETag`), by
    /// lower-case name, in order.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}
