// The start-up consumer plus a handle on the wasm instance's linear memory, for the per-call and
// memory pages only (not counted in any size). The package ships one JS module (the glue bundled
// into index.js), so the instance is caught as the glue creates it: WebAssembly's two
// instantiate functions are wrapped here, before anything has loaded it.
import { DirectAuth, ready } from 'okta-direct-auth';

let instance;
for (const name of ['instantiateStreaming', 'instantiate']) {
  const original = WebAssembly[name];
  WebAssembly[name] = async (...args) => {
    const result = await original.apply(WebAssembly, args);
    instance ??= result instanceof WebAssembly.Instance ? result : result.instance;
    return result;
  };
}

export const start = (options) => DirectAuth.create(options);
export async function wasmStats() {
  await ready();
  // Found by type: the export names are minified (`cargo xtask pkg`), so tables are numbered.
  const values = Object.values(instance.exports);
  const memory = values.find((value) => value instanceof WebAssembly.Memory);
  const tables = {};
  for (const [i, table] of values.filter((value) => value instanceof WebAssembly.Table).entries()) tables[`table ${i + 1}`] = table.length;
  return { memoryBytes: memory.buffer.byteLength, tables };
}
