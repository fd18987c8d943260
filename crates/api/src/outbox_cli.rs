//! `api outbox`: the operator's view of the event outbox.

use chrono::Utc;
use platform_outbox::{OutboxAdmin, OutboxEntry, OutboxFilter};
use sea_orm::DatabaseConnection;
use serde_json::json;

use crate::cli::{OutboxAction, OutboxStatus};

type AnyError = Box<dyn std::error::Error + Send + Sync>;

pub async fn run(database: DatabaseConnection, action: OutboxAction) -> Result<(), AnyError> {
    let admin = OutboxAdmin::new(database);
    match action {
        OutboxAction::List {
            status,
            limit,
            json,
        } => {
            let filter = match status {
                OutboxStatus::Dead => OutboxFilter::Dead,
                OutboxStatus::Pending => OutboxFilter::Pending,
                OutboxStatus::All => OutboxFilter::All,
            };
            let entries = admin.list(filter, limit).await?;
            if json {
                for entry in &entries {
                    println!("{}", json_line(entry));
                }
            } else {
                print_table(&entries);
            }
        }
        OutboxAction::Retry { event_ids, all } => {
            let ids = (!all).then_some(event_ids.as_slice());
            let requeued = admin.requeue(ids, Utc::now()).await?;
            println!("outbox: re-queued {requeued} dead event(s)");
            if let Some(ids) = ids
                && usize::try_from(requeued).is_ok_and(|n| n < ids.len())
            {
                println!(
                    "outbox: the others are not dead (or do not exist); nothing to do for them"
                );
            }
        }
    }
    Ok(())
}

fn json_line(entry: &OutboxEntry) -> serde_json::Value {
    json!({
        "event": entry.envelope(),
        "status": entry.status,
        "attempts": entry.attempts,
        "lastError": entry.last_error,
    })
}

fn print_table(entries: &[OutboxEntry]) {
    if entries.is_empty() {
        println!("outbox: no events");
        return;
    }
    println!(
        "{:<36}  {:<34}  {:<9}  {:>8}  {:<27}  LAST ERROR",
        "EVENT ID", "TYPE", "STATUS", "ATTEMPTS", "OCCURRED AT"
    );
    for entry in entries {
        println!(
            "{:<36}  {:<34}  {:<9}  {:>8}  {:<27}  {}",
            entry.event_id,
            format!("{} v{}", entry.event_type, entry.event_version),
            entry.status,
            entry.attempts,
            entry
                .occurred_at
                .to_rfc3339_opts(chrono::SecondsFormat::Micros, true),
            entry.last_error.as_deref().unwrap_or("-"),
        );
    }
}
