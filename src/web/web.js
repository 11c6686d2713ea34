// Ships verbatim to every page: the comments are in src/web/js.rs.
export function whenAborted(signal) {
  let stop;
  const fired = new Promise((resolve) => {
    if (signal.aborted) return resolve();
    signal.addEventListener('abort', resolve, { once: true });
    stop = () => signal.removeEventListener('abort', resolve);
  });
  fired.stop = stop;
  return fired;
}

export const stopWatching = (fired) => fired.stop?.();

async function read(body, limit) {
  const reader = body?.getReader(), chunks = [];
  for (let n = 0; reader; ) {
    const { done, value } = await reader.read();
    if (done) break;
    if ((n += value.length) > limit) return reader.cancel(), null;
    chunks.push(value);
  }
  return new Uint8Array(await new Blob(chunks).arrayBuffer());
}

export function send(url, method, headers, body, credentials, reload, limit) {
  const controller = new AbortController();
  const init = { method, headers: JSON.parse(headers), body, credentials, signal: controller.signal, redirect: 'manual' };
  if (reload) init.cache = 'reload';
  const response = fetch(url, init).then(async (r) => [
    r.status,
    r.headers.get('content-type'),
    await read(r.body, limit),
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
