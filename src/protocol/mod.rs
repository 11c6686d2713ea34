//! Pure protocol layer: no web-sys, no async, no clock.
