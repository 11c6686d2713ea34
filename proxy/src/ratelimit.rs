//! Token buckets keyed by client IP or username: `per_minute` requests in a burst, refilled at
//! `per_minute` a minute. Bounded memory: when `max_tracked` keys are held, full buckets (keys
//! that have been quiet long enough to be back at the start) are dropped; if every bucket is
//! still in use, a new key is refused (fail closed) until some refill.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Instant;

pub struct Limiter {
    per_minute: u32,
    max_tracked: usize,
    buckets: Mutex<HashMap<String, Bucket>>,
}

#[derive(Clone, Copy)]
struct Bucket {
    tokens: f64,
    at: Instant,
}

impl Limiter {
    pub fn new(per_minute: u32, max_tracked: usize) -> Self {
        Limiter { per_minute, max_tracked, buckets: Mutex::new(HashMap::new()) }
    }

    /// `Err(seconds)`: over the limit, try again in that many seconds.
    pub fn check(&self, key: &str, now: Instant) -> Result<(), u64> {
        if self.per_minute == 0 {
            return Ok(());
        }
        let capacity = f64::from(self.per_minute);
        let rate = capacity / 60.0;
        let Ok(mut buckets) = self.buckets.lock() else {
            return Err(1);
        };
        let refill = |b: Bucket| (b.tokens + now.saturating_duration_since(b.at).as_secs_f64() * rate).min(capacity);
        if !buckets.contains_key(key) && buckets.len() >= self.max_tracked {
            buckets.retain(|_, b| refill(*b) < capacity);
            if buckets.len() >= self.max_tracked {
                return Err(60);
            }
        }
        let b = buckets.entry(key.to_owned()).or_insert(Bucket { tokens: capacity, at: now });
        let tokens = refill(*b);
        if tokens >= 1.0 {
            *b = Bucket { tokens: tokens - 1.0, at: now };
            Ok(())
        } else {
            *b = Bucket { tokens, at: now };
            Err(((1.0 - tokens) / rate).ceil().max(1.0) as u64)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn a_burst_then_a_wait() {
        let l = Limiter::new(2, 10);
        let t = Instant::now();
        assert_eq!(l.check("a", t), Ok(()));
        assert_eq!(l.check("a", t), Ok(()));
        assert_eq!(l.check("a", t), Err(30));
        assert_eq!(l.check("b", t), Ok(()), "keys are independent");
        assert_eq!(l.check("a", t + Duration::from_secs(30)), Ok(()));
    }

    #[test]
    fn memory_is_bounded_and_quiet_keys_are_dropped() {
        let l = Limiter::new(1, 2);
        let t = Instant::now();
        assert_eq!(l.check("a", t), Ok(()));
        assert_eq!(l.check("b", t), Ok(()));
        assert!(l.check("c", t).is_err(), "every tracked key is busy: a new one is refused");
        assert_eq!(l.check("c", t + Duration::from_secs(61)), Ok(()), "after a refill the quiet keys make room");
    }
}
