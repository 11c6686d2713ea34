//! Waiting on the first of several futures; the losers are dropped (which is how a fetch is
//! cancelled and a timer cleared).

use core::future::{poll_fn, Future};
use core::pin::pin;
use core::task::Poll;

pub enum First<A, B, C> {
    A(A),
    B(B),
    C(C),
}

/// Polls `a`, `b`, `c` in that order until one is ready.
pub async fn first_of<A: Future, B: Future, C: Future>(a: A, b: B, c: C) -> First<A::Output, B::Output, C::Output> {
    let (mut a, mut b, mut c) = (pin!(a), pin!(b), pin!(c));
    poll_fn(|cx| {
        if let Poll::Ready(v) = a.as_mut().poll(cx) {
            return Poll::Ready(First::A(v));
        }
        if let Poll::Ready(v) = b.as_mut().poll(cx) {
            return Poll::Ready(First::B(v));
        }
        if let Poll::Ready(v) = c.as_mut().poll(cx) {
            return Poll::Ready(First::C(v));
        }
        Poll::Pending
    })
    .await
}
