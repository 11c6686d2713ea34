//! Time and sleep for the flows: `Date.now()`, and `web.js`'s `sleep`, which the caller's signal
//! cuts short.

use super::globals::{date_now, AbortSignal};

use super::js::sleep;
use super::task::settled;
use crate::flow::Clock;
use crate::protocol::Error;

/// `setTimeout` takes a signed 32-bit delay; longer ones fire at once.
const MAX_TIMER_MS: f64 = 2_147_483_647.0;

pub struct BrowserClock {
    /// The caller's `signal`.
    pub signal: Option<AbortSignal>,
}

impl Clock for BrowserClock {
    fn now_ms(&self) -> f64 {
        date_now()
    }

    async fn sleep_ms(&self, ms: f64) -> Result<(), Error> {
        if self.signal.as_ref().is_some_and(AbortSignal::aborted) {
            return Err(Error::aborted());
        }
        let delay = ms.ceil().clamp(0.0, MAX_TIMER_MS) as u32;
        // 0: slept; 1: the signal aborted (the timer is cleared in web.js).
        match settled(sleep(delay, self.signal.as_ref())).await {
            Ok(slept) if slept.as_f64() == Some(0.0) => Ok(()),
            _ => Err(Error::aborted()),
        }
    }
}
