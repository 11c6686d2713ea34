//! The few JS built-ins the crate names, declared here instead of through js-sys and web-sys.
//!
//! Why not those crates (issue 15): linking js-sys put a raw export of its own (the JSPI task
//! poll, `__wbg_jspi_task_poll`) and the describe functions of its closure-taking imports into
//! the wasm. wasm-bindgen deletes them, but the function pointers they took stay in the
//! wasm's function table, and a table entry keeps its function: about 900 B of unused wakers
//! and closure shims shipped to every page. The declarations below are what the glue needs and
//! nothing more; they bind the same globals js-sys and web-sys would.

use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    /// A JS `Promise`: what every async export returns.
    #[derive(Clone)]
    pub type Promise;
    #[wasm_bindgen(static_method_of = Promise)]
    pub fn resolve(value: &JsValue) -> Promise;
    #[wasm_bindgen(static_method_of = Promise)]
    pub fn reject(value: &JsValue) -> Promise;

    /// A JS array, read by index (`web.js` hands several values back in one).
    pub type Array;
    #[wasm_bindgen(method, indexing_getter)]
    pub fn get(this: &Array, index: u32) -> JsValue;

    /// The response bytes `web.js`'s `send` resolves with.
    pub type Uint8Array;
    #[wasm_bindgen(method, getter)]
    pub fn length(this: &Uint8Array) -> u32;
    /// `Uint8Array.prototype.set.call(destination, source)`: copies `source` into wasm memory.
    #[wasm_bindgen(js_namespace = Uint8Array, js_name = "prototype.set.call")]
    fn copy_into(destination: &mut [u8], source: &Uint8Array);

    /// The caller's `onPending` callback.
    pub type Function;
    #[wasm_bindgen(method, catch, js_name = call)]
    pub fn call1(this: &Function, context: &JsValue, argument: &JsValue) -> Result<JsValue, JsValue>;

    /// The caller's `signal`.
    #[derive(Clone)]
    pub type AbortSignal;
    #[wasm_bindgen(method, getter)]
    pub fn aborted(this: &AbortSignal) -> bool;

    #[wasm_bindgen(js_namespace = Date, js_name = now)]
    pub fn date_now() -> f64;

    #[wasm_bindgen(catch, js_namespace = JSON, js_name = parse)]
    pub fn json_parse(text: &str) -> Result<JsValue, JsValue>;
}

impl Uint8Array {
    /// The bytes, copied into a new `Vec` in one call.
    pub fn to_vec(&self) -> Vec<u8> {
        let mut bytes = vec![0; self.length() as usize];
        Uint8Array::copy_into(&mut bytes, self);
        bytes
    }
}
