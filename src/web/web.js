// The package minifies this file; the comments are in src/web/js.rs.
// The caller's signal and a timeout as one signal, and `timeout` to tell which fired.
function deadline(signal, ms) {
  if (AbortSignal.any) {
    const timeout = AbortSignal.timeout(ms);
    return { signal: signal ? AbortSignal.any([signal, timeout]) : timeout, timeout, done() {} };
  }
  const controller = new AbortController(), timeout = {}, abort = () => controller.abort();
  const timer = setTimeout(() => abort((timeout.aborted = true)), ms);
  signal?.aborted ? abort() : signal?.addEventListener('abort', abort);
  return { signal: controller.signal, timeout, done: () => (clearTimeout(timer), signal?.removeEventListener('abort', abort)) };
}

export const sleep = (ms, signal) =>
  new Promise((resolve) => {
    const d = deadline(signal, ms), end = () => (d.done(), resolve(signal?.aborted ? 1 : 0));
    d.signal.aborted ? end() : d.signal.addEventListener('abort', end);
  });

async function read(body, limit) {
  const reader = body?.getReader(), chunks = [];
  let n = 0;
  for (; reader; ) {
    const { done, value } = await reader.read();
    if (done) break;
    if ((n += value.length) > limit) return reader.cancel(), null;
    chunks.push(value);
  }
  const bytes = new Uint8Array(n);
  n = 0;
  for (const chunk of chunks) bytes.set(chunk, n), (n += chunk.length);
  return bytes;
}

export function send(url, method, headers, body, credentials, reload, limit, signal, ms) {
  const d = deadline(signal, ms);
  const init = { method, headers: JSON.parse(headers), body, credentials, signal: d.signal, redirect: 'manual' };
  if (reload) init.cache = 'reload';
  return fetch(url, init)
    .then(async (r) => [
      r.status,
      r.headers.get('content-type'),
      await read(r.body, limit),
      r.headers.get('retry-after'),
      r.headers.get('x-rate-limit-reset'),
    ])
    .catch((e) => {
      if (signal?.aborted) return 1;
      if (d.timeout.aborted) return 2;
      throw e;
    })
    .finally(d.done);
}

export function rs256(n, e, data, signature) {
  const subtle = globalThis.crypto?.subtle;
  if (!subtle) return;
  const algorithm = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
  [data, signature] = [data.slice(), signature.slice()];
  return subtle
    .importKey('jwk', { kty: 'RSA', n, e, alg: 'RS256', ext: true }, algorithm, false, ['verify'])
    .then(async (key) => +(await subtle.verify(algorithm, key, signature, data)));
}

export function task() {
  const t = [0];
  t[0] = new Promise((resolve, reject) => t.push(resolve, reject));
  return t;
}

export const settle = (t, ok, value) => t[ok ? 1 : 2](value);

export const wait = (promise, wake, key) => promise.then((v) => wake(key, true, v), (e) => wake(key, false, e));
