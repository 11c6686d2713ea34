//! The caller's `AbortSignal`, as something a Rust future can wait on.

use core::cell::RefCell;
use core::future::poll_fn;
use core::future::Future;
use core::pin::Pin;
use core::task::Poll;

use js_sys::Promise;
use wasm_bindgen_futures::JsFuture;
use web_sys::AbortSignal;

use super::js::{stop_watching, when_aborted};

/// One per SDK call: every request and sleep of the call races it.
pub struct AbortWatch {
    signal: Option<AbortSignal>,
    /// Settles when the signal fires. A single listener shared by the whole call (a poll
    /// loop would otherwise add one per request).
    fired: RefCell<Option<JsFuture>>,
    /// The promise behind `fired`, whose listener is removed when the call ends ([`Drop`]).
    listening: Option<Promise>,
}

impl AbortWatch {
    pub fn new(signal: Option<AbortSignal>) -> Self {
        let listening = signal.as_ref().map(when_aborted);
        let fired = listening.clone().map(JsFuture::from);
        AbortWatch { signal, fired: RefCell::new(fired), listening }
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

/// The call ended (the last `Rc` of the watch went with its transport and clock): the caller's
/// signal forgets this call's listener.
impl Drop for AbortWatch {
    fn drop(&mut self) {
        if let Some(listening) = &self.listening {
            stop_watching(listening);
        }
    }
}
