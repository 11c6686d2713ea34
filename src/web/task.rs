//! The promise bridge the async exports run on, instead of wasm-bindgen-futures (issue 15: its
//! task queue, wakers, `queueMicrotask` lookup and two closures per `await` were about 4.5 KB of
//! wasm and 1 KB of glue).
//!
//! A call is one task: its future, boxed, and the JS promise the caller holds. Every point where
//! the flows wait is a JS promise (a fetch, a sleep, a WebCrypto verdict) awaited through
//! [`settled`], so no `Waker` is needed: a task is polled once when spawned, and again each time
//! the one promise it waits on settles (`web.js`'s `wait` calls back through one closure made
//! once, keyed by a number no other wait has). A future that returned `Pending` without waiting
//! on a JS promise would never be polled again; nothing in the flows does (they are sequential
//! `await`s on the web layer's promises, with no timers or channels of their own).
//!
//! Calls may nest: the app's `onPending` callback, run inside a poll, may start another call.
//! The per-poll state (what the promise settled to, which promise the task now waits on) is
//! saved and restored around every poll, and a task is out of the table while it is polled.

use std::cell::{Cell, OnceCell, RefCell};
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll, Waker};

use super::globals::{Array, Promise};
use wasm_bindgen::prelude::*;

use super::js::{settle, task, wait};

type Call = Pin<Box<dyn Future<Output = Result<JsValue, JsValue>>>>;

/// A call waiting for a promise: `awaiting` is the key its `wait` was given.
struct Task {
    call: Call,
    /// `[promise, resolve, reject]` from `web.js`'s `task()`.
    settle: Array,
    awaiting: u32,
}

/// No wait has this key.
const NONE: u32 = 0;

thread_local! {
    static WAITING: RefCell<Vec<Task>> = const { RefCell::new(Vec::new()) };
    static LAST_KEY: Cell<u32> = const { Cell::new(NONE) };
    /// During a poll: what the awaited promise settled to, until [`Settled`] takes it.
    static OUTCOME: RefCell<Option<Result<JsValue, JsValue>>> = const { RefCell::new(None) };
    /// During a poll: the key of the wait the task registered before returning `Pending`.
    static AWAITED: Cell<u32> = const { Cell::new(NONE) };
    /// `wake(key, ok, value)` as a JS function: made on the first wait, kept for the page's life.
    static WAKE: OnceCell<JsValue> = const { OnceCell::new() };
}

/// Runs `call` and returns the promise of its result (rejected with its error).
pub fn spawn(call: impl Future<Output = Result<JsValue, JsValue>> + 'static) -> Promise {
    let settle = task();
    let promise = settle.get(0).unchecked_into::<Promise>();
    poll(Task { call: Box::pin(call), settle, awaiting: NONE }, None);
    promise
}

/// Polls `task`, with `outcome` for the promise it waited on; keeps it if still pending.
fn poll(mut task: Task, outcome: Option<Result<JsValue, JsValue>>) {
    let outer_outcome = OUTCOME.replace(outcome);
    let outer_awaited = AWAITED.replace(NONE);
    let result = task.call.as_mut().poll(&mut Context::from_waker(Waker::noop()));
    OUTCOME.set(outer_outcome);
    task.awaiting = AWAITED.replace(outer_awaited);
    match result {
        Poll::Pending => WAITING.with_borrow_mut(|waiting| waiting.push(task)),
        Poll::Ready(result) => {
            drop(task.call);
            let (ok, value) = match result {
                Ok(value) => (true, value),
                Err(error) => (false, error),
            };
            settle(&task.settle, ok, value);
        }
    }
}

/// `web.js`'s callback: the promise waited on with `key` settled (`ok`: fulfilled).
fn wake(key: u32, ok: bool, value: JsValue) {
    let found = WAITING.with_borrow_mut(|waiting| {
        let at = waiting.iter().position(|task| task.awaiting == key)?;
        Some(waiting.swap_remove(at))
    });
    // No task: a wait whose future was dropped before its promise settled.
    if let Some(task) = found {
        poll(task, Some(if ok { Ok(value) } else { Err(value) }));
    }
}

fn wake_function() -> JsValue {
    WAKE.with(|cell| cell.get_or_init(|| Closure::<dyn FnMut(u32, bool, JsValue)>::new(wake).into_js_value()).clone())
}

/// What `promise` settles to: `Ok` with its value, `Err` with its reason.
pub fn settled(promise: Promise) -> Settled {
    Settled { promise: Some(promise), key: NONE }
}

pub struct Settled {
    /// Until the first poll, which hands it to `wait`.
    promise: Option<Promise>,
    key: u32,
}

impl Future for Settled {
    type Output = Result<JsValue, JsValue>;

    fn poll(mut self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Self::Output> {
        if let Some(promise) = self.promise.take() {
            let key = LAST_KEY.get().wrapping_add(1).max(1);
            LAST_KEY.set(key);
            self.key = key;
            wait(&promise, &wake_function(), key);
        } else if let Some(outcome) = OUTCOME.take() {
            return Poll::Ready(outcome);
        }
        // First poll, or polled before its promise settled: the task waits on this key.
        AWAITED.set(self.key);
        Poll::Pending
    }
}
