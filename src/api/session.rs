//! The session layer's decisions ([`crate::session`]) for its browser side
//! (`src/web/session.js`): one synchronous export over the stored record's text, so the
//! orchestration (storage, Web Locks, `BroadcastChannel`, the SDK's own calls) stays in a few
//! hundred bytes of JS and every decision stays in Rust. One export rather than one per
//! decision: each export costs a shim in the wasm and in the glue.
//!
//! `session(op, text, other, value, number)`:
//! - `0` (plan): `text` the stored record (or `undefined`), `number` now (ms), `value` the margin
//!   (s) → `"none"` (also for a text that is not a record), `"use"`, `"refresh"` or `"expired"`.
//! - `1` (record): `value` the `Tokens` (ID token verified), `text` the record refreshed from
//!   (`undefined` after a sign-in), `number` 1 in custody mode → the record text to store.
//! - `2` (refresh failed): `value` the error (its `kind` and `code`), `text` the record sent
//!   from, `other` the store's record now → `"signedOut"`, `"superseded"`, `"ended"`, `"failed"`.
//! - `3` (event): `value` a message's `type` → the event type, or `undefined` if not one.
//! - `4` (error): `value` a code → the session's `DirectAuthError` for it.
//! - `5`: the browser side's `Session` class.

use wasm_bindgen::prelude::*;

use super::{error, js};
use crate::face::members::Members;
use crate::session::{self, Event, SessionRecord};

#[wasm_bindgen(skip_typescript, skip_jsdoc)]
pub fn session(op: u8, text: Option<String>, other: Option<String>, value: JsValue, number: f64) -> Result<JsValue, JsValue> {
    let parsed = || text.as_deref().and_then(SessionRecord::parse);
    let out: &str = match op {
        0 => session::plan(parsed().as_ref(), number, value.as_f64().unwrap_or(0.0)).as_str(),
        1 => {
            let record = session::record(&js::value(&value), parsed().as_ref(), number == 1.0).map_err(error::to_js)?;
            return Ok(record.write().into());
        }
        2 => {
            let e = js::value(&value);
            session::refresh_failed(e.text("kind"), e.text("code"), text.as_deref().unwrap_or(""), other.as_deref()).as_str()
        }
        3 => match value.as_string().and_then(|k| Event::parse(&k)) {
            Some(event) => event.as_str(),
            None => return Ok(JsValue::UNDEFINED),
        },
        4 => return Ok(error::to_js(session::error(&value.as_string().unwrap_or_default()))),
        _ => return Ok(crate::web::session_class()),
    };
    Ok(out.into())
}
