use super::*;

fn keyring_profile() -> Profile {
    Profile {
        username: "user".into(),
        password_storage: PasswordStorage::Keyring,
        ..Profile::default()
    }
}

#[test]
fn without_a_keyring_nothing_waits_for_it() {
    let ctx = egui::Context::default();
    let mut passwords = Passwords::new(Keyring::unavailable("none here"));
    let profile = keyring_profile();
    assert!(!passwords.is_reading(&profile));
    assert!(passwords.poll(&ctx).is_empty());
    assert_eq!(passwords.get(&profile.id), None);
}

#[test]
fn a_keyring_password_that_cannot_be_read_is_missing_until_typed() {
    let mut passwords = Passwords::new(Keyring::unavailable("no Secret Service"));
    let profile = keyring_profile();
    assert_eq!(passwords.missing(&profile).as_deref(), Some("no Secret Service"));
    passwords.passwords.insert(profile.id.clone(), "typed".into());
    assert_eq!(passwords.missing(&profile), None);
    let asked = Profile {
        password_storage: PasswordStorage::Ask,
        ..keyring_profile()
    };
    assert_eq!(passwords.missing(&asked), None, "only keyring profiles");
}

#[test]
fn moving_a_password_between_places_keeps_it() {
    let mut passwords = Passwords::new(Keyring::unavailable("none here"));
    let mut profile = Profile {
        password_storage: PasswordStorage::PlainText,
        password: Some("s3cret".into()),
        ..Profile::default()
    };
    passwords.move_password(&mut profile, PasswordStorage::Ask);
    assert_eq!(profile.password, None);
    assert_eq!(passwords.get(&profile.id), Some("s3cret"));
    passwords.move_password(&mut profile, PasswordStorage::Keyring);
    assert_eq!(passwords.get(&profile.id), Some("s3cret"));
    assert!(
        passwords.unwritten.contains_key(&profile.id),
        "written to the keyring next"
    );
    passwords.move_password(&mut profile, PasswordStorage::PlainText);
    assert_eq!(profile.password.as_deref(), Some("s3cret"));
    assert_eq!(passwords.get(&profile.id), None);
    assert!(passwords.unwritten.is_empty());
}

#[test]
fn exports_get_the_keyring_passwords_known_as_plain_text() {
    let mut passwords = Passwords::new(Keyring::unavailable("none here"));
    let known = keyring_profile();
    let unknown = keyring_profile();
    passwords.passwords.insert(known.id.clone(), "from-keyring".into());
    let mut profiles = vec![known.clone(), unknown.clone()];
    let missing = passwords.fill_in(&mut profiles);
    assert_eq!(profiles[0].password.as_deref(), Some("from-keyring"));
    assert_eq!(profiles[0].password_storage, PasswordStorage::PlainText);
    assert_eq!(profiles[1].password, None);
    assert!(missing.is_empty(), "an unavailable keyring cannot be asked");
}
