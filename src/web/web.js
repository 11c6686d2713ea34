// Ships verbatim to every page: the comments are in src/web/js.rs.
export const whenAborted = (signal) =>
  new Promise((resolve) => (signal.aborted ? resolve() : signal.addEventListener('abort', resolve, { once: true })));

export function send(url, method, headers, body, credentials) {
  const controller = new AbortController();
  const response = fetch(url, { method, headers: JSON.parse(headers), body, credentials, signal: controller.signal })
    .then(async (r) => [
      r.status,
      r.headers.get('content-type'),
      new Uint8Array(await r.arrayBuffer()),
      r.headers.get('retry-after'),
      r.headers.get('x-rate-limit-reset'),
    ]);
  response.controller = controller;
  return response;
}

export const abortRequest = (response) => response.controller.abort();

export function rs256(n, e, data, signature) {
  const subtle = globalThis.crypto?.subtle;
  if (!subtle) return;
  const algorithm = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
  [data, signature] = [data.slice(), signature.slice()];
  return subtle
    .importKey('jwk', { kty: 'RSA', n, e, alg: 'RS256', ext: true }, algorithm, false, ['verify'])
    .then(async (key) => +(await subtle.verify(algorithm, key, signature, data)));
}
