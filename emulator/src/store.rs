//! Mutable server state: direct-auth transactions (`mfa_token`s, `oob_code`s and the pushes
//! behind them), issued tokens, SMS/voice outboxes, used TOTP steps, lockouts and rate-limit
//! windows. Plain data behind one mutex; no I/O and no awaits while it is held.

use crate::seed::FactorKind;
use serde::Serialize;
use std::collections::{BTreeSet, HashMap};

/// What must stay the same across one direct-auth transaction (protocol notes §2).
#[derive(Debug, Clone)]
pub struct TxnContext {
    pub client_id: String,
    /// `"org"` or the custom server id.
    pub server: String,
    /// Normalised scope (space-joined, as first requested), once known.
    pub scope: Option<String>,
    pub acr_values: Option<String>,
}

#[derive(Debug, Clone)]
pub struct MfaTxn {
    pub ctx: TxnContext,
    pub login: String,
    pub first: FactorKind,
    pub first_amr: &'static str,
    pub auth_time: i64,
    pub expires_at_ms: i64,
    pub consumed: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Channel {
    Push,
    Sms,
    Voice,
    Email,
}

impl Channel {
    pub fn parse(s: &str) -> Option<Channel> {
        match s {
            "push" => Some(Channel::Push),
            "sms" => Some(Channel::Sms),
            "voice" => Some(Channel::Voice),
            "email" => Some(Channel::Email),
            _ => None,
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Push => "push",
            Channel::Sms => "sms",
            Channel::Voice => "voice",
            Channel::Email => "email",
        }
    }
    pub fn amr(self) -> &'static str {
        match self {
            Channel::Push => "swk",
            Channel::Sms => "sms",
            Channel::Voice => "tel",
            Channel::Email => "email",
        }
    }
    pub fn kind(self) -> FactorKind {
        match self {
            Channel::Push => FactorKind::Push,
            Channel::Sms | Channel::Voice => FactorKind::Phone,
            Channel::Email => FactorKind::Email,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Binding {
    None,
    /// Number challenge: the two-digit code shown to the user.
    Transfer(String),
    /// The code delivered by SMS/voice/email, typed back as `binding_code`.
    Prompt(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OobStatus {
    Pending,
    Approved,
    Denied,
}

#[derive(Debug, Clone)]
pub struct OobTxn {
    pub ctx: TxnContext,
    pub login: String,
    pub channel: Channel,
    pub binding: Binding,
    /// Set when the code came from `/challenge` (second factor).
    pub mfa_token: Option<String>,
    pub created_ms: i64,
    pub expires_at_ms: i64,
    pub interval_secs: Option<u64>,
    pub last_poll_ms: Option<i64>,
    pub status: OobStatus,
    pub consumed: bool,
    pub push_id: Option<String>,
    pub number_choices: Option<Vec<u32>>,
}

#[derive(Debug, Clone)]
pub struct AccessRecord {
    pub login: String,
    pub client_id: String,
    pub server: String,
    pub scopes: Vec<String>,
    pub expires_at: i64,
    pub revoked: bool,
}

#[derive(Debug, Clone)]
pub struct RefreshRecord {
    pub login: String,
    pub client_id: String,
    pub server: String,
    pub scopes: Vec<String>,
    pub amr: Vec<String>,
    pub auth_time: i64,
    /// Used (rotated) or revoked: no longer redeemable.
    pub spent: bool,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OutboxMessage {
    pub channel: Channel,
    pub to: String,
    pub code: String,
    pub body: String,
    pub sent_at: i64,
}

#[derive(Debug, Clone, Default)]
struct Failures {
    consecutive: u32,
    locked_until_ms: i64,
}

#[derive(Debug, Clone, Copy)]
pub struct RateInfo {
    pub limit: u32,
    pub remaining: u32,
    /// Unix seconds when the window resets.
    pub reset: i64,
    pub exceeded: bool,
}

#[derive(Debug, Default)]
pub struct Store {
    pub mfa: HashMap<String, MfaTxn>,
    pub oob: HashMap<String, OobTxn>,
    /// push id → oob_code
    pub pushes: HashMap<String, String>,
    /// jti → record
    pub access_tokens: HashMap<String, AccessRecord>,
    pub refresh_tokens: HashMap<String, RefreshRecord>,
    pub outbox: HashMap<String, Vec<OutboxMessage>>,
    used_totp: HashMap<String, BTreeSet<i64>>,
    failures: HashMap<String, Failures>,
    rate: HashMap<(String, String), (i64, u32)>,
    /// `(client_id, jti)` of `client_assertion`s used, with their `exp` (single use).
    used_assertions: HashMap<(String, String), i64>,
    /// Requests that reached `/__emulator/redirect-sink` (the `redirect` fault's default target).
    pub redirect_hits: Vec<RedirectHit>,
    /// Passwords replaced through MyAccount, their history, recovery intents of OOB codes.
    pub recovery: crate::recovery_state::RecoveryState,
}

/// One request that arrived at the redirect sink: what came, never the body itself.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RedirectHit {
    pub at: i64,
    pub method: String,
    pub path: String,
    pub content_type: Option<String>,
    pub body_bytes: usize,
    pub origin: Option<String>,
}

/// The most unexpired `client_assertion`s remembered; beyond it new ones are refused.
pub const MAX_USED_ASSERTIONS: usize = 10_000;

/// The most redirect hits kept.
pub const MAX_REDIRECT_HITS: usize = 100;

impl Store {
    /// Clears transactions, tokens, outboxes, lockouts and rate windows (`POST /__emulator/reset`).
    pub fn reset(&mut self) {
        *self = Store::default();
    }

    /// Records a `client_assertion`'s `jti` as used; `false` if it was used before (replay).
    /// Entries are forgotten once their assertion has expired.
    pub fn use_assertion_jti(&mut self, client_id: &str, jti: &str, exp: i64, now: i64) -> bool {
        self.used_assertions.retain(|_, e| *e > now);
        if self.used_assertions.len() >= MAX_USED_ASSERTIONS {
            // Full of live assertions: refuse rather than forget one that could be replayed.
            return false;
        }
        self.used_assertions.insert((client_id.to_string(), jti.to_string()), exp).is_none()
    }

    /// Records a TOTP step as used; `false` if it was used before (replay).
    pub fn use_totp_step(&mut self, login: &str, step: i64) -> bool {
        let set = self.used_totp.entry(login.to_string()).or_default();
        // Forget steps far in the past.
        while let Some(&first) = set.iter().next() {
            if first < step - 10 {
                set.remove(&first);
            } else {
                break;
            }
        }
        set.insert(step)
    }

    pub fn is_locked(&self, login: &str, now_ms: i64) -> bool {
        self.failures.get(login).map(|f| f.locked_until_ms > now_ms).unwrap_or(false)
    }

    /// Counts a failed password/OTP/binding attempt; locks the user after `after` in a row.
    pub fn record_failure(&mut self, login: &str, now_ms: i64, after: u32, lock_secs: u64) {
        let f = self.failures.entry(login.to_string()).or_default();
        f.consecutive += 1;
        if after > 0 && f.consecutive >= after {
            f.locked_until_ms = now_ms + (lock_secs as i64) * 1000;
            f.consecutive = 0;
        }
    }

    /// Forgets failed attempts and ends a lockout (a new password was set).
    pub fn clear_lockout(&mut self, login: &str) {
        self.failures.remove(login);
    }

    pub fn record_success(&mut self, login: &str) {
        if let Some(f) = self.failures.get_mut(login) {
            f.consecutive = 0;
        }
    }

    /// Counts one request for (client, user) in a one-minute window that opens with the
    /// first request after the previous window closed.
    pub fn rate_check(&mut self, client_id: &str, login: &str, now_secs: i64, limit: u32) -> RateInfo {
        let entry = self.rate.entry((client_id.to_string(), login.to_string())).or_insert((now_secs, 0));
        if now_secs >= entry.0 + 60 || now_secs < entry.0 {
            *entry = (now_secs, 0);
        }
        entry.1 = entry.1.saturating_add(1);
        RateInfo { limit, remaining: limit.saturating_sub(entry.1), reset: entry.0 + 60, exceeded: entry.1 > limit }
    }

    pub fn deliver(&mut self, login: &str, msg: OutboxMessage) {
        let box_ = self.outbox.entry(login.to_string()).or_default();
        box_.push(msg);
        if box_.len() > 50 {
            box_.remove(0);
        }
    }

    /// Drops transactions long past expiry so a long-running emulator does not grow.
    pub fn prune(&mut self, now_ms: i64) {
        let horizon = now_ms - 3_600_000;
        self.mfa.retain(|_, t| t.expires_at_ms > horizon);
        let mut dropped_pushes = Vec::new();
        self.oob.retain(|_, t| {
            let keep = t.expires_at_ms > horizon;
            if !keep {
                if let Some(p) = &t.push_id {
                    dropped_pushes.push(p.clone());
                }
            }
            keep
        });
        for p in dropped_pushes {
            self.pushes.remove(&p);
        }
        let now_secs = now_ms / 1000;
        self.access_tokens.retain(|_, a| a.expires_at > now_secs - 3600);
    }
}
