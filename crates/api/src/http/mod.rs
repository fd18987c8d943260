//! The HTTP application: every context's routes, the shared error handling, the API
//! documentation and the health check.

mod docs;
mod health;
mod openapi;

use actix_web::web;
use shared_kernel_entrypoints::{form_config, json_config, not_found, path_config, query_config};

use crate::contexts::Services;

pub use openapi::api_document;

/// Everything an `App` serves, given the composed services.
pub fn configure(config: &mut web::ServiceConfig, services: &Services) {
    config
        .app_data(json_config())
        .app_data(form_config())
        .app_data(query_config())
        .app_data(path_config())
        .app_data(web::Data::from(services.bus.clone()))
        .app_data(web::Data::from(services.accounts.queries.clone()))
        .app_data(web::Data::from(services.accounts.authenticator.clone()))
        .app_data(web::Data::from(services.projects.queries.clone()))
        .configure(health::configure)
        .configure(accounts_entrypoints::configure)
        .configure(projects_entrypoints::configure)
        .configure(docs::configure)
        .default_service(web::to(not_found));
}
