//! `uuid_id!`, the one way an id type is written.

/// Declares an id type: a newtype over a UUIDv7, so that ids sort by the time they were made
/// (the order lists use) and index well, with `new`, `from_uuid`, `as_uuid`, `Default` (a new
/// id) and `Display` (the hyphenated form).
///
/// ```
/// shared_kernel_domain::uuid_id! {
///     /// Identifies a widget.
///     pub struct WidgetId;
/// }
/// let id = WidgetId::new();
/// assert_eq!(WidgetId::from_uuid(id.as_uuid()), id);
/// ```
#[macro_export]
macro_rules! uuid_id {
    ($(#[$meta:meta])* $vis:vis struct $name:ident;) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        $vis struct $name($crate::__private::Uuid);

        impl $name {
            pub fn new() -> Self {
                Self($crate::__private::Uuid::now_v7())
            }

            pub fn from_uuid(id: $crate::__private::Uuid) -> Self {
                Self(id)
            }

            pub fn as_uuid(&self) -> $crate::__private::Uuid {
                self.0
            }
        }

        impl Default for $name {
            fn default() -> Self {
                Self::new()
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                self.0.fmt(f)
            }
        }
    };
}

/// What `uuid_id!` expands to needs, reachable from any crate that uses it.
#[doc(hidden)]
pub mod __private {
    pub use uuid::Uuid;
}
