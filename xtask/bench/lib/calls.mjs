// Figures 3 and 5, in pages on loopback against the bench's emulator.
//
// Per-call: the SDK's `signInWithOtp` beside a hand-written `fetch` of the same request (same URL,
// headers, form fields, `credentials: 'omit'`, JSON parsed), alternating SDK / fetch / fetch / SDK
// so drift hits both alike, each call with a fresh user and code (handed over by node through an
// exposed function, outside the timed region). Timed with performance.now() in a cross-origin
// isolated page (5 µs resolution).
//
// Memory: one page; the wasm instance's `memory.buffer.byteLength` and the JS heap
// (CDP HeapProfiler.collectGarbage, then Runtime.getHeapUsage) after the client is created, after
// the first sign-in, and after 1,000.
import { summary } from './stats.mjs';

async function benchPage(browser, baseUrl, creds) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.exposeFunction('benchCred', () => creds.take());
  await page.goto(`${baseUrl}/blank.html`);
  return { context, page };
}

export async function perCall({ browser, baseUrl, creds, issuer, clientId, calls, warmup }) {
  const { context, page } = await benchPage(browser, baseUrl, creds);
  const r = await page.evaluate(async ({ issuer, clientId, calls, warmup }) => {
    const m = await import('/b/sdk-bench.js');
    const scopes = ['openid', 'profile'];
    const client = await m.start({ issuer, clientId, scopes });
    const tokenUrl = client.endpoints.token;
    const handFetch = async ({ username, otp }) => {
      const response = await fetch(tokenUrl, {
        method: 'POST',
        headers: { Accept: 'application/json', 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'urn:okta:params:oauth:grant-type:otp',
          client_id: clientId,
          scope: scopes.join(' '),
          login_hint: username,
          otp,
        }),
        credentials: 'omit',
      });
      const body = await response.json();
      return response.ok && typeof body.access_token === 'string';
    };
    const sdkCall = async (cred) => (await client.signInWithOtp(cred)).status === 'success';
    const times = { sdk: [], fetch: [] };
    const failures = { sdk: 0, fetch: 0 };
    let lastError;
    for (let i = 0; i < warmup + calls; i++) {
      for (const which of i % 2 ? ['fetch', 'sdk'] : ['sdk', 'fetch']) {
        const cred = await window.benchCred();
        const t = performance.now();
        let ok = false;
        try {
          ok = await (which === 'sdk' ? sdkCall(cred) : handFetch(cred));
        } catch (e) {
          lastError = `${which}: ${e?.code ?? ''} ${e?.message ?? e}`;
        }
        const dt = performance.now() - t;
        if (!ok) failures[which]++;
        if (i >= warmup) times[which].push(dt);
      }
    }
    return { times, failures, lastError, isolated: crossOriginIsolated, tokenUrl };
  }, { issuer, clientId, calls, warmup });
  await context.close();
  const sdk = summary(r.times.sdk);
  const fetchS = summary(r.times.fetch);
  return {
    calls,
    warmup,
    isolated: r.isolated,
    tokenUrl: r.tokenUrl,
    failures: r.failures,
    lastError: r.lastError,
    sdk: { ...sdk, samples: r.times.sdk },
    fetch: { ...fetchS, samples: r.times.fetch },
    overheadMedianMs: sdk.median - fetchS.median,
    ratioMedian: sdk.median / fetchS.median,
    ratioP95: sdk.p95 / fetchS.p95,
  };
}

export async function memory({ browser, baseUrl, creds, issuer, clientId, signIns }) {
  const { context, page } = await benchPage(browser, baseUrl, creds);
  const cdp = await context.newCDPSession(page);
  await cdp.send('HeapProfiler.enable');
  const measure = async () => {
    await cdp.send('HeapProfiler.collectGarbage');
    const heap = await cdp.send('Runtime.getHeapUsage');
    const wasm = await page.evaluate(() => window.__bench.m.wasmMemoryBytes());
    return { wasmBytes: wasm, jsHeapUsed: heap.usedSize, jsHeapTotal: heap.totalSize };
  };
  const run = (n) =>
    page.evaluate(async (n) => {
      let failures = 0;
      let lastError;
      for (let i = 0; i < n; i++) {
        try {
          const r = await window.__bench.client.signInWithOtp(await window.benchCred());
          if (r.status !== 'success') failures++;
        } catch (e) {
          failures++;
          lastError = `${e?.code ?? ''} ${e?.message ?? e}`;
        }
      }
      return { failures, lastError };
    }, n);

  await page.evaluate(async ({ issuer, clientId }) => {
    const m = await import('/b/sdk-bench.js');
    window.__bench = { m, client: await m.start({ issuer, clientId, scopes: ['openid', 'profile'] }) };
  }, { issuer, clientId });
  const created = await measure();
  const first = await run(1);
  const after1 = await measure();
  const rest = await run(signIns - 1);
  const afterN = await measure();
  await context.close();
  return {
    signIns,
    failures: first.failures + rest.failures,
    lastError: rest.lastError ?? first.lastError,
    created,
    after1,
    afterN,
    wasmGrowth: afterN.wasmBytes - after1.wasmBytes,
    jsHeapGrowth: afterN.jsHeapUsed - after1.jsHeapUsed,
  };
}
