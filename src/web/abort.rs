//! The caller's `AbortSignal`, as something a Rust future can wait on.

use core::cell::RefCell;
use core::future::poll_fn;
use core::future::Future;
use core::pin::Pin;
use core::task::Poll;

use wasm_bindgen_futures::JsFuture;
use web_sys::AbortSignal;

use super::js::when_aborted;

/// One per SDK call: every request and sleep of the call races it.
pub struct AbortWatch {
    signal: Option<AbortSignal>,
    /// Settles when the signal fires. A single listener shared by the whole call (a poll
    /// loop would otherwise add one per request).
    fired: RefCell<Option<JsFuture>>,
}

impl AbortWatch {
    pub fn new(signal: Option<AbortSignal>) -> Self {
        let fired = signal.as_ref().map(|s| JsFuture::from(when_aborted(s)));
        AbortWatch { signal, fired: RefCell::new(fired) }
    }

    pub fn is_aborted(&self) -> bool {
        self.signal.as_ref().is_some_and(AbortSignal::aborted)
    }

    /// Completes when the signal fires; never, without a signal.
    pub async fn fired(&self) {
        poll_fn(|cx| {
            // Checked first, so the JsFuture is never polled again after it completed.
            if self.is_aborted() {
                return Poll::Ready(());
            }
            // Only one wait is active at a time (requests and sleeps are sequential), so
            // this borrow never overlaps another.
            match self.fired.try_borrow_mut().ok().as_deref_mut().and_then(Option::as_mut) {
                Some(future) => Pin::new(future).poll(cx).map(|_| ()),
                None => Poll::Pending,
            }
        })
        .await
    }
}
