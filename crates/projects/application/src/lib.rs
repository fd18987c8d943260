//! The projects context's application layer: commands that go through the `Project`
//! aggregate and a Unit of Work, queries that read flat views, the reaction to new user
//! accounts, and the ports the infrastructure implements.
//!
//! It imports nothing of the accounts context but its published language: it learns who is
//! calling from the shared kernel's `UserId`, and about new users from `UserAccountCreated`,
//! which `accounts-contracts` publishes.

mod bootstrap;
pub mod commands;
mod entity_tags;
mod event_handlers;
pub mod ports;
mod read_models;
pub mod starter_project;
mod task_list;

#[cfg(test)]
mod testing;

pub use bootstrap::{ProjectsPorts, register};
pub use event_handlers::CreateStarterProject;
pub use read_models::{ProjectStatus, ProjectView, TaskStatus, TaskView};
pub use task_list::{
    SortKey, TaskCursor, TaskFilter, TaskQuery, TaskSearch, TaskSearchError, TaskSort,
};
