//! Asks the broker which topics hold a retained message, with a fresh
//! subscription on a short-lived connection of its own: the check that a
//! deletion really happened, not an assumption.

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use super::errors::describe;
use super::protocol::{self, Polled};
use super::settings::{ConnectionSettings, random_client_id};
use super::tunnel::Tunnel;
use crate::model::{Subscription, topic};

/// How long the broker has to start sending retained messages after SUBACK,
/// and the silence after the last one that ends the check.
pub const QUIET: Duration = Duration::from_millis(600);

/// The topics matching `filters` for which the broker holds a retained
/// message now, sorted. Connects with `settings` (a fresh client id, the same
/// login), subscribes, collects, disconnects. Gives up after `limit`.
pub async fn retained_topics(
    settings: &ConnectionSettings,
    filters: &[String],
    limit: Duration,
) -> Result<Vec<String>, String> {
    let mut settings = settings.clone();
    settings.client_id = random_client_id();
    let tunnel = Tunnel::when_wanted(&settings).map_err(|e| e.to_string())?;
    let (client, mut eventloop) =
        protocol::open(&settings, settings.version.first(), 16, tunnel.as_ref()).map_err(|e| e.to_string())?;
    let deadline = Instant::now() + limit;
    let mut found = BTreeSet::new();
    let mut subscribed_at: Option<Instant> = None;
    let mut last_message = Instant::now();
    loop {
        let now = Instant::now();
        if now >= deadline {
            return Err(format!(
                "The broker kept sending retained messages for {} s; {} topics so far",
                limit.as_secs(),
                found.len()
            ));
        }
        if let Some(since) = subscribed_at
            && now.duration_since(since.max(last_message)) >= QUIET
        {
            break;
        }
        // Before SUBACK a poll may be connecting: never cut that short, only the silence after.
        let left = deadline.saturating_duration_since(now);
        let wait = if subscribed_at.is_some() { QUIET.min(left) } else { left };
        let polled = match tokio::time::timeout(wait, eventloop.poll()).await {
            Err(_) => continue,
            Ok(polled) => polled,
        };
        match polled {
            Ok(Polled::ConnAck { .. }) => {
                // The retain flag must mean "sent because retained", not "published so".
                let requests: Vec<Subscription> = filters
                    .iter()
                    .map(|f| Subscription {
                        retain_as_published: false,
                        ..Subscription::new(f)
                    })
                    .collect();
                client
                    .subscribe(&requests)
                    .map_err(|e| format!("Could not check the retained messages: {e}"))?;
            }
            Ok(Polled::SubAck { granted, .. }) => {
                if let Some(Err(why)) = granted.iter().find(|g| g.is_err()) {
                    return Err(format!(
                        "The broker refused the subscription needed to check the retained messages: {why}"
                    ));
                }
                subscribed_at = Some(Instant::now());
            }
            Ok(Polled::Publish {
                topic, payload, retain, ..
            }) => {
                // Only the retained messages the subscription brings count toward the answer
                // and its end; live traffic on the same topics neither adds nor delays. A
                // topic outside the filters is not this answer's (amqtt sends a new client the
                // retained messages of every filter any client subscribed to): counted, it
                // would be cleared with the branch asked for.
                if retain && filters.iter().any(|filter| topic::filter_matches(filter, &topic)) {
                    last_message = Instant::now();
                    if !payload.is_empty() {
                        found.insert(topic);
                    }
                }
            }
            Ok(_) => {}
            Err(error) => {
                let failure = tunnel.as_ref().and_then(Tunnel::take_failure);
                return Err(failure.unwrap_or_else(|| describe(&error, &settings)).to_string());
            }
        }
    }
    // Leave cleanly; the answer is known either way.
    if client.disconnect() {
        tokio::time::timeout(Duration::from_millis(300), eventloop.poll())
            .await
            .ok();
    }
    Ok(found.into_iter().collect())
}
