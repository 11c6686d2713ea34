//! The middleware around every request, outermost first: the request log, CORS, faults.
//! Each depends on `state`; nothing in `state` depends on them.

pub mod cors;
pub mod faults;
pub mod reqlog;
