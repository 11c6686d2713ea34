//! Time and sleep for the flows: `Date.now()` and `setTimeout`, raced against the signal.

use std::rc::Rc;

use super::timer::Sleep;

use super::abort::AbortWatch;
use super::race::{first_of, First};
use crate::flow::Clock;
use crate::protocol::Error;

/// `setTimeout` takes a signed 32-bit delay; longer ones fire at once.
const MAX_TIMER_MS: f64 = 2_147_483_647.0;

pub struct BrowserClock {
    pub abort: Rc<AbortWatch>,
}

impl Clock for BrowserClock {
    fn now_ms(&self) -> f64 {
        js_sys::Date::now()
    }

    async fn sleep_ms(&self, ms: f64) -> Result<(), Error> {
        if self.abort.is_aborted() {
            return Err(Error::aborted());
        }
        let delay = ms.ceil().clamp(0.0, MAX_TIMER_MS) as u32;
        // Whichever loses is dropped: a dropped Sleep clears its timer.
        match first_of(Sleep::new(delay), self.abort.fired(), core::future::pending::<()>()).await {
            First::A(()) => Ok(()),
            First::B(()) | First::C(()) => Err(Error::aborted()),
        }
    }
}
