//! Every order acknowledgements can come in, without a broker.

use super::*;

fn request(qos: Qos) -> PublishRequest {
    PublishRequest {
        topic: "lab/x".into(),
        payload: bytes::Bytes::from_static(b"1"),
        qos,
        retain: false,
        properties: None,
    }
}

fn id(n: u64) -> PublishId {
    PublishId::example(n)
}

const PUBACK: PublishOutcome = PublishOutcome::Acknowledged { packet: "PUBACK" };
const PUBCOMP: PublishOutcome = PublishOutcome::Acknowledged { packet: "PUBCOMP" };

/// Queue a publish and hand it over at once, as the task does while rumqttc has room.
fn hand_over(inflight: &mut Inflight, n: u64, qos: Qos) {
    assert_eq!(inflight.request(id(n), request(qos), true), None);
    assert!(inflight.next().is_some(), "publish {n} may go");
    inflight.handed_over();
}

fn failed(n: u64, why: PublishFailure) -> Option<Report> {
    Some((id(n), PublishOutcome::Failed(why.to_string())))
}

#[test]
fn qos_0_is_done_once_written() {
    let mut inflight = Inflight::default();
    hand_over(&mut inflight, 1, Qos::AtMostOnce);
    assert_eq!(inflight.in_flight(), 0, "QoS 0 does not count against the limit");
    assert_eq!(inflight.sent(0), Some((id(1), PublishOutcome::Sent)));
    assert_eq!(inflight.sent(0), None, "nothing else was handed over");
}

#[test]
fn qos_1_acknowledged_in_order() {
    let mut inflight = Inflight::default();
    for n in 1..=3 {
        hand_over(&mut inflight, n, Qos::AtLeastOnce);
    }
    for pkid in 1..=3 {
        assert_eq!(inflight.sent(pkid), None);
    }
    assert_eq!(inflight.in_flight(), 3);
    for pkid in 1..=3 {
        assert_eq!(inflight.puback(pkid, None), Some((id(u64::from(pkid)), PUBACK)));
    }
    assert_eq!(inflight.in_flight(), 0);
}

#[test]
fn qos_1_acknowledged_out_of_order_goes_by_packet_id() {
    let mut inflight = Inflight::default();
    for n in 1..=3 {
        hand_over(&mut inflight, n, Qos::AtLeastOnce);
        assert_eq!(inflight.sent(n as u16 + 10), None);
    }
    assert_eq!(inflight.puback(13, None), Some((id(3), PUBACK)));
    assert_eq!(inflight.puback(11, None), Some((id(1), PUBACK)));
    assert_eq!(inflight.puback(11, None), None, "a second PUBACK for one id is ignored");
    assert_eq!(inflight.puback(12, None), Some((id(2), PUBACK)));
}

#[test]
fn a_refused_puback_fails_the_publish_with_the_brokers_words() {
    let mut inflight = Inflight::default();
    hand_over(&mut inflight, 1, Qos::AtLeastOnce);
    inflight.sent(1);
    assert_eq!(
        inflight.puback(1, Some("not authorized (0x87)".into())),
        Some((
            id(1),
            PublishOutcome::Failed("The broker refused it: not authorized (0x87)".into())
        ))
    );
}

#[test]
fn qos_2_completes_after_pubrec_and_pubcomp() {
    let mut inflight = Inflight::default();
    hand_over(&mut inflight, 1, Qos::ExactlyOnce);
    inflight.sent(5);
    assert_eq!(inflight.pubcomp(5), None, "no PUBCOMP before PUBREC");
    assert_eq!(inflight.pubrec(5, None), None);
    assert_eq!(inflight.in_flight(), 1, "still in flight until PUBCOMP");
    assert_eq!(inflight.pubcomp(5), Some((id(1), PUBCOMP)));
    assert_eq!(inflight.in_flight(), 0);
}

#[test]
fn a_qos_2_publish_the_broker_answers_with_puback_ends_acknowledged_by_puback() {
    // RabbitMQ takes QoS 2 as QoS 1: no PUBREC or PUBCOMP comes.
    let mut inflight = Inflight::default();
    hand_over(&mut inflight, 1, Qos::ExactlyOnce);
    inflight.sent(5);
    assert_eq!(
        inflight.puback(5, None),
        Some((id(1), PublishOutcome::Acknowledged { packet: "PUBACK" }))
    );
    assert_eq!(inflight.in_flight(), 0);
    assert_eq!(inflight.pubcomp(5), None, "nothing is left waiting");
}

#[test]
fn qos_2_id_reused_after_pubrec_is_matched_oldest_first() {
    let mut inflight = Inflight::default();
    hand_over(&mut inflight, 1, Qos::ExactlyOnce);
    inflight.sent(7);
    inflight.pubrec(7, None);
    // rumqttc hands the same id to the next QoS 2 publish while the first waits for PUBCOMP.
    hand_over(&mut inflight, 2, Qos::ExactlyOnce);
    inflight.sent(7);
    assert_eq!(inflight.pubrec(7, None), None);
    assert_eq!(inflight.pubcomp(7), Some((id(1), PUBCOMP)));
    assert_eq!(inflight.pubcomp(7), Some((id(2), PUBCOMP)));
    assert_eq!(inflight.pubcomp(7), None);
}

#[test]
fn a_refused_pubrec_ends_the_wait_of_the_publish_it_answers() {
    let mut inflight = Inflight::default();
    hand_over(&mut inflight, 1, Qos::ExactlyOnce);
    inflight.sent(3);
    inflight.pubrec(3, None);
    hand_over(&mut inflight, 2, Qos::ExactlyOnce);
    inflight.sent(3);
    // The refusal answers the second publish (the first already had its PUBREC).
    assert_eq!(
        inflight.pubrec(3, Some("not authorized (0x87)".into())),
        failed(2, PublishFailure::Refused("not authorized (0x87)".into()))
    );
    assert_eq!(inflight.pubcomp(3), Some((id(1), PUBCOMP)));
    assert_eq!(inflight.in_flight(), 0);
}

#[test]
fn qos_1_and_qos_2_on_the_same_packet_id_are_kept_apart() {
    let mut inflight = Inflight::default();
    hand_over(&mut inflight, 1, Qos::ExactlyOnce);
    inflight.sent(4);
    inflight.pubrec(4, None);
    hand_over(&mut inflight, 2, Qos::AtLeastOnce);
    inflight.sent(4);
    assert_eq!(inflight.puback(4, None), Some((id(2), PUBACK)));
    assert_eq!(inflight.pubcomp(4), Some((id(1), PUBCOMP)));
}

#[test]
fn connection_lost_fails_everything_without_an_outcome_in_order() {
    let mut inflight = Inflight::new(2);
    hand_over(&mut inflight, 1, Qos::AtLeastOnce);
    inflight.sent(1);
    hand_over(&mut inflight, 2, Qos::ExactlyOnce);
    inflight.sent(2);
    inflight.pubrec(2, None);
    // Over the limit: waits in the backlog.
    inflight.request(id(3), request(Qos::AtLeastOnce), true);
    assert!(inflight.next().is_none());
    let lost = |n| failed(n, PublishFailure::ConnectionLost("reset".into())).expect("report");
    assert_eq!(inflight.connection_lost("reset"), vec![lost(1), lost(2), lost(3)]);
    assert_eq!(
        lost(1).1,
        PublishOutcome::Failed("Not acknowledged: the connection was lost (reset)".into())
    );
    assert_eq!((inflight.in_flight(), inflight.backlog_len()), (0, 0));
    assert_eq!(inflight.puback(1, None), None, "a late PUBACK finds nothing");
    // A handed-over publish without its packet id yet fails too.
    hand_over(&mut inflight, 4, Qos::AtLeastOnce);
    assert_eq!(inflight.connection_lost("reset"), vec![lost(4)]);
}

#[test]
fn a_request_while_not_connected_fails_at_once() {
    let mut inflight = Inflight::default();
    assert_eq!(
        inflight.request(id(1), request(Qos::AtLeastOnce), false),
        Some((
            id(1),
            PublishOutcome::Failed("Not connected: the message was not sent".into())
        ))
    );
    assert_eq!(inflight.backlog_len(), 0);
}

#[test]
fn the_limit_holds_publishes_back_and_acknowledgements_drain_the_backlog() {
    let mut inflight = Inflight::default();
    for n in 1..=25 {
        inflight.request(id(n), request(Qos::AtLeastOnce), true);
    }
    let mut pkid = 0;
    while inflight.next().is_some() {
        inflight.handed_over();
        pkid += 1;
        inflight.sent(pkid);
    }
    assert_eq!(
        (inflight.in_flight(), inflight.backlog_len()),
        (20, 5),
        "MQTT 3.1.1: 20 in flight"
    );
    // QoS 0 behind them waits too: publishes leave in order.
    inflight.request(id(26), request(Qos::AtMostOnce), true);
    assert!(inflight.next().is_none());
    assert_eq!(inflight.puback(1, None), Some((id(1), PUBACK)));
    assert!(inflight.next().is_some(), "one acknowledgement makes room for one");
    inflight.handed_over();
    assert!(inflight.next().is_none());
    assert_eq!(inflight.in_flight(), 20, "counted from hand-over, before its packet id");
}

#[test]
fn the_brokers_receive_maximum_sets_the_limit() {
    let mut inflight = Inflight::default();
    inflight.set_limit(2);
    for n in 1..=3 {
        inflight.request(id(n), request(Qos::ExactlyOnce), true);
    }
    inflight.handed_over();
    inflight.handed_over();
    assert!(inflight.next().is_none());
    inflight.set_limit(0);
    assert_eq!(inflight.limit, 1, "never zero, or nothing would ever go");
}

#[test]
fn a_full_request_queue_keeps_publishes_waiting_in_order() {
    let mut inflight = Inflight::default();
    for n in 1..=3 {
        inflight.request(id(n), request(Qos::AtMostOnce), true);
    }
    // rumqttc's queue is full: the task leaves the front where it is and tries again later.
    assert_eq!(inflight.next().map(|r| r.qos), Some(Qos::AtMostOnce));
    assert_eq!(inflight.backlog_len(), 3);
    for n in 1..=3 {
        assert!(inflight.next().is_some());
        inflight.handed_over();
        assert_eq!(inflight.sent(0), Some((id(n), PublishOutcome::Sent)));
    }
    assert_eq!(inflight.backlog_len(), 0);
}

#[test]
fn a_publish_that_cannot_go_fails_and_the_next_one_moves_up() {
    let mut inflight = Inflight::default();
    inflight.request(id(1), request(Qos::AtLeastOnce), true);
    inflight.request(id(2), request(Qos::AtLeastOnce), true);
    assert_eq!(
        inflight.not_handed_over(PublishFailure::InvalidTopic),
        failed(1, PublishFailure::InvalidTopic)
    );
    assert_eq!(
        PublishFailure::TooLarge {
            max_packet_bytes: 1024,
            payload_bytes: 2048
        }
        .to_string(),
        "Too large for this broker: it takes packets of up to 1.0 KiB and this message's payload alone is 2.0 KiB"
    );
    inflight.handed_over();
    inflight.sent(1);
    assert_eq!(inflight.puback(1, None), Some((id(2), PUBACK)));
}
