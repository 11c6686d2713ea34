//! The users' passkeys at run time and the pending WebAuthn challenges: the seed's
//! `[[users.passkeys]]` plus what `/__emulator/users/{login}/passkeys` registered, with the
//! signature counters the `/token` grants store back. Plain data behind `AppState::passkeys`.

use crate::seed::UserSeed;
use crate::webauthn::{ChallengeStore, PasskeySeed, StoredPasskey};
use std::collections::{BTreeMap, HashMap};

/// RP ID used to check a seed file before the emulator's own RP ID is known.
const SEED_CHECK_RP_ID: &str = "localhost";

/// Passkeys by lower-cased login, and the challenges issued for them.
#[derive(Debug, Default)]
pub struct Passkeys {
    pub by_login: HashMap<String, Vec<StoredPasskey>>,
    pub challenges: ChallengeStore,
    /// The seed's passkeys, restored by `POST /__emulator/reset`.
    seeded: HashMap<String, Vec<StoredPasskey>>,
}

impl Passkeys {
    /// Builds every seeded passkey, filling the user handle with the user's id and the RP ID with `rp_id`.
    pub fn from_seed(users: &[UserSeed], rp_id: &str) -> Result<Passkeys, String> {
        let mut by_login = HashMap::new();
        for user in users {
            let list = stored_for(user, rp_id)?;
            if !list.is_empty() {
                by_login.insert(user.login.to_ascii_lowercase(), list);
            }
        }
        Ok(Passkeys { seeded: by_login.clone(), by_login, challenges: ChallengeStore::new() })
    }

    /// Back to the seed: registered passkeys, counters and pending challenges are forgotten.
    pub fn reset(&mut self) {
        self.by_login = self.seeded.clone();
        self.challenges = ChallengeStore::new();
    }

    pub fn of(&self, login: &str) -> &[StoredPasskey] {
        self.by_login.get(&login.to_ascii_lowercase()).map(Vec::as_slice).unwrap_or(&[])
    }

    /// The login owning the credential, if any.
    pub fn owner_of(&self, credential_id: &[u8]) -> Option<String> {
        self.by_login.iter().find(|(_, list)| list.iter().any(|p| p.credential_id == credential_id)).map(|(login, _)| login.clone())
    }

    /// Adds a passkey to `login`, refusing a credential ID or a user handle another user has.
    pub fn add(&mut self, login: &str, passkey: StoredPasskey) -> Result<(), String> {
        let login = login.to_ascii_lowercase();
        if self.owner_of(&passkey.credential_id).is_some() {
            return Err(format!("credential ID {} is already enrolled", passkey.credential_id_b64()));
        }
        if self.by_login.iter().any(|(other, list)| *other != login && list.iter().any(|p| p.user_handle == passkey.user_handle)) {
            return Err("another user's passkey has this user handle: user handles name one user".into());
        }
        self.by_login.entry(login).or_default().push(passkey);
        Ok(())
    }

    /// Stores the counter of a verified assertion.
    pub fn set_sign_count(&mut self, credential_id: &[u8], sign_count: u32) {
        for list in self.by_login.values_mut() {
            for p in list.iter_mut().filter(|p| p.credential_id == credential_id) {
                p.sign_count = sign_count;
            }
        }
    }
}

fn stored_for(user: &UserSeed, rp_id: &str) -> Result<Vec<StoredPasskey>, String> {
    let handle = user.user_id().into_bytes();
    user.passkeys.iter().map(|p| p.to_stored(&handle, rp_id).map_err(|e| format!("user {}: {e}", user.login))).collect()
}

/// Seed-file checks: each passkey well-formed, credential IDs unique, and no user handle shared by two users.
pub fn validate_seed(users: &[UserSeed]) -> Result<(), String> {
    let mut ids = BTreeMap::new();
    let mut handles: BTreeMap<Vec<u8>, String> = BTreeMap::new();
    for user in users {
        for passkey in stored_for(user, SEED_CHECK_RP_ID)? {
            if ids.insert(passkey.credential_id.clone(), ()).is_some() {
                return Err(format!("duplicate passkey credential_id {}", passkey.credential_id_b64()));
            }
            let login = user.login.to_ascii_lowercase();
            match handles.get(&passkey.user_handle) {
                Some(other) if *other != login => {
                    return Err(format!("users {other} and {} have passkeys with the same user_handle", user.login))
                }
                _ => {
                    handles.insert(passkey.user_handle.clone(), login);
                }
            }
        }
    }
    Ok(())
}

/// The registration shape of `POST /__emulator/users/{login}/passkeys` with a known key
/// (camelCase JSON), mapped onto the seed entry.
#[derive(Debug, serde::Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct KnownKey {
    pub credential_id: String,
    #[serde(default)]
    pub public_key: Option<String>,
    #[serde(default)]
    pub public_key_jwk: Option<crate::webauthn::Jwk>,
    #[serde(default)]
    pub user_handle: Option<String>,
    #[serde(default)]
    pub sign_count: u32,
    #[serde(default)]
    pub transports: Vec<String>,
    #[serde(default)]
    pub display_name: Option<String>,
}

impl KnownKey {
    pub fn to_seed(self) -> PasskeySeed {
        PasskeySeed {
            credential_id: self.credential_id,
            public_key: self.public_key,
            public_key_jwk: self.public_key_jwk,
            user_handle: self.user_handle,
            rp_id: None,
            sign_count: self.sign_count,
            transports: self.transports,
            display_name: self.display_name,
        }
    }
}
