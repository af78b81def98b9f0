//! A profile's proxy: none, HTTP CONNECT or SOCKS5, its host and port, and an optional login
//! whose password is kept where the profile keeps the broker's (see
//! [`crate::profiles::profile::PasswordStorage`]): in the file only when the broker's is too.

use serde::{Deserialize, Serialize};

use crate::mqtt::settings::{ProxyKind, ProxySettings};

/// The name under which the proxy password of profile `profile_id` is kept in the OS keyring
/// (and among the passwords typed while mqscope runs), beside the broker's under the id.
pub fn secret_id(profile_id: &str) -> String {
    format!("{profile_id}/proxy")
}

/// The proxy a profile reaches its broker through.
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ProxyProfile {
    /// HTTP or SOCKS5; none: the broker is reached directly (the other fields are kept).
    pub kind: Option<ProxyKind>,
    /// The proxy's host name or IP address.
    pub host: String,
    /// The proxy's port; none: the kind's usual one (3128 for HTTP, 1080 for SOCKS5).
    pub port: Option<u16>,
    /// User name for the proxy (empty: no login).
    pub username: String,
    /// The proxy's password, only when the profile keeps passwords in its file.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub password: Option<String>,
}

impl std::fmt::Debug for ProxyProfile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ProxyProfile")
            .field("kind", &self.kind)
            .field("host", &self.host)
            .field("port", &self.port)
            .field("username", &self.username)
            .field("password", &self.password.as_ref().map(|_| "<hidden>"))
            .finish()
    }
}

impl ProxyProfile {
    /// Whether the profile has no proxy set.
    pub fn is_none(&self) -> bool {
        self.kind.is_none()
    }

    /// The proxy to connect through, with `password` (the one kept, or typed), or what is
    /// wrong with the fields; none when no proxy is chosen.
    pub fn settings(&self, password: Option<&str>) -> Result<Option<ProxySettings>, String> {
        let Some(kind) = self.kind else {
            return Ok(None);
        };
        let host = self.host.trim();
        if host.is_empty() {
            return Err(format!("Enter the {} proxy's host, or choose no proxy", kind.label()));
        }
        let username = Some(self.username.trim().to_owned()).filter(|u| !u.is_empty());
        let password = password.filter(|p| !p.is_empty()).map(str::to_owned);
        if password.is_some() && username.is_none() {
            return Err("The proxy's password needs a user name".to_owned());
        }
        let proxy = ProxySettings {
            kind,
            host: host.trim_start_matches('[').trim_end_matches(']').to_owned(),
            port: self.port.filter(|p| *p > 0).unwrap_or(kind.default_port()),
            username,
            password,
        };
        proxy.check().map_err(|e| format!("Proxy: {e}"))?;
        Ok(Some(proxy))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_profile_proxy_becomes_settings_with_its_usual_port() {
        let mut proxy = ProxyProfile {
            kind: Some(ProxyKind::Socks5),
            host: " gate.lan ".into(),
            ..ProxyProfile::default()
        };
        let settings = proxy.settings(None).expect("valid").expect("a proxy");
        assert_eq!(settings.to_string(), "socks5://gate.lan:1080");
        assert_eq!(settings.login(), None);

        proxy.username = "me".into();
        proxy.port = Some(9050);
        let settings = proxy.settings(Some("pw")).expect("valid").expect("a proxy");
        assert_eq!(settings.to_string(), "socks5://gate.lan:9050");
        assert_eq!(settings.login(), Some(("me", "pw")));

        proxy.kind = None;
        assert_eq!(proxy.settings(Some("pw")), Ok(None), "the fields stay, unused");
    }

    #[test]
    fn a_proxy_without_a_host_or_with_a_lone_password_is_explained() {
        let proxy = ProxyProfile {
            kind: Some(ProxyKind::Http),
            ..ProxyProfile::default()
        };
        assert!(proxy.settings(None).expect_err("no host").contains("HTTP proxy's host"));
        let proxy = ProxyProfile {
            host: "gate".into(),
            ..proxy
        };
        assert!(proxy.settings(Some("pw")).expect_err("no user").contains("user name"));
    }
}
