//! The projects context's infrastructure layer: a scaffold. The crate exists so that the layout and
//! the dependency rule are in place before the context's code arrives.
