//! What password recovery changes, kept in the [`crate::store::Store`] (so `POST
//! /__emulator/reset` restores the seed passwords): passwords set through MyAccount, each user's
//! recent passwords, and the intent an out-of-band code was first redeemed with.

use std::collections::HashMap;

/// How many passwords a new one may not repeat, the current one included ("Your password
/// cannot be any of your last 4 password(s)", Okta's example policy).
pub const HISTORY: usize = 4;

/// The intent of a direct-auth token request (Swift `intent=recovery`, Kotlin
/// `prompt=recover_authenticator`; Kotlin's enum values are `signIn` and `recovery`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Intent {
    SignIn,
    Recovery,
}

impl Intent {
    pub fn as_str(self) -> &'static str {
        match self {
            Intent::SignIn => "signIn",
            Intent::Recovery => "recovery",
        }
    }
}

#[derive(Debug, Default)]
pub struct RecoveryState {
    /// Lower-cased login → the password set through MyAccount (replaces the seed's).
    passwords: HashMap<String, String>,
    /// Lower-cased login → earlier passwords, newest last (at most `HISTORY - 1`).
    history: HashMap<String, Vec<String>>,
    /// `oob_code` → the intent of its first `/token` poll; later polls must repeat it.
    pub oob_intents: HashMap<String, Intent>,
}

impl RecoveryState {
    /// The user's password now: the one set through MyAccount, else the seed's.
    pub fn current<'a>(&'a self, login: &str, seed: Option<&'a str>) -> Option<&'a str> {
        self.passwords.get(&login.to_ascii_lowercase()).map(String::as_str).or(seed)
    }

    /// Whether the password was replaced since start (a replaced password is not expired).
    pub fn was_replaced(&self, login: &str) -> bool {
        self.passwords.contains_key(&login.to_ascii_lowercase())
    }

    /// The current password and the earlier ones a new password may not repeat, newest first.
    pub fn recent<'a>(&'a self, login: &str, seed: Option<&'a str>) -> Vec<&'a str> {
        let login = login.to_ascii_lowercase();
        let mut recent: Vec<&str> = self.current(&login, seed).into_iter().collect();
        if let Some(old) = self.history.get(&login) {
            recent.extend(old.iter().rev().map(String::as_str));
        }
        recent.truncate(HISTORY);
        recent
    }

    /// Makes `new` the user's password; the one it replaces joins the history.
    pub fn replace(&mut self, login: &str, seed: Option<&str>, new: &str) {
        let login = login.to_ascii_lowercase();
        if let Some(old) = self.current(&login, seed).map(str::to_owned) {
            let history = self.history.entry(login.clone()).or_default();
            history.push(old);
            if history.len() > HISTORY - 1 {
                history.remove(0);
            }
        }
        self.passwords.insert(login, new.to_owned());
    }
}
