//! The polling schedule for a push approval, as a state machine fed with the time.
//!
//! Rules (§6, RFC 8628 §3.5, and oauth2-rs's device-code poller):
//! - at most one request per `interval` (5 s when Okta sent none), the first after one interval;
//! - `slow_down` adds the increment to the interval, for this and every later poll;
//! - no request at or after `expires_at` (the wait ends as expired);
//! - up to [`MAX_CONSECUTIVE_RETRIES`] transient failures in a row (network, timeout, 5xx,
//!   429) are retried with exponential back-off (capped at [`MAX_BACKOFF_MS`]) without ending
//!   the wait; one more ends it;
//! - after a 429 that says when the rate limit resets, no poll before then
//!   ([`PollSchedule::defer_until`]); a reset at or after the code's expiry ends the wait at once.

/// Okta's documented default when a push response has no `interval`.
pub const DEFAULT_INTERVAL_SECONDS: u64 = 5;
pub const MAX_CONSECUTIVE_RETRIES: u32 = 3;
pub const MAX_BACKOFF_MS: f64 = 60_000.0;

/// What to do now.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum PollStep {
    /// Send the poll now (then call [`PollSchedule::sent`]).
    Poll,
    /// Sleep this many milliseconds, then ask again.
    Wait(f64),
    /// The code expired: stop.
    Expired,
}

/// What a poll answered, as far as the schedule cares.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PollEvent {
    Pending,
    SlowDown,
    /// Network failure, timeout, 5xx or 429: retry later.
    TransientFailure,
}

/// Too many transient failures in a row: end the wait with the last one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RetriesExhausted;

#[derive(Clone, Debug)]
pub struct PollSchedule {
    interval_ms: f64,
    slow_down_increment_ms: f64,
    expires_at_ms: f64,
    next_poll_at_ms: f64,
    last_sent_at_ms: f64,
    consecutive_failures: u32,
}

impl PollSchedule {
    /// `interval_seconds` as Okta sent it; the first poll is one interval from `now_ms`.
    pub fn new(now_ms: f64, interval_seconds: Option<u64>, expires_at_ms: f64, slow_down_increment_seconds: u32) -> Self {
        // Okta never sends 0; treat it as "absent" rather than hammering the server.
        let interval = interval_seconds.filter(|&s| s > 0).unwrap_or(DEFAULT_INTERVAL_SECONDS);
        let interval_ms = interval as f64 * 1000.0;
        PollSchedule {
            interval_ms,
            slow_down_increment_ms: f64::from(slow_down_increment_seconds) * 1000.0,
            expires_at_ms,
            next_poll_at_ms: now_ms + interval_ms,
            last_sent_at_ms: now_ms,
            consecutive_failures: 0,
        }
    }

    pub fn step(&self, now_ms: f64) -> PollStep {
        if now_ms >= self.expires_at_ms {
            PollStep::Expired
        } else if now_ms >= self.next_poll_at_ms {
            PollStep::Poll
        } else {
            PollStep::Wait(self.next_poll_at_ms.min(self.expires_at_ms) - now_ms)
        }
    }

    /// A poll went out at `now_ms`: the next one waits at least one interval.
    pub fn sent(&mut self, now_ms: f64) {
        self.last_sent_at_ms = now_ms;
        self.next_poll_at_ms = now_ms + self.interval_ms;
    }

    pub fn record(&mut self, event: PollEvent) -> Result<(), RetriesExhausted> {
        match event {
            PollEvent::Pending => self.consecutive_failures = 0,
            PollEvent::SlowDown => {
                self.consecutive_failures = 0;
                self.interval_ms += self.slow_down_increment_ms;
                self.next_poll_at_ms = self.last_sent_at_ms + self.interval_ms;
            }
            PollEvent::TransientFailure => {
                self.consecutive_failures += 1;
                if self.consecutive_failures > MAX_CONSECUTIVE_RETRIES {
                    return Err(RetriesExhausted);
                }
                // interval, 2×, 4×…, never above the cap unless the interval itself is.
                let factor = f64::from(1u32 << (self.consecutive_failures - 1).min(16));
                let backoff = (self.interval_ms * factor).min(MAX_BACKOFF_MS.max(self.interval_ms));
                self.next_poll_at_ms = self.last_sent_at_ms + backoff;
            }
        }
        Ok(())
    }

    /// The server asked for no request before `at_ms` (a 429's rate-limit reset): the next
    /// poll waits for it, if it is later than the back-off. `false` when `at_ms` is at or after
    /// the code's expiry: waiting would only end in expiry, so the caller should stop now.
    pub fn defer_until(&mut self, at_ms: f64) -> bool {
        self.next_poll_at_ms = self.next_poll_at_ms.max(at_ms);
        at_ms < self.expires_at_ms
    }

    /// Whole seconds left before the code expires (for `onPending`).
    pub fn seconds_left(&self, now_ms: f64) -> u64 {
        ((self.expires_at_ms - now_ms) / 1000.0).max(0.0) as u64
    }

    /// The current interval in milliseconds (grows with `slow_down`).
    pub fn interval_ms(&self) -> f64 {
        self.interval_ms
    }
}

#[cfg(test)]
#[cfg(not(target_arch = "wasm32"))] // proptest is native-only
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn first_poll_after_one_interval() {
        let schedule = PollSchedule::new(1_000.0, Some(3), 100_000.0, 5);
        assert_eq!(schedule.step(1_000.0), PollStep::Wait(3_000.0));
        assert_eq!(schedule.step(3_999.0), PollStep::Wait(1.0));
        assert_eq!(schedule.step(4_000.0), PollStep::Poll);
    }

    #[test]
    fn default_interval_is_five_seconds() {
        assert_eq!(PollSchedule::new(0.0, None, 60_000.0, 5).step(0.0), PollStep::Wait(5_000.0));
        assert_eq!(PollSchedule::new(0.0, Some(0), 60_000.0, 5).step(0.0), PollStep::Wait(5_000.0));
    }

    #[test]
    fn slow_down_is_cumulative_and_sticks() {
        let mut s = PollSchedule::new(0.0, Some(5), 1e9, 5);
        s.sent(5_000.0);
        s.record(PollEvent::SlowDown).unwrap();
        assert_eq!(s.step(5_000.0), PollStep::Wait(10_000.0));
        s.sent(15_000.0);
        s.record(PollEvent::SlowDown).unwrap();
        assert_eq!(s.interval_ms(), 15_000.0);
        assert_eq!(s.step(15_000.0), PollStep::Wait(15_000.0));
        s.sent(30_000.0);
        s.record(PollEvent::Pending).unwrap();
        assert_eq!(s.step(30_000.0), PollStep::Wait(15_000.0), "pending keeps the slowed interval");
    }

    #[test]
    fn custom_slow_down_increment() {
        let mut s = PollSchedule::new(0.0, Some(1), 1e9, 2);
        s.sent(1_000.0);
        s.record(PollEvent::SlowDown).unwrap();
        assert_eq!(s.interval_ms(), 3_000.0);
    }

    #[test]
    fn stops_at_expiry_without_polling_past_it() {
        let mut s = PollSchedule::new(0.0, Some(5), 12_000.0, 5);
        s.sent(5_000.0);
        s.record(PollEvent::Pending).unwrap();
        s.sent(10_000.0);
        s.record(PollEvent::Pending).unwrap();
        // Next poll would be at 15 s, after expiry: wait until expiry, then stop.
        assert_eq!(s.step(10_000.0), PollStep::Wait(2_000.0));
        assert_eq!(s.step(12_000.0), PollStep::Expired);
        assert_eq!(s.seconds_left(10_500.0), 1);
        assert_eq!(s.seconds_left(20_000.0), 0);
    }

    #[test]
    fn a_rate_limit_reset_defers_the_next_poll_but_never_past_expiry() {
        let mut s = PollSchedule::new(0.0, Some(5), 300_000.0, 5);
        s.sent(5_000.0);
        s.record(PollEvent::TransientFailure).unwrap();
        // Back-off alone would poll at 10 s; Okta said its window resets at 60 s.
        assert!(s.defer_until(60_000.0));
        assert_eq!(s.step(10_000.0), PollStep::Wait(50_000.0));
        assert_eq!(s.step(60_000.0), PollStep::Poll);
        // A reset before the back-off changes nothing.
        s.sent(60_000.0);
        s.record(PollEvent::TransientFailure).unwrap();
        assert!(s.defer_until(61_000.0));
        assert_eq!(s.step(61_000.0), PollStep::Wait(9_000.0));
        // A reset at or after expiry: stop now rather than wait for the code to expire.
        assert!(!s.defer_until(300_000.0));
    }

    #[test]
    fn retries_with_capped_exponential_backoff() {
        let mut s = PollSchedule::new(0.0, Some(10), 1e9, 5);
        s.sent(10_000.0);
        s.record(PollEvent::TransientFailure).unwrap();
        assert_eq!(s.step(10_000.0), PollStep::Wait(10_000.0));
        s.sent(20_000.0);
        s.record(PollEvent::TransientFailure).unwrap();
        assert_eq!(s.step(20_000.0), PollStep::Wait(20_000.0));
        s.sent(40_000.0);
        s.record(PollEvent::TransientFailure).unwrap();
        assert_eq!(s.step(40_000.0), PollStep::Wait(40_000.0));
        s.sent(80_000.0);
        assert_eq!(s.record(PollEvent::TransientFailure), Err(RetriesExhausted));
    }

    #[test]
    fn backoff_is_capped_and_a_success_resets_the_budget() {
        let mut s = PollSchedule::new(0.0, Some(40), 1e9, 5);
        s.sent(0.0);
        s.record(PollEvent::TransientFailure).unwrap();
        s.record(PollEvent::TransientFailure).unwrap();
        assert_eq!(s.step(0.0), PollStep::Wait(60_000.0));
        s.record(PollEvent::Pending).unwrap();
        for _ in 0..MAX_CONSECUTIVE_RETRIES {
            s.record(PollEvent::TransientFailure).unwrap();
        }
        assert!(s.record(PollEvent::TransientFailure).is_err());
    }

    proptest! {
        /// Whatever happens, two polls are never closer than the interval in force, and
        /// nothing is sent at or after expiry.
        #[test]
        fn never_polls_faster_than_the_interval(
            interval in proptest::option::of(0u64..20),
            expires_in in 0u64..200,
            increment in 0u32..10,
            events in proptest::collection::vec(0u8..3, 0..60),
        ) {
            let mut now = 0.0;
            let mut s = PollSchedule::new(now, interval, expires_in as f64 * 1000.0, increment);
            let mut last_sent: Option<f64> = None;
            let mut events = events.into_iter();
            for _ in 0..500 {
                match s.step(now) {
                    PollStep::Expired => break,
                    PollStep::Wait(ms) => { prop_assert!(ms > 0.0); now += ms; }
                    PollStep::Poll => {
                        prop_assert!(now < expires_in as f64 * 1000.0);
                        if let Some(last) = last_sent { prop_assert!(now - last >= s.interval_ms()); }
                        s.sent(now);
                        last_sent = Some(now);
                        let event = match events.next() {
                            Some(0) => PollEvent::Pending,
                            Some(1) => PollEvent::SlowDown,
                            Some(_) => PollEvent::TransientFailure,
                            None => break,
                        };
                        if s.record(event).is_err() { break; }
                    }
                }
            }
        }
    }
}
