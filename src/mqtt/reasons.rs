//! MQTT reason codes in words: CONNACK refusals, DISCONNECT, SUBACK, PUBACK
//! and PUBREC, for both protocol versions. The one place such wording lives.

use rumqttc::v5::mqttbytes::v5::{
    ConnectReturnCode as ConnAckV5, DisconnectReasonCode, PubAckReason, PubRecReason, SubscribeReasonCode,
};

use super::settings::MqttVersion;

/// Why a SUBACK of MQTT 3.1.1 refused a filter (it gives no reason).
pub const SUBACK_V4_REFUSED: &str = "refused by the broker (its access rules may not allow this filter)";

/// CONNACK "bad user name or password", for `user` (when one was sent).
pub fn bad_login(broker: &str, user: Option<&str>, version: MqttVersion) -> String {
    match (version, user) {
        (MqttVersion::V311, Some(user)) => format!("{broker} rejected the user name \"{user}\" or its password"),
        (MqttVersion::V311, None) => format!("{broker} requires a user name and password"),
        (MqttVersion::V5, Some(user)) if !user.is_empty() => {
            format!("{broker} rejected the user name \"{user}\" or its password (0x86)")
        }
        (MqttVersion::V5, _) => format!("{broker} requires a user name and password (0x86 bad user name or password)"),
    }
}

/// CONNACK "not authorized", for `user` (when one was sent).
pub fn not_authorized(broker: &str, user: Option<&str>, version: MqttVersion) -> String {
    match (version, user) {
        (MqttVersion::V311, Some(user)) => format!(
            "{broker} refused user \"{user}\": not authorized (a wrong password, or the broker's rules do not let \
             this client in)"
        ),
        (MqttVersion::V311, None) => {
            format!("{broker} refused the connection: not authorized (it probably needs a user name and password)")
        }
        (MqttVersion::V5, Some(user)) if !user.is_empty() => {
            format!(
                "{broker} refused user \"{user}\": not authorized (0x87: a wrong password, or the broker's rules do \
                 not let this client in)"
            )
        }
        (MqttVersion::V5, _) => {
            format!(
                "{broker} refused the connection: not authorized (0x87); it probably needs a user name and password"
            )
        }
    }
}

/// CONNACK "client identifier not valid".
pub fn client_id_refused(broker: &str, client_id: &str, version: MqttVersion) -> String {
    match version {
        MqttVersion::V311 => format!("{broker} rejected the client id \"{client_id}\""),
        MqttVersion::V5 => format!("{broker} rejected the client id \"{client_id}\" (0x85)"),
    }
}

/// CONNACK "unsupported protocol version".
pub fn protocol_refused(broker: &str, version: MqttVersion) -> String {
    match version {
        MqttVersion::V311 => format!("{broker} does not accept MQTT 3.1.1 connections"),
        MqttVersion::V5 => {
            format!("{broker} does not accept MQTT 5 connections (0x84): choose MQTT 3.1.1 in the profile")
        }
    }
}

/// DISCONNECT "session taken over" (MQTT 5, 0x8E): another client connected with the same id.
pub fn session_taken_over(broker: &str, client_id: &str) -> String {
    format!(
        "Another client connected to {broker} with the same client id \"{client_id}\" (the broker said: session \
         taken over, 0x8E). Stopped reconnecting so the other client keeps its connection; change the client id, \
         or reconnect to take the id over."
    )
}

/// An incoming packet over this connection's maximum of `max_bytes` (when known).
pub fn packet_too_large(size_bytes: usize, max_bytes: Option<usize>) -> String {
    match max_bytes {
        Some(max) => format!(
            "The broker sent a packet of {size_bytes} bytes, over the {max} bytes this connection accepts \
             (raise the maximum packet size in the profile)"
        ),
        None => format!("The broker sent a packet of {size_bytes} bytes, over the maximum this connection accepts"),
    }
}

/// " (text)" after a reason code's words, or nothing.
pub fn in_brackets(text: Option<&str>) -> String {
    text.map(|text| format!(" ({text})")).unwrap_or_default()
}

/// The words after the broker's address for an MQTT 3.1.1 CONNACK "server unavailable".
pub const CONNACK_V4_UNAVAILABLE: &str = "is unavailable right now (it refused the connection)";

/// The words after the broker's address for a CONNACK that accepted the connection
/// (reported as a failure only when rumqttc did).
pub const CONNACK_ACCEPTED: &str = "accepted the connection";

/// The words after the broker's address for an MQTT 5 CONNACK reason code other than the
/// login, client id and protocol refusals.
pub fn connack_v5(code: ConnAckV5) -> String {
    use ConnAckV5 as C;
    match code {
        C::Banned => "has banned this client (0x8A)".to_owned(),
        C::BadAuthenticationMethod => "does not accept this authentication method (0x8C)".to_owned(),
        C::ServerUnavailable | C::ServiceUnavailable => "is unavailable right now (0x88)".to_owned(),
        C::ServerBusy => "is busy (0x89)".to_owned(),
        C::ConnectionRateExceeded => "says: too many connections, slow down (0x9F)".to_owned(),
        C::QuotaExceeded => "says: quota exceeded (0x97)".to_owned(),
        C::UseAnotherServer | C::ServerMoved => format!("asks clients to use another server ({code:?})"),
        C::PacketTooLarge => {
            "refused the CONNECT as too large (0x95): the password or user properties may be too long".to_owned()
        }
        C::Success => CONNACK_ACCEPTED.to_owned(),
        other => format!("refused the connection ({other:?})"),
    }
}

/// An MQTT 5 DISCONNECT reason code in words.
pub fn disconnect(code: DisconnectReasonCode) -> String {
    use DisconnectReasonCode as D;
    let words = match code {
        D::NormalDisconnection => "normal disconnection",
        D::SessionTakenOver => "session taken over (another client connected with the same client id)",
        D::ServerShuttingDown => "the broker is shutting down",
        D::KeepAliveTimeout => "keep-alive timeout",
        D::NotAuthorized => "not authorized",
        D::ServerBusy => "the broker is busy",
        D::ProtocolError => "protocol error",
        D::MalformedPacket => "malformed packet",
        D::PacketTooLarge => "a packet was too large",
        D::ReceiveMaximumExceeded => "too many messages in flight",
        D::TopicAliasInvalid => "invalid topic alias",
        D::MessageRateTooHigh => "message rate too high",
        D::QuotaExceeded => "quota exceeded",
        D::AdministrativeAction => "closed by an administrator",
        D::UseAnotherServer => "use another server",
        D::ServerMoved => "the server moved",
        D::ConnectionRateExceeded => "connection rate exceeded",
        D::MaximumConnectTime => "maximum connect time reached",
        other => return format!("{other:?}"),
    };
    format!("{words} (0x{:02X})", code as u8)
}

/// Why an MQTT 5 SUBACK refused a filter, or `None` when it granted it.
pub fn suback_v5(code: &SubscribeReasonCode) -> Option<&'static str> {
    use SubscribeReasonCode as C;
    Some(match code {
        C::Success(_) => return None,
        C::NotAuthorized => "not authorized (0x87): the broker's rules forbid it",
        C::TopicFilterInvalid => "the broker does not accept this filter (0x8F)",
        C::QuotaExceeded => "the broker's quota is exceeded (0x97)",
        C::SharedSubscriptionsNotSupported => "the broker does not support shared subscriptions (0x9E)",
        C::WildcardSubscriptionsNotSupported => "the broker does not support wildcards (0xA2)",
        C::SubscriptionIdNotSupported => "the broker does not support subscription ids (0xA1)",
        C::PkidInUse => "packet id in use (0x91)",
        C::ImplementationSpecific => "refused by the broker (0x83)",
        C::Unspecified | C::Failure => "refused by the broker (0x80)",
    })
}

/// Why an MQTT 5 PUBACK refused a publish, or `None` when it accepted it.
pub fn puback_v5(reason: PubAckReason) -> Option<&'static str> {
    Some(match reason {
        PubAckReason::Success | PubAckReason::NoMatchingSubscribers => return None,
        PubAckReason::NotAuthorized => "not authorized (0x87)",
        PubAckReason::TopicNameInvalid => "the topic is not accepted (0x90)",
        PubAckReason::QuotaExceeded => "the broker's quota is exceeded (0x97)",
        PubAckReason::PayloadFormatInvalid => "the payload does not match its format indicator (0x99)",
        PubAckReason::PacketIdentifierInUse => "packet id in use (0x91)",
        PubAckReason::ImplementationSpecificError => "refused by the broker (0x83)",
        PubAckReason::UnspecifiedError => "refused by the broker (0x80)",
    })
}

/// Why an MQTT 5 PUBREC refused a publish, or `None` when it received it.
pub fn pubrec_v5(reason: PubRecReason) -> Option<String> {
    match reason {
        PubRecReason::Success | PubRecReason::NoMatchingSubscribers => None,
        PubRecReason::NotAuthorized => Some("not authorized (0x87)".to_owned()),
        other => Some(format!("refused by the broker ({other:?})")),
    }
}

/// `words`, followed by the broker's reason string when it sent one.
pub fn with_reason_string(words: &str, reason_string: Option<&str>) -> String {
    match reason_string {
        Some(reason) => format!("{words}: {reason}"),
        None => words.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn disconnect_codes_are_named_with_their_number() {
        assert_eq!(
            disconnect(DisconnectReasonCode::SessionTakenOver),
            "session taken over (another client connected with the same client id) (0x8E)"
        );
        assert_eq!(
            disconnect(DisconnectReasonCode::ServerShuttingDown),
            "the broker is shutting down (0x8B)"
        );
    }

    #[test]
    fn refusals_of_publishes_and_subscriptions_carry_the_brokers_reason() {
        assert_eq!(puback_v5(PubAckReason::NoMatchingSubscribers), None);
        assert_eq!(
            with_reason_string(puback_v5(PubAckReason::NotAuthorized).unwrap_or_default(), Some("ACL")),
            "not authorized (0x87): ACL"
        );
        assert_eq!(
            pubrec_v5(PubRecReason::NotAuthorized).as_deref(),
            Some("not authorized (0x87)")
        );
        assert_eq!(
            suback_v5(&SubscribeReasonCode::NotAuthorized).map(|w| w.contains("0x87")),
            Some(true)
        );
    }

    #[test]
    fn login_refusals_name_the_user_and_mqtt_5_adds_the_code() {
        assert_eq!(
            bad_login("b:1883", Some("alice"), MqttVersion::V311),
            "b:1883 rejected the user name \"alice\" or its password"
        );
        assert_eq!(
            bad_login("b:1883", Some(""), MqttVersion::V5),
            "b:1883 requires a user name and password (0x86 bad user name or password)"
        );
        assert!(not_authorized("b:1883", None, MqttVersion::V5).contains("(0x87)"));
    }
}
