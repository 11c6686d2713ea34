// The browser calls of the web layer, one wasm import each. Nothing runs at import time and
// nothing names `window`: every global is looked up when called (SSR, Web Workers).

// Resolves when `signal` aborts (at once if it already has). One listener per SDK call.
export const whenAborted = (signal) =>
  new Promise((resolve) => (signal.aborted ? resolve() : signal.addEventListener('abort', resolve, { once: true })));

// One request through the global `fetch`: resolves to [status, content-type, body bytes] once
// the whole body is in, rejects when no response arrives (offline, DNS, CORS). `abortRequest`
// cancels it.
export function send(url, method, headers, body, credentials) {
  const controller = new AbortController();
  const response = fetch(url, { method, headers: JSON.parse(headers), body, credentials, signal: controller.signal })
    .then(async (r) => [r.status, r.headers.get('content-type'), new Uint8Array(await r.arrayBuffer())]);
  response.controller = controller;
  return response;
}

export const abortRequest = (response) => response.controller.abort();

// RS256 (RSASSA-PKCS1-v1_5, SHA-256) with WebCrypto, so no RSA code ships in the wasm: a
// promise of true/false (rejected when WebCrypto refuses the key), or undefined without
// `crypto.subtle` (it needs a secure context: https or localhost).
export function rs256(n, e, data, signature) {
  const subtle = globalThis.crypto?.subtle;
  if (!subtle) return;
  const algorithm = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
  // Copies: the views into wasm memory must not be read after this call returns.
  [data, signature] = [data.slice(), signature.slice()];
  return subtle
    .importKey('jwk', { kty: 'RSA', n, e, alg: 'RS256', ext: true }, algorithm, false, ['verify'])
    .then((key) => subtle.verify(algorithm, key, signature, data));
}
