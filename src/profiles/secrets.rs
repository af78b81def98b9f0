//! Passwords in the OS keyring: the Secret Service on Linux (GNOME Keyring,
//! KWallet), the Keychain on macOS, the Credential Manager on Windows.
//!
//! A keyring may be slow, locked, or ask the user to unlock it, so it is only
//! reached from a thread of its own: the window sends requests and polls for
//! replies, and never waits. Each profile's password is one entry, service
//! [`SERVICE`], user `profile:<id>`. Passwords never reach the log.

use std::sync::mpsc;
use std::sync::{Arc, Mutex};

/// The keyring service every entry is filed under.
pub const SERVICE: &str = "mqscope";

/// The keyring user name of the profile `id`'s password.
pub fn account(id: &str) -> String {
    format!("profile:{id}")
}

/// Whether the keyring can be used.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Availability {
    /// Still being checked.
    Checking,
    /// Reachable.
    Available,
    /// Not reachable, and why.
    Unavailable(String),
}

/// What the keyring thread answers.
#[derive(Debug)]
pub enum Reply {
    /// The password of profile `id` (`None`: the keyring has none for it).
    Read {
        id: String,
        result: Result<Option<String>, String>,
    },
    /// The password of profile `id` was written.
    Written { id: String, result: Result<(), String> },
    /// The password of profile `id` was removed.
    Removed { id: String, result: Result<(), String> },
}

enum Request {
    Read(String),
    Write(String, String),
    Remove(String),
}

impl std::fmt::Debug for Request {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Request::Read(id) => write!(f, "Read({id})"),
            Request::Write(id, _) => write!(f, "Write({id}, <hidden>)"),
            Request::Remove(id) => write!(f, "Remove({id})"),
        }
    }
}

/// Called on the keyring thread when a reply arrives (the window asks for a frame).
pub type Wake = Arc<dyn Fn() + Send + Sync>;

/// The OS keyring, reached from its own thread.
pub struct Keyring {
    requests: Option<mpsc::Sender<Request>>,
    replies: Option<mpsc::Receiver<Result<Reply, Availability>>>,
    availability: Availability,
    /// Woken when a reply arrives, once the window is known.
    waker: Arc<Mutex<Option<Wake>>>,
}

impl Keyring {
    /// Start the keyring thread; it first checks that the keyring can be reached.
    pub fn start() -> Self {
        let (request_tx, request_rx) = mpsc::channel::<Request>();
        let (reply_tx, reply_rx) = mpsc::channel();
        let waker: Arc<Mutex<Option<Wake>>> = Arc::default();
        let thread_waker = Arc::clone(&waker);
        let spawned = std::thread::Builder::new().name("keyring".into()).spawn(move || {
            let send = |reply| {
                let sent = reply_tx.send(reply).is_ok();
                if let Ok(waker) = thread_waker.lock()
                    && let Some(wake) = waker.as_ref()
                {
                    wake();
                }
                sent
            };
            let availability = match probe() {
                Ok(()) => Availability::Available,
                Err(reason) => Availability::Unavailable(reason),
            };
            tracing::info!(?availability, "OS keyring");
            let usable = availability == Availability::Available;
            if !send(Err(availability)) || !usable {
                return;
            }
            for request in request_rx {
                tracing::debug!(?request, "keyring");
                let reply = match request {
                    Request::Read(id) => Reply::Read { result: read(&id), id },
                    Request::Write(id, password) => Reply::Written {
                        result: write(&id, &password),
                        id,
                    },
                    Request::Remove(id) => Reply::Removed {
                        result: remove(&id),
                        id,
                    },
                };
                if let Reply::Read { result: Err(e), .. }
                | Reply::Written { result: Err(e), .. }
                | Reply::Removed { result: Err(e), .. } = &reply
                {
                    tracing::warn!("keyring: {e}");
                }
                if !send(Ok(reply)) {
                    return;
                }
            }
        });
        match spawned {
            Ok(_) => Self {
                requests: Some(request_tx),
                replies: Some(reply_rx),
                availability: Availability::Checking,
                waker,
            },
            Err(e) => Self::unavailable(format!("its thread could not start: {e}")),
        }
    }

    /// A keyring that is never used (tests, or when the user's files are not ours to touch).
    pub fn unavailable(reason: impl Into<String>) -> Self {
        Self {
            requests: None,
            replies: None,
            availability: Availability::Unavailable(reason.into()),
            waker: Arc::default(),
        }
    }

    /// Whether the keyring can be used.
    pub fn availability(&self) -> &Availability {
        &self.availability
    }

    /// Whether the keyring is reachable.
    pub fn is_available(&self) -> bool {
        self.availability == Availability::Available
    }

    /// Ask for the password of profile `id`; the answer comes from [`Keyring::poll`].
    pub fn read(&self, id: &str) {
        self.send(Request::Read(id.to_owned()));
    }

    /// Keep `password` as profile `id`'s.
    pub fn write(&self, id: &str, password: &str) {
        self.send(Request::Write(id.to_owned(), password.to_owned()));
    }

    /// Forget profile `id`'s password.
    pub fn remove(&self, id: &str) {
        self.send(Request::Remove(id.to_owned()));
    }

    fn send(&self, request: Request) {
        if let Some(requests) = &self.requests {
            // The thread ends only when the keyring is unavailable; requests then go nowhere
            // and the availability says why.
            let _ = requests.send(request);
        }
    }

    /// The replies that arrived; `wake` (made once, the first time) is called when more arrive.
    pub fn poll(&mut self, wake: impl FnOnce() -> Wake) -> Vec<Reply> {
        if let Ok(mut waker) = self.waker.lock()
            && waker.is_none()
        {
            *waker = Some(wake());
        }
        let mut replies = Vec::new();
        let Some(receiver) = &self.replies else {
            return replies;
        };
        loop {
            match receiver.try_recv() {
                Ok(Ok(reply)) => replies.push(reply),
                Ok(Err(availability)) => self.availability = availability,
                Err(mpsc::TryRecvError::Empty) => break,
                Err(mpsc::TryRecvError::Disconnected) => {
                    if self.availability == Availability::Checking {
                        self.availability = Availability::Unavailable("its thread stopped".into());
                    }
                    self.replies = None;
                    break;
                }
            }
        }
        replies
    }
}

/// The keyring entry of profile `id`.
fn entry(id: &str) -> Result<keyring::Entry, String> {
    keyring::Entry::new(SERVICE, &account(id)).map_err(|e| describe(&e))
}

/// Whether the keyring answers: looking up an entry that does not exist must say "no entry".
fn probe() -> Result<(), String> {
    match entry("availability-check")?.get_password() {
        Ok(_) | Err(keyring::Error::NoEntry) => Ok(()),
        Err(e) => Err(describe(&e)),
    }
}

/// The password of profile `id` in the keyring, read on this thread (blocks until the keyring
/// answers: never call it from the window's thread).
pub fn read(id: &str) -> Result<Option<String>, String> {
    match entry(id)?.get_password() {
        Ok(password) => Ok(Some(password)),
        Err(keyring::Error::NoEntry) => Ok(None),
        Err(e) => Err(describe(&e)),
    }
}

fn write(id: &str, password: &str) -> Result<(), String> {
    entry(id)?.set_password(password).map_err(|e| describe(&e))
}

fn remove(id: &str) -> Result<(), String> {
    match entry(id)?.delete_credential() {
        Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
        Err(e) => Err(describe(&e)),
    }
}

/// A keyring error in words.
fn describe(error: &keyring::Error) -> String {
    match error {
        keyring::Error::NoStorageAccess(e) => format!("the keyring is locked or refused access ({e})"),
        keyring::Error::PlatformFailure(e) => format!("the keyring could not be reached ({e})"),
        keyring::Error::NoEntry => "the keyring has no such password".to_owned(),
        keyring::Error::BadEncoding(_) => "the keyring holds a password that is not UTF-8".to_owned(),
        keyring::Error::TooLong(what, max) => format!("the {what} is longer than the keyring allows ({max})"),
        keyring::Error::Invalid(what, why) => format!("the keyring refused the {what}: {why}"),
        keyring::Error::Ambiguous(_) => "the keyring holds several passwords for this profile".to_owned(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unavailable_keyring_says_why_and_takes_requests_harmlessly() {
        let mut keyring = Keyring::unavailable("disabled for this run");
        keyring.write("id", "secret");
        keyring.read("id");
        assert!(keyring.poll(|| Arc::new(|| {})).is_empty());
        assert_eq!(
            keyring.availability(),
            &Availability::Unavailable("disabled for this run".into())
        );
        assert!(!keyring.is_available());
    }

    #[test]
    fn requests_never_show_passwords() {
        let shown = format!("{:?}", Request::Write("abc".into(), "hunter2".into()));
        assert!(!shown.contains("hunter2"), "{shown}");
    }

    #[test]
    fn errors_are_in_words() {
        let error = keyring::Error::TooLong("password".into(), 100);
        assert_eq!(describe(&error), "the password is longer than the keyring allows (100)");
    }
}
