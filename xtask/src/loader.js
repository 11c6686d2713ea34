// The package's wasm loader, in place of wasm-bindgen's `__wbg_init` (xtask/src/loader.rs).
// index.js's `ready()` already loads once and retries after a failure, so this only fetches,
// compiles and instantiates: while the bytes arrive (`instantiateStreaming`) when the server
// says `application/wasm`, else from the whole body (a static server that sends another type).
// A failed fetch rejects with its TypeError (index.js: `kind: 'network'`), an HTTP error or a
// module that does not compile with an Error (`kind: 'config'`).
async function instantiate(url) {
  const response = await fetch(url), imports = __wbg_get_imports();
  if (!response.ok) throw new Error(`failed to fetch Wasm: ${response.status} fetching ${url}`);
  const { instance, module } = await (WebAssembly.instantiateStreaming && /^application\/wasm\b/.test(response.headers.get('content-type'))
    ? WebAssembly.instantiateStreaming(response, imports)
    : response.arrayBuffer().then((bytes) => WebAssembly.instantiate(bytes, imports)));
  return __wbg_finalize_init(instance, module);
}
export { instantiate as default };
