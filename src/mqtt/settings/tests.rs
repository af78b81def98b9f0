use super::*;

fn parse(text: &str) -> Result<(String, u16), AddressError> {
    BrokerAddress::parse(text).map(|a| (a.host, a.port))
}

#[test]
fn reads_addresses_as_people_type_them() {
    assert_eq!(parse("localhost"), Ok(("localhost".into(), 1883)));
    assert_eq!(parse(" localhost:1884 "), Ok(("localhost".into(), 1884)));
    assert_eq!(parse("mqtt://10.0.0.2:1883"), Ok(("10.0.0.2".into(), 1883)));
    assert_eq!(parse("MQTT://broker.lan"), Ok(("broker.lan".into(), 1883)));
    assert_eq!(parse("tcp://broker.lan:1999/"), Ok(("broker.lan".into(), 1999)));
    assert_eq!(parse("[::1]:1885"), Ok(("::1".into(), 1885)));
    assert_eq!(parse("::1"), Ok(("::1".into(), 1883)));
    assert_eq!(parse("mqtts://broker.lan"), Ok(("broker.lan".into(), 8883)));
    assert_eq!(parse("wss://broker.lan"), Ok(("broker.lan".into(), 443)));
}

#[test]
fn reads_every_transport_and_writes_it_back() {
    let cases = [
        ("broker.lan", "mqtt://broker.lan:1883"),
        ("tcp://broker.lan:1999/ignored", "mqtt://broker.lan:1999"),
        ("ssl://broker.lan", "mqtts://broker.lan:8883"),
        ("ws://broker.lan:9001", "ws://broker.lan:9001/mqtt"),
        ("ws://broker.lan:9001/", "ws://broker.lan:9001/"),
        ("WSS://[::1]:8084/mqtt/v1?x=1", "wss://[::1]:8084/mqtt/v1?x=1"),
    ];
    for (typed, shown) in cases {
        let address = BrokerAddress::parse(typed).expect(typed);
        assert_eq!(address.to_string(), shown);
        assert_eq!(BrokerAddress::parse(shown).as_ref(), Ok(&address), "{shown} reads back");
    }
    let ws = BrokerAddress::parse("ws://h:9001/mqtt").expect("valid");
    assert_eq!(
        (ws.scheme, ws.path.as_str(), ws.authority()),
        (Scheme::Ws, "/mqtt", "h:9001".to_owned())
    );
}

#[test]
fn explains_addresses_it_cannot_use() {
    assert_eq!(parse(""), Err(AddressError::Empty));
    assert_eq!(parse("host:99999"), Err(AddressError::BadPort("99999".into())));
    assert_eq!(parse("host:0"), Err(AddressError::BadPort("0".into())));
    assert_eq!(parse(":1883"), Err(AddressError::NoHost));
    assert_eq!(parse("http://x"), Err(AddressError::UnknownScheme("http".into())));
    assert_eq!(parse("mqtt://bro ker"), Err(AddressError::BadHost("bro ker".into())));
    assert_eq!(
        parse("mqtt://user@host"),
        Err(AddressError::BadHost("user@host".into()))
    );
}

#[test]
fn client_ids_are_random_and_well_formed() {
    let a = random_client_id();
    assert!(a.starts_with("mqscope-") && a.len() == 14);
    assert_ne!(a, random_client_id());
}

#[test]
fn debug_output_hides_the_password() {
    let mut settings = ConnectionSettings::new(BrokerAddress::parse("x").expect("valid"));
    settings.password = Some("hunter2".into());
    assert!(!format!("{settings:?}").contains("hunter2"));
}
