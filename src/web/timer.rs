//! A gloo-timers `Timeout` as a future: the timer's callback marks the sleep done and wakes
//! the task; dropping the future drops the `Timeout`, which clears the timer.
//!
//! gloo-timers' own `TimeoutFuture` hands the callback to the future through a
//! futures-channel oneshot, whose `Arc` and atomics cost ~670 B gzip of wasm (measured); the
//! wasm is single-threaded, so two `Cell`s behind an `Rc` do the same job.

use core::cell::Cell;
use core::future::Future;
use core::pin::Pin;
use core::task::{Context, Poll, Waker};
use std::rc::Rc;

use gloo_timers::callback::Timeout;

#[derive(Default)]
struct State {
    done: Cell<bool>,
    waker: Cell<Option<Waker>>,
}

pub struct Sleep {
    state: Rc<State>,
    _timeout: Timeout,
}

impl Sleep {
    pub fn new(ms: u32) -> Self {
        let state = Rc::new(State::default());
        let fired = Rc::clone(&state);
        let timeout = Timeout::new(ms, move || {
            fired.done.set(true);
            if let Some(waker) = fired.waker.take() {
                waker.wake();
            }
        });
        Sleep { state, _timeout: timeout }
    }
}

impl Future for Sleep {
    type Output = ();

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if self.state.done.get() {
            return Poll::Ready(());
        }
        self.state.waker.set(Some(cx.waker().clone()));
        Poll::Pending
    }
}
