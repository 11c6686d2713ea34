//! The emulator's clock: wall time plus an adjustable offset, so tests can move time forward
//! (`POST /__emulator/clock`) and expire codes or step TOTP without waiting.

use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

#[derive(Debug)]
pub struct Clock {
    offset_ms: AtomicI64,
}

impl Clock {
    pub fn new(offset_secs: i64) -> Self {
        Clock { offset_ms: AtomicI64::new(offset_secs.saturating_mul(1000)) }
    }

    /// Milliseconds since the Unix epoch, emulator time.
    pub fn now_ms(&self) -> i64 {
        let wall = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_millis() as i64).unwrap_or(0);
        wall.saturating_add(self.offset_ms.load(Ordering::Relaxed))
    }

    /// Seconds since the Unix epoch, emulator time.
    pub fn now_secs(&self) -> i64 {
        self.now_ms().div_euclid(1000)
    }

    /// Moves the clock forward (or back, with a negative value) by `secs` seconds.
    pub fn advance(&self, secs: i64) {
        self.offset_ms.fetch_add(secs.saturating_mul(1000), Ordering::Relaxed);
    }

    pub fn offset_secs(&self) -> i64 {
        self.offset_ms.load(Ordering::Relaxed) / 1000
    }
}
