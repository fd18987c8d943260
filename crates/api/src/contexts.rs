//! The bounded contexts this service is made of: the one list the composition root composes.
//!
//! Adding a context is one line here (docs/adding-a-context.md). The order is the order in
//! which their event handlers run when several handle the same event: accounts first, so that
//! a new user's welcome email goes out before projects makes the starter project.

use platform_outbox::Platform;
use shared_kernel_entrypoints::Context;

use crate::config::Settings;

/// Every context, configured.
pub fn contexts(settings: &Settings) -> Vec<Box<dyn Context<Platform>>> {
    vec![
        Box::new(accounts_module::module(settings.accounts.clone())),
        Box::new(projects_module::module()),
        Box::new(activity_module::module()),
    ]
}
