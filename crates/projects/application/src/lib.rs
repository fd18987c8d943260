//! The projects context's application layer: commands that go through the `Project`
//! aggregate and a Unit of Work, queries that read flat views, the reaction to new user
//! accounts, and the ports the infrastructure implements.
//!
//! It never imports the accounts context: it learns who is calling from the shared kernel's
//! `UserId`, and about new users from the shared `UserAccountCreated` event.

mod bootstrap;
pub mod commands;
mod event_handlers;
pub mod ports;
mod read_models;
pub mod starter_project;

#[cfg(test)]
mod testing;

pub use bootstrap::{ProjectsPorts, register};
pub use event_handlers::CreateStarterProject;
pub use read_models::{
    Page, PageSize, PageSizeError, ProjectStatus, ProjectView, TaskStatus, TaskView,
};
