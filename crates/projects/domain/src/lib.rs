//! The projects context's domain layer: a scaffold. The crate exists so that the layout and
//! the dependency rule are in place before the context's code arrives.
