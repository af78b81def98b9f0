use super::*;

#[test]
fn user_properties_are_read_one_a_line() {
    let parsed = parse_user_properties("site = lab\n\nflag\nurl=http://x/?a=b\n");
    assert_eq!(
        parsed,
        [
            ("site".to_owned(), "lab".to_owned()),
            ("flag".to_owned(), String::new()),
            ("url".to_owned(), "http://x/?a=b".to_owned()),
        ]
    );
}
