// The start-up consumer plus a handle on the wasm instance's linear memory, for the per-call and
// memory pages only (not counted in any size). `okta-direct-auth/glue` is the package's
// wasm-bindgen glue module, the one index.js imports: its default `init` returns the already
// instantiated exports on a second call, so nothing is loaded twice.
import { DirectAuth, ready } from 'okta-direct-auth';
import init from 'okta-direct-auth/glue';

export const start = (options) => DirectAuth.create(options);
export async function wasmStats() {
  await ready();
  const exports = await init();
  const tables = {};
  for (const [name, value] of Object.entries(exports)) {
    if (value instanceof WebAssembly.Table) tables[name] = value.length;
  }
  return { memoryBytes: exports.memory.buffer.byteLength, tables };
}
