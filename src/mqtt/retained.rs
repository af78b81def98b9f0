//! Asks the broker which topics hold a retained message, with a fresh
//! subscription on a short-lived connection of its own: the check that a
//! deletion really happened, not an assumption.

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use rumqttc::{AsyncClient, Packet, QoS};

use super::connection::mqtt_options;
use super::errors::describe;
use super::settings::{ConnectionSettings, random_client_id};

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
    let (client, mut eventloop) = AsyncClient::new(mqtt_options(&settings).map_err(|e| e.to_string())?, 16);
    eventloop
        .network_options
        .set_connection_timeout(u64::from(settings.connect_timeout_secs.max(1)));
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
            Ok(rumqttc::Event::Incoming(Packet::ConnAck(_))) => {
                let requests = filters
                    .iter()
                    .map(|f| rumqttc::SubscribeFilter::new(f.clone(), QoS::AtMostOnce));
                client
                    .try_subscribe_many(requests)
                    .map_err(|e| format!("Could not check the retained messages: {e}"))?;
            }
            Ok(rumqttc::Event::Incoming(Packet::SubAck(ack))) => {
                if ack
                    .return_codes
                    .iter()
                    .any(|c| matches!(c, rumqttc::SubscribeReasonCode::Failure))
                {
                    return Err("The broker refused the subscription needed to check the retained messages".into());
                }
                subscribed_at = Some(Instant::now());
            }
            Ok(rumqttc::Event::Incoming(Packet::Publish(publish))) => {
                last_message = Instant::now();
                if publish.retain && !publish.payload.is_empty() {
                    found.insert(publish.topic);
                }
            }
            Ok(_) => {}
            Err(error) => return Err(describe(&error, &settings).reason),
        }
    }
    // Leave cleanly; the answer is known either way.
    if client.try_disconnect().is_ok() {
        tokio::time::timeout(Duration::from_millis(300), eventloop.poll())
            .await
            .ok();
    }
    Ok(found.into_iter().collect())
}
